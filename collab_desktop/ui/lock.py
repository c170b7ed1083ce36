"""Locked when away: after a time without use (10 minutes unless chosen), on demand (Ctrl+L)
and when the operating system's session locks (ui/session_lock.py), every window of the app
hides its records behind a cover and one prompt asks for the passphrase.

Why covers, not hiding: the agreement editor (and any message box) runs in its own event
loop (QDialog.exec), and hiding such a dialog ends that loop as if it had been cancelled,
dropping what was typed. A cover is a child widget laid over the whole window, with the
window's other children disabled (so nothing under it can take focus or input) and its
title replaced; the dialog stays open underneath, with its typing kept in memory only. The
prompt is a window of its own, application-modal and newest, so it takes input even above
a modal dialog, and Qt blocks every other window's input and shortcuts while it is shown
(tests/ui/test_lock_ui.py checks an application-wide shortcut); it cannot be closed while
the app is locked.

Idle time is measured on the wall clock as well as the monotonic one, and the larger counts:
a laptop that slept for an hour has been away an hour (the monotonic clock may not count
sleep), and a wall clock put back does not postpone the lock (the monotonic one still runs).
The check runs every 15 seconds and at once when the app becomes active again, so a laptop
woken from sleep is locked before anyone sees a record.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.unlock_delay import FailureDelay
from collab_desktop.ui.passphrase_dialog import UnlockPanel

__all__ = ["DEFAULT_IDLE_MINUTES", "LockController", "LockPrompt"]

DEFAULT_IDLE_MINUTES = 10
LOCKED_TITLE = "Collab Desktop (locked)"

_E = QEvent.Type
# What counts as someone using the app (a mouse moved over it counts: they are there).
_ACTIVITY = {_E.KeyPress, _E.MouseButtonPress, _E.MouseMove, _E.Wheel, _E.TouchBegin}


class _Cover(QWidget):
    """Laid over one window while locked: the window's own content is out of sight."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        label = QLabel("Collab Desktop is locked.\nType the passphrase to see the records again.")
        # At the top: the prompt usually sits over the middle of the window.
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout.setContentsMargins(24, 48, 24, 24)
        label.setWordWrap(True)
        # Dark whatever the window's state: Qt draws a window that a modal one blocks in its
        # greyed-out colours, which made these words hard to read.
        label.setStyleSheet("color: #222222; font-size: 12pt;")
        layout.addWidget(label)
        self.setGeometry(window.rect())


