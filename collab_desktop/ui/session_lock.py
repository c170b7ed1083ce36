"""Telling when the operating system's session locks, so the app locks too.

Qt has no signal for it: QGuiApplication.applicationStateChanged says only whether the app
has the focus (Active / Inactive) on desktop systems (Suspended is for phones). What each
system offers instead:

- Linux: D-Bus, which Qt does speak (QtDBus, in PySide6-Essentials). systemd-logind sends
  `Lock` on the session's object (org.freedesktop.login1.Session, system bus) when the
  session is locked (`loginctl lock-session`, most desktops' lock screens), and screen
  savers send `ActiveChanged(true)` on the session bus (org.freedesktop.ScreenSaver: KDE,
  Xfce and others; org.gnome.ScreenSaver; org.mate.ScreenSaver). Listened to here.
- Windows: the WM_WTSSESSION_CHANGE message (WTS_SESSION_LOCK) after
  WTSRegisterSessionNotification on the window's handle, read with a
  QAbstractNativeEventFilter. Not done here: it cannot be tried on this machine.
- macOS: the distributed notification "com.apple.screenIsLocked", which Qt does not pass
  on (it would take PyObjC). Not done.

Everywhere, the idle lock on the wall clock (ui/lock.py) still locks a laptop that slept.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import SLOT, QObject, Signal, Slot

log = logging.getLogger("collab_desktop")

__all__ = ["SCREEN_SAVERS", "SessionLockWatcher"]

# (object path, interface) of the screen savers' ActiveChanged(bool) signal.
SCREEN_SAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE also sends it here
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
    ("/org/mate/ScreenSaver", "org.mate.ScreenSaver"),
)
LOGIN1_SESSION = "org.freedesktop.login1.Session"


class SessionLockWatcher(QObject):
    """Emits `session_locked` when the desktop session locks (see the module's note).
    Connect it to LockController.lock. The buses are given in tests; by default the
    session's and the system's."""

    session_locked = Signal()

    def __init__(self, parent: QObject | None = None, session_bus=None, system_bus=None) -> None:
        super().__init__(parent)
        self._session_bus = session_bus
        self._system_bus = system_bus
        self.sources: list[str] = []

    def start(self) -> list[str]:
        """Listen where this system can tell; returns what is listened to (empty where
        nothing can be, e.g. Windows and macOS today, or no D-Bus)."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:  # a build of Qt without D-Bus
            return []
        session = self._session_bus or QDBusConnection.sessionBus()
        system = self._system_bus or QDBusConnection.systemBus()
        if session.isConnected():
            for path, interface in SCREEN_SAVERS:
                if session.connect(
                    "", path, interface, "ActiveChanged", self, SLOT("_screen_saver(bool)")
                ):
                    self.sources.append(interface + " " + path)
        if system.isConnected() and system.connect(
            # Any session's object path: the app's own is not known for certain (and a lock
            # too many is safe; one too few is not).
            "",
            "",
            LOGIN1_SESSION,
            "Lock",
            self,
            SLOT("_login1_lock()"),
        ):
            self.sources.append(LOGIN1_SESSION)
        log.info("Session lock is watched through: %s", ", ".join(self.sources) or "nothing")
        return list(self.sources)

    @Slot(bool)
    def _screen_saver(self, active: bool) -> None:
        if active:
            self.session_locked.emit()

    @Slot()
    def _login1_lock(self) -> None:
        self.session_locked.emit()
