"""Damage and restores as the user meets them in the running app: one dialog, never a crash,
nothing replaced by a file that fails the restore check, and what a killed copy left behind
cleared at the next start."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from collab_desktop import app
from collab_desktop.config import DATABASE_NAME
from collab_desktop.services.backups import BackupError, BackupService
from collab_desktop.services.open_records import open_services
from collab_desktop.ui.main_window import MainWindow
from tests.builders import add_partner
from tests.damage import flip_name, flip_page_header
from tests.ui.test_app import welcome  # noqa: F401 - a fixture

Yes = QMessageBox.StandardButton.Yes


def _records_with_a_backup(data: Path) -> Path:
    from collab_desktop.self_test import run_self_test

    assert (
        run_self_test(data, encrypt=False) == 0
    )  # plain records with this week's session on the first page
    db = data / DATABASE_NAME
    BackupService(db, data / "backups").backup_now("close")
    return db


def _run_until(monkeypatch, qtbot, condition):
    """app.main's event loop runs until `condition(window)`, then the window closes."""
    seen = {}

    def fake_exec() -> int:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        seen["window"] = window
        qtbot.waitUntil(lambda: bool(condition(window)), timeout=15_000)
        qtbot.wait(300)  # anything else that was going to be shown, is
        seen["services"] = window.services
        if window.services is not None:
            seen["partners"] = [r.name for r in window.services.partners.list_partners()]
        window.close()
        return 0 if window.services is not None else 1

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    return seen


def test_a_damaged_page_header_gives_one_dialog_and_opens_the_restored_records(
    monkeypatch, qtbot, tmp_path, boxes
):
    data = tmp_path / "data"
    db = _records_with_a_backup(data)
    opened = open_services(db)
    partners = sorted(r.name for r in opened.partners.list_partners())
    opened.close()
    flip_page_header(db, "activity_session")  # the first page reads this week's sessions
    boxes.answer(Yes)
    seen = _run_until(
        monkeypatch,
        qtbot,
        lambda w: boxes.of("question") and w.services is not None and w.services.lock.held,
    )
    assert app.main(["--data-dir", str(data)]) == 0
    assert len(boxes.shown) == 1, [b.title for b in boxes.shown]
    [question] = boxes.shown
    assert question.title == "Your records are damaged"
    assert sorted(seen["partners"]) == partners, "the app is open on the restored records"
    assert list(data.glob("collab-desktop-damaged-*.sqlite3")), "the damaged file is kept"


def test_index_damage_is_found_while_the_app_runs_and_says_what_would_be_lost(
    monkeypatch, qtbot, tmp_path, boxes
):
    data = tmp_path / "data"
    db = _records_with_a_backup(data)
    opened = open_services(db)
    add_partner(opened, "Recorded After The Backup Trust")
    opened.close()
    flip_name(db, "participant", "Peter Stone")
    boxes.answer(Yes)
    _run_until(
        monkeypatch,
        qtbot,
        lambda w: boxes.of("question") and w.services is not None and w.services.lock.held,
    )
    assert app.main(["--data-dir", str(data)]) == 0
    [question] = boxes.shown
    assert "damaged" in question.text and "Restore the newest good backup" in question.text
    assert "1 partners more" in question.text or "1 partner" in question.text


def test_a_foreign_file_is_refused_by_the_backups_page_and_the_records_stay_open(
    qtbot, tmp_path, boxes
):
    import sqlite3

    db = tmp_path / "data" / DATABASE_NAME
    services = open_services(db)
    add_partner(services, "Kept Trust")
    foreign = tmp_path / "places.sqlite3"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.commit()
    connection.close()
    before = db.read_bytes()
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    boxes.answer(Yes)
    window.restore_backup(foreign)
    [refused] = boxes.of("warning")
    assert "not a Collab Desktop backup" in refused.text and "Nothing" in refused.text
    assert window.services is services, "the records stay open"
    assert "Restored" not in window.statusBar().currentMessage()
    assert db.read_bytes() == before
    services.close()


def test_a_refused_restore_after_the_check_does_not_say_restored(
    qtbot, tmp_path, boxes, monkeypatch
):
    from collab_desktop.ui import opening

    services = open_services(tmp_path / "data" / DATABASE_NAME)
    add_partner(services, "Kept Trust")
    backup = services.backups.backup_now("manual")
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    window.attach(services)

    def refused(*_args, **_kwargs) -> None:
        raise BackupError("The disk is full.")

    monkeypatch.setattr(opening, "restore_file", refused)
    window.restore_backup(backup.path)
    assert window.services is not None
    assert "Restored" not in window.statusBar().currentMessage()
    window.services.close()


