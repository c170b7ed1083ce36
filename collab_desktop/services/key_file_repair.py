"""Two repairs of the key file (services/records_key.py): putting back a lost or damaged one,
and a new recovery code after the Recovery sheet is lost.

Putting back. The passphrase and the recovery code each unwrap the records key *kept in the
key file*: with the key file gone, neither can open the records on its own, and no new key
would ever open them (the records are encrypted with the old one). What can put it back is a
copy of it: one is kept beside every backup (``<backup>.sqlite3.key``), in the backup folder
or wherever that folder was copied (a USB stick). The person types the passphrase (as it was
when that backup was made) or the recovery code; the newest copy it unlocks *and whose key
opens the records* is put back, unchanged. Nothing is ever made new.

A new recovery code. A new code wraps the same records key (nothing is re-encrypted), in the
key file and in every copy of it kept with these records' backups here, so the old code stops
opening both. Copies taken elsewhere (a backup folder copied to a USB stick) still open with
the old code: only the person can find and delete those, and the dialog says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from collab_desktop.models.records_file import RecordsFile, WrongKey
from collab_desktop.services import recovery_code
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.records_key import (
    KEY_SUFFIX,
    RECOVERY_CODE_KIND,
    KeyFile,
    NewKey,
    RecordsKeyError,
    WrongPassphrase,
    WrongRecoveryCode,
    key_file_path,
    key_id,
)

__all__ = [
    "KeyFileNotPutBack",
    "key_file_copies",
    "new_recovery_code",
    "put_back_key_file",
    "replace_recovery_code",
]


class KeyFileNotPutBack(RecordsKeyError):
    """No copy could be put back: none found, or none that the typed secret unlocks and
    whose key opens the records."""


def key_file_copies(folders: Iterable[Path]) -> list[KeyFile]:
    """The copies of a key file kept beside backups in `folders`, newest backup first (the
    backup's name holds its time), copies of identical content counted once (the passphrase
    is tried on each: a third of a second apiece)."""
    found: list[Path] = []
    for folder in folders:
        if Path(folder).is_dir():
            found.extend(Path(folder).glob(f"*{KEY_SUFFIX}"))
    seen: set[bytes] = set()
    copies = []
    for path in sorted(found, key=lambda p: p.name, reverse=True):
        try:
            content = path.read_bytes()
        except OSError:
            continue
        if content not in seen:
            seen.add(content)
            copies.append(KeyFile(path))
    return copies


def put_back_key_file(
    database: Path, kind: str, secret: str, copies: list[KeyFile]
) -> tuple[RecordsFile, KeyFile]:
    """Put back the key file of `database` from the newest of `copies` that `secret` (the
    passphrase, or the recovery code for `kind` RECOVERY_CODE_KIND) unlocks and whose key
    opens the records; returns the records file to open them with, and the copy used.
    WrongPassphrase / WrongRecoveryCode when the secret unlocks none of them;
    KeyFileNotPutBack when none was found, or those it unlocks are of other records.
    An intact key file is never replaced (RecordsKeyError)."""
    database = Path(database)
    if not copies:
        raise KeyFileNotPutBack(
            "No copy of the key file was found. A copy is kept beside each backup: choose "
            "one (a .key file in a backup folder, or on the USB stick the backups were copied "
            "to)."
        )
    unlocked_other = False
    damaged: ServiceError | None = None
    for copy in copies:
        try:
            if kind == RECOVERY_CODE_KIND:
                records_key = copy.unlock_with_recovery_code(secret)
            else:
                records_key = copy.unlock(secret)
        except (WrongPassphrase, WrongRecoveryCode):
            continue
        except recovery_code.MistypedRecoveryCode:
            raise  # a typing mistake: the same for every copy
        except RecordsKeyError as error:  # a damaged or unreadable copy: try the next
            damaged = error
            continue
        records = RecordsFile(database, records_key)
        try:
            records.connect("ro").close()
        except WrongKey:
            unlocked_other = True  # a copy of other records' key file (or an older key)
            continue
        KeyFile.beside(database).restore_from_copy(copy, records_key)
        return records, copy
    if unlocked_other:
        raise KeyFileNotPutBack(
            "That unlocks a key file, but of other records (another laptop's, or these "
            "records' before their key was replaced): it does not open these. Choose the "
            ".key file of a backup of these records."
        )
    if kind == RECOVERY_CODE_KIND:
        raise WrongRecoveryCode(
            "That recovery code opens none of the key file copies found. Check it against "
            "the Recovery sheet of these records (its key name is printed at the top)."
            + (f" ({damaged.message})" if damaged is not None else "")
        )
    raise WrongPassphrase(
        "That passphrase opens none of the key file copies found. Try the passphrase you "
        "had when the newest backup was made, or use the recovery code instead."
    )


def new_recovery_code(records_key: bytes) -> NewKey:
    """A new recovery code for these records' key, not yet written anywhere: show its
    Recovery sheet, then `replace_recovery_code` once it has been printed or saved."""
    return NewKey(
        records_key, recovery_code.format_code(recovery_code.new_secret()), key_id(records_key)
    )


def replace_recovery_code(
    database: Path, new: NewKey, backup_folders: Iterable[Path] = ()
) -> list[Path]:
    """The recovery slot of the key file of `database`, and of every copy of it beside a
    backup in `backup_folders` with the same key, rewrapped for the new code: the old code
    opens none of them any more. The passphrase slots stay as they are. Returns the backup
    copies changed. The records' own key file is written first: should a copy fail, the
    records already have the new code (and that copy keeps the old one)."""
    KeyFile.beside(database).replace_recovery_code(new.records_key, new.recovery_code)
    changed = []
    own = key_file_path(Path(database)).resolve()
    for copy in _every_copy(backup_folders):
        if copy.path.resolve() == own:
            continue
        try:
            if copy.key_id != new.key_id:
                continue
            copy.replace_recovery_code(new.records_key, new.recovery_code)
        except (ServiceError, OSError):
            continue  # damaged or read-only: left as it is (it cannot be opened anyway)
        changed.append(copy.path)
    return changed


def _every_copy(folders: Iterable[Path]) -> list[KeyFile]:
    # key_file_copies counts identical copies once; every one of them must be rewritten.
    found: list[KeyFile] = []
    for folder in folders:
        if Path(folder).is_dir():
            found.extend(KeyFile(p) for p in Path(folder).glob(f"*{KEY_SUFFIX}"))
    return found
