"""The records key and the key file that keeps it, wrapped twice: by the passphrase and by
the recovery code.

- The records key is 32 random bytes (os.urandom). It encrypts the database and every backup
  (models/records_file.py), and is never derived from anything a person types or keeps, so
  no passphrase change and no lost sheet ever needs the records re-encrypted.
- The key file, beside the database (``collab-desktop.sqlite3.key``), holds the records key
  in two *slots*, each the key encrypted with AES-GCM under a key-encryption key:
  - "passphrase": the key-encryption key comes from the passphrase through a slow,
    memory-hard derivation (Argon2id from `cryptography`; scrypt where Argon2id is not
    available), because people choose guessable passphrases.
  - "recovery": the key-encryption key comes from the recovery code's 160 random bits
    (services/recovery_code.py) through HKDF with a salt: a code that random needs no slowing.
    The code is printed once, on the Recovery sheet, for the charity's safe.
  Changing the passphrase rewrites the passphrase slot only (instant; the recovery code stays
  valid). A copy of the key file goes with every backup (services/backups.py), so a backup
  copied to another laptop opens there with its passphrase or its recovery code.
- A key file is never made silently: `create` refuses when a key file is already there or
  the database is already encrypted. A lost key file is put back from a backup's copy
  (`restore_from_copy`), never replaced by a new key.

The file is versioned JSON (format "collab-desktop-records-key", version 2; version 1, made by
an unreleased build, derived the key from the recovery code and is not read), written to a
temporary file, flushed to disk and renamed over the old one, so a crash leaves either the
old key file or the new one, never half of one:

    {"format": "collab-desktop-records-key", "version": 2, "key_id": "K7Q2-M0XN",
     "created": "2026-12-02T17:00:00+00:00",
     "passphrase": {"params": {"kdf": "argon2id", ...}, "salt": b64, "nonce": b64,
                    "wrapped": b64, "changed": iso time},
     "recovery": {"params": {"kdf": "hkdf-sha256"}, "salt": b64, "nonce": b64,
                  "wrapped": b64, "changed": iso time}}

Each slot's AES-GCM additional data binds it to the format, the version, the key's name, the
slot's name and its settings.
"""

from __future__ import annotations

import base64
import json
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

# cryptography (about 7 MiB) is imported where a key is made or unwrapped, not here: the first
# page of plain records, which imports this module for key_file_path, never needs it.
from collab_desktop.models.records_file import RecordsFile, WrongKey, is_plain_sqlite
from collab_desktop.services import recovery_code
from collab_desktop.services.durable_files import write_atomically
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.passphrase_policy import check_passphrase

__all__ = [
    "KeyFile",
    "KeyFileDamaged",
    "KeyFileMissing",
    "NewKey",
    "RecordsKeyError",
    "WrongPassphrase",
    "WrongRecoveryCode",
    "key_file_path",
]

FORMAT = "collab-desktop-records-key"
VERSION = 2
KEY_SUFFIX = ".key"

# About 0.3 s and 128 MiB on the 2-core test machine when idle (0.7 s while other work kept
# both cores busy); the unlock budget is 1 s. RFC 9106 recommends 3 passes over 64 MiB where
# 2 GiB is too much; this is twice that memory. The settings are stored in each key file, so
# raising them later leaves old files readable.
ARGON2ID = {"kdf": "argon2id", "iterations": 3, "lanes": 4, "memory_kib": 131072}
# scrypt with 128 MiB (128 * n * r bytes), for a `cryptography` built without Argon2id.
SCRYPT = {"kdf": "scrypt", "n": 2**17, "r": 8, "p": 1}


class RecordsKeyError(ServiceError):
    """The records key cannot be had as asked; the message says why and what to do."""


class WrongPassphrase(RecordsKeyError):
    pass


class WrongRecoveryCode(RecordsKeyError):
    pass


class KeyFileMissing(RecordsKeyError):
    pass


class KeyFileDamaged(RecordsKeyError):
    pass


def key_file_path(database: Path) -> Path:
    """Where the key file of `database` is: beside it, its name plus ".key"."""
    database = Path(database)
    return database.with_name(database.name + KEY_SUFFIX)


