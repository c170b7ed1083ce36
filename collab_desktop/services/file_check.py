"""What a file is and whether it is sound, with plain sqlite3 (no SQLAlchemy), so that the
app can tell before opening anything: SQLite's quick check, its full check, and the one check
every restore makes of the file it is about to put in place of the records.

Two checks, because they cost and find different things. `quick_check` reads every page but
does not compare indexes with their tables (0.4 s on ten years of records); flipping six bytes
of a name inside a row passes it. `full_check` is `PRAGMA integrity_check` (indexes against
tables too) and `PRAGMA foreign_key_check`: several times as slow, so the live file gets it in
the background (database_file.StartupCheck) and every backup gets it before it counts as good.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from collab_desktop.models.records_file import (
    SQLITE_HEADER,
    RecordsFile,
    RecordsFileError,
    database_errors,
    records_of,
)

HEADER = SQLITE_HEADER


# What a check meets and reports: SQLite's errors from either module, and ours for a key that
# does not open the file.
def _errors() -> tuple[type[Exception], ...]:
    return (*database_errors(), RecordsFileError, ValueError)


# Lines of integrity_check's report kept: enough to log what is wrong, not megabytes of it.
REPORT_LINES = 20


class CheckInterrupted(Exception):
    """The full check was stopped (a save wanted the file, or the app is closing)."""


def is_sqlite(path: RecordsFile | Path) -> bool:
    """Whether the file starts as these records' files do (plain: SQLite's header; encrypted:
    anything else, see RecordsFile.has_database_header)."""
    return records_of(path).has_database_header()


def _connect(path: RecordsFile | Path, writable: bool) -> Any:
    connection = records_of(path).connect("rw" if writable else "ro")
    # Damaged pages can hold bytes that are not UTF-8; report them, do not trip on them.
    connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
    return connection


def quick_check(path: RecordsFile | Path, writable: bool = False) -> str | None:
    """None if the file is a readable SQLite database, else what is wrong with it. `writable`
    lets SQLite roll back a write a crash interrupted (a read-only check would call such a
    file unreadable); use it only for the live database."""
    try:
        connection = _connect(path, writable)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except _errors() as error:
        return str(error)
    return None if result == "ok" else result


def full_check(
    path: RecordsFile | Path,
    writable: bool = False,
    watch: Callable[[Any], None] | None = None,
    cache_kib: int | None = None,
) -> str | None:
    """None if the whole file is sound (every page, every index against its table, every
    foreign key), else what is wrong. `watch` is given the connection while the check runs
    (and None after), so that another thread can interrupt it: CheckInterrupted is raised.
    `cache_kib`: SQLite's page cache for the check, if not the connection's usual one."""
    try:
        connection = _connect(path, writable)
        if cache_kib is not None:
            connection.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    except _errors() as error:
        return str(error)
    try:
        if watch is not None:
            watch(connection)
        lines = [row[0] for row in connection.execute("PRAGMA integrity_check")]
        if lines != ["ok"]:
            return "\n".join(lines[:REPORT_LINES])
        orphan = connection.execute("PRAGMA foreign_key_check").fetchone()
        if orphan is not None:
            table, rowid, parent, _ = orphan
            return f"a row of {table} (rowid {rowid}) refers to a missing row of {parent}"
        return None
    except _errors() as error:
        if "interrupt" in str(error):
            raise CheckInterrupted from error
        return str(error)
    finally:
        if watch is not None:
            watch(None)
        connection.close()


def revision_of(path: RecordsFile | Path) -> str | None:
    """The schema revision in a Collab Desktop database (None: it holds none)."""
    connection = _connect(path, writable=False)
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        connection.close()
    return row[0] if row else None


def known_revisions() -> list[str]:
    from collab_desktop.migrations import MIGRATIONS_DIR

    # Revision files are named NNNN_description.py and numbered in order.
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))


def restore_problem(where: RecordsFile | Path) -> str | None:
    """The one check of a file about to replace the records (the welcome's restore, the
    Backups page's, the rescue of damaged records): None if it is a Collab Desktop database,
    not newer than this version, that passes the full check and is not empty; else why not,
    in plain words. Reads the file only. An encrypted file is read with the key given in
    `where` (a bare path: a plain file)."""
    records = records_of(where)
    path = records.path
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        return f"{name} cannot be read (it may have been moved or deleted)."
    if size == 0:
        return f"{name} is empty: it holds no records."
    if not is_sqlite(records):
        if records.encrypted:
            return f"{name} is not an encrypted Collab Desktop backup (it is a plain database)."
        return f"{name} is not a Collab Desktop backup (it is not a database file)."
    try:
        revision = revision_of(records)
    except RecordsFileError as error:
        return f"{name} cannot be restored: {error.message}"
    except database_errors():
        # No table of ours: a damaged file is told as such, another program's as not ours.
        if quick_check(records) is not None:
            return f"{name} is damaged, so it cannot be restored. Try an older backup."
        return (
            f"{name} is not a Collab Desktop backup: it is another program's database, "
            "or holds no records of ours."
        )
    if revision is None:
        return f"{name} is not a Collab Desktop backup (it holds no records of ours)."
    if revision not in known_revisions():
        return (
            f"{name} was made by a newer version of Collab Desktop. Install the newer "
            "version to restore it."
        )
    if full_check(records) is not None:
        return f"{name} is damaged, so it cannot be restored. Try an older backup."
    return None
