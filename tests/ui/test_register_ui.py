"""The register of a session, driven by keyboard (and a click) over a real database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from collab_desktop.services.changes import SESSIONS
from collab_desktop.ui.delivery.register_dialog import RegisterDialog, open_register
from tests.delivery_builders import add_person, needlework_group, session_on
from tests.ui.widgets import type_text

DAY = date(2026, 2, 3)


@pytest.fixture
def group(services):
    return needlework_group(services)


@pytest.fixture
def dialog(qtbot, services, events, group) -> RegisterDialog:
    widget = RegisterDialog(services, events, session_on(services, group.activity, DAY))
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    widget.find.setFocus()
    return widget


def attended(services, group) -> set[str]:
    register = services.attendance.register(session_on(services, group.activity, DAY))
    return {line.name for line in register.lines if line.attended}


def find_and_tick(qtbot, dialog: RegisterDialog, text: str) -> None:
    type_text(qtbot, dialog.find, text)
    qtbot.keyClick(dialog.find, Qt.Key.Key_Return)


def test_a_filled_in_sheet_is_recorded_by_keyboard_alone(qtbot, dialog, services, group, events):
    assert dialog.visible_names() == [
        "Alan Barker",
        "Colin Fry",
        "Derek Moss",
        "Gareth Ŵyn Jones",
        "Paul Sands",
        "Peter Stone",
    ]
    assert dialog.find.hasFocus()
    # Names as the sheet printed them (initials) find the person too.
    find_and_tick(qtbot, dialog, "a. b.")
    find_and_tick(qtbot, dialog, "P. S. (2)")
    # The start of a name, then Down and Up through the matches, then Enter.
    type_text(qtbot, dialog.find, "p")
    assert dialog.visible_names() == ["Paul Sands", "Peter Stone"]
    qtbot.keyClick(dialog.find, Qt.Key.Key_Down)
    assert dialog.list.currentItem().text().startswith("Peter Stone")
    qtbot.keyClick(dialog.find, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.find, Qt.Key.Key_Return)
    assert dialog.find.text() == ""
    # In the list itself, Space ticks and unticks the current row.
    qtbot.keyClick(dialog.find, Qt.Key.Key_Tab)
    assert dialog.list.hasFocus()
    dialog.list.setCurrentRow(1)  # Colin Fry
    qtbot.keyClick(dialog.list, Qt.Key.Key_Space)
    assert dialog.ticked_names() == ["Alan Barker", "Colin Fry", "Paul Sands", "Peter Stone"]
    assert dialog.count.text() == "4 present"

    with qtbot.waitSignal(events.changes) as signal:
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert signal.args[0].kinds == {SESSIONS}
    came = {"Alan Barker", "Colin Fry", "Paul Sands", "Peter Stone"}
    assert attended(services, group) == came
    assert dialog.status.text() == "Saved: 4 present."

    # Saving again changes nothing and says so.
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.status.text() == "Saved; nothing had changed."
    assert attended(services, group) == came


def test_a_click_anywhere_on_a_row_ticks_it(qtbot, dialog):
    item = dialog.list.item(2)
    rect = dialog.list.visualItemRect(item)
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.ticked_names() == ["Derek Moss"]
    qtbot.mouseClick(dialog.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.ticked_names() == []


def test_find_matches_the_start_of_words_only(qtbot, dialog):
    type_text(qtbot, dialog.find, "s")
    # Sands, Stone and the sheet's "P. S. (1)"; not Moss, whose "s" is inside the word.
    assert dialog.visible_names() == ["Paul Sands", "Peter Stone"]
    dialog.find.clear()
    type_text(qtbot, dialog.find, "ŵ")
    assert dialog.visible_names() == ["Gareth Ŵyn Jones"]


def test_typing_in_the_list_goes_to_the_find_box(qtbot, dialog):
    dialog.list.setFocus()
    qtbot.keyClicks(dialog.list, "col")
    assert dialog.find.text() == "col"
    assert dialog.visible_names() == ["Colin Fry"]


@pytest.mark.parametrize("typed", ["mb", "MB", "M.B.", "M B", "m. b."])
def test_initials_typed_as_copied_off_paper_find_the_person(qtbot, services, events, group, typed):
    add_person(services, "Mair Bowen", [group.activity])
    add_person(services, "Mbali Ndlovu", [group.activity])  # "mb" also begins her name
    dialog = RegisterDialog(services, events, session_on(services, group.activity, DAY))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.register.lines  # the sheet says "M. B." for Mair Bowen (initials only)
    assert "M. B." in [line.on_sheet_as for line in dialog.register.lines]
    find_and_tick(qtbot, dialog, typed)
    assert dialog.ticked_names() == ["Mair Bowen"]


def test_welsh_initials_are_found_as_printed_and_letter_by_letter(qtbot, services, events, group):
    add_person(services, "Siân Llŷr", [group.activity])
    dialog = RegisterDialog(services, events, session_on(services, group.activity, DAY))
    qtbot.addWidget(dialog)
    dialog.show()
    for typed in ("S. Ll.", "sl"):
        dialog.find.setText(typed)
        assert dialog.visible_names() == ["Siân Llŷr"], typed


def test_a_miss_stays_in_the_find_box_and_the_next_name_replaces_it(qtbot, dialog, boxes):
    find_and_tick(qtbot, dialog, "zz")  # nobody
    assert dialog.find.hasFocus()
    assert dialog.newcomer_name.text() == ""
    assert "Nobody matches “zz”" in dialog.status.text()
    # The next name, typed without looking up, replaces the miss instead of joining it.
    find_and_tick(qtbot, dialog, "P. S. (2)")
    assert dialog.ticked_names() == ["Peter Stone"]
    assert dialog.newcomer_name.text() == ""
    assert boxes.shown == []
    assert all(entry.participant_id for entry, _ in dialog.entries())  # no newcomer


def test_a_newcomer_is_added_only_when_the_user_has_seen_the_name(qtbot, dialog, boxes):
    type_text(qtbot, dialog.newcomer_name, "mbP. H.")
    qtbot.keyClick(dialog.newcomer_name, Qt.Key.Key_Return)  # answered No
    [box] = boxes.of("question")
    assert "“mbP. H.”" in box.text
    assert dialog.ticked_names() == []
    assert dialog.newcomer_name.text() == "mbP. H."  # kept, to correct


def test_a_newcomer_is_added_inline_and_recorded_on_save(qtbot, dialog, services, group, boxes):
    boxes.answer(QMessageBox.StandardButton.Yes)
    type_text(qtbot, dialog.newcomer_name, "Ifan Hughes")
    qtbot.keyClick(dialog.newcomer_name, Qt.Key.Key_Return)
    [box] = boxes.of("question")
    assert "“Ifan Hughes”" in box.text
    assert "Ifan Hughes" in dialog.ticked_names()
    assert dialog.find.hasFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert attended(services, group) == {"Ifan Hughes"}
    assert "Ifan Hughes" in [c.name for c in services.participants.enrolled(group.activity)]
    # Saved, the newcomer is an ordinary line: saving again records nobody twice.
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert [p.name for p in services.participants.list_participants()].count("Ifan Hughes") == 1


def test_a_newcomer_with_a_known_name_offers_the_existing_person(
    qtbot, services, events, group, boxes
):
    # Someone recorded earlier who is not in this group.
    add_person(services, "Ifan Hughes", reference="A1111AA")
    dialog = RegisterDialog(services, events, session_on(services, group.activity, DAY))
    qtbot.addWidget(dialog)
    dialog.show()
    boxes.answer(QMessageBox.StandardButton.Yes)
    type_text(qtbot, dialog.newcomer_name, "ifan hughes")
    qtbot.keyClick(dialog.newcomer_name, Qt.Key.Key_Return)
    [box] = boxes.of("question")
    assert "Ifan Hughes (A1111AA)" in box.text
    assert dialog.ticked_names() == ["Ifan Hughes"]
    dialog.save()
    assert attended(services, group) == {"Ifan Hughes"}
    assert [p.name for p in services.participants.list_participants()].count("Ifan Hughes") == 1


def test_closing_with_unsaved_ticks_asks_first(qtbot, dialog, boxes, services, group):
    find_and_tick(qtbot, dialog, "Colin")
    boxes.answer(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert "not saved" in boxes.of("question")[0].text
    boxes.answer(QMessageBox.StandardButton.Save)
    dialog.reject()
    assert not dialog.isVisible()
    assert attended(services, group) == {"Colin Fry"}


def test_closing_without_changes_does_not_ask(qtbot, dialog, boxes):
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert boxes.shown == []


def test_a_cancelled_session_opens_no_register(qtbot, services, events, group, boxes):
    session = session_on(services, group.activity, DAY)
    services.activities.cancel_session(session, "lockdown")
    parent = QWidget()
    qtbot.addWidget(parent)
    assert open_register(parent, services, events, session) is None
    [box] = boxes.of("warning")
    assert box.title == "No register for this session"
    assert "cancelled (lock-down)" in box.text


def test_a_session_still_to_come_cannot_be_recorded(qtbot, services, events, group):
    day = date.today() + timedelta(days=(1 - date.today().weekday()) % 7 + 7)  # a Tuesday
    [later] = services.activities.sessions_between(day, day, group.activity)
    dialog = RegisterDialog(services, events, later.id)
    qtbot.addWidget(dialog)
    dialog.show()
    find_and_tick(qtbot, dialog, "Colin")
    assert dialog.save() is False
    assert "has not come yet" in dialog.problem.text()
    assert dialog.ticked_names() == ["Colin Fry"]  # nothing typed is lost


def test_people_not_enrolled_are_found_by_typing_the_first_few_at_a_time(
    qtbot, services, events, group
):
    # Ten years bring thousands of people: the register lists its own and finds the others
    # by typing, a screenful at a time, instead of holding a row for everyone (issue 17).
    from collab_desktop.ui.delivery.register_dialog import MAX_FOUND

    others = [f"Morgan Testperson {i:02}" for i in range(MAX_FOUND + 5)]
    for name in others:
        add_person(services, name)
    add_person(services, "Morgan Gone", left_on=DAY - timedelta(days=1))
    dialog = RegisterDialog(services, events, session_on(services, group.activity, DAY))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 6  # the group alone, until something is typed
    type_text(qtbot, dialog.find, "morgan")
    assert dialog.visible_names() == others[:MAX_FOUND]
    assert f"first {MAX_FOUND} of {len(others)} people not enrolled" in dialog.status.text()
    type_text(qtbot, dialog.find, " 34")
    assert dialog.visible_names() == [others[34]]
    assert dialog.status.text() == ""
    qtbot.keyClick(dialog.find, Qt.Key.Key_Return)
    # Ticked, they stay on the list when the search is cleared; the rest of the search goes.
    assert dialog.visible_names() == [*sorted(PEOPLE_OF_GROUP), others[34]]
    assert dialog.list.count() == 7
    # Initials run together find them too, as for the group ("mt" begins M. T. 34's).
    type_text(qtbot, dialog.find, "mt")
    assert dialog.visible_names()[:2] == [others[34], others[0]]
    dialog.find.clear()
    dialog.save()
    assert attended(services, group) == {others[34]}
    type_text(qtbot, dialog.find, "morgan g")
    assert dialog.visible_names() == []  # left before the day


PEOPLE_OF_GROUP = [
    "Alan Barker", "Colin Fry", "Derek Moss", "Gareth Ŵyn Jones", "Paul Sands", "Peter Stone",
]  # fmt: skip