def key_id(records_key: bytes) -> str:
    """A short name of the records key (not secret: it tells nothing about the key), printed
    on the Recovery sheet and kept in the key file, so that a sheet, a key file and a
    backup can be matched: e.g. "K7Q2-M0XN"."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    digest = HKDF(
        algorithm=hashes.SHA256(), length=5, salt=None, info=b"collab-desktop key id v1"
    ).derive(records_key)
    number = int.from_bytes(digest, "big")
    chars = [recovery_code.ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(8))]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def _normalised(passphrase: str) -> bytes:
    # The same passphrase typed on Windows and on a Mac can reach us as different code points
    # (é as one character or as e plus an accent): NFC makes them the same bytes.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def default_kdf() -> dict[str, Any]:
    from cryptography.exceptions import UnsupportedAlgorithm

    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8)
    except (ImportError, UnsupportedAlgorithm):
        return dict(SCRYPT)
    return dict(ARGON2ID)


def _derive(passphrase: str, salt: bytes, params: dict[str, Any]) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    secret = _normalised(passphrase)
    if params.get("kdf") == "argon2id":
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        kdf = Argon2id(
            salt=salt,
            length=32,
            iterations=int(params["iterations"]),
            lanes=int(params["lanes"]),
            memory_cost=int(params["memory_kib"]),
        )
        return kdf.derive(secret)
    if params.get("kdf") == "scrypt":
        kdf = Scrypt(
            salt=salt, length=32, n=int(params["n"]), r=int(params["r"]), p=int(params["p"])
        )
        return kdf.derive(secret)
    raise ValueError(f"unknown key derivation {params.get('kdf')!r}")


def _aad(kid: str, params: dict[str, Any], slot: str = "passphrase") -> bytes:
    # Binds the wrapped key to this format, this key's name and these settings: a key file
    # whose parts were swapped or edited fails to unwrap rather than giving a wrong key.
    return json.dumps([FORMAT, VERSION, kid, slot, params], sort_keys=True).encode("utf-8")


RECOVERY_KDF = {"kdf": "hkdf-sha256"}


def _recovery_kek(secret: bytes, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=salt, info=b"collab-desktop recovery wrap v2"
    ).derive(secret)


def _now_text(now: datetime) -> str:
    return now.astimezone(timezone.utc).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class NewKey:
    """What `create` made: the records key (for RecordsFile), the recovery code to print once
    on the Recovery sheet, and the key's short name."""

    records_key: bytes
    recovery_code: str
    key_id: str

    def __repr__(self) -> str:
        return f"NewKey(key_id={self.key_id!r})"  # never the key or the code


