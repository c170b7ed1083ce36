"""The session lock watcher over a private D-Bus daemon: the signals a Linux desktop sends
when its session locks reach the app, and the lock follows."""

from __future__ import annotations

import shutil
import subprocess
import uuid

import pytest
from PySide6.QtDBus import QDBusConnection, QDBusMessage

from collab_desktop.ui.session_lock import LOGIN1_SESSION, SessionLockWatcher

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="no dbus-daemon")


@pytest.fixture
def bus(qapp):
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--print-address=1", "--nofork"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    address = daemon.stdout.readline().strip()
    # Names of their own: Qt hands back an existing connection of the same name, which
    # would be the previous test's, to a daemon that has gone.
    names = [f"collab-test-{role}-{uuid.uuid4().hex}" for role in ("listen", "send")]
    listen, send = (QDBusConnection.connectToBus(address, name) for name in names)
    assert listen.isConnected() and send.isConnected()
    yield listen, send
    for name in names:
        QDBusConnection.disconnectFromBus(name)
    daemon.terminate()
    daemon.wait(10)


def _start(watcher: SessionLockWatcher, listen) -> list[str]:
    sources = watcher.start()
    # Qt asks the daemon for the signals without waiting for its answer; one call that does
    # wait comes back only after the daemon has dealt with those requests.
    listen.interface().isServiceRegistered("org.freedesktop.DBus")
    return sources


def _signal(send, path: str, interface: str, name: str, *arguments: object) -> None:
    message = QDBusMessage.createSignal(path, interface, name)
    if arguments:
        message.setArguments(list(arguments))
    assert send.send(message)


def test_every_source_is_listened_to(bus):
    listen, _ = bus
    watcher = SessionLockWatcher(session_bus=listen, system_bus=listen)
    sources = _start(watcher, listen)
    assert LOGIN1_SESSION in sources
    assert "org.gnome.ScreenSaver /org/gnome/ScreenSaver" in sources
    assert len(sources) == 5


def test_logind_locking_the_session_locks_the_app(qtbot, bus):
    listen, send = bus
    watcher = SessionLockWatcher(session_bus=listen, system_bus=listen)
    _start(watcher, listen)
    with qtbot.waitSignal(watcher.session_locked, timeout=3000):
        _signal(send, "/org/freedesktop/login1/session/_32", LOGIN1_SESSION, "Lock")


def test_a_screen_saver_starting_locks_and_stopping_does_not(qtbot, bus):
    listen, send = bus
    watcher = SessionLockWatcher(session_bus=listen, system_bus=listen)
    _start(watcher, listen)
    seen = []
    watcher.session_locked.connect(lambda: seen.append("locked"))
    _signal(send, "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "ActiveChanged", False)
    with qtbot.waitSignal(watcher.session_locked, timeout=3000):
        _signal(send, "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
                "ActiveChanged", True)  # fmt: skip
    assert seen == ["locked"]  # the False before it did nothing


def test_no_bus_means_no_sources_and_no_error(qapp):
    missing = QDBusConnection.connectToBus("unix:path=/nonexistent/bus", "collab-test-none")
    try:
        assert SessionLockWatcher(session_bus=missing, system_bus=missing).start() == []
    finally:
        QDBusConnection.disconnectFromBus("collab-test-none")
