"""A print system for tests, standing in for print_jobs.system (no CUPS needed).

A test's print dialog points the printer at a PDF file so that the pages can be read back;
this stand-in calls that printer "Office printer" (a real one, not a file) and lists a new job
in its queue once pages have arrived in the file, unless told to refuse them. So the real
decisions of print_jobs run on every print a test makes, as they do against CUPS."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtPrintSupport import QPrinter

from collab_desktop.ui.print_jobs import QueueState

NAME = "Office printer"


class FakeQueues:
    def __init__(self) -> None:
        self.running = True
        self.exists = True
        self.accepting = True
        self.takes_jobs = True  # False: the job silently never reaches the queue
        self.file: Path | None = None
        self.asked = 0

    def destination(self, printer: QPrinter) -> tuple[str, bool]:
        if printer.outputFormat() != QPrinter.OutputFormat.PdfFormat:
            # Never a real printer from a test.
            raise AssertionError("a test printed to a real printer")
        self.file = Path(printer.outputFileName())
        return NAME, False

    def state(self, name: str) -> QueueState:
        self.asked += 1
        jobs: frozenset[str] = frozenset()
        if self.takes_jobs and self.file is not None and self.file.exists():
            stat = self.file.stat()
            jobs = frozenset({f"{NAME}-{stat.st_mtime_ns}-{stat.st_size}"})
        return QueueState(True, self.running, self.exists, self.accepting, jobs)
