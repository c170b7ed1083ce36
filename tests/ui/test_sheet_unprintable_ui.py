"""Issue 11: "if some character truly cannot be printed, say which before printing, never
silent boxes". The agreement editor says so beside the text; attendance sheets ask before
they are printed or saved, naming each character, and print nothing when the user stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from collab_desktop.ui.delivery.sheet_actions import print_sheets
from tests.delivery_builders import TODAY, add_person, needlework_group

HIEROGLYPH = "\U00013000"  # no font the app ships has it


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


class Answer:
    """Answers the warning as a user would, by its button; keeps what it said."""

    def __init__(self, button: QMessageBox.StandardButton) -> None:
        self.button = button
        self.texts: list[str] = []
        self.tries = 100  # two seconds, then it stops looking (no warning came)
        QTimer.singleShot(0, self.click)

    def click(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "sheets_unprintable" and widget.isVisible():
                assert isinstance(widget, QMessageBox)
                self.texts.append(widget.text())
                # Cancel is the default: Enter never prints boxes by accident.
                assert widget.defaultButton() is widget.button(QMessageBox.StandardButton.Cancel)
                widget.button(self.button).click()
                return
        self.tries -= 1
        if self.tries > 0:
            QTimer.singleShot(20, self.click)


def printed_to(monkeypatch, path: Path) -> list[str]:
    opened: list[str] = []

    def accept(dialog: QPrintDialog) -> QPrintDialog.DialogCode:
        opened.append(dialog.windowTitle())
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(50)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    return opened


def session_ids(services, names: list[str]) -> list:
    group = needlework_group(services)
    for name in names:
        add_person(services, name, [group.activity])
    return [r.id for r in services.attendance.upcoming(group.activity, 1, TODAY)]


def test_sheets_name_what_cannot_print_and_stop_when_asked(parent, services, monkeypatch, tmp_path):
    ids = session_ids(services, [f"Ann {HIEROGLYPH}", "সুস্মিতা", "王小明"])
    opened = printed_to(monkeypatch, tmp_path / "printed.pdf")
    answer = Answer(QMessageBox.StandardButton.Cancel)
    assert print_sheets(parent, services, ids) is False
    assert len(answer.texts) == 1
    assert f"{HIEROGLYPH} (egyptian hieroglyph a001)" in answer.texts[0]
    assert "সু" not in answer.texts[0] and "王" not in answer.texts[0]  # those print
    assert opened == []  # stopped before the print dialog

    answer = Answer(QMessageBox.StandardButton.Yes)
    assert print_sheets(parent, services, ids) is True
    assert len(answer.texts) == 1 and opened


def test_sheets_that_print_whole_ask_nothing(parent, services, monkeypatch, tmp_path):
    ids = session_ids(services, ["সুস্মিতা", "محمد عبد الله", "Ali 😀 Khan"])
    opened = printed_to(monkeypatch, tmp_path / "printed.pdf")
    answer = Answer(QMessageBox.StandardButton.Cancel)
    assert print_sheets(parent, services, ids) is True
    assert answer.texts == [] and opened
    answer.tries = 0
