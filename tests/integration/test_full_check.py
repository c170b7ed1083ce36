"""Damage the quick check cannot see is found: by the full check of the live file in the
background, and of every backup before it counts as good. A good copy is never rotated away,
every restore checks what it restores, and what is not a Collab Desktop file is told so."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from collab_desktop import app
from collab_desktop.services import backups as backups_module
from collab_desktop.services.backups import (
    CHECKED,
    DAMAGED,
    BackupError,
    BackupService,
    RecordsDamaged,
)
from collab_desktop.services.database_file import DamagedDatabase, NotOurFile
from collab_desktop.services.file_check import full_check, quick_check, restore_problem
from collab_desktop.services.open_records import open_services
from tests.builders import add_partner
from tests.damage import flip_name

NAME = "Damaged Name Partnership"


def records(path: Path, partners: int = 5) -> None:
    services = open_services(path)
    add_partner(services, NAME)
    for i in range(partners):
        add_partner(services, f"Partner {i:03d}")
    services.close()


def partner_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        names = sorted(n for (n,) in connection.execute("SELECT name FROM organisation"))
    connection.close()
    return names


def test_a_flipped_name_passes_the_quick_check_but_not_the_full_one(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    flip_name(db, "organisation", NAME)
    assert quick_check(db) is None
    assert "missing from index" in full_check(db)


def test_the_start_up_check_finds_it_and_then_refuses_writes(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    good = BackupService(db, tmp_path / "backups").backup_now("manual")
    flip_name(db, "organisation", NAME)
    services = open_services(db, defer_check=True)
    try:
        damage = services.startup_check.run()
        assert isinstance(damage, DamagedDatabase)
        assert damage.backup is not None and damage.backup.path == good.path
        with pytest.raises(DamagedDatabase):
            add_partner(services, "Never Written Trust")
    finally:
        services.close()


def test_saves_made_while_the_full_check_runs_all_succeed(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db, partners=40)
    services = open_services(db, defer_check=True)
    check = services.startup_check
    check.QUIET = 0.05
    result = []
    worker = threading.Thread(target=lambda: result.append(check.run()))
    worker.start()
    try:
        for i in range(10):  # each interrupts the check; none waits for it or fails
            add_partner(services, f"Saved During The Check {i:02d}")
        worker.join(timeout=60)
        assert result == [None] and check.full_done
    finally:
        services.close()
    assert len(partner_names(db)) == 51


def test_a_backup_of_damaged_records_is_kept_marked_and_never_counted_good(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    backups = BackupService(db, tmp_path / "backups")
    good = backups.backup_now("manual")
    assert good.verdict == CHECKED and good.path.name.endswith(".checked.sqlite3")
    flip_name(db, "organisation", NAME)
    with pytest.raises(RecordsDamaged) as raised:
        backups.backup_now("close")
    assert "damaged" in raised.value.message
    newest = backups.list_backups()[0]
    assert newest.verdict == DAMAGED and newest.path == raised.value.aside
    assert not newest.good
    assert backups.newest_good().path == good.path, "the damaged copy is not offered"


def test_ten_closes_on_damaged_records_never_rotate_the_good_backup_away(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    clock = [datetime(2026, 1, 1, 9, 0)]
    backups = BackupService(db, tmp_path / "backups", now=lambda: clock[0])
    good = backups.backup_now("close")
    for day in range(1, 12):
        clock[0] = datetime(2026, 1, 1, 9, 0) + timedelta(days=day)
        backups.backup_now("close")  # routine closes, then the records get damaged
    flip_name(db, "organisation", NAME)
    for day in range(12, 25):
        clock[0] = datetime(2026, 1, 1, 9, 0) + timedelta(days=day)
        with pytest.raises(RecordsDamaged):
            backups.backup_now("close")
    kept = backups.list_backups()
    assert any(b.good for b in kept), "the newest good backup is kept"
    assert backups.newest_good().created == datetime(2026, 1, 12, 9, 0)
    assert len([b for b in kept if b.verdict == DAMAGED]) == backups_module.KEEP_DAMAGED
    assert good.path not in {b.path for b in kept}  # older good ones rotate as usual


def test_a_backup_from_an_older_version_is_checked_before_it_is_offered(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    folder = tmp_path / "backups"
    older = BackupService(db, folder).backup_now("close")
    legacy = folder / older.path.name.replace(".checked", "")  # as an older version named it
    older.path.rename(legacy)
    flip_name(legacy, "organisation", NAME)  # passed that version's quick check
    backups = BackupService(db, folder)
    assert backups.list_backups()[0].verdict == "unchecked"
    assert backups.newest_good() is None
    [marked] = backups.list_backups()
    assert marked.verdict == DAMAGED and marked.path.name.endswith(".damaged.sqlite3")


def _foreign(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    connection.commit()
    connection.close()
    return path


def _newer(path: Path) -> Path:
    records(path)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.close()
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _index_damaged(path: Path) -> Path:
    records(path)
    flip_name(path, "organisation", NAME)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_foreign, "another program's database"),
        (_newer, "newer version"),
        (_empty, "empty"),
        (_index_damaged, "damaged"),
    ],
    ids=["another program's", "newer", "empty", "damage only the full check finds"],
)
def test_every_restore_refuses_what_must_not_replace_the_records(tmp_path, make, words):
    db = tmp_path / "data" / "db.sqlite3"
    db.parent.mkdir()
    records(db)
    before = db.read_bytes()
    bad = make(tmp_path / "chosen.sqlite3")
    assert words in restore_problem(bad)
    with pytest.raises(BackupError, match="Nothing has been replaced"):
        BackupService(db, tmp_path / "backups").restore(bad)
    assert db.read_bytes() == before
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def _zeroed_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def _png(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))


def _text(path: Path) -> None:
    path.write_text("Minutes of the partnership board, 3 March\n" * 20)


def _other_program(path: Path) -> None:
    path.unlink()
    _foreign(path)


@pytest.mark.parametrize(
    "replace",
    [_zeroed_header, _png, _text, _other_program],
    ids=["zeroed header", "PNG", "text", "another program's database"],
)
@pytest.mark.parametrize("defer_check", [False, True], ids=["opened", "opened quickly"])
def test_not_a_collab_desktop_file_is_told_with_the_newest_good_backup(
    tmp_path, replace, defer_check
):
    db = tmp_path / "db.sqlite3"
    records(db)
    good = BackupService(db, tmp_path / "backups").backup_now("close")
    replace(db)
    before = db.read_bytes()
    if defer_check:
        from collab_desktop.services.quick_open import open_quickly

        assert open_quickly(db) is None  # left to the full way, which tells
    with pytest.raises(NotOurFile) as raised:
        open_services(db, defer_check=defer_check)
    assert "not a Collab Desktop database" in raised.value.message
    assert raised.value.backup is not None and raised.value.backup.path == good.path
    assert db.read_bytes() == before


def test_a_save_during_a_backup_does_not_wait_for_the_whole_copy(tmp_path, monkeypatch):
    """Between two steps of the copy another connection can write at once, with no busy
    wait at all: the backup holds the file one step at a time, never for the whole copy."""
    db = tmp_path / "db.sqlite3"
    records(db, partners=60)
    monkeypatch.setattr(backups_module, "STEP_PAGES", 2)
    writes = []

    class Pause:  # stands in for time.sleep between the steps
        @staticmethod
        def sleep(_seconds: float) -> None:
            if len(writes) < 3:
                writer = sqlite3.connect(db, timeout=0)  # "locked" at once if held
                try:
                    writer.execute("UPDATE organisation SET notes = ?", (f"save {len(writes)}",))
                    writer.commit()
                    writes.append(True)
                finally:
                    writer.close()

    monkeypatch.setattr(backups_module, "time", Pause)
    info = BackupService(db, tmp_path / "backups").backup_now("manual")
    assert len(writes) == 3, "three saves went in while the backup was under way"
    assert full_check(info.path) is None
    with sqlite3.connect(info.path) as connection:  # a copy of the records as last saved
        notes = connection.execute("SELECT DISTINCT notes FROM organisation").fetchall()
    connection.close()
    assert notes == [("save 2",)]


def test_saves_that_keep_coming_cannot_stop_a_backup_finishing(tmp_path, monkeypatch):
    db = tmp_path / "db.sqlite3"
    records(db, partners=60)
    monkeypatch.setattr(backups_module, "STEP_PAGES", 2)
    saves = []

    class Pause:  # a save between every two steps: each makes SQLite start the copy again
        @staticmethod
        def sleep(_seconds: float) -> None:
            writer = sqlite3.connect(db, timeout=0)
            try:
                writer.execute("UPDATE organisation SET notes = ?", (f"save {len(saves)}",))
                writer.commit()
                saves.append(True)
            finally:
                writer.close()

    monkeypatch.setattr(backups_module, "time", Pause)
    info = BackupService(db, tmp_path / "backups").backup_now("manual")
    assert len(saves) >= backups_module.MAX_RESTARTS
    assert info.good and full_check(info.path) is None


def test_leftovers_of_killed_writes_are_removed_when_the_records_open(tmp_path):
    db = tmp_path / "db.sqlite3"
    records(db)
    folder = tmp_path / "backups"
    folder.mkdir()
    stamp = "collab-desktop-20260101-000000-000000-close.checked.sqlite3"
    leftovers = [
        folder / f"{stamp}.partial",
        folder / f"{stamp}.partial-journal",
        tmp_path / "db.sqlite3.restoring",
        tmp_path / "db.sqlite3.restoring-journal",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half written")
    theirs = folder / "notes.partial"  # not named as ours: left alone
    theirs.write_text("someone else's")
    open_services(db).close()
    assert [p for p in leftovers if p.exists()] == []
    assert theirs.exists()


def test_check_exits_1_on_a_self_test_database_with_six_bytes_of_a_name_flipped(tmp_path, capsys):
    from collab_desktop.config import DATABASE_NAME
    from collab_desktop.self_test import run_self_test

    kept = tmp_path / "kept"
    assert run_self_test(kept, encrypt=False) == 0  # plain: damaged byte by byte
    data = tmp_path / "data"
    data.mkdir()
    (data / DATABASE_NAME).write_bytes((kept / DATABASE_NAME).read_bytes())
    capsys.readouterr()
    assert app.main(["--check", "--data-dir", str(data)]) == 0
    assert "sound" in capsys.readouterr().out

    connection = sqlite3.connect(data / DATABASE_NAME)
    [(name,)] = connection.execute("SELECT display_name FROM participant LIMIT 1").fetchall()
    connection.close()
    flip_name(data / DATABASE_NAME, "participant", name)
    assert quick_check(data / DATABASE_NAME) is None
    assert app.main(["--check", "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(str(data / DATABASE_NAME)) and "DAMAGED" in out[0]
    assert out[-1].startswith("Newest good backup:")


def test_a_full_disk_at_the_first_start_is_told_as_a_full_disk(tmp_path, monkeypatch):
    from sqlalchemy import event

    from collab_desktop.errors import StorageError
    from collab_desktop.services import open_records
    real = open_records.upgrade_to_head

    def on_a_full_disk(engine) -> None:
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA max_page_count = 3"))
        real(engine)

    monkeypatch.setattr(open_records, "upgrade_to_head", on_a_full_disk)
    db = tmp_path / "db.sqlite3"
    with pytest.raises(StorageError) as raised:
        open_services(db)
    assert "disk is full" in raised.value.message
    assert "Updating" not in raised.value.message
    assert not db.exists(), "no half-made file to be taken for another program's next time"
