"""The key file and the records key over real files: create, unlock with the passphrase or the
recovery code, change the passphrase, lose the key file, open a backup copied on its own."""

from __future__ import annotations

import json
import os

import pytest

from collab_desktop.models.records_file import RecordsFile, WrongKey
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.records_key import (
    ARGON2ID,
    KeyFile,
    KeyFileDamaged,
    KeyFileMissing,
    RecordsKeyError,
    WrongPassphrase,
    WrongRecoveryCode,
    default_kdf,
    key_file_path,
)
from collab_desktop.services.recovery_code import MistypedRecoveryCode

PASSPHRASE = "kettle orbit meadow"
# The real derivation's shape with almost no cost, so the suite stays quick; one test below
# uses the real settings.
FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
NAME = "Gwenllïan ap Rhys"


@pytest.fixture
def database(tmp_path):
    return tmp_path / "data" / "collab-desktop.sqlite3"


def _key_file(database) -> KeyFile:
    return KeyFile.beside(database, kdf=dict(FAST))


def _make_records(database, records_key) -> RecordsFile:
    records = RecordsFile(database, records_key)
    with records.connection("rwc") as connection:
        connection.execute("CREATE TABLE person (name TEXT)")
        connection.execute("INSERT INTO person VALUES (?)", (NAME,))
        connection.commit()
    return records


def _names(records: RecordsFile) -> list[str]:
    with records.connection("ro") as connection:
        return [r[0] for r in connection.execute("SELECT name FROM person")]


def test_the_key_file_sits_beside_the_database(database):
    assert key_file_path(database) == database.with_name("collab-desktop.sqlite3.key")


