"""Backups: made safely, checked, rotated, restorable; never half-written."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from collab_desktop.services.backups import BackupError, BackupService, check_file
from collab_desktop.services.file_check import full_check
from collab_desktop.services.open_records import open_services
from tests.builders import add_partner, signed_off_agreement


def partner_names(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return sorted(n for (n,) in connection.execute("SELECT name FROM organisation"))


def test_backup_is_a_sound_copy_with_every_record(services):
    signed_off_agreement(services)
    info = services.backups.backup_now("manual")
    assert info.path.parent == services.path.parent / "backups"
    assert info.reason == "manual" and info.reason_label == "Backed up by hand"
    assert check_file(info.path) is None
    assert partner_names(info.path) == partner_names(services.path)
    assert services.backups.list_backups() == [info]
    assert not list(info.path.parent.glob("*.partial"))


def test_restore_puts_the_old_records_back_and_keeps_the_current_ones_too(tmp_path):
    services = open_services(tmp_path / "db.sqlite3")
    add_partner(services, "Before Backup Trust")
    first = services.backups.backup_now("manual")
    add_partner(services, "After Backup Trust")
    services.close()

    safety = BackupService(tmp_path / "db.sqlite3", tmp_path / "backups").restore(first.path)

    assert partner_names(tmp_path / "db.sqlite3") == ["Before Backup Trust"]
    assert safety is not None and safety.reason == "before-restore"
    assert partner_names(safety.path) == ["After Backup Trust", "Before Backup Trust"]


def test_a_damaged_backup_is_refused_for_restore(tmp_path):
    services = open_services(tmp_path / "db.sqlite3")
    add_partner(services, "Kept Trust")
    broken = tmp_path / "backups" / "collab-desktop-20260101-000000-000000-manual.sqlite3"
    broken.parent.mkdir(exist_ok=True)
    broken.write_bytes(b"SQLite format 3\x00" + os.urandom(5000))
    services.close()
    with pytest.raises(BackupError, match="damaged"):
        BackupService(tmp_path / "db.sqlite3", tmp_path / "backups").restore(broken)
    assert partner_names(tmp_path / "db.sqlite3") == ["Kept Trust"]


def test_rotation_keeps_recent_weekly_and_every_pre_migration_backup(services):
    clock = [datetime(2026, 1, 1, 9, 0)]
    backups = BackupService(services.path, services.backups.folder, now=lambda: clock[0])
    made = []
    for day in range(70):  # ten weeks of daily backups, and one before a migration
        clock[0] = datetime(2026, 1, 1, 9, 0) + timedelta(days=day)
        made.append(backups.backup_now("before-migration" if day == 3 else "daily"))
    kept = {b.path for b in backups.list_backups()}
    assert made[3].path in kept, "a pre-migration backup is never rotated away"
    assert {b.path for b in made[-10:]} <= kept, "the ten newest are kept"
    weekly = {b.created.isocalendar()[:2] for b in backups.list_backups()}
    assert len(weekly) >= 8
    assert len(kept) <= 10 + 8 + 1


def test_daily_backup_is_due_only_after_a_day(services):
    clock = [datetime(2026, 3, 1, 9, 0)]
    backups = BackupService(services.path, services.backups.folder, now=lambda: clock[0])
    assert backups.due_daily()
    backups.backup_now("daily")
    clock[0] += timedelta(hours=23)
    assert not backups.due_daily()
    clock[0] += timedelta(hours=2)
    assert backups.due_daily()


def _back_up_forever(database: str, folder: str) -> None:
    backups = BackupService(Path(database), Path(folder))
    while True:
        backups.backup_now("manual")


def test_killing_a_backup_midway_leaves_older_backups_untouched(tmp_path):
    services = open_services(tmp_path / "db.sqlite3")
    for i in range(300):
        add_partner(services, f"Partner number {i:04d}")
    older = services.backups.backup_now("before-migration")
    older_bytes = older.path.read_bytes()
    folder = services.backups.folder
    services.close()

    context = multiprocessing.get_context("fork")
    landed = []
    for delay in (0.05, 0.11, 0.2, 0.33, 0.41):
        child = context.Process(
            target=_back_up_forever, args=(str(tmp_path / "db.sqlite3"), str(folder))
        )
        child.start()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        # Proof that the kill landed mid-backup: the half-made copy it was writing is there.
        landed.append(bool(list(folder.glob("*.partial"))))
        assert older.path.read_bytes() == older_bytes
        for backup in BackupService(tmp_path / "db.sqlite3", folder).list_backups():
            assert full_check(backup.path) is None, f"{backup.path.name} is a finished backup"
            assert backup.good
    assert any(landed), "no kill landed while a backup was being written"
    # The next backup clears what the killed ones left half-written.
    BackupService(tmp_path / "db.sqlite3", folder).backup_now("manual")
    assert not list(folder.glob("*.partial"))


@pytest.mark.parametrize("encrypted", [False, True])
def test_a_backup_cut_short_since_its_check_is_listed_as_damaged(tmp_path, encrypted):
    # Seen by the tester: a backup cut short (a copy to a USB stick pulled out) was still
    # listed "Sound" from its name, and offered first.
    from collab_desktop.services.backups import DAMAGED
    from collab_desktop.services.records_key import create_encrypted

    database = tmp_path / "db.sqlite3"
    records = create_encrypted(database, "kettle orbit meadow")[0] if encrypted else database
    services = open_services(records)
    for i in range(40):
        add_partner(services, f"Trust number {i}")
    good = services.backups.backup_now("manual")
    services.close()
    backups = BackupService(records, tmp_path / "backups")
    assert [b.verdict for b in backups.list_backups()] == ["checked"]
    # Newer than the good one, and named as checked: as the list would otherwise offer it.
    cut = good.path.parent / backups._name(good.created + timedelta(seconds=1), "manual", "checked")
    cut.write_bytes(good.path.read_bytes()[: good.size // 2 + 100])
    listed = {b.path: b for b in backups.list_backups()}
    assert listed[cut].verdict == DAMAGED and not listed[cut].good
    assert listed[good.path].good
    assert backups.newest_good().path == good.path


@pytest.mark.parametrize(
    "fault",
    [OSError(28, "No space left on device"), sqlite3.OperationalError("database or disk is full")],
)
def test_a_full_disk_stops_a_backup_with_words_a_person_can_act_on(services, monkeypatch, fault):
    # Seen by the tester on a full 2 MB disk: "The backup could not be written: database or
    # disk is full". The disk is injected full where the copy writes (the system's answer).
    from collab_desktop.services import backups as backups_module

    def full(*_args, **_kwargs):
        raise fault

    monkeypatch.setattr(backups_module, "copy_in_steps", full)
    with pytest.raises(BackupError) as raised:
        services.backups.backup_now("manual")
    message = raised.value.message
    assert "is full" in message and "Preferences" in message and "as they were" in message
    assert "database or disk" not in message
    assert not list((services.path.parent / "backups").glob("*.partial"))
