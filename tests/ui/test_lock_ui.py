"""The lock: after a time without use, on demand and with the session, every window's records
are covered and only the passphrase brings them back, with what was typed in open dialogs
kept. Real widgets, a real key file behind the prompt, clocks moved by hand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMainWindow, QVBoxLayout

from collab_desktop.services.records_key import KeyFile
from collab_desktop.ui.lock import LOCKED_TITLE, LockController

PASSPHRASE = "kettle orbit meadow"
FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
SECRET_NAME = "Gwenllïan ap Rhys"


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Window(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Collab Desktop: Participants")
        self.record = QLineEdit(SECRET_NAME)
        self.record.setObjectName("record")
        self.setCentralWidget(self.record)
        self.statusBar().showMessage(f"Saved {SECRET_NAME}")
        self.resize(800, 500)


class RecordDialog(QDialog):
    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Participant: {SECRET_NAME}")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Notes"))
        self.notes = QLineEdit()
        self.notes.setObjectName("notes")
        layout.addWidget(self.notes)


@pytest.fixture
def setup(qtbot, tmp_path):
    key_file = KeyFile.beside(tmp_path / "collab-desktop.sqlite3", kdf=dict(FAST))
    new = key_file.create(PASSPHRASE)
    window = Window()
    window.recovery_code = new.recovery_code  # what the Recovery sheet would say
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wall, monotonic = Clock(), Clock(50.0)

    def unlock(kind: str, secret: str) -> bytes:
        if kind == "passphrase":
            return key_file.unlock(secret)
        return key_file.unlock_with_recovery_code(secret)

    controller = LockController(window, unlock, wall_clock=wall, monotonic=monotonic)
    yield window, controller, wall, monotonic
    controller.stop()
    controller.prompt.deleteLater()


def _unlock(qtbot, controller, passphrase: str = PASSPHRASE) -> None:
    panel = controller.prompt.panel
    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, passphrase)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)


def _covers(widget) -> list:
    return [c for c in widget.findChildren(QLabel) if "is locked" in c.text() and c.isVisible()]


def test_ctrl_l_covers_the_window_and_the_passphrase_uncovers_it(qtbot, setup):
    window, controller, _, _ = setup
    window.record.setFocus()
    with qtbot.waitSignal(controller.locked, timeout=1000) as locked:
        qtbot.keyClick(window.record, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert locked.args == ["on demand"]
    assert controller.is_locked and controller.prompt.isVisible()
    assert window.windowTitle() == LOCKED_TITLE
    assert _covers(window)
    assert not window.record.isEnabled() and not window.statusBar().isEnabled()
    # Nothing typed reaches the record under the cover.
    qtbot.keyClicks(window.record, "typed while locked")
    assert window.record.text() == SECRET_NAME
    _unlock(qtbot, controller)
    assert not controller.is_locked and not controller.prompt.isVisible()
    assert window.windowTitle() == "Collab Desktop: Participants"
    assert window.record.isEnabled() and window.statusBar().isEnabled()
    qtbot.waitUntil(lambda: not _covers(window), timeout=1000)


def test_a_wrong_passphrase_keeps_it_locked(qtbot, setup):
    window, controller, _, _ = setup
    controller.lock()
    _unlock(qtbot, controller, "not the passphrase")
    assert controller.is_locked and _covers(window)
    assert "does not open" in controller.prompt.panel.errors.label("passphrase").text()


def test_escape_does_not_put_the_prompt_away(qtbot, setup):
    _, controller, _, _ = setup
    controller.lock()
    qtbot.keyClick(controller.prompt.panel.passphrase, Qt.Key.Key_Escape)
    controller.prompt.close()
    assert controller.prompt.isVisible() and controller.is_locked


def test_ten_minutes_without_use_locks(qtbot, setup):
    window, controller, wall, monotonic = setup
    wall.now += 9 * 60
    monotonic.now += 9 * 60
    controller.check_idle()
    assert not controller.is_locked
    # Using the app starts the count again.
    qtbot.keyClick(window.record, Qt.Key.Key_End)
    wall.now += 9 * 60
    monotonic.now += 9 * 60
    controller.check_idle()
    assert not controller.is_locked
    wall.now += 61
    monotonic.now += 61
    with qtbot.waitSignal(controller.locked, timeout=1000) as locked:
        controller.check_idle()
    assert locked.args == ["idle"]
    assert "after 10 minutes without use" in controller.prompt.reason.text()


def test_a_laptop_that_slept_is_locked_on_waking(qtbot, setup):
    # Asleep for an hour: the wall clock moved, the monotonic clock (on Linux) did not.
    _, controller, wall, _ = setup
    wall.now += 3600
    controller._state_changed(Qt.ApplicationState.ApplicationActive)
    assert controller.is_locked


def test_a_clock_put_back_does_not_postpone_the_lock(qtbot, setup):
    _, controller, wall, monotonic = setup
    wall.now -= 3600
    monotonic.now += 10 * 60
    controller.check_idle()
    assert controller.is_locked


def test_the_idle_lock_can_be_turned_off(qtbot, setup):
    _, controller, wall, monotonic = setup
    controller.set_idle_minutes(0)
    wall.now += 10 * 3600
    monotonic.now += 10 * 3600
    controller.check_idle()
    assert not controller.is_locked


def test_an_open_dialog_is_covered_and_keeps_what_was_typed(qtbot, setup):
    window, controller, _, _ = setup
    dialog = RecordDialog(window)
    dialog.open()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.notes, "Came with her sister")
    controller.lock()
    assert dialog.isVisible()  # not closed: its typing lives on
    assert dialog.windowTitle() == LOCKED_TITLE and SECRET_NAME not in dialog.windowTitle()
    assert _covers(dialog) and not dialog.notes.isEnabled()
    qtbot.keyClicks(dialog.notes, " and typed while locked")
    _unlock(qtbot, controller)
    assert dialog.isVisible() and dialog.notes.isEnabled()
    assert dialog.notes.text() == "Came with her sister"
    assert dialog.windowTitle() == f"Participant: {SECRET_NAME}"
    dialog.reject()


def test_a_dialog_in_its_own_event_loop_survives_the_lock(qtbot, setup):
    # The agreement editor runs in exec(): hiding it would end that loop as a cancel and
    # drop the typing, so the lock must leave it open under a cover.
    window, controller, _, _ = setup
    dialog = RecordDialog(window)
    seen: dict[str, object] = {}

    def inside_the_loop() -> None:
        qtbot.keyClicks(dialog.notes, "Unsaved words")
        controller.lock()
        seen["covered"] = bool(_covers(dialog)) and dialog.isVisible()
        _unlock(qtbot, controller)
        seen["text"] = dialog.notes.text()
        dialog.accept()

    QTimer.singleShot(0, inside_the_loop)
    result = dialog.exec()
    assert seen == {"covered": True, "text": "Unsaved words"}
    assert result == QDialog.DialogCode.Accepted


def test_a_window_opened_while_locked_is_covered_too(qtbot, setup):
    window, controller, _, _ = setup
    controller.lock()
    late = RecordDialog(window)
    late.show()
    qtbot.waitUntil(lambda: bool(_covers(late)), timeout=1000)
    assert late.windowTitle() == LOCKED_TITLE
    _unlock(qtbot, controller)
    assert late.windowTitle() == f"Participant: {SECRET_NAME}"
    late.close()


def test_the_recovery_code_unlocks_too(qtbot, setup):
    window, controller, _, _ = setup
    controller.lock()
    panel = controller.prompt.panel
    qtbot.mouseClick(panel.switch, Qt.MouseButton.LeftButton)
    assert panel.code.isVisible()
    qtbot.keyClicks(panel.code, "0" * 40)  # well-formed? no: the check characters fail
    qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.busy, timeout=5000)
    assert controller.is_locked
    assert "typing mistake" in panel.errors.label("recovery_code").text()
    panel.code.clear()
    qtbot.keyClicks(panel.code, window.recovery_code)
    with qtbot.waitSignal(controller.unlocked, timeout=5000):
        qtbot.keyClick(panel.code, Qt.Key.Key_Return)
    assert not controller.is_locked
    # The next lock asks for the passphrase again, with nothing left in the fields.
    controller.lock()
    assert panel.passphrase.isVisible() and panel.code.text() == ""


def test_no_shortcut_of_the_app_works_while_locked(qtbot, setup):
    # An application-wide shortcut (as Ctrl+L itself is) would otherwise reach an action
    # of a covered window from the prompt, e.g. opening a new record's dialog.
    from PySide6.QtGui import QAction, QKeySequence

    window, controller, _, _ = setup
    fired = []
    action = QAction("New", window)
    action.setShortcut(QKeySequence("Ctrl+N"))
    action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
    action.triggered.connect(lambda: fired.append("new"))
    window.addAction(action)
    qtbot.keyClick(window.record, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["new"]  # the shortcut works when unlocked
    controller.lock()
    qtbot.keyClick(controller.prompt.panel.passphrase, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier)  # fmt: skip
    assert fired == ["new"]
    # Typing in the prompt itself still works.
    qtbot.keyClicks(controller.prompt.panel.passphrase, "abc")
    assert controller.prompt.panel.passphrase.text() == "abc"


def test_a_widget_added_while_locked_stays_under_the_cover(qtbot, setup):
    window, controller, _, _ = setup
    controller.lock()
    late = QLabel(f"Next session: {SECRET_NAME}", window)
    late.setGeometry(10, 40, 300, 30)
    late.show()
    centre = late.geometry().center()

    def covered() -> bool:
        on_top = window.childAt(centre)
        return (
            on_top is not None
            and on_top is not late
            and (
                on_top.objectName() == "lock_cover" or on_top.parent().objectName() == "lock_cover"
            )
        )

    qtbot.waitUntil(covered, timeout=1000)


def test_the_session_lock_says_why(qtbot, setup):
    from collab_desktop.ui.session_lock import SessionLockWatcher

    _, controller, _, _ = setup
    watcher = SessionLockWatcher()
    watcher.session_locked.connect(lambda: controller.lock("session"))
    watcher.session_locked.emit()  # as the desktop's D-Bus signal makes it do
    assert controller.is_locked
    assert "session was locked" in controller.prompt.reason.text()


def test_stopped_it_no_longer_locks(qtbot, setup):
    from PySide6.QtWidgets import QApplication

    _, controller, wall, monotonic = setup
    controller.stop()
    wall.now += 3600
    monotonic.now += 3600
    assert not controller._timer.isActive()
    # The app coming back to the front (as after sleep) no longer reaches it.
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert not controller.is_locked


def test_a_window_that_goes_while_locked_does_not_stop_the_unlock(qtbot, setup):
    # E.g. a message box closed by the background work that opened it.
    window, controller, _, _ = setup
    dialog = RecordDialog(window)
    dialog.show()
    controller.lock()
    assert dialog.windowTitle() == LOCKED_TITLE
    dialog.deleteLater()
    qtbot.waitUntil(lambda: dialog not in controller._covered, timeout=1000)
    _unlock(qtbot, controller)
    assert not controller.is_locked
    assert window.windowTitle() == "Collab Desktop: Participants"
