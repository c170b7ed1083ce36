"""The records file object (models/records_file.py) over real files, plain and encrypted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text

from collab_desktop.errors import StorageError
from collab_desktop.migrations import current_revision, upgrade_to_head
from collab_desktop.models import Organisation
from collab_desktop.models.database import make_session_factory
from collab_desktop.models.records_file import (
    ENCRYPTED_CACHE_KIB,
    NotEncrypted,
    RecordsFile,
    RecordsFileError,
    WrongKey,
    database_errors,
    is_plain_sqlite,
)

NAME = "Gwenllïan ap Rhys"  # the kind of personal data that must not be readable on disk
PRISON_NUMBER = "A1234BC"
KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))


def _fill(records: RecordsFile, rows: int = 50) -> None:
    with records.connection("rwc") as connection:
        connection.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, number TEXT)")
        # An index holds the names again, in its own pages: they must be encrypted too.
        connection.execute("CREATE INDEX ix_person_name ON person (name)")
        connection.executemany(
            "INSERT INTO person (name, number) VALUES (?, ?)",
            [(f"{NAME} {i}", PRISON_NUMBER) for i in range(rows)],
        )
        connection.commit()


def _count(records: RecordsFile) -> int:
    with records.connection("ro") as connection:
        return connection.execute("SELECT count(*) FROM person").fetchone()[0]


def assert_no_plain_text(path) -> None:
    """What `strings` would find: no recorded name, no prison number, no SQLite header."""
    data = path.read_bytes()
    assert data, f"{path} is empty"
    assert b"SQLite format 3" not in data
    for secret in (NAME, PRISON_NUMBER, "person", "CREATE TABLE"):
        assert secret.encode("utf-8") not in data, f"{secret!r} is readable in {path.name}"


@pytest.fixture
def encrypted(tmp_path) -> RecordsFile:
    records = RecordsFile(tmp_path / "records.sqlite3", KEY)
    _fill(records)
    return records


def test_a_plain_file_is_plain_sqlite(tmp_path):
    records = RecordsFile(tmp_path / "plain.sqlite3")
    _fill(records)
    assert not records.encrypted
    assert is_plain_sqlite(records.path)
    assert NAME.encode() in records.path.read_bytes()  # the problem encryption solves
    with records.connection("ro") as connection:
        assert isinstance(connection, sqlite3.Connection)
    assert _count(records) == 50


def test_an_encrypted_file_holds_no_plain_text(encrypted):
    assert _count(encrypted) == 50
    assert not is_plain_sqlite(encrypted.path)
    assert_no_plain_text(encrypted.path)
    # And plain sqlite3 cannot read it.
    plain = sqlite3.connect(encrypted.path)
    with pytest.raises(sqlite3.DatabaseError):
        plain.execute("SELECT count(*) FROM sqlite_master").fetchone()
    plain.close()


def test_a_wrong_key_is_our_plain_error_and_changes_nothing(encrypted):
    before = encrypted.path.read_bytes()
    with pytest.raises(WrongKey) as caught:
        RecordsFile(encrypted.path, OTHER_KEY).connect("rw")
    assert "another passphrase" in caught.value.message
    # Without a key at all, an encrypted file is not readable as plain SQLite.
    with pytest.raises(sqlite3.DatabaseError):
        RecordsFile(encrypted.path).connect("ro").execute("SELECT * FROM person")
    assert encrypted.path.read_bytes() == before


def test_a_key_for_a_plain_file_says_it_is_not_encrypted(tmp_path):
    records = RecordsFile(tmp_path / "plain.sqlite3")
    _fill(records)
    with pytest.raises(NotEncrypted):
        RecordsFile(records.path, KEY).connect("ro")


def test_a_wrong_key_prints_nothing_on_stderr(encrypted):
    # SQLCipher logs "hmac check failed" lines for a wrong key unless told not to; only a
    # separate process shows what reaches the real stderr (file descriptor 2).
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from collab_desktop.models.records_file import RecordsFile, WrongKey\n"
        "try:\n"
        f"    RecordsFile(Path({str(encrypted.path)!r}), bytes(32)).connect('ro')\n"
        "except WrongKey:\n"
        "    print('refused')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == "refused"
    assert done.stderr == ""


def test_a_missing_file_is_not_created_unless_asked(tmp_path):
    for key in (None, KEY):
        records = RecordsFile(tmp_path / f"missing-{key is None}.sqlite3", key)
        for mode in ("ro", "rw"):
            with pytest.raises(RecordsFileError):
                records.connect(mode)
        assert not records.path.exists()


def test_every_connection_has_the_settings(encrypted, tmp_path):
    for records in (encrypted, RecordsFile(tmp_path / "plain.sqlite3")):
        with records.connection("rwc") as connection:
            settings = {
                name: connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("foreign_keys", "journal_mode", "synchronous", "busy_timeout",
                             "temp_store")
            }  # fmt: skip
        assert settings == {
            "foreign_keys": 1,
            "journal_mode": "delete",
            "synchronous": 2,  # FULL
            "busy_timeout": 5000,
            "temp_store": 2,  # MEMORY: no plaintext temporary files
        }
        with records.connection("ro") as connection:
            assert connection.execute("PRAGMA temp_store").fetchone()[0] == 2
            assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            cache = connection.execute("PRAGMA cache_size").fetchone()[0]
        # Decrypted pages are kept in SQLite's cache: a larger one for an encrypted file.
        assert cache == (-ENCRYPTED_CACHE_KIB if records.encrypted else -2000)


def test_the_key_never_shows_in_its_repr(encrypted):
    assert KEY.hex() not in repr(encrypted)
    assert "encrypted" in repr(encrypted)


def test_the_engine_migrates_and_reads_an_encrypted_file(tmp_path):
    # The whole schema through Alembic and the ORM's engine, on an encrypted file.
    records = RecordsFile(tmp_path / "records.sqlite3", KEY)
    engine = records.make_engine()
    try:
        upgrade_to_head(engine)
        assert current_revision(engine) is not None
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            session.add(Organisation(name=NAME))
        # Several pooled connections: each is keyed and set up.
        connections = [engine.connect() for _ in range(3)]
        for connection in connections:
            assert connection.execute(text("PRAGMA temp_store")).scalar() == 2
            assert connection.execute(text("SELECT name FROM organisation")).scalar() == NAME
        for connection in connections:
            connection.close()
    finally:
        engine.dispose()
    assert_no_plain_text(records.path)
    assert b"alembic_version" not in records.path.read_bytes()


def test_the_engine_turns_sqlcipher_errors_into_ours(tmp_path):
    # A changed byte in an encrypted page fails that page's check when read: SQLCipher's
    # error must reach models/database.storage_problem as SQLite's, and come out as ours.
    records = RecordsFile(tmp_path / "records.sqlite3", KEY)
    _fill(records, rows=2000)
    with records.path.open("r+b") as handle:
        handle.seek(4096 * 3 + 200)
        handle.write(b"\x00\xff\x00\xff")
    engine = records.make_engine()
    try:
        with pytest.raises(StorageError, match="damaged"), engine.connect() as connection:
            connection.execute(text("SELECT name, number FROM person")).fetchall()
    finally:
        engine.dispose()


def test_the_engine_wraps_sqlcipher_errors_as_sqlalchemy_does_sqlite3s(encrypted):
    from sqlalchemy.exc import IntegrityError, OperationalError

    engine = encrypted.make_engine()
    try:
        with pytest.raises(OperationalError), engine.connect() as connection:
            connection.execute(text("SELECT * FROM no_such_table"))
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE u (x TEXT UNIQUE)"))
            connection.execute(text("INSERT INTO u VALUES ('a')"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("INSERT INTO u VALUES ('a')"))
    finally:
        engine.dispose()


def test_database_errors_cover_both_drivers(encrypted):
    with encrypted.connection("ro") as connection, pytest.raises(database_errors()):
        connection.execute("SELECT * FROM no_such_table")
    assert not issubclass(type(connection), sqlite3.Connection)


def test_a_backup_keeps_the_encryption(encrypted, tmp_path):
    copy = encrypted.backup_to(tmp_path / "backup.sqlite3")
    assert copy.key == encrypted.key
    assert _count(copy) == 50
    assert_no_plain_text(copy.path)
    with pytest.raises(WrongKey):
        RecordsFile(copy.path, OTHER_KEY).connect("ro")
    with copy.connection("ro") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_backup_reports_progress_and_never_overwrites(encrypted, tmp_path):
    seen = []
    encrypted.backup_to(tmp_path / "b.sqlite3", progress=lambda done, total: seen.append(total))
    assert seen
    with pytest.raises(RecordsFileError):
        encrypted.backup_to(tmp_path / "b.sqlite3")
    assert _count(encrypted.with_path(tmp_path / "b.sqlite3")) == 50


def test_a_plain_backup_is_plain(tmp_path):
    records = RecordsFile(tmp_path / "plain.sqlite3")
    _fill(records)
    copy = records.backup_to(tmp_path / "backup.sqlite3")
    assert is_plain_sqlite(copy.path) and _count(copy) == 50


def test_a_failed_backup_leaves_no_file(encrypted, tmp_path):
    wrong = RecordsFile(encrypted.path, OTHER_KEY)
    with pytest.raises(WrongKey):
        wrong.backup_to(tmp_path / "backup.sqlite3")
    assert not (tmp_path / "backup.sqlite3").exists()


def test_export_turns_a_plain_file_into_an_encrypted_one(tmp_path):
    plain = RecordsFile(tmp_path / "plain.sqlite3")
    _fill(plain, rows=500)
    with plain.connection("rw") as connection:
        connection.execute("PRAGMA user_version = 42")
    encrypted = plain.export_encrypted(tmp_path / "encrypted.sqlite3", KEY)
    assert encrypted.encrypted and _count(encrypted) == 500
    assert_no_plain_text(encrypted.path)
    with encrypted.connection("ro") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 42
        # The index came across too (sqlcipher_export copies the whole schema).
        names = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    assert "ix_person_name" in names
    with pytest.raises(WrongKey):
        RecordsFile(encrypted.path, OTHER_KEY).connect("ro")
    assert _count(plain) == 500  # the plain file is left for the caller to swap


def test_export_refuses_an_existing_target(tmp_path):
    plain = RecordsFile(tmp_path / "plain.sqlite3")
    _fill(plain)
    (tmp_path / "taken.sqlite3").write_bytes(b"keep me")
    with pytest.raises(RecordsFileError):
        plain.export_encrypted(tmp_path / "taken.sqlite3", KEY)
    assert (tmp_path / "taken.sqlite3").read_bytes() == b"keep me"


def test_export_of_encrypted_records_puts_them_under_another_key(encrypted, tmp_path):
    # A backup made on another laptop, restored here: it takes this laptop's key.
    copy = encrypted.export_encrypted(tmp_path / "rekeyed.sqlite3", OTHER_KEY)
    assert copy.key == OTHER_KEY and _count(copy) == 50
    assert_no_plain_text(copy.path)
    with pytest.raises(WrongKey):
        RecordsFile(copy.path, KEY).connect("ro")
    with pytest.raises(WrongKey):  # and a wrong key for the source is refused plainly
        RecordsFile(encrypted.path, OTHER_KEY).export_encrypted(tmp_path / "x.sqlite3", KEY)
    assert not (tmp_path / "x.sqlite3").exists()


def test_a_key_of_the_wrong_length_is_refused(tmp_path):
    with pytest.raises(ValueError):
        RecordsFile(tmp_path / "x.sqlite3", b"short")
