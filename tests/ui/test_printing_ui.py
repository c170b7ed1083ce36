"""Printing says "sent" only when the printer took the job (issue 9, item 5): a queue that
refuses jobs, a print service that stopped, a printer removed while the dialog was open, and
Qt's fallback to a file in the home folder all say plainly that nothing was printed, and no
file is written that the user did not choose. Every job has a title."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QMainWindow, QWidget

from collab_desktop.ui import print_jobs
from collab_desktop.ui.delivery.sheet_actions import print_sheets
from collab_desktop.ui.pdf_actions import print_agreement
from tests.builders import TEMPLATE, reference_agreement
from tests.delivery_builders import TODAY, needlework_group


class Dialog:
    """The system print dialog, answered "Print"; what it was given is kept."""

    def __init__(self, monkeypatch, path: Path) -> None:
        self.path = path
        self.titles: list[str] = []
        self.print_to_file: list[bool] = []
        monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: self.accept(dialog))

    def accept(self, dialog: QPrintDialog) -> QPrintDialog.DialogCode:
        printer = dialog.printer()
        self.titles.append(printer.docName())
        self.print_to_file.append(
            dialog.testOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile)
        )
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        printer.setResolution(50)
        return QPrintDialog.DialogCode.Accepted


@pytest.fixture
def dialog(monkeypatch, tmp_path) -> Dialog:
    return Dialog(monkeypatch, tmp_path / "printed.pdf")


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def sheet_ids(services) -> list:
    group = needlework_group(services)
    return [r.id for r in services.attendance.upcoming(group.activity, 2, TODAY)]


def test_a_job_the_queue_lists_is_sent_with_a_title(parent, services, dialog, print_queues, boxes):
    ids = sheet_ids(services)  # the reference case, with its weekly group
    version_id = services.agreements.create_agreement(
        services.collaborations.list_collaborations()[0].id, TEMPLATE
    )
    assert print_agreement(parent, services, version_id) is True
    assert boxes.shown == []
    assert dialog.titles == ["Joint agreement, version 1 (Draft)"]
    # The dialog offers no "Print to file": saving a file is Save as PDF's job.
    assert dialog.print_to_file == [False]
    assert print_sheets(parent, services, ids) is True
    assert dialog.titles[1] == "Attendance sheets: Needlework group, 03/03/2026 to 10/03/2026"


@pytest.mark.parametrize(
    ("setting", "says"),
    [
        ("accepting", "is not accepting jobs"),
        ("running", "print service is not running"),
        ("exists", "is no longer set up on this computer"),
    ],
)
def test_a_printer_that_cannot_take_jobs_prints_nothing_and_says_so(
    parent, services, dialog, print_queues, boxes, setting, says
):
    ids = sheet_ids(services)
    setattr(print_queues, setting, False)
    assert print_sheets(parent, services, ids) is False
    [box] = boxes.of("warning")
    assert box.title == "Cannot print"
    assert box.text.startswith("Nothing was printed") and says in box.text
    assert "Office printer" in box.text or setting == "running"
    assert "Nothing is lost" in box.text and "Sent" not in box.text
    assert not dialog.path.exists()  # refused before a page was painted


def test_a_job_that_never_reaches_the_queue_is_not_called_sent(
    qtbot, services, dialog, print_queues, boxes
):
    window = QMainWindow()
    qtbot.addWidget(window)
    ids = sheet_ids(services)
    print_queues.takes_jobs = False  # Qt's print call returns normally all the same
    assert print_sheets(window, services, ids) is False
    [box] = boxes.of("warning")
    assert "did not take the job" in box.text
    assert "Sent" not in window.statusBar().currentMessage()

    print_queues.takes_jobs = True
    assert print_sheets(window, services, ids) is True
    assert window.statusBar().currentMessage() == "Sent 2 attendance sheet(s) to the printer"


def test_qts_fallback_to_a_file_is_refused_and_writes_nothing(
    parent, services, dialog, monkeypatch, boxes, tmp_path
):
    # The real destination check, with no print service to ask (as on Windows).
    real = print_jobs.CupsQueues()
    real._lpstat = None
    monkeypatch.setattr(print_jobs, "system", real)
    dialog.path = tmp_path / "home" / "Joint agreement.pdf"
    dialog.path.parent.mkdir()
    _case, version_id = reference_agreement(services)
    assert print_agreement(parent, services, version_id) is False
    [box] = boxes.of("warning")
    assert "does not print into a file you did not choose" in box.text
    assert "Save as PDF" in box.text
    assert list(dialog.path.parent.iterdir()) == []


def test_with_no_print_service_to_ask_qts_word_decides():
    none = print_jobs.QueueState(known=False)
    assert print_jobs.refusal_before("HP LaserJet", False, none) is None
    assert print_jobs.failure_after("HP LaserJet", False, none, none) is None
    assert "reported a problem" in print_jobs.failure_after("HP LaserJet", True, none, none)


LPSTAT = """#!/bin/sh
case "$*" in
  "-r") echo "{scheduler}" ;;
  "-a PDF") echo "{accepting}" ;;
  "-a "*) echo 'lpstat: Invalid destination name in list "'$2'".' >&2; exit 1 ;;
  "-W all -o PDF") printf 'PDF-1  root  1024  Tue Dec  1 22:42:04 2026\\nPDF-7  root  2048  x\\n' ;;
esac
"""


@pytest.mark.skipif(os.name == "nt", reason="a POSIX shell script stands in for lpstat")
@pytest.mark.parametrize(
    ("scheduler", "accepting", "printer", "expected"),
    [
        ("scheduler is running", "PDF accepting requests since Tue", "PDF",
         print_jobs.QueueState(True, jobs=frozenset({"PDF-1", "PDF-7"}))),
        ("scheduler is running", "PDF not accepting requests since Tue -\\n\\tRejecting",
         "PDF/draft", print_jobs.QueueState(True, accepting=False,
                                            jobs=frozenset({"PDF-1", "PDF-7"}))),
        ("scheduler is running", "", "Gone", print_jobs.QueueState(True, exists=False)),
        ("scheduler is not running", "", "PDF", print_jobs.QueueState(True, running=False)),
    ],
)  # fmt: skip
def test_what_lpstat_says_is_read_as_cups_means_it(
    tmp_path, scheduler, accepting, printer, expected
):
    script = tmp_path / "lpstat"
    script.write_text(LPSTAT.format(scheduler=scheduler, accepting=accepting))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    assert print_jobs.CupsQueues(str(script)).state(printer) == expected
