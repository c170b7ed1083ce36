"""The records key and the key file that keeps it, wrapped by the passphrase.

- The records key (32 bytes) encrypts the database and every backup (models/records_file.py).
  It is made from the recovery code's random secret (services/recovery_code.py), so the
  Recovery sheet alone opens the records and any backup of them, even on another laptop
  and even when the key file is lost.
- The key file, beside the database (``collab-desktop.sqlite3.key``), holds the records key
  wrapped by the passphrase: a slow, memory-hard derivation (Argon2id from `cryptography`;
  scrypt where Argon2id is not available) makes a key-encryption key, and AES-GCM encrypts
  the records key with it. Changing the passphrase rewraps the records key: nothing is
  re-encrypted, and the recovery code stays the same.
- A key file is never made silently: `create` refuses when a key file is already there or
  the database is already encrypted (its key file lost: `restore_with_recovery_code` makes a
  new one, on the person's request, from the Recovery sheet).

The file is versioned JSON, written to a temporary file, flushed to disk and renamed over
the old one, so a crash leaves either the old key file or the new one, never half of one.
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

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

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
VERSION = 1
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
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

        Argon2id(salt=b"0" * 16, length=32, iterations=1, lanes=1, memory_cost=8)
    except (ImportError, UnsupportedAlgorithm):
        return dict(SCRYPT)
    return dict(ARGON2ID)


def _derive(passphrase: str, salt: bytes, params: dict[str, Any]) -> bytes:
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


def _aad(kid: str, params: dict[str, Any]) -> bytes:
    # Binds the wrapped key to this format, this key's name and these settings: a key file
    # whose parts were swapped or edited fails to unwrap rather than giving a wrong key.
    return json.dumps([FORMAT, VERSION, kid, params], sort_keys=True).encode("utf-8")


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
                f"The key file {self.path.name} is missing from {self.path.parent}, so the "
                "passphrase cannot open these records. Use the recovery code from the "
                "Recovery sheet, or put the key file back (a copy is kept with each backup)."
            ) from None
        except OSError as error:
            raise RecordsKeyError(
                f"The key file {self.path.name} cannot be read: {error}"
            ) from error
        damaged = KeyFileDamaged(
            f"The key file {self.path.name} is damaged, so the passphrase cannot open these "
            "records. Use the recovery code from the Recovery sheet, or put back the key file "
            "kept with a backup."
        )
        try:
            data = json.loads(raw.decode("utf-8"))
            slot = data["passphrase"]
            if data["format"] != FORMAT or not isinstance(slot, dict):
                raise damaged
        except (ValueError, KeyError, TypeError):
            raise damaged from None
        if data.get("version") != VERSION:
            raise RecordsKeyError(
                f"The key file {self.path.name} was made by a newer version of Collab Desktop. "
                "Install the newer version to open these records."
            )
        return data

    @property
    def key_id(self) -> str:
        return str(self._load()["key_id"])

    def unlock(self, passphrase: str) -> bytes:
        """The records key, or WrongPassphrase. Takes about a third of a second, on purpose."""
        data = self._load()
        slot = data["passphrase"]
        try:
            params = dict(slot["params"])
            salt, nonce, wrapped = (_unb64(slot[k]) for k in ("salt", "nonce", "wrapped"))
            kek = _derive(passphrase, salt, params)
        except (ValueError, KeyError, TypeError) as error:
            raise KeyFileDamaged(
                f"The key file {self.path.name} is damaged ({error}). Use the recovery code "
                "from the Recovery sheet."
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
        records_key = recovery_code.key_from_secret(recovery_code.parse_code(code))
        expected = self.key_id
        if key_id(records_key) != expected:
            raise WrongRecoveryCode(
                "That recovery code is for other records: these records have the key "
                f"{expected}, printed at the top of their Recovery sheet. Find the sheet that "
                "shows it."
            )
        return records_key

    # -- writing ------------------------------------------------------------------------

    def _slot(self, records_key: bytes, passphrase: str) -> dict[str, Any]:
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

    def _write(self, data: dict[str, Any]) -> None:
        text = json.dumps(data, indent=2, sort_keys=True) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(self.path, text.encode("utf-8"), private=True)

    def _write_new(self, records_key: bytes, passphrase: str) -> str:
        kid = key_id(records_key)
        self._write(
            {
                "format": FORMAT,
                "version": VERSION,
                "key_id": kid,
                "created": _now_text(self._now()),
                "passphrase": self._slot(records_key, passphrase),
            }
        )
        return kid

    def create(self, passphrase: str, database: Path | None = None) -> NewKey:
        """A new records key for a new (or plain, to be converted) database, wrapped by
        `passphrase` (checked by the passphrase policy: ValidationError). Refuses when a
        key file is here already, or `database` is already encrypted."""
        check_passphrase(passphrase)
        if self.exists:
            raise RecordsKeyError(
                f"{self.path.name} already exists: these records have a key already, and a new "
                "one would lock them out. Nothing was changed."
            )
        if database is not None:
            _refuse_if_encrypted(Path(database), self.path)
        secret = recovery_code.new_secret()
        records_key = recovery_code.key_from_secret(secret)
        kid = self._write_new(records_key, passphrase)
        return NewKey(records_key, recovery_code.format_code(secret), kid)

    def change_passphrase(self, records_key: bytes, new_passphrase: str) -> None:
        """Rewrap the records key (which the person unlocked with the old passphrase or the
        recovery code) with a new passphrase. The records are not re-encrypted."""
        check_passphrase(new_passphrase)
        data = self._load()
        if key_id(records_key) != data["key_id"]:
            raise RecordsKeyError("That key does not belong to these records; nothing changed.")
        data["passphrase"] = self._slot(records_key, new_passphrase)
        self._write(data)

    def restore_with_recovery_code(self, code: str, new_passphrase: str) -> bytes:
        """A new key file from the recovery code, for records whose key file is lost or
        damaged: the person asked for it, and typed the code and a new passphrase. The
        caller checks the key opens the database (RecordsFile.connect) first: see
        `key_from_code`. An intact key file is never replaced here (change_passphrase)."""
        check_passphrase(new_passphrase)
        records_key = key_from_code(code)
        try:
            self._load()
        except (KeyFileMissing, KeyFileDamaged):
            pass
        else:
            raise RecordsKeyError(
                f"{self.path.name} is there and intact: use the recovery code to unlock, then "
                "change the passphrase."
            )
        self._write_new(records_key, new_passphrase)
        return records_key


def key_from_code(code: str) -> bytes:
    """The records key from a recovery code alone (no key file): what opens a backup that
    was copied to another laptop without its key file. Whether it is the right code shows
    when the database is opened with it (models/records_file.WrongKey)."""
    return recovery_code.key_from_secret(recovery_code.parse_code(code))


def _refuse_if_encrypted(database: Path, key_path: Path) -> None:
    try:
        with database.open("rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        return
    if head and head != b"SQLite format 3\x00":
        raise KeyFileMissing(
            f"{database.name} is already encrypted, and its key file {key_path.name} is "
            "missing. A new key would not open it: use the recovery code from its Recovery "
            "sheet, or put the key file back (a copy is kept with each backup)."
        )
