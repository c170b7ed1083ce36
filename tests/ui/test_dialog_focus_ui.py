"""Closing a dialog gives the keyboard back to the main window, also after an "Unsaved
changes" question: its shortcuts work at once, without a click on it first.

(Run after test_startup_check_ui's "declining" test, the offscreen platform no longer
activates a new dialog at all, so these would fail for that reason alone; this file's name
puts it before that one. Seen on 1 December 2026; the cause is not known yet.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from collab_desktop.services.demo import load_demo
from collab_desktop.ui.main_window import PAGES
from tests.ui.test_main_window_ui import make_window
from tests.ui.widgets import type_text

CTRL = Qt.KeyboardModifier.ControlModifier


def test_after_discarding_changes_the_main_window_takes_the_keys_again(
    qtbot, services, tmp_path, boxes
):
    load_demo(services)
    window = make_window(qtbot, services, tmp_path)
    window.nav.setCurrentRow(PAGES.index("Partners"))
    page = window.partners_page
    page.table.selectRow(0)
    page.edit_button.click()
    dialog = page.dialog
    dialog.activateWindow()  # as a window manager gives a new dialog the keyboard
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    type_text(qtbot, dialog.name, " (changed)")
    boxes.answer(QMessageBox.StandardButton.Yes)  # "…Discard it and close?"
    qtbot.keyClick(dialog.name, Qt.Key.Key_Escape)
    assert [b.title for b in boxes.shown] == ["Unsaved changes"]
    assert page.dialog is None
    # Activation goes through the window system: wait for it (not for a time).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=1000)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2, CTRL)
    assert window.stack.currentWidget() is window.collaborations_page


def test_after_the_register_closes_the_main_window_takes_the_keys_again(
    qtbot, services, tmp_path, boxes
):
    load_demo(services)
    window = make_window(qtbot, services, tmp_path)
    home = window.home_page
    home.table.selectRow(0)  # this week's (weekly) session, whichever day the test runs
    home.open_register()
    register = home.register_dialog
    register.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is register)
    register.list.item(0).setCheckState(Qt.CheckState.Checked)
    boxes.answer(QMessageBox.StandardButton.Discard)
    qtbot.keyClick(register.find, Qt.Key.Key_Escape)
    assert not register.isVisible()
    # Activation goes through the window system: wait for it (not for a time).
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=1000)
