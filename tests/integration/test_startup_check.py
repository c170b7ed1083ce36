"""The start-up check, deferred so the first page shows at once: a damaged file is still never
used silently. Writes wait for the check and are refused on a damaged file; a read that meets
the damage says so in words."""

from __future__ import annotations

import pytest

from collab_desktop.errors import StorageError
from collab_desktop.services.open_records import DamagedDatabase, open_services
from tests.builders import add_partner

PAGE = 4096


def make_records(path, partners: int = 300):
    services = open_services(path)
    for i in range(partners):
        add_partner(services, f"Partner {i:03d} with a longish name to fill pages")
    backup = services.backups.backup_now("manual")
    services.close()
    return backup


def damage_the_last_pages(path) -> None:
    """Damage only the end of the file (partners' rows), so the schema and its revision can
    still be read and the opening is not stopped at once."""
    data = bytearray(path.read_bytes())
    for offset in range(len(data) - 3 * PAGE + 100, len(data), 61):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_sound_file_opens_at_once_and_the_first_write_runs_the_check(tmp_path):
    db = tmp_path / "db.sqlite3"
    make_records(db, partners=3)
    services = open_services(db, defer_check=True)
    try:
        check = services.startup_check
        assert check is not None and not check.done
        assert len(services.partners.list_partners()) == 3  # reads do not wait
        assert not check.done
        add_partner(services, "Written After The Check Trust")
        assert check.done and check.damage is None
        assert len(services.partners.list_partners()) == 4
    finally:
        services.close()


def test_a_damaged_file_refuses_writes_and_is_left_as_it_was(tmp_path):
    db = tmp_path / "db.sqlite3"
    good = make_records(db)
    damage_the_last_pages(db)
    before = db.read_bytes()
    services = open_services(db, defer_check=True)  # the revision is still readable
    try:
        damage = services.startup_check.run()
        assert isinstance(damage, DamagedDatabase)
        assert damage.backup is not None and damage.backup.path == good.path
        with pytest.raises(DamagedDatabase):  # a write that reads nothing damaged first
            services.templates.save_template("Never Written", "", {})
    finally:
        services.close()
    assert db.read_bytes() == before


def test_a_read_that_meets_the_damage_says_so(tmp_path):
    db = tmp_path / "db.sqlite3"
    make_records(db)
    damage_the_last_pages(db)
    services = open_services(db, defer_check=True)
    try:
        with pytest.raises(StorageError, match="damaged"):
            services.partners.list_partners()
    finally:
        services.close()


def test_a_file_too_damaged_to_read_its_revision_is_checked_at_once(tmp_path):
    db = tmp_path / "db.sqlite3"
    make_records(db)
    data = bytearray(db.read_bytes())
    for offset in range(100, PAGE, 7):  # the schema, on the first page after the header
        data[offset] ^= 0xFF
    db.write_bytes(bytes(data))
    with pytest.raises(DamagedDatabase):
        open_services(db, defer_check=True)


def test_a_file_that_needs_upgrading_is_checked_before_it_is_changed(tmp_path, monkeypatch):
    from collab_desktop.services import database_file, open_records

    db = tmp_path / "db.sqlite3"
    make_records(db, partners=1)
    checked = []
    real = database_file.check_file
    monkeypatch.setattr(
        database_file, "check_file", lambda *a, **k: checked.append(a) or real(*a, **k)
    )
    newer = [*open_records.known_revisions(), "9999"]  # as if this release added a revision
    monkeypatch.setattr(open_records, "known_revisions", lambda: newer)
    monkeypatch.setattr(open_records, "_migrate", lambda *a, **k: None)
    services = open_services(db, defer_check=True)
    services.close()
    assert checked, "checked at once, not deferred"
    assert services.startup_check is None


def test_stopping_waits_for_a_quick_check_under_way_and_none_starts_after(tmp_path, monkeypatch):
    # A rescue or a restore moves the file aside once the records are closed: a quick check
    # still reading it then (it starts after the first page now) must have ended first.
    import threading
    import time

    import collab_desktop.services.database_file as database_file

    db = tmp_path / "db.sqlite3"
    make_records(db, partners=3)
    started, release, calls = threading.Event(), threading.Event(), []

    def slow_check(records, writable=False):
        calls.append(records)
        started.set()
        release.wait(10)
        return None

    monkeypatch.setattr(database_file, "check_file", slow_check)
    services = open_services(db, defer_check=True)
    check = services.startup_check
    quick = threading.Thread(target=check.run_quick)
    quick.start()
    assert started.wait(10)
    stopped = threading.Event()
    stopper = threading.Thread(target=lambda: (check.stop(), stopped.set()))
    stopper.start()
    time.sleep(0.3)
    assert not stopped.is_set(), "stop() returned while the quick check was reading"
    release.set()
    stopper.join(10)
    quick.join(10)
    assert stopped.is_set()
    services.close()

    later = open_services(db, defer_check=True)
    later.startup_check.stop()
    assert later.startup_check.run() is None and len(calls) == 1, "no check once stopped"
    assert not later.startup_check.done
    later.close()
