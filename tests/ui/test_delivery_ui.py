"""The home page, printing sheets, activities, sessions, participants, volunteers and figures,
driven through their widgets over a real database."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox

from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.ui.delivery.activities_page import ActivitiesPage
from collab_desktop.ui.delivery.participants_page import ParticipantsPage
from collab_desktop.ui.delivery.sessions_dialog import SessionsDialog
from collab_desktop.ui.delivery.volunteers_page import VolunteersPage
from collab_desktop.ui.home_page import HomePage
from collab_desktop.ui.main_window import MainWindow
from tests.builders import reference_case
from tests.delivery_builders import PEOPLE, TODAY, needlework_group, session_on
from tests.ui.widgets import choose, click, error_text, field, type_into

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


def pdf_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


class Printing:
    """Stands in for the system print dialog: 'Print' sends the pages to a PDF file."""

    def __init__(self, monkeypatch, path: Path) -> None:
        self.path = path
        self.opened = 0
        monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: self.accept(dialog))

    def accept(self, dialog: QPrintDialog) -> QPrintDialog.DialogCode:
        self.opened += 1
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        printer.setResolution(50)  # small page images keep the test fast
        return QPrintDialog.DialogCode.Accepted


@pytest.fixture
def printing(monkeypatch, tmp_path) -> Printing:
    return Printing(monkeypatch, tmp_path / "printed.pdf")


@pytest.fixture
def saving(monkeypatch, tmp_path):
    answer = {"path": tmp_path / "sheets.pdf"}
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(answer["path"]), ""))
    )
    return answer


@pytest.fixture
def home(qtbot, services, events) -> HomePage:
    page = HomePage(services, events, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show()
    return page


# -- the home page --------------------------------------------------------------------------


def test_next_four_weeks_sheets_print_in_two_clicks(qtbot, services, home, printing):
    group = needlework_group(services)
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 3, 17)), "lockdown"
    )
    home.refresh()
    # The group that meets next is already chosen, and four weeks is the default.
    assert home.selected_activity().id == group.activity
    assert "Cancelled, so left out: 17/03/2026 (Lock-down)" in home.ahead_note.text()
    assert home.print_ahead_button.text().replace("&", "") == "Print the next 4 weeks' sheets…"

    click(qtbot, home, "home_print_ahead")  # 1: the button; 2: "Print" in the system dialog
    assert printing.opened == 1
    assert len(PdfReader(printing.path).pages) == 3  # 3, 10 and 24 March; the 17th is cancelled


def test_this_weeks_sessions_and_their_sheets(qtbot, services, home, saving):
    group = needlework_group(services)
    home.refresh()
    assert home.model.rowCount() == 1
    assert home.model.index(0, 0).data() == "Tue 3 Mar"
    assert home.dates.text() == "Monday 2 March 2026 to Sunday 8 March 2026"
    assert home.selected_session().on == date(2026, 3, 3)
    click(qtbot, home, "home_save_week")
    [text] = pdf_texts(saving["path"].read_bytes())
    assert "Tuesday 3 March 2026" in text and "A. B." in text
    assert not any(word in text for person in PEOPLE for word in person.split())
    assert group


def test_this_weeks_facilitator_without_clearance_is_flagged(services, home):
    group = needlework_group(services)
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer,
            clearances=[ClearanceData("prison_vetting", "HMP Leyhill", "V1", None, TODAY)],
        )
    )
    home.refresh()
    assert home.warnings.text() == (
        "⚠ Needlework group, 03/03/2026: Margaret Ellis's clearance for HMP Leyhill expired "
        "on 02/03/2026."
    )


def test_save_ahead_writes_one_page_a_session(qtbot, services, home, saving):
    needlework_group(services)
    home.refresh()
    home.weeks.setValue(2)
    click(qtbot, home, "home_save_ahead")
    texts = pdf_texts(saving["path"].read_bytes())
    assert [("3 March" in t, "10 March" in t) for t in texts] == [(True, False), (False, True)]


def test_home_page_without_activities_says_where_to_start(home):
    home.refresh()
    assert not home.table.isVisible()
    assert "no activities yet" in home.empty_week.text()
    assert not home.print_ahead_button.isEnabled()


@pytest.mark.qt_log_ignore("QPainter::begin", "This plugin does not support propagateSizeHints")
def test_a_printer_that_fails_says_so_and_nothing_is_lost(
    qtbot, services, home, monkeypatch, tmp_path, boxes
):
    needlework_group(services)
    home.refresh()
    Printing(monkeypatch, tmp_path / "no such folder" / "printed.pdf")
    assert home.print_ahead() is False
    [box] = boxes.of("warning")
    assert box.title == "Cannot print"
    assert "printer could not be started" in box.text
    # Still there to try again.
    assert home.print_ahead_button.isEnabled()


def test_nothing_to_print_is_said_plainly(qtbot, services, home, printing, boxes):
    group = needlework_group(services)
    for row in services.attendance.upcoming(group.activity, 1, TODAY):
        services.activities.cancel_session(row.id, "lockdown")
    home.refresh()
    home.weeks.setValue(1)
    assert home.print_ahead() is False
    assert [b.title for b in boxes.shown] == ["Nothing to print"]
    assert printing.opened == 0


def test_the_home_page_is_first_and_pages_have_shortcuts(qtbot, services, tmp_path):
    needlework_group(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    with qtbot.waitActive(window):
        window.activateWindow()
    assert window.stack.currentWidget() is window.home_page
    assert window.home_page.print_ahead_button.hasFocus()
    for key, page in (
        (Qt.Key.Key_4, window.activities_page),
        (Qt.Key.Key_5, window.participants_page),
        (Qt.Key.Key_6, window.volunteers_page),
        (Qt.Key.Key_0, window.home_page),
    ):
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is page
    assert window.activities_page.model.rowCount() == 1
    assert window.participants_page.model.rowCount() == len(PEOPLE)


# -- activities -----------------------------------------------------------------------------


@pytest.fixture
def activities(qtbot, services, events) -> ActivitiesPage:
    page = ActivitiesPage(services, events)
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    return page


def test_a_new_activity_is_typed_in_and_its_sessions_planned(qtbot, services, activities):
    case = reference_case(services)
    activities.refresh()
    click(qtbot, activities, "activities_new")
    dialog = activities.dialog
    assert field(dialog, "activity_name_printing").currentText() == "Initials only"  # custody
    type_into(qtbot, dialog, "activity_name", "Needlework group")
    type_into(qtbot, dialog, "activity_venue", "The Lobster Pot")
    choose(field(dialog, "activity_weekday"), "Tuesday")
    dialog.start_time.set_value(time(12))
    dialog.end_time.set_value(time(10))
    type_into(qtbot, dialog, "activity_starts_on", "06/01/2026")
    type_into(qtbot, dialog, "activity_ends_on", "31/03/2026")
    click(qtbot, dialog, "activity_save")
    assert dialog.isVisible()
    assert error_text(dialog, "error_start_time") == (
        "The end time (10:00) is not after the start time (12:00)."
    )
    dialog.end_time.set_value(time(14))
    click(qtbot, dialog, "activity_save")
    assert not dialog.isVisible()
    [row] = services.activities.list_activities()
    assert row.when == "Tuesdays 12:00–14:00, every week"
    assert activities.selected().id == row.id
    assert len(services.activities.sessions_of(row.id)) == 13
    assert case


def test_choosing_a_volunteer_whose_clearance_runs_out_warns(qtbot, services, activities):
    group = needlework_group(services, ends_on=date.today() + timedelta(weeks=20))
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer,
            clearances=[
                ClearanceData(
                    "prison_vetting", "HMP Leyhill", "V1", None, date.today() + timedelta(weeks=8)
                )
            ],
        )
    )
    activities.refresh()
    click(qtbot, activities, "activities_edit")
    dialog = activities.dialog
    assert "Margaret Ellis's clearance for HMP Leyhill expires on" in dialog.warnings.text()
    # Unticking her clears the warning; ticking her again brings it back.
    item = dialog.facilitators.item(0)
    assert item.text().startswith("Margaret Ellis")
    item.setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.warnings.isVisible()
    item.setCheckState(Qt.CheckState.Checked)
    assert dialog.warnings.isVisible()
    # A warning, not an error: it saves.
    click(qtbot, dialog, "activity_save")
    assert not dialog.isVisible()


def test_sessions_cancel_reinstate_and_move(qtbot, services, events, boxes):
    group = needlework_group(services)
    dialog = SessionsDialog(services, events, group.activity)
    qtbot.addWidget(dialog)
    dialog.show()
    target = session_on(services, group.activity, date(2026, 3, 10))
    assert dialog.select(target)

    click(qtbot, dialog, "sessions_cancel")
    cancel = dialog.dialog
    click(qtbot, cancel, "cancel_save")
    assert error_text(cancel, "error_reason") == "Please choose why the session was cancelled."
    choose(field(cancel, "cancel_reason"), "Lock-down")
    type_into(qtbot, cancel, "cancel_note", "Search of the wing")
    click(qtbot, cancel, "cancel_save")
    assert not cancel.isVisible()
    assert dialog.selected().status_label == "Cancelled: Lock-down"
    assert not dialog.buttons["register"].isEnabled()
    assert not dialog.buttons["print"].isEnabled()

    click(qtbot, dialog, "sessions_reinstate")
    assert dialog.selected().status == "planned"

    click(qtbot, dialog, "sessions_move")
    move = dialog.dialog
    type_into(qtbot, move, "session_on", "12/03/2026")
    type_into(qtbot, move, "session_venue", "Visits hall")
    click(qtbot, move, "session_save")
    assert not move.isVisible()
    row = dialog.selected()
    assert (row.on, row.venue, row.moved) == (date(2026, 3, 12), "Visits hall", True)
    assert (
        "moved from 10/03/2026" in dialog.model.index(dialog.table.currentIndex().row(), 5).data()
    )


def test_moving_a_session_onto_another_says_why_not(qtbot, services, events):
    group = needlework_group(services)
    dialog = SessionsDialog(services, events, group.activity)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select(session_on(services, group.activity, date(2026, 3, 10)))
    click(qtbot, dialog, "sessions_move")
    move = dialog.dialog
    type_into(qtbot, move, "session_on", "17/03/2026")
    click(qtbot, move, "session_save")
    assert move.isVisible()
    assert "already has a session on 17/03/2026" in error_text(move, "error_on")


# -- participants ---------------------------------------------------------------------------


def test_a_name_like_an_existing_participant_opens_the_existing_record(
    qtbot, services, events, boxes
):
    group = needlework_group(services)
    page = ParticipantsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    click(qtbot, page, "participants_new")
    dialog = page.dialog
    type_into(qtbot, dialog, "participant_name", "colin fry")
    boxes.answer(YES)
    click(qtbot, dialog, "participant_save")
    [box] = boxes.of("question")
    assert "Colin Fry (Needlework group)" in box.text
    assert dialog.isVisible()
    assert field(dialog, "participant_name").text() == "Colin Fry"
    assert "already kept" in dialog.problem.text()
    click(qtbot, dialog, "participant_save")
    assert not dialog.isVisible()
    assert [r.name for r in services.participants.list_participants()].count("Colin Fry") == 1

    # Told it is a different person, it records them.
    click(qtbot, page, "participants_new")
    dialog = page.dialog
    type_into(qtbot, dialog, "participant_name", "Colin Fry")
    boxes.answer(NO)
    click(qtbot, dialog, "participant_save")
    assert not dialog.isVisible()
    assert [r.name for r in services.participants.list_participants()].count("Colin Fry") == 2
    assert group


# -- volunteers -----------------------------------------------------------------------------


def test_a_contact_is_marked_as_volunteer_with_a_clearance(qtbot, services, events):
    group = needlework_group(services)
    page = VolunteersPage(services, events)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    click(qtbot, page, "volunteers_add")
    chooser = page.dialog
    choose(chooser.contact, "Margaret Ellis (Fine Cell Work)")
    chooser.accept()
    dialog = page.dialog
    assert dialog.objectName() == "volunteer_dialog"
    type_into(qtbot, dialog, "volunteer_risk_on", "03/06/2025")
    click(qtbot, dialog, "add_clearance")
    choose(dialog.clearances.cellWidget(0, 0), "Prison security vetting")
    for column, text in (
        (1, "HMP Leyhill"),
        (2, "LEY-V-2291"),
        (3, "02/05/2023"),
        (4, "31/13/2027"),
    ):
        dialog.clearances.item(0, column).setText(text)
    click(qtbot, dialog, "volunteer_save")
    assert "Row 1:" in error_text(dialog, "clearance_errors")
    dialog.clearances.item(0, 4).setText("31/12/2027")
    click(qtbot, dialog, "volunteer_save")
    assert not dialog.isVisible()
    [row] = services.volunteers.list_volunteers()
    assert (row.name, row.next_expiry) == ("Margaret Ellis", date(2027, 12, 31))
    assert page.model.rowCount() == 1
    assert group


def test_figures_dialog_shows_the_numbers(qtbot, services):
    from collab_desktop.ui.delivery.figures_dialog import FiguresDialog

    group = needlework_group(services)
    services.attendance.save_register(
        session_on(services, group.activity, date(2026, 2, 3)),
        [group.people["Alan Barker"], group.people["Colin Fry"]],
        leader_ids=[group.volunteer],
        today=TODAY,
    )
    dialog = FiguresDialog(services, group.activity, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.first.text() == "01/01/2026"
    lines = dict(dialog.lines)
    assert (lines["Sessions held"], lines["Attendances"], lines["Facilitator hours"]) == (
        "1",
        "2",
        "2",
    )
    type_into(qtbot, dialog, "figures_last", "01/12/2025")
    click(qtbot, dialog, "figures_show")
    assert "before" in error_text(dialog, "error_last")
