"""New encrypted files authenticate their pages with HMAC-SHA256 (half the cost of SQLCipher 4's
default HMAC-SHA512); a file made before, with the default, keeps its format and opens, backs
up, restores and is checked as before (models/records_file.NEW_FILE_HMAC)."""

from __future__ import annotations

import os

import pytest
import sqlcipher3

from collab_desktop.models.records_file import NEW_FILE_HMAC, RecordsFile, WrongKey
from collab_desktop.services.backups import BackupService
from collab_desktop.services.file_check import full_check
from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import (
    PASSPHRASE_KIND,
    create_encrypted,
    open_with_secret,
)
from tests.builders import add_partner

FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
PASSPHRASE = "kettle orbit meadow"


def _hmac_of(records: RecordsFile) -> str:
    with records.connection("ro") as connection:
        return str(connection.execute("PRAGMA cipher_hmac_algorithm").fetchone()[0])


def _readable_with(records: RecordsFile, hmac: str) -> bool:
    connection = sqlcipher3.connect(str(records.path))
    try:
        connection.execute("PRAGMA cipher_log_level = NONE")
        assert records.key is not None
        connection.execute(f"PRAGMA key = \"x'{records.key.hex()}'\"")
        connection.execute("PRAGMA cipher_compatibility = 4")
        connection.execute(f"PRAGMA cipher_hmac_algorithm = {hmac}")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except sqlcipher3.DatabaseError:
        return False
    finally:
        connection.close()


@pytest.fixture
def records(tmp_path) -> RecordsFile:
    database = tmp_path / "data" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    made, _ = create_encrypted(database, PASSPHRASE, kdf=dict(FAST))
    services = open_services(made)
    add_partner(services, "Kept Trust")
    services.close()
    return made


def _as_sqlcipher_default(records: RecordsFile) -> None:
    """The file rewritten as a build from before made it: SQLCipher 4's default HMAC."""
    assert records.key is not None
    legacy = records.path.with_name("legacy.sqlite3")
    source = records.connect("ro")
    try:
        key = f"x'{records.key.hex()}'"
        source.execute("ATTACH DATABASE ? AS legacy KEY ?", (str(legacy), key))
        source.execute("PRAGMA legacy.cipher_compatibility = 4")
        version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute("SELECT sqlcipher_export('legacy')")
        source.execute(f"PRAGMA legacy.user_version = {int(version)}")
        source.execute("DETACH DATABASE legacy")
    finally:
        source.close()
    os.replace(legacy, records.path)


def test_new_records_and_their_backups_use_the_faster_hmac(records, tmp_path):
    assert _hmac_of(records) == NEW_FILE_HMAC
    assert _readable_with(records, NEW_FILE_HMAC) and not _readable_with(records, "HMAC_SHA512")
    backup = BackupService(records, tmp_path / "backups").backup_now("manual")
    assert _hmac_of(records.with_path(backup.path)) == NEW_FILE_HMAC


def test_records_made_with_sqlciphers_default_keep_it_and_work_as_before(records, tmp_path):
    _as_sqlcipher_default(records)
    assert _readable_with(records, "HMAC_SHA512") and not _readable_with(records, NEW_FILE_HMAC)
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records
    services = open_services(records)
    add_partner(services, "Added Trust")
    backup = services.backups.backup_now("manual")
    services.close()
    assert _readable_with(records, "HMAC_SHA512"), "saving did not change its format"
    assert _hmac_of(records.with_path(backup.path)) == "HMAC_SHA512"
    assert full_check(records.with_path(backup.path)) is None

    # Restored over the records (with the same key, through SQLite's backup API): still
    # the file's own format, and it opens.
    BackupService(records, tmp_path / "backups").restore(backup.path, safety_copy=False)
    services = open_services(records)
    assert sorted(p.name for p in services.partners.list_partners()) == [
        "Added Trust",
        "Kept Trust",
    ]
    services.close()


def test_a_wrong_key_is_still_refused_whatever_the_setting(records):
    wrong = RecordsFile(records.path, bytes(32))
    with pytest.raises(WrongKey):
        wrong.connect("ro")
    _as_sqlcipher_default(records)
    with pytest.raises(WrongKey):
        wrong.connect("ro")
