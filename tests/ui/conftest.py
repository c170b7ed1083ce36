"""Fixtures for widget tests: data events, and message boxes that never block.

Every QMessageBox static method is replaced for every UI test: a test that does not expect a
box and gets one sees it recorded (and answered No), instead of hanging on a modal dialog.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from collab_desktop.ui import print_jobs
from collab_desktop.ui.events import DataEvents
from tests.ui.printing import FakeQueues

# The offscreen platform cannot pass a window's minimum size on to a window system (there is
# none) and says so with a warning whenever a shown window's layout changes its minimum size,
# e.g. when an error message appears under a field. Real platforms implement it; only this one
# message is let through qt_log_level_fail = WARNING.
OFFSCREEN_SIZE_HINTS = "This plugin does not support propagateSizeHints"
# Nor can it raise a window above others (the lock's prompt does: ui/lock.py).
OFFSCREEN_RAISE = "This plugin does not support raise"


def pytest_collection_modifyitems(items) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, OFFSCREEN_RAISE))


@dataclass
class Box:
    kind: str  # question, warning, information, critical
    title: str
    text: str


@dataclass
class MessageBoxes:
    """What was shown, and the answers to give to questions, in order (then `default`)."""

    shown: list[Box] = field(default_factory=list)
    answers: list[QMessageBox.StandardButton] = field(default_factory=list)
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.No

    def of(self, kind: str) -> list[Box]:
        return [box for box in self.shown if box.kind == kind]

    def answer(self, *answers: QMessageBox.StandardButton) -> None:
        self.answers.extend(answers)


@pytest.fixture(autouse=True)
def boxes(monkeypatch) -> MessageBoxes:
    recorded = MessageBoxes()

    def fake(kind: str):
        def show(parent, title, text, *args, **kwargs):
            recorded.shown.append(Box(kind, title, text))
            if kind != "question":
                return QMessageBox.StandardButton.Ok
            return recorded.answers.pop(0) if recorded.answers else recorded.default

        return staticmethod(show)

    for kind in ("question", "warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, fake(kind))
    return recorded


@pytest.fixture(autouse=True)
def print_queues(monkeypatch) -> FakeQueues:
    """No UI test reaches a real printer or print service (see tests/ui/printing.py)."""
    queues = FakeQueues()
    monkeypatch.setattr(print_jobs, "system", queues)
    monkeypatch.setattr(print_jobs, "JOB_WAIT", 0)
    return queues


@pytest.fixture
def events(qapp) -> DataEvents:
    return DataEvents()


@pytest.fixture(autouse=True)
def settings(tmp_path, qapp):
    """QSettings (remembered user name, last PDF folder) kept in the test's own folder, never
    the real ~/.config."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture(autouse=True)
def plain_new_records(monkeypatch):
    """The welcome's passphrase step answered "no passphrase" for tests that are about
    something else (tests/ui/test_encryption_ui.py answers it with a passphrase)."""
    from collab_desktop.ui.welcome import WelcomeDialog

    monkeypatch.setattr(WelcomeDialog, "ask_passphrase", lambda dialog: (True, None))
    # Plain records at start: encrypting them is declined ("Remind me later").
    from collab_desktop.ui import convert_records
    monkeypatch.setattr(convert_records, "offer_at_start", lambda *args: None)


@pytest.fixture(scope="session", autouse=True)
def _none_guard(qapp):
    """The app arms ui/none_guard.py at start (PySide6 6.12.0's reference leak); so does the
    suite, or a worker running many widget tests dies with "none_dealloc"."""
    from collab_desktop.ui.none_guard import guard_none

    guard_none(qapp)


@pytest.fixture(autouse=True)
def _event_loops_run_again(qapp):
    """After a test that ended the app (QApplication.exit, as declining a rescue does) with
    no app.exec() running, Qt keeps its "quit now" flag and every later event loop, qtbot's
    waits included, returns at once without running anything: the next test that waits for
    something then times out (seen in some orders of the suite). Run the app's loop once
    briefly if so: starting it clears the flag."""
    yield
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    ran: list[bool] = []
    loop = QEventLoop()
    QTimer.singleShot(0, lambda: (ran.append(True), loop.quit()))
    QTimer.singleShot(100, loop.quit)
    loop.exec()
    if not ran:
        QTimer.singleShot(0, QCoreApplication.quit)
        QCoreApplication.exec()  # the class's own: a test may have replaced QApplication.exec