class LockPrompt(QDialog):
    """The one window that takes input while locked: the passphrase, or the recovery code."""

    def __init__(self, unlock: Callable[[str, str], Any], delay: FailureDelay | None) -> None:
        super().__init__(None)
        self.setObjectName("lock_prompt")
        self.setWindowTitle(LOCKED_TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        layout = QVBoxLayout(self)
        title = QLabel("<b>Collab Desktop is locked</b>")
        layout.addWidget(title)
        self.reason = QLabel()
        self.reason.setObjectName("lock_reason")
        self.reason.setWordWrap(True)
        layout.addWidget(self.reason)
        self.panel = UnlockPanel(unlock, delay, self)
        layout.addWidget(self.panel)
        layout.addStretch(1)  # room the window gains goes below, not between the lines
        self.setMinimumWidth(520)
        self.may_close = False

    def reject(self) -> None:
        # Escape must not put the prompt away while the records are locked: there would be
        # no way left to unlock them.
        if self.may_close:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.may_close:
            event.accept()
        else:
            event.ignore()


class LockController(QObject):
    """Locks and unlocks the app's windows. `unlock(kind, secret)` checks a passphrase or a
    recovery code (raising a ServiceError when wrong) and is given by the app, which knows
    the key file. Give the clocks to test without waiting."""

    locked = Signal(str)  # why: "idle", "on demand", "session"
    unlocked = Signal()

    def __init__(
        self,
        window: QWidget,
        unlock: Callable[[str, str], Any],
        idle_minutes: float = DEFAULT_IDLE_MINUTES,
        wall_clock: Callable[[], float] = time.time,
        monotonic: Callable[[], float] = time.monotonic,
        check_every_ms: int = 15_000,
        delay: FailureDelay | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._wall_clock = wall_clock
        self._monotonic = monotonic
        self.idle_seconds = idle_minutes * 60
        self.is_locked = False
        self.reason = ""
        self._covered: dict[QWidget, tuple[_Cover, str, list[QWidget], QWidget | None]] = {}
        self.prompt = LockPrompt(unlock, delay)
        self.prompt.panel.unlocked.connect(self._unlocked)
        self.note_activity()

        self.action = QAction("&Lock now", window)
        self.action.setObjectName("action_lock")
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.setStatusTip("Hide the records until the passphrase is typed again")
        self.action.triggered.connect(lambda: self.lock("on demand"))
        window.addAction(self.action)

        self._timer = QTimer(self)
        self._timer.setInterval(check_every_ms)
        self._timer.timeout.connect(self.check_idle)
        self._timer.start()
        app = QApplication.instance()
        app.installEventFilter(self)
        app.applicationStateChanged.connect(self._state_changed)

    def stop(self) -> None:
        """Stop watching (the window is closing): no more idle checks, no event filter."""
        if not self._timer.isActive():
            return
        self._timer.stop()
        app = QApplication.instance()
        app.removeEventFilter(self)
        app.applicationStateChanged.disconnect(self._state_changed)
        self.prompt.may_close = True
        self.prompt.close()

    # -- idle time ----------------------------------------------------------------------

    def set_idle_minutes(self, minutes: float) -> None:
        """0 turns the idle lock off (lock on demand and with the session only)."""
        self.idle_seconds = minutes * 60

    def note_activity(self) -> None:
        self._last_wall = self._wall_clock()
        self._last_monotonic = self._monotonic()

    def idle_for(self) -> float:
        return max(self._wall_clock() - self._last_wall, self._monotonic() - self._last_monotonic)

    def check_idle(self) -> None:
        if not self.is_locked and self.idle_seconds > 0 and self.idle_for() >= self.idle_seconds:
            self.lock("idle")

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive:
            self.check_idle()

    # -- locking ------------------------------------------------------------------------

    def lock(self, reason: str = "on demand") -> None:
        if self.is_locked:
            return
        self.is_locked = True
        self.reason = reason
        QToolTip.hideText()
        for _ in range(10):  # an open menu or a combo box's list (menus nest, so a few)
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        for top in QApplication.topLevelWidgets():
            if top.isVisible() and top is not self.prompt:
                self._cover(top)
        minutes = round(self.idle_seconds / 60)
        self.prompt.reason.setText(
            {
                "idle": f"It was locked after {minutes} minutes without use.",
                "session": "It was locked when this computer's session was locked.",
            }.get(reason, "It was locked on request.")
            + " The records are hidden until the passphrase (or the recovery code) is typed."
        )
        self.prompt.panel.reset()
        self.prompt.may_close = False
        self.prompt.show()
        self.prompt.raise_()
        self.prompt.activateWindow()
        self.prompt.panel.field().setFocus()
        self.locked.emit(reason)

    def _cover(self, top: QWidget) -> None:
        if top in self._covered:
            return
        focus = top.focusWidget()
        disabled = []
        for child in top.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child.isWindow() or not child.isEnabled():
                continue
            child.setEnabled(False)
            disabled.append(child)
        cover = _Cover(top)
        cover.show()
        cover.raise_()
        self._covered[top] = (cover, top.windowTitle(), disabled, focus)
        top.setWindowTitle(LOCKED_TITLE)
        top.installEventFilter(self)
        # A window may go while locked (a message box closed by the work that opened it, a
        # dialog deleted later): forget it then, or unlocking would touch a deleted object.
        top.destroyed.connect(lambda _obj=None, gone=top: self._covered.pop(gone, None))

    def _unlocked(self, _result: object) -> None:
        self.is_locked = False
        self.prompt.may_close = True
        self.prompt.hide()
        for top, (cover, title, disabled, focus) in list(self._covered.items()):
            if not shiboken6.isValid(top):
                continue
            top.removeEventFilter(self)
            cover.hide()
            cover.deleteLater()
            for child in disabled:
                if shiboken6.isValid(child):
                    child.setEnabled(True)
            if top.windowTitle() == LOCKED_TITLE:
                top.setWindowTitle(title)
            if focus is not None and shiboken6.isValid(focus):
                focus.setFocus()
        self._covered.clear()
        self.note_activity()
        self.unlocked.emit()

    # -- events -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.is_locked:
            if kind in _ACTIVITY:
                self.note_activity()
            return False
        if obj in self._covered:
            entry = self._covered[obj]
            if kind == _E.Resize:
                entry[0].setGeometry(obj.rect())
            elif kind == _E.ChildAdded:
                # A widget added while locked (a page built late) stacks above the cover.
                QTimer.singleShot(0, entry[0].raise_)
        # A window opened while locked (a message from background work) is covered too.
        if (
            kind == _E.Show
            and isinstance(obj, QWidget)
            and obj.isWindow()
            and obj is not self.prompt
            and obj.isVisible()
        ):
            QTimer.singleShot(0, lambda w=obj: self._cover_late(w))
        return False

    def _cover_late(self, window: QWidget) -> None:
        if self.is_locked and window.isVisible() and window is not self.prompt:
            self._cover(window)
            self.prompt.raise_()
            self.prompt.activateWindow()
