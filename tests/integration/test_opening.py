"""Opening the database: one writer at a time, a damaged file is never used silently, and a
migration either completes or leaves the file exactly as it was."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from collab_desktop.migrations import upgrade_to
from collab_desktop.models.database import make_engine
from collab_desktop.services import open_records
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.open_records import DamagedDatabase, open_services
from collab_desktop.services.single_writer import AlreadyOpen
from tests.builders import add_partner

ROOT = Path(__file__).parents[2]


def test_a_second_process_is_refused_and_the_first_keeps_working(tmp_path):
    db = tmp_path / "db.sqlite3"
    first = open_services(db)
    add_partner(first, "First Window Trust")
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from collab_desktop.services.open_records import open_services
        from collab_desktop.services.single_writer import AlreadyOpen
        try:
            open_services(Path({str(db)!r}))
        except AlreadyOpen as error:
            print("REFUSED:", error.message)
        else:
            print("OPENED")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert "REFUSED" in done.stdout, done.stdout + done.stderr
    assert "already open" in done.stdout
    add_partner(first, "Still Working Trust")
    assert {r.name for r in first.partners.list_partners()} == {
        "First Window Trust",
        "Still Working Trust",
    }
    first.close()
    # Once the first has closed, the database opens again.
    open_services(db).close()


def test_a_copy_killed_while_open_leaves_the_records_free(tmp_path):
    # The lock is the OS's (services/single_writer.py): it goes with the process, however it
    # ends, and the lock file it leaves behind does not keep the next copy out.
    db = tmp_path / "db.sqlite3"
    open_services(db).close()
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from collab_desktop.services.open_records import open_services
        services = open_services(Path({str(db)!r}))
        print("OPEN", flush=True)
        time.sleep(60)
        """
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "OPEN"
        with pytest.raises(AlreadyOpen):
            open_services(db)
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert db.with_name(db.name + ".lock").exists()
    open_services(db).close()


def test_a_second_open_in_the_same_process_is_refused_too(tmp_path):
    first = open_services(tmp_path / "db.sqlite3")
    with pytest.raises(AlreadyOpen):
        open_services(tmp_path / "db.sqlite3")
    first.close()


def _content(path: Path) -> list[str]:
    """Schema and rows, as SQL: equal for two files that hold the same database."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def _damage(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data), 997):  # every page after the header page
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_damaged_file_is_refused_with_the_newest_good_backup(tmp_path):
    db = tmp_path / "db.sqlite3"
    services = open_services(db)
    for i in range(200):
        add_partner(services, f"Partner {i:03d} with a longish name to fill pages")
    good = services.backups.backup_now("manual")
    services.close()
    _damage(db)
    with pytest.raises(DamagedDatabase) as caught:
        open_services(db)
    assert "damaged" in caught.value.message
    assert caught.value.backup is not None and caught.value.backup.path == good.path


def test_failed_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "db.sqlite3"
    upgrade_to(make_engine(db), "0001")
    with sqlite3.connect(db) as connection:
        connection.execute(
            "INSERT INTO organisation (id, name, kind, charity_number, company_number, address, "
            "town, postcode, phone, email, website, notes, created_at, updated_at) VALUES "
            "('00000000000000000000000000000001', 'Old Trust', 'charity', '', '', '', '', '', "
            "'', '', '', '', '2020-01-01', '2020-01-01')"
        )
    connection.close()
    before = _content(db)

    def half_done(engine):  # a migration that changes things, then fails
        with engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM organisation")
            connection.exec_driver_sql("CREATE TABLE half_done (x)")
        raise RuntimeError("migration broke")

    monkeypatch.setattr(open_records, "upgrade_to_head", half_done)
    with pytest.raises(ServiceError, match="put back as it was"):
        open_services(db)
    assert _content(db) == before
    monkeypatch.undo()
    services = open_services(db)
    assert [r.name for r in services.partners.list_partners()] == ["Old Trust"]
    reasons = [b.reason for b in services.backups.list_backups()]
    assert reasons.count("before-migration") == 2  # the failed attempt's and this one's
    services.close()


def test_upgrading_an_older_database_backs_it_up_first(tmp_path):
    db = tmp_path / "db.sqlite3"
    upgrade_to(make_engine(db), "0001")
    services = open_services(db)
    [backup] = services.backups.list_backups()
    assert backup.reason == "before-migration"
    with sqlite3.connect(backup.path) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    connection.close()
    services.close()


def test_a_new_database_needs_no_backup(tmp_path):
    services = open_services(tmp_path / "db.sqlite3")
    assert services.backups.list_backups() == []
    services.close()


def test_an_unwritable_data_folder_gets_a_plain_message(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises((ServiceError, OSError)):
        open_services(blocker / "db.sqlite3")
    shutil.rmtree(tmp_path / "backups", ignore_errors=True)
