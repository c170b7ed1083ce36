"""Encrypted records end to end through the services: made with a passphrase, written,
backed up, checked, reopened with the passphrase and the recovery code, refused a wrong one,
restored on another data folder, and no name or SQLite header in plain bytes in any file."""

from __future__ import annotations

import shutil

import pytest

from collab_desktop.models.records_file import RecordsFile, is_plain_sqlite
from collab_desktop.services.backups import (
    BackupNeedsKey,
    BackupService,
    restore_into_new_folder,
)
from collab_desktop.services.database_file import NeedsKey, check_report
from collab_desktop.services.open_records import open_services
from collab_desktop.services.quick_open import open_quickly
from collab_desktop.services.records_key import (
    ENCRYPTED,
    KEY_MISSING,
    NEW,
    PASSPHRASE_KIND,
    RECOVERY_CODE_KIND,
    KeyFile,
    WrongPassphrase,
    create_encrypted,
    key_file_path,
    open_with_secret,
    records_state,
)
from tests.builders import reference_partners

PASSPHRASE = "kettle orbit meadow"
FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
NAMES = (b"Margaret Ellis", b"Amir Khan", b"HMP Leyhill")


def _plain_secrets(folder) -> list[str]:
    """Files under `folder` holding a recorded name or SQLite's header in plain bytes."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.name.endswith(".lock"):
            data = path.read_bytes()
            if b"SQLite format 3" in data or any(name in data for name in NAMES):
                found.append(path.name)
    return found


@pytest.fixture
def encrypted(tmp_path):
    database = tmp_path / "data" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    assert records_state(database) == NEW
    records, new = create_encrypted(database, PASSPHRASE, kdf=dict(FAST))
    services = open_services(records)
    reference_partners(services)
    services.backups.backup_now("manual")
    services.close()
    return records, new


def test_encrypted_records_leave_no_plain_name_or_header_anywhere(encrypted, tmp_path):
    records, _ = encrypted
    assert records_state(records.path) == ENCRYPTED
    assert not is_plain_sqlite(records.path)
    backups = list((tmp_path / "data" / "backups").glob("*.sqlite3"))
    assert backups and all(key_file_path(b).exists() for b in backups)
    assert _plain_secrets(tmp_path / "data") == []
    # The search itself would see them in the same records kept plain.
    plain = tmp_path / "plain" / "collab-desktop.sqlite3"
    plain.parent.mkdir()
    services = open_services(plain)
    reference_partners(services)
    services.backups.backup_now("manual")
    services.close()
    assert "collab-desktop.sqlite3" in _plain_secrets(plain.parent)


def test_reopened_with_the_passphrase_or_the_recovery_code_never_a_wrong_one(encrypted):
    records, new = encrypted
    for kind, secret in ((PASSPHRASE_KIND, PASSPHRASE), (RECOVERY_CODE_KIND, new.recovery_code)):
        again = open_with_secret(records.path, kind, secret)
        assert again == records
        services = open_services(again)
        assert "Fine Cell Work" in str(services.partners.list_partners())
        services.close()
    with pytest.raises(WrongPassphrase):
        open_with_secret(records.path, PASSPHRASE_KIND, "kettle orbit meadows")
    # Without the key, the file is told as encrypted, not as another program's.
    with pytest.raises(NeedsKey):
        open_services(records.path)


def test_the_quick_first_page_and_the_check_read_it_with_the_key(encrypted):
    records, _ = encrypted
    quick = open_quickly(records)
    assert quick is not None
    try:
        assert quick.attendance.plan_and_list_week() == []
        assert quick.startup_check.run() is None
    finally:
        quick.close()
    folder = BackupService(records, records.path.parent / "backups")
    lines, sound = check_report(records, [folder])
    assert sound and all(line.endswith("sound") for line in lines[:-1]), lines


def test_a_backup_restored_on_another_data_folder_keeps_its_passphrase(encrypted, tmp_path):
    records, new = encrypted
    backup = next((tmp_path / "data" / "backups").glob("*.sqlite3"))
    stick = tmp_path / "usb"
    stick.mkdir()
    shutil.copy(backup, stick / backup.name)
    shutil.copy(key_file_path(backup), stick / key_file_path(backup).name)
    copy_key = KeyFile.beside(stick / backup.name)
    opened = open_with_secret(stick / backup.name, RECOVERY_CODE_KIND, new.recovery_code)
    other = tmp_path / "other-laptop" / "collab-desktop.sqlite3"
    other.parent.mkdir()
    restored = restore_into_new_folder(other, opened, copy_key)
    assert open_with_secret(other, PASSPHRASE_KIND, PASSPHRASE) == restored
    services = open_services(restored)
    assert "RECOOP" in str(services.partners.list_partners())
    services.close()
    assert _plain_secrets(other.parent) == []


def test_a_backup_of_other_records_asks_for_its_own_key_then_is_reencrypted(encrypted, tmp_path):
    records, _ = encrypted
    elsewhere = tmp_path / "elsewhere" / "collab-desktop.sqlite3"
    elsewhere.parent.mkdir()
    theirs, _ = create_encrypted(elsewhere, "lantern pebble river", kdf=dict(FAST))
    services = open_services(theirs)
    reference_partners(services)
    theirs_backup = services.backups.backup_now("manual")
    services.close()
    ours = BackupService(records, records.path.parent / "backups")
    with pytest.raises(BackupNeedsKey) as asked:
        ours.restore(theirs_backup.path)
    assert asked.value.key_file is not None
    key = asked.value.key_file.unlock("lantern pebble river")
    ours.restore(RecordsFile(theirs_backup.path, key))
    # Re-encrypted with this laptop's key: our passphrase opens it.
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records
    services = open_services(records)
    assert len(services.partners.list_partners()) >= 3
    services.close()


def test_a_missing_key_file_is_told_never_replaced(encrypted):
    records, _ = encrypted
    key_file_path(records.path).unlink()
    assert records_state(records.path) == KEY_MISSING