def test_a_new_key_opens_its_records_with_the_passphrase_and_the_recovery_code(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    _make_records(database, new.records_key)
    # Later, in another run of the app: only the files and what the person types.
    key_file = KeyFile.beside(database)
    assert _names(RecordsFile(database, key_file.unlock(PASSPHRASE))) == [NAME]
    assert _names(RecordsFile(database, key_file.unlock_with_recovery_code(new.recovery_code)))
    assert key_file.key_id == new.key_id


def test_the_key_file_holds_no_key_and_no_passphrase_in_plain(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    raw = key_file_path(database).read_bytes()
    data = json.loads(raw)
    assert data["format"] == "collab-desktop-records-key" and data["version"] == 2
    assert set(data) >= {"passphrase", "recovery"}
    for secret in (new.records_key.hex().encode(), new.records_key, PASSPHRASE.encode(),
                   new.recovery_code.encode()):  # fmt: skip
        assert secret not in raw
    assert new.records_key.hex() not in repr(new) and new.recovery_code not in repr(new)
    if os.name == "posix":
        assert key_file_path(database).stat().st_mode & 0o077 == 0  # the owner's only


def test_a_wrong_passphrase_is_a_plain_error(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    key_file = KeyFile.beside(database)
    for wrong in ("kettle orbit meadows", "KETTLE ORBIT MEADOW", ""):
        with pytest.raises(WrongPassphrase, match="Caps Lock"):
            key_file.unlock(wrong)
    assert key_file.unlock(PASSPHRASE) == new.records_key


def test_the_same_passphrase_typed_in_another_unicode_form_opens(database):
    composed = "café au lait, s’il vous plaît"
    new = _key_file(database).create(composed, database=database)
    decomposed = composed.replace("é", "e\u0301").replace("î", "i\u0302")
    assert decomposed != composed
    assert KeyFile.beside(database).unlock(decomposed) == new.records_key


def test_a_wrong_or_mistyped_recovery_code_is_a_plain_error(database):
    _key_file(database).create(PASSPHRASE, database=database)
    other = KeyFile.beside(database.with_name("other.sqlite3"), kdf=dict(FAST)).create(PASSPHRASE)
    key_file = KeyFile.beside(database)
    with pytest.raises(WrongRecoveryCode, match=key_file.key_id):
        key_file.unlock_with_recovery_code(other.recovery_code)
    mistyped = (
        "X" + other.recovery_code[1:]
        if other.recovery_code[0] != "X"
        else "Y" + other.recovery_code[1:]
    )
    with pytest.raises(MistypedRecoveryCode, match="Group 1"):
        key_file.unlock_with_recovery_code(mistyped)


def test_changing_the_passphrase_rewraps_only(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    records = _make_records(database, new.records_key)
    before = database.read_bytes()
    key_file = _key_file(database)
    key_file.change_passphrase(key_file.unlock(PASSPHRASE), "lantern pebble river")
    with pytest.raises(WrongPassphrase):
        key_file.unlock(PASSPHRASE)
    assert key_file.unlock("lantern pebble river") == new.records_key
    # The records were not touched, and the same recovery code still opens them.
    assert database.read_bytes() == before
    assert key_file.unlock_with_recovery_code(new.recovery_code) == new.records_key
    assert _names(records) == [NAME]
    assert key_file.key_id == new.key_id


def test_a_new_passphrase_is_checked_and_the_old_one_kept_if_refused(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    key_file = _key_file(database)
    with pytest.raises(ValidationError):
        key_file.change_passphrase(new.records_key, "short")
    with pytest.raises(ValidationError):
        _key_file(database.with_name("x.sqlite3")).create("password1")
    assert key_file.unlock(PASSPHRASE) == new.records_key


def test_never_a_new_key_when_one_exists_or_the_database_is_encrypted(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    _make_records(database, new.records_key)
    first = key_file_path(database).read_bytes()
    with pytest.raises(RecordsKeyError, match="already exists"):
        _key_file(database).create("another passphrase here", database=database)
    assert key_file_path(database).read_bytes() == first
    key_file_path(database).unlink()  # lost
    with pytest.raises(KeyFileMissing, match="already encrypted"):
        _key_file(database).create("another passphrase here", database=database)
    assert not key_file_path(database).exists()
    with pytest.raises(KeyFileMissing, match="recovery code"):
        KeyFile.beside(database).unlock(PASSPHRASE)


def test_a_plain_database_may_get_a_key_for_its_conversion(tmp_path):
    plain = RecordsFile(tmp_path / "collab-desktop.sqlite3")
    with plain.connection("rwc") as connection:
        connection.execute("CREATE TABLE person (name TEXT)")
    new = _key_file(plain.path).create(PASSPHRASE, database=plain.path)
    assert len(new.records_key) == 32


def test_a_lost_key_file_is_put_back_from_a_backups_copy_never_made_anew(database, tmp_path):
    new = _key_file(database).create(PASSPHRASE, database=database)
    _make_records(database, new.records_key)
    copy = KeyFile(tmp_path / "backup.sqlite3.key")
    KeyFile.beside(database).copy_to(copy.path)
    key_file_path(database).unlink()
    with pytest.raises(KeyFileMissing, match="copy is kept with each backup"):
        KeyFile.beside(database).unlock_with_recovery_code(new.recovery_code)
    records_key = copy.unlock_with_recovery_code(new.recovery_code)
    key_file = _key_file(database)
    key_file.restore_from_copy(copy, records_key)
    assert key_file.unlock(PASSPHRASE) == new.records_key
    # An intact key file is never replaced that way.
    with pytest.raises(RecordsKeyError, match="intact"):
        key_file.restore_from_copy(copy, records_key)


def test_the_records_key_is_random_and_each_slot_opens_it_alone(database):
    new = _key_file(database).create(PASSPHRASE, database=database)
    again = _key_file(database.with_name("other.sqlite3")).create(PASSPHRASE)
    assert new.records_key != again.records_key
    path = key_file_path(database)
    data = json.loads(path.read_text())
    # Damage to the passphrase slot leaves the recovery slot opening the key, and back.
    broken = dict(data, passphrase=dict(data["passphrase"], wrapped=data["recovery"]["wrapped"]))
    path.write_text(json.dumps(broken))
    with pytest.raises(WrongPassphrase):
        KeyFile.beside(database).unlock(PASSPHRASE)
    assert KeyFile.beside(database).unlock_with_recovery_code(new.recovery_code) == new.records_key
    broken = dict(data, recovery=dict(data["recovery"], wrapped=data["passphrase"]["wrapped"]))
    path.write_text(json.dumps(broken))
    with pytest.raises(WrongRecoveryCode):
        KeyFile.beside(database).unlock_with_recovery_code(new.recovery_code)
    assert KeyFile.beside(database).unlock(PASSPHRASE) == new.records_key


def test_a_damaged_key_file_says_so(database):
    _key_file(database).create(PASSPHRASE, database=database)
    path = key_file_path(database)
    data = json.loads(path.read_text())
    data["passphrase"]["wrapped"] = data["passphrase"]["wrapped"][:-8] + "AAAAAAA="
    path.write_text(json.dumps(data))
    with pytest.raises(WrongPassphrase):  # AES-GCM cannot tell a changed byte from a wrong key
        KeyFile.beside(database).unlock(PASSPHRASE)
    path.write_text("{not json")
    with pytest.raises(KeyFileDamaged):
        KeyFile.beside(database).unlock(PASSPHRASE)


def test_swapped_settings_in_the_key_file_do_not_give_a_key(database):
    _key_file(database).create(PASSPHRASE, database=database)
    path = key_file_path(database)
    data = json.loads(path.read_text())
    data["passphrase"]["params"]["iterations"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(WrongPassphrase):
        KeyFile.beside(database).unlock(PASSPHRASE)


def test_a_backup_copied_with_its_key_file_opens_with_the_recovery_code(database, tmp_path):
    # On another laptop, with the backup file, its key file and the Recovery sheet.
    new = _key_file(database).create(PASSPHRASE, database=database)
    records = _make_records(database, new.records_key)
    elsewhere = tmp_path / "other-laptop" / "backup.sqlite3"
    elsewhere.parent.mkdir()
    records.backup_to(elsewhere)
    KeyFile.beside(database).copy_to(key_file_path(elsewhere))
    there = KeyFile.beside(elsewhere)
    assert _names(RecordsFile(elsewhere, there.unlock_with_recovery_code(new.recovery_code))) == [
        NAME
    ]
    other = _key_file(tmp_path / "x.sqlite3").create(PASSPHRASE)
    with pytest.raises(WrongRecoveryCode):
        there.unlock_with_recovery_code(other.recovery_code)
    with pytest.raises(WrongKey):
        RecordsFile(elsewhere, other.records_key).connect("ro")


def test_a_newer_key_file_is_refused_plainly(database):
    _key_file(database).create(PASSPHRASE, database=database)
    path = key_file_path(database)
    data = json.loads(path.read_text())
    data["version"] = 3
    path.write_text(json.dumps(data))
    with pytest.raises(RecordsKeyError, match="newer version"):
        KeyFile.beside(database).unlock(PASSPHRASE)


def test_the_real_settings_are_argon2id_and_memory_hard(database):
    # One real derivation (about a third of a second here): the settings actually used.
    assert default_kdf() == ARGON2ID
    assert ARGON2ID["memory_kib"] >= 65536
    new = KeyFile.beside(database).create(PASSPHRASE, database=database)
    stored = json.loads(key_file_path(database).read_text())["passphrase"]["params"]
    assert stored == ARGON2ID
    assert KeyFile.beside(database).unlock(PASSPHRASE) == new.records_key
