"""What pins the audit trail from outside the database: a secret key and an anchor file.

The hash chain in the database (services/audit.py) shows an entry edited or removed in the
middle, but someone who edits the file can also delete the newest entries, or recompute every
hash with the app's own (unkeyed) function. Two small files beside the database, in the data
folder, close those gaps:

- the key (`<database>.audit-key`): 32 random bytes made once. Every new entry carries an
  HMAC-SHA256 of its hash under this key, which an edit of the database alone cannot forge;
- the anchor (`<database>.audit-anchor`): the newest entry's number and hash, written
  (atomically) after each commit that adds entries, with a MAC under the same key. A chain
  that ends before it, or differs from it, was cut or rewritten.

Entries up to the anchor's `base` are accepted on the unkeyed chain alone: those made before
this protection existed, or restored from a backup (perhaps made on another computer, under
another key). `reset_after_restore` moves the base to the restored file's newest entry, so a
restore is not reported as tampering.

Someone who has both the database and the key file, and rewrites both consistently, cannot
be detected: the README says so.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from collab_desktop.models.records_file import (
    RecordsFile,
    open_errors,
    records_of,
    sqlite_errors,
)
from collab_desktop.services.durable_files import write_atomically

log = logging.getLogger("collab_desktop")

KEY_SUFFIX = ".audit-key"
ANCHOR_SUFFIX = ".audit-anchor"
_FORMAT = 1


def key_path(database: Path) -> Path:
    """The one place that says where the key lives: beside (not inside) the database."""
    return database.with_name(database.stem + KEY_SUFFIX)


def anchor_path(database: Path) -> Path:
    return database.with_name(database.stem + ANCHOR_SUFFIX)


# hashlib, hmac and secrets are imported where used, not at start: they load OpenSSL (3 MiB
# and 9 ms at each start, before the first page, which never seals or checks the history).
def mac(key: bytes, text: str) -> str:
    import hashlib
    import hmac

    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Anchor:
    seq: int  # the newest entry the app committed (0: none)
    hash: str
    base_seq: int  # entries up to here are accepted on the unkeyed chain alone
    base_hash: str

    def _text(self) -> str:
        return json.dumps([_FORMAT, self.seq, self.hash, self.base_seq, self.base_hash])


class AuditAnchor:
    """The key and anchor files of one database."""

    def __init__(self, database: Path) -> None:
        self.database = Path(database)
        self.key_file = key_path(self.database)
        self.anchor_file = anchor_path(self.database)

    def key(self, create: bool = True) -> bytes | None:
        """The key, made on first use. None if it cannot be read or made, or if it is missing
        while an anchor exists: a replacement made silently would make every entry it sealed
        look forged, so that case is reported (AuditLog.check) rather than papered over."""
        try:
            return bytes.fromhex(self.key_file.read_text(encoding="ascii").strip())
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as error:
            log.error("The audit key %s cannot be read: %s", self.key_file, error)
            return None
        if not create or self.anchor_file.exists():
            return None
        import secrets

        key = secrets.token_bytes(32)
        try:
            write_atomically(self.key_file, key.hex().encode("ascii"), private=True)
        except OSError as error:
            log.error("The audit key %s cannot be written: %s", self.key_file, error)
            return None
        return key

    def read(self) -> tuple[Anchor | None, str | None]:
        """The anchor (None if there is none yet), and a problem in plain words if the file
        is there but cannot be trusted."""
        unreadable = (
            f"The record of the history's newest entry ({self.anchor_file.name}, in the data "
            "folder) cannot be read, so entries removed from the end of the history would not "
            "show."
        )
        try:
            raw = json.loads(self.anchor_file.read_text(encoding="utf-8"))
            anchor = Anchor(
                int(raw["seq"]), str(raw["hash"]), int(raw["base_seq"]), str(raw["base_hash"])
            )
            sealed = str(raw["mac"])
        except FileNotFoundError:
            return None, None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.error("The audit anchor %s cannot be read: %s", self.anchor_file, error)
            return None, unreadable
        key = self.key(create=False)
        if key is None:
            return anchor, (
                f"The key that seals the history ({self.key_file.name}, in the data folder) "
                "is missing or unreadable, so changes made outside Collab Desktop cannot be "
                "ruled out."
            )
        import hmac

        if not hmac.compare_digest(sealed, mac(key, anchor._text())):
            return anchor, (
                f"The record of the history's newest entry ({self.anchor_file.name}, in the "
                "data folder) was changed outside Collab Desktop."
            )
        return anchor, None

    def write(self, anchor: Anchor) -> None:
        key = self.key()
        if key is None:
            return
        record = asdict(anchor) | {"format": _FORMAT, "mac": mac(key, anchor._text())}
        try:
            write_atomically(self.anchor_file, json.dumps(record).encode("utf-8"))
        except OSError as error:
            # The entries are committed and keyed; the next commit moves the anchor on.
            log.error("The audit anchor %s cannot be written: %s", self.anchor_file, error)


def _head(database: RecordsFile | Path) -> tuple[int, str]:
    """The newest entry of a database file: (0, "") if it has none, or no trail at all (a
    backup made before the audit trail existed)."""
    connection = records_of(database).connect("ro")
    try:
        row = connection.execute(
            "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"
        ).fetchone()
    except sqlite_errors("OperationalError"):
        row = None
    finally:
        connection.close()
    return (int(row[0]), str(row[1])) if row else (0, "")


def reset_after_restore(where: RecordsFile | Path) -> None:
    """Audit anchor reset after restore: the records were replaced by a backup, whose history
    ends where it ends. Anchor that, as the new base, so the restore is not reported as
    entries removed; everything written after it must be keyed by this computer's key."""
    records = records_of(where)
    anchor = AuditAnchor(records.path)
    try:
        seq, hash_ = _head(records)
    except open_errors() as error:
        # Without the head nothing can be anchored; an old anchor would call the restore
        # tampering, so it goes, and the next commit anchors afresh.
        log.error("The restored file's history cannot be read (%s); anchor removed", error)
        anchor.anchor_file.unlink(missing_ok=True)
        return
    # Removed first, so that a key gone missing may be made afresh: a restore is a deliberate
    # fresh start. (Killed in between, there is no anchor, and the next commit makes one.)
    anchor.anchor_file.unlink(missing_ok=True)
    anchor.write(Anchor(seq, hash_, seq, hash_))
