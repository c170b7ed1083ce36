"""Did the printer really take the job? Say "sent" only when it did.

Qt's print call returns normally when a CUPS queue rejects jobs, when the print service has
stopped, and when the printer was removed while the dialog was open; in that last case Qt's
dialog even falls back to writing a PDF into the home folder, personal data and all. So:

- before painting anything, a destination that is a file is refused (the app offers "Save as
  PDF" for that, and never writes a file the user did not choose), as is a queue that can
  already be seen not to take jobs;
- after painting, the queue's job list must hold a new job.

Where CUPS is installed (Linux, macOS) its `lpstat` answers both questions; nothing here needs
CUPS, or its Python bindings, to be present. Where it is not (Windows), Qt's own state is all
there is: "sent" then means Qt reported no error.

`system` is the one object that asks; tests replace it with one of their own, so the decisions
below run as they do for real without a printer.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass

from PySide6.QtPrintSupport import QPrinter

ASK_TIMEOUT = 5  # seconds; lpstat answers in milliseconds when the service runs
# Qt hands the job to CUPS as painting ends; the list may take a moment to show it.
JOB_WAIT = 3.0

AFTERWARDS = (
    "Nothing is lost: print again when the printer is ready, choose another printer, or "
    "use Save as PDF."
)


@dataclass(frozen=True)
class QueueState:
    known: bool  # False: there is no print service to ask here; Qt's word is all there is
    running: bool = True  # the print service answered
    exists: bool = True  # the printer is (still) set up
    accepting: bool = True
    jobs: frozenset[str] = frozenset()  # every job of the queue, finished ones too


class CupsQueues:
    """Asks CUPS through its command-line client, when there is one."""

    def __init__(self, lpstat: str | None = None) -> None:
        self._lpstat = lpstat or shutil.which("lpstat")

    @staticmethod
    def destination(printer: QPrinter) -> tuple[str, bool]:
        """The printer's name, and whether its pages would go into a file instead. The print
        dialog offers no "Print to file", so a file here is Qt's own fallback, never a file
        the user chose."""
        to_file = printer.outputFormat() == QPrinter.OutputFormat.PdfFormat or bool(
            printer.outputFileName()
        )
        return printer.printerName(), to_file

    def _ask(self, *args: str) -> subprocess.CompletedProcess | None:
        try:
            return subprocess.run(
                [self._lpstat, *args],
                capture_output=True,
                text=True,
                timeout=ASK_TIMEOUT,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None

    def state(self, printer: str) -> QueueState:
        if self._lpstat is None:
            return QueueState(known=False)
        scheduler = self._ask("-r")
        if scheduler is None or "is running" not in scheduler.stdout:
            return QueueState(known=True, running=False)
        queue = printer.split("/")[0]  # "PDF/draft" is an instance of the queue "PDF"
        if not queue:
            return QueueState(known=True, exists=False)
        accepting = self._ask("-a", queue)
        if accepting is None or accepting.returncode != 0 or not accepting.stdout.strip():
            return QueueState(known=True, exists=False)
        jobs = self._ask("-W", "all", "-o", queue)
        ids = frozenset(
            line.split()[0] for line in (jobs.stdout if jobs else "").splitlines() if line.strip()
        )
        return QueueState(known=True, accepting="not accepting" not in accepting.stdout, jobs=ids)


system = CupsQueues()


def _unavailable(name: str, state: QueueState) -> str | None:
    """Why a queue cannot take a job now, in plain words, or None if it may."""
    if not state.known:
        return None
    if not state.running:
        return (
            "Nothing was printed: this computer's print service is not running, so no "
            "printer can be reached (restarting the computer usually starts it). "
            f"{AFTERWARDS}"
        )
    if not state.exists:
        return (
            f"Nothing was printed: the printer “{name}” is no longer set up on this "
            f"computer. {AFTERWARDS}"
        )
    if not state.accepting:
        return (
            f"Nothing was printed: the printer “{name}” is not accepting jobs just now (it "
            f"has been set to refuse them). {AFTERWARDS}"
        )
    return None


def refusal_before(name: str, output_is_file: bool, state: QueueState) -> str | None:
    """Why not to start printing at all, or None to go ahead."""
    if output_is_file and state.known and not state.running:
        return _unavailable(name, state)
    if output_is_file:
        which = "no printer was chosen" if name else "no printer is set up on this computer"
        return (
            f"Nothing was printed: {which}, and Collab Desktop does not print into a file "
            "you did not choose. Choose a printer, or use Save as PDF to keep a copy as a "
            "file."
        )
    if not name:
        return f"Nothing was printed: no printer is set up on this computer. {AFTERWARDS}"
    return _unavailable(name, state)


def failure_after(name: str, qt_error: bool, before: QueueState, after: QueueState) -> str | None:
    """Why the pages did not reach the printer, or None if they did (the job is on its list,
    or, with no print service to ask, Qt reported no error)."""
    if qt_error:
        return (
            "The printer reported a problem, so the pages may not have printed. Check the "
            f"printer. {AFTERWARDS}"
        )
    if not after.known:
        return None
    problem = _unavailable(name, after)
    if problem is not None:
        return problem
    if not after.jobs - before.jobs:
        return f"Nothing was printed: the printer “{name}” did not take the job. {AFTERWARDS}"
    return None


def state_after(name: str, before: QueueState) -> QueueState:
    """The queue once painting has ended, waiting briefly for the new job to be listed."""
    if not before.known:
        return before
    deadline = time.monotonic() + JOB_WAIT
    while True:
        after = system.state(name)
        if after.jobs - before.jobs or _unavailable(name, after) or time.monotonic() > deadline:
            return after
        time.sleep(0.1)