class KeyFile:
    """The key file at `path` (see key_file_path)."""

    def __init__(
        self,
        path: Path,
        kdf: dict[str, Any] | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.path = Path(path)
        self._kdf = kdf  # tests pass a fast one; None: default_kdf()
        self._now = now

    @classmethod
    def beside(cls, database: Path, **options: Any) -> KeyFile:
        return cls(key_file_path(database), **options)

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    # -- reading ------------------------------------------------------------------------

    def _load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raise KeyFileMissing(
                f"The key file {self.path.name} is missing from {self.path.parent}, so neither "
                "the passphrase nor the recovery code can open these records. Put it back: a "
                "copy is kept with each backup (the .key file of the same name in the backup "
                "folder), and it opens with the passphrase or the recovery code of that time."
            ) from None
        except OSError as error:
            raise RecordsKeyError(
                f"The key file {self.path.name} cannot be read: {error}"
            ) from error
        damaged = KeyFileDamaged(
            f"The key file {self.path.name} is damaged, so the passphrase cannot open these "
            "records. Put back the key file kept with a backup (the .key file of the same name "
            "in the backup folder)."
        )
        try:
            data = json.loads(raw.decode("utf-8"))
            slot = data["passphrase"]
            if data["format"] != FORMAT or not isinstance(slot, dict):
                raise damaged
        except (ValueError, KeyError, TypeError):
            raise damaged from None
        if not isinstance(data.get("version"), int) or data["version"] > VERSION:
            raise RecordsKeyError(
                f"The key file {self.path.name} was made by a newer version of Collab Desktop. "
                "Install the newer version to open these records."
            )
        if data["version"] < VERSION:
            raise KeyFileDamaged(
                f"The key file {self.path.name} was made by a test build of Collab Desktop "
                "(key file version 1) and cannot be read by this one."
            )
        return data

    @property
    def key_id(self) -> str:
        return str(self._load()["key_id"])

    def unlock(self, passphrase: str) -> bytes:
        """The records key, or WrongPassphrase. Takes about a third of a second, on purpose."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        data = self._load()
        slot = data["passphrase"]
        try:
            params = dict(slot["params"])
            salt, nonce, wrapped = (_unb64(slot[k]) for k in ("salt", "nonce", "wrapped"))
            kek = _derive(passphrase, salt, params)
        except (ValueError, KeyError, TypeError) as error:
            raise KeyFileDamaged(
                f"The key file {self.path.name} is damaged ({error}). Use the recovery code "
                "from the Recovery sheet, or put back the key file kept with a backup."
            ) from None
        try:
            records_key = AESGCM(kek).decrypt(nonce, wrapped, _aad(data["key_id"], params))
        except InvalidTag:
            raise WrongPassphrase(
                "That passphrase does not open these records. Check Caps Lock and the "
                "keyboard language, and try again, or use the recovery code instead."
            ) from None
        if key_id(records_key) != data["key_id"]:
            raise KeyFileDamaged(f"The key file {self.path.name} has been altered.")
        return records_key

    def unlock_with_recovery_code(self, code: str) -> bytes:
        """The records key from a typed recovery code (MistypedRecoveryCode for a typing
        mistake, WrongRecoveryCode for a code of other records). Instant."""
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        secret = recovery_code.parse_code(code)
        data = self._load()
        slot = data.get("recovery")
        try:
            if not isinstance(slot, dict):
                raise KeyError("recovery")
            params = dict(slot["params"])
            if params.get("kdf") != RECOVERY_KDF["kdf"]:
                raise ValueError(f"unknown recovery wrap {params.get('kdf')!r}")
            salt, nonce, wrapped = (_unb64(slot[k]) for k in ("salt", "nonce", "wrapped"))
        except (ValueError, KeyError, TypeError) as error:
            raise KeyFileDamaged(
                f"The key file {self.path.name} is damaged ({error}), so the recovery code "
                "cannot be checked against it. Put back the key file kept with a backup."
            ) from None
        try:
            records_key = AESGCM(_recovery_kek(secret, salt)).decrypt(
                nonce, wrapped, _aad(data["key_id"], params, "recovery")
            )
        except InvalidTag:
            raise WrongRecoveryCode(
                "That recovery code is for other records: these records have the key "
                f"{data['key_id']}, printed at the top of their Recovery sheet. Find the sheet "
                "that shows it."
            ) from None
        if key_id(records_key) != data["key_id"]:
            raise KeyFileDamaged(f"The key file {self.path.name} has been altered.")
        return records_key

    # -- writing ------------------------------------------------------------------------

    def _slot(self, records_key: bytes, passphrase: str) -> dict[str, Any]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        params = self._kdf or default_kdf()
        salt, nonce = os.urandom(16), os.urandom(12)
        kid = key_id(records_key)
        wrapped = AESGCM(_derive(passphrase, salt, params)).encrypt(
            nonce, records_key, _aad(kid, params)
        )
        return {
            "params": params,
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "wrapped": _b64(wrapped),
            "changed": _now_text(self._now()),
        }

    def _recovery_slot(self, records_key: bytes, secret: bytes) -> dict[str, Any]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        params = dict(RECOVERY_KDF)
        salt, nonce = os.urandom(16), os.urandom(12)
        wrapped = AESGCM(_recovery_kek(secret, salt)).encrypt(
            nonce, records_key, _aad(key_id(records_key), params, "recovery")
        )
        return {
            "params": params,
            "salt": _b64(salt),
            "nonce": _b64(nonce),
            "wrapped": _b64(wrapped),
            "changed": _now_text(self._now()),
        }

    def _write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, text.encode("utf-8"), private=True)

    def create(self, passphrase: str, database: Path | None = None) -> NewKey:
        """A new random records key for a new (or plain, to be converted) database, wrapped
        by `passphrase` (checked by the passphrase policy: ValidationError) and by a new
        recovery code. Refuses when a key file is here already, or `database` is already
        encrypted."""
        check_passphrase(passphrase)
        if self.exists:
            raise RecordsKeyError(
                f"{self.path.name} already exists: these records have a key already, and a new "
                "one would lock them out. Nothing was changed."
            )
        if database is not None:
            _refuse_if_encrypted(Path(database), self.path)
        records_key = os.urandom(32)
        secret = recovery_code.new_secret()
        kid = key_id(records_key)
        self._write(
            {
                "format": FORMAT,
                "version": VERSION,
                "key_id": kid,
                "created": _now_text(self._now()),
                "passphrase": self._slot(records_key, passphrase),
                "recovery": self._recovery_slot(records_key, secret),
            }
        )
        return NewKey(records_key, recovery_code.format_code(secret), kid)

    def change_passphrase(self, records_key: bytes, new_passphrase: str) -> None:
        """Rewrap the records key (which the person unlocked with the old passphrase or the
        recovery code) with a new passphrase. The records are not re-encrypted, and the
        recovery slot (and so the printed Recovery sheet) stays as it is."""
        check_passphrase(new_passphrase)
        data = self._load()
        if key_id(records_key) != data["key_id"]:
            raise RecordsKeyError("That key does not belong to these records; nothing changed.")
        data["passphrase"] = self._slot(records_key, new_passphrase)
        self._write(data)

    def replace_recovery_code(self, records_key: bytes, code: str) -> None:
        """Rewrap the records key for a new recovery code (the Recovery sheet was lost):
        the old code stops opening this key file; the passphrase slot stays as it is."""
        secret = recovery_code.parse_code(code)
        data = self._load()
        if key_id(records_key) != data["key_id"]:
            raise RecordsKeyError("That key does not belong to these records; nothing changed.")
        data["recovery"] = self._recovery_slot(records_key, secret)
        self._write(data)

    def copy_to(self, target: Path) -> None:
        """This key file, as it is now, at `target` (the copy kept with a backup)."""
        write_atomically(Path(target), self.path.read_bytes(), private=True)

    def restore_from_copy(self, copy: KeyFile, records_key: bytes) -> None:
        """Put back a lost or damaged key file from a copy (the one kept with a backup of
        these records), once the person has unlocked that copy (`records_key`), which the
        caller has checked opens the database. An intact key file is never replaced."""
        try:
            self._load()
        except (KeyFileMissing, KeyFileDamaged):
            pass
        else:
            raise RecordsKeyError(
                f"{self.path.name} is there and intact: unlock with it, then change the "
                "passphrase if needed."
            )
        if key_id(records_key) != copy.key_id:
            raise RecordsKeyError("That key does not belong to this key file; nothing changed.")
        self._write(copy._load())


def _refuse_if_encrypted(database: Path, key_path: Path) -> None:
    try:
        with database.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    if head and head != b"SQLite format 3\x00":
        raise KeyFileMissing(
            f"{database.name} is already encrypted, and its key file {key_path.name} is "
            "missing. A new key would not open it: put the key file back (a copy is kept with "
            "each backup), then unlock with the passphrase or the recovery code."
        )


# -- the records of a data folder: what they need to be opened ----------------------------

NEW = "new"  # no records yet
PLAIN = "plain"  # an unencrypted database (made before encryption, or by choice)
ENCRYPTED = "encrypted"  # encrypted, with its key file
KEY_MISSING = "key-missing"  # not plain SQLite and no key file: encrypted with it lost, or
# not a database at all (the two cannot be told apart: SQLCipher's file is random bytes)

PASSPHRASE_KIND = "passphrase"
RECOVERY_CODE_KIND = "recovery_code"


def records_state(database: Path) -> str:
    database = Path(database)
    try:
        size = database.stat().st_size if database.exists() else 0
    except OSError:
        size = 0
    if size == 0:
        return ENCRYPTED if key_file_path(database).exists() else NEW
    if is_plain_sqlite(database):
        return PLAIN
    return ENCRYPTED if key_file_path(database).exists() else KEY_MISSING


def open_with_secret(database: Path, kind: str, secret: str, **options: Any) -> RecordsFile:
    """The records file at `database`, its key unwrapped from the passphrase or the recovery
    code (`kind`) typed by the person, and checked against the file (a key file of other
    records says so). Raises RecordsKeyError (and subclasses) or MistypedRecoveryCode with a
    plain message. The unlock the start-up dialog, the lock screen and --check share."""
    key_file = KeyFile.beside(database, **options)
    if kind == RECOVERY_CODE_KIND:
        records_key = key_file.unlock_with_recovery_code(secret)
    else:
        records_key = key_file.unlock(secret)
    records = RecordsFile(Path(database), records_key)
    if Path(database).exists() and Path(database).stat().st_size > 0:
        try:
            records.connect("ro").close()
        except WrongKey:
            raise KeyFileDamaged(
                f"The key file {key_file.path.name} does not belong to {Path(database).name}: "
                "it opens other records. Put back the key file kept with a backup of these "
                "records."
            ) from None
    return records


def create_encrypted(
    database: Path, passphrase: str, **options: Any
) -> tuple[RecordsFile, NewKey]:
    """A new key file for new records at `database` (no file yet, or an empty one), and the
    records file to open them with. The caller shows the Recovery sheet (NewKey.recovery_code)
    once."""
    new = KeyFile.beside(database, **options).create(passphrase, database=database)
    return RecordsFile(Path(database), new.records_key), new


def passphrase_from_terminal(prompt: str = "Passphrase: ") -> str | None:
    """For the commands without a window (--check, --self-test): the environment variable
    COLLAB_DESKTOP_PASSPHRASE (for scripts), else asked on the terminal without echo; None
    when there is no terminal to ask on."""
    import getpass
    import sys

    value = os.environ.get(PASSPHRASE_ENV)
    if value is not None:
        return value
    if not sys.stdin or not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        return None


PASSPHRASE_ENV = "COLLAB_DESKTOP_PASSPHRASE"