def test_a_second_copy_refused_at_the_welcome_keeps_the_first_users_name(
    monkeypatch,
    qtbot,
    welcome,  # noqa: F811
    tmp_path,
    boxes,
):
    data = tmp_path / "data"
    QApplication.setOrganizationName("Collab Desktop")  # as app.main names the settings
    QApplication.setApplicationName("Collab Desktop")
    QSettings().setValue("user/name", "First User")
    first = {}

    def answer(dialog) -> None:
        # Meanwhile the first copy, at its own welcome, started: it holds the records.
        first["services"] = open_services(data / DATABASE_NAME)
        dialog.user_name.setText("Second User")
        dialog.start_button.click()

    welcome.answer = answer
    exits = []  # the real exit would leave this test's application unable to run loops
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))
    _run_until(monkeypatch, qtbot, lambda _w: boxes.of("critical"))
    assert app.main(["--data-dir", str(data)]) == 1
    assert any("already open" in b.text for b in boxes.of("critical")) and exits == [1]
    assert QSettings().value("user/name") == "First User"
    first["services"].close()


def test_a_failed_closing_backup_is_shown(qtbot, welcome, tmp_path, boxes, monkeypatch):  # noqa: F811
    real = BackupService.backup_now

    def failing(self, reason: str = "manual"):
        if reason == "close":
            raise BackupError("The backup could not be written: disk full")
        return real(self, reason)

    monkeypatch.setattr(BackupService, "backup_now", failing)
    _run_until(monkeypatch, qtbot, lambda w: w.services is not None)
    assert app.main(["--data-dir", str(tmp_path / "data")]) == 0
    [shown] = [b for b in boxes.of("warning") if "closing backup" in b.title]
    assert "disk full" in shown.text


def test_leftovers_of_a_killed_example_and_pdf_are_removed_at_the_next_start(tmp_path, monkeypatch):
    import tempfile

    from collab_desktop.ui import leftovers

    temp = tmp_path / "tmp"
    killed = temp / "collab-desktop-example-abc123"
    killed.mkdir(parents=True)
    (killed / DATABASE_NAME).write_bytes(b"SQLite format 3\x00")
    running = temp / "collab-desktop-example-running"
    running.mkdir()
    from collab_desktop.services.single_writer import DatabaseLock

    held = DatabaseLock(running / DATABASE_NAME)
    held.acquire()  # another copy still has this example open
    pdfs = tmp_path / "Documents"
    pdfs.mkdir()
    half = pdfs / ".Needlework agreement-k3j_9x2a.tmp"
    half.write_bytes(b"%PDF-1.4 half written")
    theirs = pdfs / ".notes-abcdefgh.tmp"
    theirs.write_text("someone else's temporary file")
    fresh = pdfs / ".Being written now-abcdefgh.tmp"
    fresh.write_bytes(b"%PDF-1.4")
    old = time.time() - 3600
    for path in (killed, running, half, theirs):
        os.utime(path, (old, old))
    QSettings().setValue("pdf/last_folder", str(pdfs))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(temp))

    removed = leftovers.remove_app_leftovers()

    held.release()
    assert set(removed) == {killed, half}
    assert not killed.exists() and not half.exists()
    assert running.exists() and theirs.exists() and fresh.exists()


def test_the_start_up_check_starts_once_the_first_page_is_filled(monkeypatch, qtbot, tmp_path):
    # Beside the first page's reads it held them back (one core; encrypted records, where
    # each page it reads is decrypted), and beside the pages read ahead: it runs after them,
    # the quick check at the usual priority (the first save waits for it), the full one at a
    # low priority, and both run.
    from collab_desktop import timing
    from collab_desktop.services.database_file import StartupCheck

    data = tmp_path / "data"
    _records_with_a_backup(data)
    order: list[str] = []
    niceness: dict[str, int] = {}
    filled, quick, full = timing.filled, StartupCheck.run_quick, StartupCheck.run_full

    def mark_filled() -> None:
        order.append("first page filled")
        filled()

    def nice() -> int:
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    def run_quick(self):
        if threading.current_thread() is not threading.main_thread():
            order.append("quick check")
            niceness["quick"] = nice()
        return quick(self)

    def run_full(self):
        order.append("full check")
        niceness["full"] = nice()
        return full(self)

    preloaded = MainWindow.finished_preloading

    def mark_preloaded(self) -> None:
        order.append("pages read ahead")
        preloaded(self)

    monkeypatch.setattr(timing, "filled", mark_filled)
    monkeypatch.setattr(MainWindow, "finished_preloading", mark_preloaded)
    monkeypatch.setattr(StartupCheck, "run_quick", run_quick)
    monkeypatch.setattr(StartupCheck, "run_full", run_full)
    seen = _run_until(
        monkeypatch, qtbot, lambda w: w.services is not None and w.services.startup_check.full_done
    )
    assert app.main(["--data-dir", str(data)]) == 0
    assert order == ["first page filled", "pages read ahead", "quick check", "full check"]
    assert niceness["quick"] == nice()
    if sys.platform.startswith("linux"):  # lower, beside the pages read ahead
        assert niceness["full"] > nice()
    assert seen["services"] is not None and seen["services"].startup_check.damage is None
