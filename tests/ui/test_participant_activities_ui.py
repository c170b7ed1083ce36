"""A participant's activities, ticked in their dialog as a person does it: the list of every
activity is one model over the choices read (ui/choice_model.TickModel), not an item made in
Python for each (issue 17: opening the dialog grew with the activities there are)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtTest import QTest

from collab_desktop.ui.choice_model import TickModel
from collab_desktop.ui.delivery.participants_page import ParticipantDialog
from tests.delivery_builders import needlework_activity, needlework_group


def _row(dialog: ParticipantDialog, starting: str) -> int:
    model = dialog.activities
    return next(r for r in range(model.rowCount()) if model.text_of(r).startswith(starting))


def test_ticked_by_keyboard_and_mouse_saved_and_shown_again(qtbot, services, events):
    group = needlework_group(services)
    other = needlework_activity(services, group.case, name="Art for all")
    dialog = ParticipantDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog.activity_ids.model(), TickModel)
    assert dialog.activities.rowCount() == len(services.participants.activity_choices())
    dialog.display_name.setText("Ann Example")

    # The keyboard: to the list, on to the row, Space ticks it.
    view = dialog.activity_ids
    view.setFocus()
    art = dialog.activities.index(_row(dialog, "Art for all"))
    view.selectionModel().setCurrentIndex(art, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert art.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # The mouse: a click on the other row's box ticks it too.
    needle = dialog.activities.index(_row(dialog, "Needlework"))
    box = view.visualRect(needle)
    QTest.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=box.topLeft() + _box_offset(view)
    )
    assert dialog.ticked() == [
        dialog.activities.index(r).data(Qt.ItemDataRole.UserRole)
        for r in sorted((art.row(), needle.row()))
    ]
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    saved = services.participants.get_participant(dialog.saved_id)
    assert set(saved.activity_ids) == {other, group.activity}

    # Opened again: both shown ticked; untick one with Space, save, and it is gone.
    again = ParticipantDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    again.show()
    assert set(again.ticked()) == {other, group.activity}
    art = again.activities.index(_row(again, "Art for all"))
    again.activity_ids.setFocus()
    again.activity_ids.selectionModel().setCurrentIndex(
        art, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    QTest.keyClick(again.activity_ids, Qt.Key.Key_Space)
    again.save()
    assert services.participants.get_participant(dialog.saved_id).activity_ids == [group.activity]


def _box_offset(view):
    # The check box sits at the start of the line, a few pixels in and halfway down.
    from PySide6.QtCore import QPoint

    return QPoint(8, view.sizeHintForRow(0) // 2)


def test_ticking_values_not_among_the_choices_ticks_nothing(qtbot):
    model = TickModel([(1, "one"), (2, "two")])
    model.tick({2, 3})
    assert model.ticked() == [2]
    assert model.index(1).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.setData(
        model.index(1), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert model.ticked() == []


# -- finished activities: not listed unless asked for, or the person's own -----------------

FINISHED = date(2026, 2, 24)  # before today (the dialog lists by the real date)


def _texts(dialog: ParticipantDialog) -> list[str]:
    return [dialog.activities.text_of(r) for r in range(dialog.activities.rowCount())]


def test_finished_activities_are_listed_only_when_asked_for(qtbot, services, events):
    group = needlework_group(services)
    needlework_activity(services, group.case, name="Old choir", ends_on=FINISHED)
    dialog = ParticipantDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not any(t.startswith("Old choir") for t in _texts(dialog))
    assert any(t.startswith("Needlework") for t in _texts(dialog))
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.keyClick(dialog.display_name, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.show_finished.isChecked)  # (a mnemonic clicks after a moment)
    assert any(t.startswith("Old choir") for t in _texts(dialog))
    assert dialog.activities.rowCount() == len(services.participants.activity_choices())


def test_a_finished_activity_ticked_stays_listed_and_is_saved(qtbot, services, events):
    group = needlework_group(services)
    old = needlework_activity(services, group.case, name="Old choir", ends_on=FINISHED)
    dialog = ParticipantDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.display_name.setText("Ann Example")
    dialog.show_finished.setChecked(True)
    dialog.activities.setData(
        dialog.activities.index(_row(dialog, "Old choir")), Qt.CheckState.Checked,
        Qt.ItemDataRole.CheckStateRole,
    )  # fmt: skip
    dialog.show_finished.setChecked(False)  # hidden again: not the one ticked
    assert any(t.startswith("Old choir") for t in _texts(dialog))
    assert dialog.ticked() == [old]
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    assert services.participants.get_participant(dialog.saved_id).activity_ids == [old]

    # Opened again: their finished activity listed and ticked, and kept on saving.
    again = ParticipantDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    again.show()
    assert again.ticked() == [old] and not again.show_finished.isChecked()
    again.notes.setPlainText("Moved to the evening group")
    again.save()
    assert services.participants.get_participant(dialog.saved_id).activity_ids == [old]


def test_the_record_offered_instead_brings_its_finished_activities_ticked(
    qtbot, services, events
):
    # "Someone already recorded?" Yes: that person's record is loaded into the dialog, and
    # their finished activity must be listed and ticked, or saving would end it unseen.
    group = needlework_group(services)
    old = needlework_activity(services, group.case, name="Old choir", ends_on=FINISHED)
    dialog = ParticipantDialog(services, events)
    qtbot.addWidget(dialog)
    assert old not in dialog.activities.values()
    dialog.tick_activities({old, group.activity})
    assert set(dialog.ticked()) == {old, group.activity}
