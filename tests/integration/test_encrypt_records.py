"""Converting a plain database to an encrypted one (services/encrypt_records.py), on the
example records, including a kill at every stage of the conversion."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from collab_desktop.models.records_file import RecordsFile, is_plain_sqlite
from collab_desktop.services.demo import load_demo
from collab_desktop.services.encrypt_records import (
    CHECKING,
    EXPORTING,
    REMOVING,
    SWAPPING,
    ConversionFailed,
    audit_breaks,
    convert_to_encrypted,
    leftover_copy,
)
from collab_desktop.services.open_records import open_services

KEY = bytes(range(32))


def _names(database) -> list[str]:
    with RecordsFile(database).connection("ro") as connection:
        rows = connection.execute(
            "SELECT name FROM organisation UNION SELECT display_name FROM participant"
        ).fetchall()
    return [r[0] for r in rows if len(r[0]) >= 5]


def _counts(records: RecordsFile) -> dict[str, int]:
    with records.connection("ro") as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in tables}  # fmt: skip


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """The example records in a plain file, closed, with filler rows so the copy takes long
    enough to be interrupted halfway. Made once; each test gets its own copy."""
    database = tmp_path_factory.mktemp("prepared") / "collab-desktop.sqlite3"
    services = open_services(database)
    load_demo(services)
    services.close()
    with RecordsFile(database).connection("rw") as connection:
        connection.execute("CREATE TABLE filler (x TEXT)")
        connection.executemany("INSERT INTO filler VALUES (?)", [("f" * 200,)] * 20000)
        connection.commit()
    return database


@pytest.fixture
def plain(prepared, tmp_path):
    database = tmp_path / "data" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    shutil.copyfile(prepared, database)
    return database


def test_the_example_records_come_out_encrypted_and_whole(plain, tmp_path):
    names = _names(plain)
    assert len(names) > 10
    before = _counts(RecordsFile(plain))
    old_backup = tmp_path / "backup-plain.sqlite3"
    RecordsFile(plain).backup_to(old_backup)
    stages, fractions = [], []
    done = convert_to_encrypted(
        plain, KEY, plain_copies=[old_backup], progress=fractions.append, stage=stages.append
    )
    assert stages == [EXPORTING, CHECKING, SWAPPING, REMOVING]
    assert fractions and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert done.records == RecordsFile(plain, KEY)
    assert _counts(done.records) == before
    assert audit_breaks(done.records) == []
    data = plain.read_bytes()
    assert b"SQLite format 3" not in data
    for name in names:
        assert name.encode("utf-8") not in data, name
    # The plain backup is gone, and the message says plainly what that does not cover.
    assert not old_backup.exists() and done.removed == [old_backup]
    assert "can sometimes still be recovered" in done.message
    assert "The unencrypted file and 1 unencrypted backup were deleted." in done.message
    assert not leftover_copy(plain).exists()
    # The app's own services run on it.
    engine = done.records.make_engine()
    try:
        from sqlalchemy import text

        with engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM organisation")).scalar() > 0
    finally:
        engine.dispose()


def test_an_encrypted_backup_is_never_deleted(plain, tmp_path):
    encrypted_backup = RecordsFile(tmp_path / "enc.sqlite3", KEY)
    with encrypted_backup.connection("rwc") as connection:
        connection.execute("CREATE TABLE t (x)")
    done = convert_to_encrypted(plain, KEY, plain_copies=[encrypted_backup.path])
    assert encrypted_backup.path.exists() and done.removed == []


def test_an_already_encrypted_or_foreign_file_is_refused(plain, tmp_path):
    convert_to_encrypted(plain, KEY)
    with pytest.raises(ConversionFailed):
        convert_to_encrypted(plain, KEY)
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(ConversionFailed):
        convert_to_encrypted(other, KEY)
    assert other.read_text() == "hello"


def test_a_copy_that_does_not_match_is_deleted_and_the_plain_file_kept(plain, monkeypatch):
    # Break the check on purpose: a copy whose audit chain differs must not be swapped in.
    before = plain.read_bytes()
    calls = iter([[], [3]])  # before: whole; the copy: broken at seq 3
    with pytest.raises(ConversionFailed, match="chain of changes"):
        convert_to_encrypted(plain, KEY, audit=lambda _records: next(calls))
    assert plain.read_bytes() == before and is_plain_sqlite(plain)
    assert not leftover_copy(plain).exists()


_KILLED_AT = """
import os, signal, sys
from pathlib import Path
from collab_desktop.services.encrypt_records import convert_to_encrypted

database, where = Path(sys.argv[1]), sys.argv[2]
backup = Path(sys.argv[3])

def stage(name):
    if name == where:
        os.kill(os.getpid(), signal.SIGKILL)

def progress(fraction):
    if where == "halfway" and 0 < fraction < 1:
        os.kill(os.getpid(), signal.SIGKILL)

convert_to_encrypted(database, bytes(range(32)), plain_copies=[backup], progress=progress,
                     stage=stage)
print("finished")
"""


@pytest.mark.parametrize("where", ["halfway", CHECKING, SWAPPING, REMOVING])
def test_a_kill_at_any_stage_leaves_one_whole_database(plain, tmp_path, where):
    before = _counts(RecordsFile(plain))
    backup = tmp_path / "backup-plain.sqlite3"
    RecordsFile(plain).backup_to(backup)
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_AT, str(plain), where, str(backup)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr
    if where == REMOVING:
        # Swapped in already: the encrypted file is whole; the plain backup is still there.
        assert not is_plain_sqlite(plain)
        assert _counts(RecordsFile(plain, KEY)) == before
        assert backup.exists()
        return
    # Not swapped: the plain file is whole, and a second try finishes the job.
    assert is_plain_sqlite(plain)
    assert _counts(RecordsFile(plain)) == before
    if where != "halfway":
        assert leftover_copy(plain).exists()  # the unfinished copy a next try removes
    finished = convert_to_encrypted(plain, KEY, plain_copies=[backup])
    assert _counts(finished.records) == before
    assert not leftover_copy(plain).exists() and not backup.exists()


def test_a_hot_journal_is_rolled_back_before_the_copy(plain):
    # A write cut short by a crash leaves a journal; the copy must hold the saved state.
    before = _counts(RecordsFile(plain))
    script = (
        "import os, signal, sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=DELETE')\n"
        "c.execute('BEGIN'); c.execute('DELETE FROM filler')\n"
        "c.execute('PRAGMA cache_size=1'); c.execute('UPDATE organisation SET name = name')\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(plain)], timeout=60)
    done = convert_to_encrypted(plain, KEY)
    assert _counts(done.records) == before
    assert not os.path.exists(str(plain) + "-journal")
