"""Putting back a lost or damaged key file from a backup's copy, and a new recovery code
(services/key_file_repair.py): real encrypted files, never a new key made silently."""

from __future__ import annotations

import pytest

from collab_desktop.services.key_file_repair import (
    KeyFileNotPutBack,
    key_file_copies,
    new_recovery_code,
    put_back_key_file,
    replace_recovery_code,
)
from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import (
    KEY_MISSING,
    PASSPHRASE_KIND,
    RECOVERY_CODE_KIND,
    KeyFile,
    RecordsKeyError,
    WrongPassphrase,
    WrongRecoveryCode,
    create_encrypted,
    key_file_path,
    open_with_secret,
    records_state,
)
from tests.builders import add_partner

FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
PASSPHRASE = "kettle orbit meadow"


def _records(folder, passphrase=PASSPHRASE, partner="Kept Trust"):
    database = folder / "collab-desktop.sqlite3"
    folder.mkdir(parents=True)
    records, new = create_encrypted(database, passphrase, kdf=dict(FAST))
    services = open_services(records)
    add_partner(services, partner)
    services.backups.backup_now("manual")
    services.close()
    return records, new, folder / "backups"


@pytest.fixture
def lost(tmp_path):
    records, new, backups = _records(tmp_path / "data")
    key_file_path(records.path).unlink()
    assert records_state(records.path) == KEY_MISSING
    return records, new, backups


def test_the_passphrase_puts_back_the_copy_kept_with_a_backup(lost):
    records, _, backups = lost
    opened, copy = put_back_key_file(
        records.path, PASSPHRASE_KIND, PASSPHRASE, key_file_copies([backups])
    )
    assert opened == records and copy.path.parent == backups
    assert key_file_path(records.path).read_bytes() == copy.path.read_bytes()
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records


def test_the_recovery_code_puts_it_back_too(lost):
    records, new, backups = lost
    opened, _ = put_back_key_file(
        records.path, RECOVERY_CODE_KIND, new.recovery_code, key_file_copies([backups])
    )
    assert opened == records


def test_a_wrong_passphrase_puts_back_nothing(lost):
    records, _, backups = lost
    with pytest.raises(WrongPassphrase):
        put_back_key_file(records.path, PASSPHRASE_KIND, "not it", key_file_copies([backups]))
    assert not key_file_path(records.path).exists()


def test_nothing_found_or_other_records_copies_are_told_plainly(lost, tmp_path):
    records, _, _ = lost
    with pytest.raises(KeyFileNotPutBack, match="No copy"):
        put_back_key_file(records.path, PASSPHRASE_KIND, PASSPHRASE, [])
    # Another laptop's backups, with the same passphrase by chance: unlocked, but not ours.
    _, _, their_backups = _records(tmp_path / "theirs", PASSPHRASE, "Their Trust")
    with pytest.raises(KeyFileNotPutBack, match="other records"):
        put_back_key_file(
            records.path, PASSPHRASE_KIND, PASSPHRASE, key_file_copies([their_backups])
        )
    assert not key_file_path(records.path).exists()


def test_a_damaged_key_file_is_put_back_but_an_intact_one_never_replaced(tmp_path):
    records, _, backups = _records(tmp_path / "data")
    copies = key_file_copies([backups])
    with pytest.raises(RecordsKeyError, match="intact"):
        put_back_key_file(records.path, PASSPHRASE_KIND, PASSPHRASE, copies)
    key_file_path(records.path).write_text("{ half a file")
    opened, _ = put_back_key_file(records.path, PASSPHRASE_KIND, PASSPHRASE, copies)
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == opened


def test_the_newest_copy_the_passphrase_opens_is_the_one_put_back(tmp_path):
    records, _, backups = _records(tmp_path / "data")
    KeyFile.beside(records.path, kdf=dict(FAST)).change_passphrase(records.key, "second pass word")
    services = open_services(records)
    newer = services.backups.backup_now("manual")
    services.close()
    key_file_path(records.path).unlink()
    copies = key_file_copies([backups])
    assert [c.path for c in copies][0] == key_file_path(newer.path)
    # The old passphrase opens the older copy; the new one the newer.
    _, copy = put_back_key_file(records.path, PASSPHRASE_KIND, PASSPHRASE, copies)
    assert copy.path != key_file_path(newer.path)
    key_file_path(records.path).unlink()
    _, copy = put_back_key_file(records.path, PASSPHRASE_KIND, "second pass word", copies)
    assert copy.path == key_file_path(newer.path)


def test_a_new_recovery_code_ends_the_old_one_here_and_in_the_backups(tmp_path):
    records, old, backups = _records(tmp_path / "data")
    new = new_recovery_code(records.key)
    assert new.key_id == old.key_id and new.recovery_code != old.recovery_code
    # Not written until asked: the old code still works.
    assert open_with_secret(records.path, RECOVERY_CODE_KIND, old.recovery_code) == records

    changed = replace_recovery_code(records.path, new, [backups])

    assert len(changed) == 1
    with pytest.raises(WrongRecoveryCode):
        open_with_secret(records.path, RECOVERY_CODE_KIND, old.recovery_code)
    assert open_with_secret(records.path, RECOVERY_CODE_KIND, new.recovery_code) == records
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records
    [backup] = [p for p in backups.iterdir() if p.suffix == ".sqlite3"]
    with pytest.raises(WrongRecoveryCode):
        open_with_secret(backup, RECOVERY_CODE_KIND, old.recovery_code)
    assert open_with_secret(backup, RECOVERY_CODE_KIND, new.recovery_code).key == records.key
    # A lost key file is then put back with the new code.
    key_file_path(records.path).unlink()
    put_back_key_file(
        records.path, RECOVERY_CODE_KIND, new.recovery_code, key_file_copies([backups])
    )
