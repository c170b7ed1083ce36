"""Converting a plain database to an encrypted one, without ever putting the records at risk.

1. The plain file is opened for writing once, so SQLite rolls back a write that a crash
   interrupted, and its figures are taken: the rows of every table, the schema revision and
   the audit chain's state (the seq numbers where it is broken, normally none).
2. sqlcipher_export() writes an encrypted copy beside it (``<name>.encrypting``), reporting
   progress as the copy grows, and flushes it to disk.
3. The copy is opened with the key and checked in full: PRAGMA integrity_check (which also
   reads and authenticates every page), the same rows, the same revision, the same audit
   chain. Anything else: the copy is deleted, the plain file is untouched, and the error
   says so.
4. The copy is renamed over the plain file (one atomic step) and the folder flushed.
5. The plain copies the caller names (the old backups) are deleted, and the message says
   honestly that deleted files can sometimes be recovered from the disk.

A kill or power cut at any moment leaves either the plain file whole (a leftover
``.encrypting`` file is only ever an unfinished copy: `leftover_copy` finds it and it is
deleted before the next try) or the encrypted file whole and checked. The key file must be
made (and the Recovery sheet printed) before this starts: a plain database beside a key
file means a conversion that did not finish, to be run again with the same key.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from collab_desktop.models.records_file import (
    RecordsFile,
    RecordsFileError,
    database_errors,
    is_plain_sqlite,
)
from collab_desktop.services.durable_files import fsync_dir
from collab_desktop.services.errors import ServiceError


def _read_errors() -> tuple[type[Exception], ...]:
    return (*database_errors(), RecordsFileError)


def _write_errors() -> tuple[type[Exception], ...]:
    return (*_read_errors(), OSError)


__all__ = [
    "ConversionFailed",
    "Converted",
    "STAGING_SUFFIX",
    "convert_to_encrypted",
    "leftover_copy",
]

STAGING_SUFFIX = ".encrypting"
# Stages reported to `stage` (for the progress dialog's words, and for tests).
EXPORTING, CHECKING, SWAPPING, REMOVING = "exporting", "checking", "swapping", "removing"


class ConversionFailed(ServiceError):
    """The encrypted copy could not be made or did not match; the plain file is untouched."""


@dataclass(frozen=True)
class Figures:
    counts: dict[str, int]
    revision: str | None
    audit_breaks: list[int]


@dataclass
class Converted:
    records: RecordsFile
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # plain copies that could not be deleted

    @property
    def message(self) -> str:
        copies = len(self.removed)
        text = (
            "Your records are now encrypted: without the passphrase or the Recovery sheet "
            "nobody can read them, on this laptop or in any backup made from now on. "
            f"The unencrypted file{' and ' + _copies(copies) if copies else ''} "
            f"{'were' if copies else 'was'} deleted. "
        )
        if self.kept:
            text += (
                f"{_copies(len(self.kept)).capitalize()} could not be deleted (in use or "
                "read-only); delete them by hand: " + ", ".join(p.name for p in self.kept) + ". "
            )
        return text + (
            "Deleted files can sometimes still be recovered from the disk with special "
            "tools. To protect against that as well, turn on the computer's full-disk "
            "encryption (BitLocker on Windows, FileVault on a Mac)."
        )


def _copies(n: int) -> str:
    return f"{n} unencrypted backup{'s' if n != 1 else ''}"


def leftover_copy(database: Path) -> Path:
    """Where an unfinished encrypted copy of `database` would be."""
    return database.with_name(database.name + STAGING_SUFFIX)


def _figures(records: RecordsFile, audit: Callable[[RecordsFile], list[int]] | None) -> Figures:
    with records.connection("ro") as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {
            t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        revision = None
        if "alembic_version" in counts:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return Figures(counts, revision, audit(records) if audit is not None else [])


def audit_breaks(records: RecordsFile) -> list[int]:
    """The audit chain's breaks (services/audit.AuditLog.verify) in these records."""
    from collab_desktop.models.database import make_session_factory
    from collab_desktop.services.audit import AuditLog

    engine = records.make_engine()
    try:
        return AuditLog(make_session_factory(engine)).verify()
    finally:
        engine.dispose()


def convert_to_encrypted(
    database: Path,
    key: bytes,
    plain_copies: Iterable[Path] = (),
    progress: Callable[[float], None] | None = None,
    stage: Callable[[str], None] | None = None,
    audit: Callable[[RecordsFile], list[int]] | None = audit_breaks,
) -> Converted:
    """Encrypt the plain database at `database` with `key` (see the module's note). The
    caller holds the one-writer lock and has closed every other connection to it.
    `progress(fraction)` goes from 0 to 1 while the copy is written."""
    database = Path(database)
    report = stage or (lambda _name: None)
    if not is_plain_sqlite(database):
        raise ConversionFailed(f"{database.name} is not an unencrypted Collab Desktop database.")
    plain = RecordsFile(database)
    staging = leftover_copy(database)
    staging.unlink(missing_ok=True)  # an unfinished copy from a try that was cut short
    try:
        # Opening for writing rolls back a write a crash interrupted: the copy must start
        # from the state the records were last saved in.
        plain.connect("rw").close()
        before = _figures(plain, audit)
    except _read_errors() as error:
        raise ConversionFailed(
            f"The records could not be read to encrypt them, so nothing was changed ({error})."
        ) from error
    total = max(database.stat().st_size, 1)
    report(EXPORTING)
    try:
        encrypted = plain.export_encrypted(
            staging,
            key,
            progress=(lambda done: progress(min(done / total, 1.0))) if progress else None,
        )
        if progress is not None:
            progress(1.0)
        report(CHECKING)
        problem = _check(encrypted, before, audit)
    except _write_errors() as error:
        staging.unlink(missing_ok=True)
        raise ConversionFailed(
            f"The encrypted copy could not be written, so nothing was changed ({error})."
        ) from error
    if problem is not None:
        staging.unlink(missing_ok=True)
        raise ConversionFailed(
            f"The encrypted copy did not match the records ({problem}), so it was deleted "
            "and nothing was changed. Please report this; the records are still unencrypted."
        )
    report(SWAPPING)
    os.replace(staging, database)
    fsync_dir(database.parent)
    # A journal left beside the plain file belongs to it, not to the encrypted one.
    database.with_name(database.name + "-journal").unlink(missing_ok=True)
    report(REMOVING)
    done = Converted(RecordsFile(database, key))
    for copy in plain_copies:
        copy = Path(copy)
        # Only ever a plain copy: an encrypted backup is kept whatever the caller passed.
        if not is_plain_sqlite(copy):
            continue
        try:
            copy.unlink()
        except OSError:
            done.kept.append(copy)
        else:
            done.removed.append(copy)
    return done


def _check(encrypted: RecordsFile, before: Figures, audit) -> str | None:
    with encrypted.connection("ro") as connection:
        result = connection.execute("PRAGMA integrity_check").fetchall()
    if result != [("ok",)]:
        return "; ".join(str(r[0]) for r in result[:5])
    after = _figures(encrypted, audit)
    if after.counts != before.counts:
        differ = sorted(t for t in before.counts.keys() | after.counts.keys()
                        if before.counts.get(t) != after.counts.get(t))  # fmt: skip
        return "different numbers of rows in " + ", ".join(differ)
    if after.revision != before.revision:
        return "a different schema revision"
    if after.audit_breaks != before.audit_breaks:
        return "the history's chain of changes does not match"
    return None
