"""The database file before SQLAlchemy: its schema revision, whether it is SQLite at all, and
SQLite's check of it. Plain sqlite3, so that the app can open its records and show the first
page without loading SQLAlchemy (services/quick_open.py); open_records.py builds on these."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from collab_desktop.models.records_file import (
    RecordsFile,
    RecordsFileError,
    database_errors,
    open_errors,
    records_of,
)
from collab_desktop.services.backups import RESTORING, BackupInfo, BackupService, check_file
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.file_check import (
    CheckInterrupted,
    full_check,
    is_sqlite,
    known_revisions,
)
from collab_desktop.services.records_key import key_file_path

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("collab_desktop")

__all__ = ["known_revisions"]


class DamagedDatabase(ServiceError):
    """The file fails SQLite's check. `backup` is the newest backup that passes it, if any;
    `since` says, as far as can be told, what restoring it would lose."""

    def __init__(self, message: str, backup: BackupInfo | None, since: str = "") -> None:
        super().__init__(message)
        self.backup = backup
        self.since = since


class NotOurFile(DamagedDatabase):
    """Where the records should be there is a file that is not a Collab Desktop database
    (zeroed, a text file, a picture, another program's database)."""


class NotOurs(ServiceError):
    """stored_revision: the file is not a Collab Desktop database (or too damaged to tell)."""


def _damaged(records: RecordsFile, problem: str, backups: BackupService) -> DamagedDatabase:
    # The detail (SQLite's own words, sometimes undecodable bytes) is for the log.
    path = records.path
    log.error("%s failed its check: %s", path, problem[:500])
    backup = backups.newest_good()
    return DamagedDatabase(
        f"The database file {path.name} is damaged: SQLite's check found parts of it "
        "unreadable or not agreeing. Carrying on could lose more, so nothing has been "
        "changed.",
        backup,
        changed_since(records, backup),
    )


class NeedsKey(ServiceError):
    """The records are encrypted but were to be opened without their key (their key file is
    beside them): the caller asks for the passphrase first."""


def not_our_file(path: Path, backups: BackupService) -> NotOurFile:
    if key_file_path(path).exists() and not backups.records.encrypted:
        raise NeedsKey(
            f"The records file {path.name} is encrypted: it opens with its passphrase or "
            "recovery code."
        )
    log.error("%s is not a Collab Desktop database", path)
    return NotOurFile(
        f"The file where your records should be ({path.name}) is not a Collab Desktop "
        "database: it may have been replaced by another file, or its beginning wiped. "
        "Nothing in it has been changed.",
        backups.newest_good(),
    )


# What the tables hold, in words, for "what changed since" (the rest are not told).
_TABLE_WORDS = {
    "organisation": "partners",
    "contact": "contacts",
    "collaboration": "collaborations",
    "agreement_version": "agreement versions",
    "participant": "participants",
    "activity": "activities",
    "activity_session": "sessions",
    "attendance": "attendance marks",
    "volunteer": "volunteers",
    "audit_entry": "changes in the agreements' history",
}


def _counts(path: RecordsFile | Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    try:
        connection = records_of(path).connect("ro")
    except open_errors():
        return counts
    try:
        for table in _TABLE_WORDS:
            try:
                counts[table] = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            except (*database_errors(), ValueError):  # type: ignore[misc]
                continue  # that part is unreadable, or the table is not there
    finally:
        connection.close()
    return counts


def changed_since(path: RecordsFile | Path, backup: BackupInfo | None) -> str:
    """What the records hold that the backup does not, as far as a damaged file can be
    read: counts of what it has more of, in words ("" if nothing can be told)."""
    if backup is None:
        return ""
    records = records_of(path)
    now, then = _counts(records), _counts(records.with_path(backup.path))
    more = [
        f"{now[t] - then[t]:,} {words}"
        for t, words in _TABLE_WORDS.items()
        if t in now and t in then and now[t] > then[t]
    ]
    if not more:
        return ""
    return "As far as can be told, your records now hold " + ", ".join(more) + " more than it."


class StartupCheck:
    """The checks of the live file, for a database opened with the check deferred.

    Two checks, one after the other, off the GUI thread. The quick check reads every page (about
    0.4 s for ten years of records), which would keep the first page off the screen that long;
    so the app shows its first page, then runs it (ui/opening.watch_startup_check), and the
    first write waits for it (running it there if it has not started) and is refused if the file
    is damaged: nothing is added to an unreadable file. Then the full check
    (file_check.full_check: indexes against their tables, foreign keys) finds the damage the
    quick check cannot see. It takes several times longer, so no save ever waits for it: any
    transaction on the records interrupts it, and it starts again once they have been left alone
    for QUIET seconds. Either check's damage is reported to the user as soon as it is known,
    with the newest good backup offered (ui/opening.watch_startup_check), and from then on
    writes are refused. Reads before then may meet the damage: they fail with a message that
    says so (StorageError), never with wrong figures presented as sound.
    """

    QUIET = 1.0
    STUCK = 30.0

    def __init__(self, path: RecordsFile | Path, backups: BackupService) -> None:
        self.records = records_of(path)
        self.path = self.records.path
        self._backups = backups
        self._lock = threading.Lock()
        self._done = False
        self.damage: DamagedDatabase | None = None
        self.full_done = False
        self._state = threading.Condition()
        self._busy = 0  # transactions open on the records
        self._last_busy = 0.0
        self._checking: Any = None
        self._stopped = False
        self._running_full = False
        self._running_quick = False

    @property
    def done(self) -> bool:
        return self._done

    def run_quick(self) -> DamagedDatabase | None:
        """The quick check (once; later calls wait for that one and share its result). Not
        once stopped: the file may be closed, moved aside or replaced by then."""
        with self._lock:
            if not self._done and not self._stopped:
                with self._state:
                    self._running_quick = True
                try:
                    problem = check_file(self.records, writable=True)
                finally:
                    with self._state:
                        self._running_quick = False
                        self._state.notify_all()
                if problem is not None:
                    self.damage = _damaged(self.records, problem, self._backups)
                self._done = True
        return self.damage

    def run(self) -> DamagedDatabase | None:
        """Both checks: the quick one, then (if it passed) the full one."""
        damage = self.run_quick()
        if damage is not None:
            return damage
        return self.run_full()

    def run_full(self) -> DamagedDatabase | None:
        with self._state:
            if self.full_done or self._stopped:
                return self.damage
            self._running_full = True
        try:
            while True:
                with self._state:
                    # (A transaction never ended, e.g. on a connection lost, holds the check
                    # back STUCK seconds at most.)
                    while not self._stopped and (
                        (self._busy and time.monotonic() - self._last_busy < self.STUCK)
                        or time.monotonic() - self._last_busy < self.QUIET
                    ):
                        self._state.wait(self.QUIET)
                    if self._stopped:
                        return self.damage
                try:
                    problem = full_check(
                        self.records, watch=self._watch, cache_kib=self.records.check_cache_kib
                    )
                except CheckInterrupted:
                    continue
                if problem is not None and self.damage is None:
                    self.damage = _damaged(self.records, problem, self._backups)
                self.full_done = True
                return self.damage
        finally:
            with self._state:
                self._running_full = False
                self._state.notify_all()

    def _watch(self, connection: Any) -> None:
        with self._state:
            self._checking = connection
            if connection is not None and (self._busy or self._stopped):
                connection.interrupt()  # a transaction began just before the check did

    def _began(self) -> None:
        with self._state:
            self._busy += 1
            self._last_busy = time.monotonic()
            if self._checking is not None:
                self._checking.interrupt()

    def _ended(self) -> None:
        with self._state:
            self._busy = max(0, self._busy - 1)
            self._last_busy = time.monotonic()
            self._state.notify_all()

    def stop(self) -> None:
        """Stop the full check, and wait until its connection is closed, and for a quick
        check under way to end (it cannot be interrupted; it takes a second or so at ten
        years' scale): before the file is closed, replaced or moved, as a check reading a
        file being swapped is how a rescue crashed. Neither check starts once stopped."""
        with self._state:
            self._stopped = True
            if self._checking is not None:
                self._checking.interrupt()
            self._state.notify_all()
            while self._running_full or self._running_quick:
                self._state.wait(0.1)

    def before_write(self) -> None:
        damage = self.damage if self._done else self.run_quick()
        if damage is not None:
            raise damage

    def guard(self, engine: Engine) -> None:
        """Make every INSERT, UPDATE or DELETE on `engine` wait for a passed quick check, and
        every transaction interrupt the full check (it starts again when they are over)."""
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _writes_wait(conn, cursor, statement, parameters, context, executemany) -> None:
            if context is not None and (context.isinsert or context.isupdate or context.isdelete):
                self.before_write()

        @event.listens_for(engine, "begin")
        def _began(conn) -> None:
            self._began()

        @event.listens_for(engine, "commit")
        def _committed(conn) -> None:
            self._ended()

        @event.listens_for(engine, "rollback")
        def _rolled_back(conn) -> None:
            self._ended()


def stored_revision(where: RecordsFile | Path) -> str | None:
    """The schema revision of an existing file, read with plain sqlite3 so that an up-to-date
    database opens without importing Alembic (about 0.4 s of start-up). A key that does not
    open an encrypted file raises models/records_file.WrongKey."""
    records = records_of(where)
    path = records.path
    if not path.exists() or path.stat().st_size == 0:
        return None
    # mode=rw, not ro: it never creates a file, and after a crash or power cut SQLite must be
    # able to roll back the hot journal, which a read-only connection refuses to do (the
    # database would then fail to open). Nothing is written here otherwise. As a URI built by
    # as_uri(), percent-encoded: a "#" or "?" in a folder name would otherwise end the path,
    # and SQLite would open (and create) a different file beside the folder.
    not_ours = NotOurs(
        f"{path.name} is not a Collab Desktop database, or it is damaged. Choose another "
        "file or restore a backup; nothing in it has been changed."
    )
    try:
        connection = records.connect("rw")
    except RecordsFileError:
        raise
    except database_errors() as error:
        if "locked" in str(error):
            raise ServiceError(
                f"{path.name} is in use by another program (is Collab Desktop already open?). "
                "Close it and try again."
            ) from error
        raise not_ours from error
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except UnicodeDecodeError as error:  # a damaged schema: not text at all
        raise not_ours from error
    except database_errors() as error:
        if "locked" in str(error):
            raise ServiceError(
                f"{path.name} is in use by another program (is Collab Desktop already open?). "
                "Close it and try again."
            ) from error
        if "no such table" not in str(error):
            raise not_ours from error
        # No schema revision: a new, empty file is ours to set up; one that already has
        # tables belongs to another program and must not be written to.
        if connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone():
            raise not_ours from error
        return None
    finally:
        connection.close()
    return row[0] if row else None


def _is_sqlite(path: RecordsFile | Path) -> bool:
    return is_sqlite(path)


def is_new(path: Path) -> bool:
    """No records yet: no file, or an empty one (a first start interrupted before its first
    table was made)."""
    try:
        return not path.exists() or path.stat().st_size == 0
    except OSError:
        return False


def default_backup_folder(database: Path) -> Path:
    return database.parent / "backups"


def remove_leftovers(path: Path, backups: BackupService) -> list[Path]:
    """What a killed write of the app's own leaves behind, found by name in its own folders
    and removed at the next start (by the holder of the records' lock, so no other copy is
    still writing them): a half-copied backup and its journal, a half-copied restore and its
    journal. (A journal beside the records themselves is never removed: SQLite needs it to
    roll back a half-done save.)"""
    removed = backups.remove_leftovers()
    for name in (path.name + RESTORING, path.name + RESTORING + "-journal"):
        leftover = path.with_name(name)
        try:
            if leftover.exists():
                leftover.unlink()
                removed.append(leftover)
        except OSError as error:
            log.warning("Could not remove %s: %s", leftover, error)
    for leftover in removed:
        log.info("Removed the leftover %s", leftover)
    return removed


def check_report(
    path: RecordsFile | Path, folders: list[BackupService]
) -> tuple[list[str], bool]:
    """`collab-desktop --check`: the full check of the records and of every backup (in each
    folder given), without changing anything. One line per file with its verdict, then the
    newest good backup; and whether the records are sound (no file or an empty one, that is
    no records yet, counts as sound). Encrypted records and backups are read with the key
    in `path` (a RecordsFile)."""
    records = records_of(path)
    path = records.path
    lines = []
    if is_new(path):
        sound = True
        lines.append(f"{path}: no records yet")
    elif not is_sqlite(records):
        sound = False
        lines.append(f"{path}: NOT A COLLAB DESKTOP DATABASE")
    else:
        problem = full_check(records, cache_kib=records.check_cache_kib)
        sound = problem is None
        verdict = "sound" if problem is None else f"DAMAGED ({_first_line(problem)})"
        lines.append(f"{path}: {verdict}")
    newest: BackupInfo | None = None
    for backups in folders:
        for backup in backups.list_backups():
            copy = backups.records_for(backup.path)
            problem = full_check(copy, cache_kib=copy.check_cache_kib)
            if problem is None and (newest is None or backup.created > newest.created):
                newest = backup
            verdict = "sound" if problem is None else f"DAMAGED ({_first_line(problem)})"
            lines.append(f"{backup.path}: {verdict}")
    if newest is None:
        where = " or ".join(str(b.folder) for b in folders)
        lines.append(f"Newest good backup: none in {where}")
    else:
        lines.append(f"Newest good backup: {newest.path} ({newest.created:%d %B %Y at %H:%M})")
    return lines, sound


def _first_line(problem: str) -> str:
    line = problem.splitlines()[0] if problem else ""
    return line if len(line) <= 100 else line[:97] + "..."
