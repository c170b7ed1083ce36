"""Enter saves, also after a click on Save that showed a validation error: the default button
survives the focus moving from Save to the field in error. (Made default before it was inside
its dialog, Qt never learned it was the dialog's main default, and lost it for good.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton

from collab_desktop.ui.partner_dialog import PartnerDialog
from tests.ui.test_accessibility_ui import dialogs, example  # noqa: F401 - fixtures
from tests.ui.widgets import type_text


def test_enter_saves_after_a_click_on_save_showed_an_error(qtbot, services, events):
    dialog = PartnerDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # no name yet
    assert dialog.isVisible()
    assert dialog.name.hasFocus()
    assert dialog.save_button.isDefault()
    type_text(qtbot, dialog.name, "Lobster Pot Trust")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [p.name for p in services.partners.list_partners()] == ["Lobster Pot Trust"]


def test_every_dialog_keeps_its_default_button_when_the_focus_moves(qtbot, dialogs):  # noqa: F811
    lost = []
    for name, dialog in dialogs.items():
        dialog.show()
        with qtbot.waitActive(dialog):
            dialog.activateWindow()
        buttons = [b for b in dialog.findChildren(QPushButton) if b.window() is dialog]
        default = [b for b in buttons if b.isDefault()]
        field = next((f for f in dialog.findChildren(QLineEdit) if f.isVisible()), None)
        if len(default) != 1 or field is None:
            dialog.hide()
            continue
        # As a click does: the focus on the default button, then (an error) on a field.
        default[0].setFocus(Qt.FocusReason.MouseFocusReason)
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        if not default[0].isDefault():
            lost.append(f"{name}: {default[0].text()!r}")
        dialog.hide()
    assert not lost, "\n".join(lost)
