"""The Meetings page and dialog, the engagement view and the home page's Needs attention,
driven as a user would."""

from __future__ import annotations

from datetime import date

from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.home_page import HomePage
from collab_desktop.ui.meetings.engagement_view import EngagementDialog
from collab_desktop.ui.meetings.meeting_dialog import MeetingDialog
from collab_desktop.ui.meetings.meetings_page import MeetingsPage
from tests.meeting_builders import POLICE, golden_key_board, golden_key_year

TODAY = date(2026, 12, 2)


def test_a_meeting_is_recorded_in_the_dialog_with_bad_input_kept(qtbot, services):
    board = golden_key_board(services)
    events = DataEvents()
    page = MeetingsPage(services, events)
    qtbot.addWidget(page)
    dialog = MeetingDialog(services, events, board.collaboration, today=TODAY)
    qtbot.addWidget(dialog)
    assert dialog.attendees.rowCount() == 17
    dialog.held_on.setText("01/01/2027")
    dialog.status.set_value("held")
    dialog.save()
    assert dialog.errors.label("status").isVisibleTo(dialog)
    assert "has not come yet" in dialog.errors.label("status").text()
    assert dialog.held_on.text() == "01/01/2027"  # what was typed stays
    dialog.held_on.setText("20/10/2026")
    dialog.attendees.cellWidget(0, 2).set_value("attended")
    dialog._add_decision()
    dialog.decisions.item(0, 0).setText("Adopt the shared form.")
    dialog.save()
    assert dialog.saved_id is not None
    [row] = services.meetings.list_meetings()
    assert row.organisations == "1 of 17 organisations"
    # What needs a meeting waits for one to be chosen (it did nothing when clicked before).
    actions = (page.pdf_button, page.print_button, page.approve_button, page.review_button,
               page.delete_button)  # fmt: skip
    assert not any(b.isEnabled() for b in actions)
    page.refresh()
    assert page.model.rowCount() == 1
    assert not any(b.isEnabled() for b in actions) and page.engagement_button.isEnabled()
    page.table.selectRow(0)
    assert all(b.isEnabled() for b in actions)


def test_engagement_view_shows_the_flags_and_draws_the_chart(qtbot, services):
    board = golden_key_board(services)
    golden_key_year(services, board, TODAY)
    dialog = EngagementDialog(services.engagement.engagement(board.collaboration, TODAY))
    qtbot.addWidget(dialog)
    assert f"{POLICE} has missed the last 2 board meetings" in dialog.flags.text()
    image = dialog.chart.grab()
    assert not image.isNull() and image.width() > 500
    assert dialog.table.rowCount() == 17


def test_home_page_lists_what_needs_attention_and_opens_it(qtbot, services):
    board = golden_key_board(services)
    meetings = golden_key_year(services, board, TODAY)
    page = HomePage(services, DataEvents(), today=lambda: TODAY)
    qtbot.addWidget(page)
    page.refresh()
    assert page.attention.count() >= 1
    first = page.attention.item(0)
    assert "Name a decision-maker for the board" in first.text()
    with qtbot.waitSignal(page.open_target) as opened:
        page.attention.setCurrentRow(0)
        page.attention.itemActivated.emit(first)
    assert opened.args == ["meeting", meetings[-1]]


def test_meeting_tables_give_the_text_the_room_and_add_rows_from_the_keyboard(qtbot, services):
    # Seen by the tester: the decision itself was a sliver beside a wide date column, and the
    # Add and Remove buttons had no keys.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    board = golden_key_board(services)
    dialog = MeetingDialog(services, DataEvents(), board.collaboration, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.tabs.setCurrentIndex(1)  # Decisions
    remove = dialog.findChild(QPushButton, "meeting_remove_decision")
    assert "&" in remove.text()
    dialog.decisions.setFocus()
    qtbot.keyClick(dialog.decisions, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.decisions.rowCount() == 1)  # a mnemonic animates the click
    assert dialog.decisions.currentRow() == 0 and dialog.decisions.currentColumn() == 0
    header = dialog.decisions.horizontalHeader()
    assert header.sectionSize(0) > 2 * header.sectionSize(1)
    dialog.tabs.setCurrentIndex(2)  # Actions: what is to be done is the widest column
    actions = dialog.actions.horizontalHeader()
    qtbot.waitUntil(lambda: actions.sectionSize(0) > actions.sectionSize(3))
