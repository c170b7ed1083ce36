"""The database file before SQLAlchemy: its schema revision, whether it is SQLite at all, and
SQLite's check of it. Plain sqlite3, so that the app can open its records and show the first
page without loading SQLAlchemy (services/quick_open.py); store.py builds on these."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from collab_desktop.migrations import MIGRATIONS_DIR
from collab_desktop.services.backups import BackupInfo, BackupService, check_file
from collab_desktop.services.errors import ServiceError

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("collab_desktop")


class DamagedDatabase(ServiceError):
    """The file fails SQLite's check. `backup` is the newest backup that passes it, if any."""

    def __init__(self, message: str, backup: BackupInfo | None) -> None:
        super().__init__(message)
        self.backup = backup


def _damaged(path: Path, problem: str, backups: BackupService) -> DamagedDatabase:
    # The detail (SQLite's own words, sometimes undecodable bytes) is for the log.
    log.error("%s failed its check: %s", path, problem[:500])
    return DamagedDatabase(
        f"The database file {path.name} is damaged: SQLite's check found parts of it "
        "unreadable. Carrying on could lose more, so nothing has been changed.",
        backups.newest_good(),
    )


class StartupCheck:
    """SQLite's quick check of the live file, for a database opened with the check deferred.

    The check reads every page: about 0.4 s for ten years of records (a 400 MB file), more on
    a slow disk, which would keep the first page off the screen that long. So the app shows
    its first page while `run()` goes on in a background thread (SQLite works without holding
    Python's lock, so the window stays responsive), and the guarantee that a damaged file is
    never used silently is kept by two things: the first write waits for the check (running
    it there if it has not started) and is refused if the file is damaged, so nothing is
    added to a damaged file; and a damaged result is reported to the user as soon as it is
    known, with the newest good backup offered (ui/opening.watch_startup_check). Reads
    before then may meet the damage: they fail with a message that says so (StorageError),
    never with wrong figures presented as sound.
    """

    def __init__(self, path: Path, backups: BackupService) -> None:
        self.path = path
        self._backups = backups
        self._lock = threading.Lock()
        self._done = False
        self.damage: DamagedDatabase | None = None

    @property
    def done(self) -> bool:
        return self._done

    def run(self) -> DamagedDatabase | None:
        """Check the file (once; later calls wait for that one and share its result)."""
        with self._lock:
            if not self._done:
                problem = check_file(self.path, writable=True)
                if problem is not None:
                    self.damage = _damaged(self.path, problem, self._backups)
                self._done = True
        return self.damage

    def before_write(self) -> None:
        damage = self.damage if self._done else self.run()
        if damage is not None:
            raise damage

    def guard(self, engine: Engine) -> None:
        """Make every INSERT, UPDATE or DELETE on `engine` wait for a passed check."""
        from sqlalchemy import event

        @event.listens_for(engine, "before_cursor_execute")
        def _writes_wait(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            if context is not None and (context.isinsert or context.isupdate or context.isdelete):
                self.before_write()


def known_revisions() -> list[str]:
    # Revision files are named NNNN_description.py and numbered in order.
    return sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))


def stored_revision(path: Path) -> str | None:
    """The schema revision of an existing file, read with plain sqlite3 so that an up-to-date
    database opens without importing Alembic (about 0.4 s of start-up)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    # mode=rw, not ro: it never creates a file, and after a crash or power cut SQLite must be
    # able to roll back the hot journal, which a read-only connection refuses to do (the
    # database would then fail to open). Nothing is written here otherwise. As a URI built by
    # as_uri(), percent-encoded: a "#" or "?" in a folder name would otherwise end the path,
    # and SQLite would open (and create) a different file beside the folder.
    not_ours = ServiceError(
        f"{path.name} is not a Collab Desktop database, or it is damaged. Choose another "
        "file or restore a backup; nothing in it has been changed."
    )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    except sqlite3.Error as error:
        raise ServiceError(f"{path.name} could not be opened ({error}).") from error
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
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


def _is_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size < 16:
        return False
    with path.open("rb") as handle:
        return handle.read(16) == b"SQLite format 3\x00"


def default_backup_folder(database: Path) -> Path:
    return database.parent / "backups"
