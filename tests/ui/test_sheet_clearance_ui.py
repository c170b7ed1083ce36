"""Sheets carried into a prison: a facilitator whose clearance for the site has lapsed by the
session is named before the sheets are printed or saved (seen by the tester: it was only on
the home page's Needs attention), and nothing is printed when the user stops."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.ui.delivery.sheet_actions import print_sheets, save_sheets_pdf
from tests.delivery_builders import TODAY, needlework_group
from tests.ui.test_pdf_actions import save_dialog  # noqa: F401 (fixture)
from tests.ui.test_sheet_unprintable_ui import parent, printed_to  # noqa: F401 (fixtures)


class Answer:
    """Answers the clearance warning by its button; keeps what it said."""

    def __init__(self, button: QMessageBox.StandardButton) -> None:
        self.button = button
        self.texts: list[str] = []
        self.tries = 100
        QTimer.singleShot(0, self.click)

    def click(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "sheets_clearance" and widget.isVisible():
                assert isinstance(widget, QMessageBox)
                self.texts.append(widget.text())
                assert widget.defaultButton() is widget.button(QMessageBox.StandardButton.Cancel)
                widget.button(self.button).click()
                return
        self.tries -= 1
        if self.tries > 0:
            QTimer.singleShot(20, self.click)


def lapsed_group(services):
    group = needlework_group(services)
    sessions = services.attendance.upcoming(group.activity, 2, TODAY)
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer,
            clearances=[ClearanceData("prison_vetting", "HMP Leyhill", "V1", None, TODAY)],
        )
    )
    assert all(s.on > TODAY for s in sessions)
    return [s.id for s in sessions]


def test_a_lapsed_clearance_is_named_before_printing_and_stops_it(
    parent, services, monkeypatch, tmp_path  # noqa: F811
):
    ids = lapsed_group(services)
    opened = printed_to(monkeypatch, tmp_path / "printed.pdf")
    answer = Answer(QMessageBox.StandardButton.Cancel)
    assert print_sheets(parent, services, ids) is False
    assert len(answer.texts) == 1 and "Margaret Ellis" in answer.texts[0]
    assert "expired" in answer.texts[0] and "gate" in answer.texts[0]
    assert opened == []  # stopped before the print dialog
    answer = Answer(QMessageBox.StandardButton.Yes)
    assert print_sheets(parent, services, ids) is True
    assert len(answer.texts) == 1 and opened


def test_saving_the_sheets_asks_too(parent, services, save_dialog, tmp_path):  # noqa: F811
    ids = lapsed_group(services)
    save_dialog.answer = tmp_path / "sheets.pdf"
    answer = Answer(QMessageBox.StandardButton.Cancel)
    assert save_sheets_pdf(parent, services, ids) is None
    assert answer.texts and not (tmp_path / "sheets.pdf").exists()
