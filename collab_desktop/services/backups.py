"""Backups of the database file: made with SQLite's online backup API into a temporary file,
checked, then renamed into place, so a crash mid-backup never leaves a half file under a
backup's name and never touches the older backups. Rotated so the folder stays small.

A backup's reason and time are in its file name, so the list needs no database of its own
and survives the database it protects being lost.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from collab_desktop.services import audit_anchor
from collab_desktop.services.errors import ServiceError

PREFIX = "collab-desktop-"
SUFFIX = ".sqlite3"
PARTIAL = ".partial"
_NAME = re.compile(
    rf"^{PREFIX}(?P<stamp>\d{{8}}-\d{{6}}-\d{{6}})-(?P<reason>[a-z0-9-]+){re.escape(SUFFIX)}$"
)

REASONS = {
    "manual": "Backed up by hand",
    "close": "On closing",
    "daily": "Daily",
    "before-migration": "Before updating the database",
    "before-restore": "Before restoring another backup",
    "before-import": "Before an import",
}
# Backups made before something risky are kept until the user deletes them: they are the
# way back if that step went wrong.
KEEP_ALWAYS = {"before-migration", "before-restore", "before-import"}
KEEP_RECENT = 10
KEEP_WEEKLY = 8


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason.replace("-", " ").capitalize())


class BackupError(ServiceError):
    pass


def table_counts(connection: sqlite3.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def check_file(path: Path, writable: bool = False) -> str | None:
    """None if the file is a sound SQLite database, else what is wrong with it. `writable`
    lets SQLite roll back a write a crash interrupted (a read-only check would call such a
    file unreadable); use it only for the live database."""
    try:
        mode = "rw" if writable else "ro"
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
        # Damaged pages can hold bytes that are not UTF-8; report them, do not trip on them.
        connection.text_factory = lambda raw: raw.decode("utf-8", errors="replace")
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            connection.close()
    except (sqlite3.Error, ValueError) as error:
        return str(error)
    return None if result == "ok" else result


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on Windows.
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class BackupService:
    def __init__(self, database: Path, folder: Path, now: Callable[[], datetime] = datetime.now):
        self.database = database
        self.folder = folder
        self._now = now

    def list_backups(self) -> list[BackupInfo]:
        """Newest first. Files that are not finished backups (or not ours) are ignored."""
        if not self.folder.is_dir():
            return []
        found = []
        for path in self.folder.iterdir():
            match = _NAME.match(path.name)
            if not match:
                continue
            created = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
            found.append(BackupInfo(path, created, match["reason"], path.stat().st_size))
        return sorted(found, key=lambda b: b.created, reverse=True)

    def newest(self) -> BackupInfo | None:
        backups = self.list_backups()
        return backups[0] if backups else None

    def backup_now(self, reason: str = "manual") -> BackupInfo:
        if not self.database.exists():
            raise BackupError("There is no database to back up yet.")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BackupError(f"The backup folder {self.folder} cannot be made: {error}") from error
        created = self._now()
        name = f"{PREFIX}{created:%Y%m%d-%H%M%S-%f}-{reason}{SUFFIX}"
        final = self.folder / name
        partial = self.folder / (name + PARTIAL)
        source = sqlite3.connect(self.database)
        try:
            # One read transaction: the counts and the copy see the same state.
            source.execute("BEGIN")
            expected = table_counts(source)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
            source.execute("COMMIT")
        except (sqlite3.Error, OSError) as error:
            partial.unlink(missing_ok=True)
            raise BackupError(f"The backup could not be written: {error}") from error
        finally:
            source.close()
        problem = check_file(partial)
        if problem is None:
            copy = sqlite3.connect(f"{partial.resolve().as_uri()}?mode=ro", uri=True)
            try:
                if table_counts(copy) != expected:
                    problem = "the copy does not hold the same records"
            finally:
                copy.close()
        if problem is not None:
            partial.unlink(missing_ok=True)
            raise BackupError(f"The backup failed its check ({problem}); nothing was replaced.")
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
        _fsync_dir(self.folder)
        self.rotate()
        return BackupInfo(final, created, reason, final.stat().st_size)

    def due_daily(self) -> bool:
        newest = self.newest()
        return newest is None or self._now() - newest.created >= timedelta(days=1)

    def rotate(self) -> list[Path]:
        """Keep the newest KEEP_RECENT, the newest of each of the last KEEP_WEEKLY weeks, and
        every backup made before a risky step. Returns what was deleted. Leftover partial
        files from an interrupted backup are removed too."""
        backups = self.list_backups()
        keep = {b.path for b in backups if b.reason in KEEP_ALWAYS}
        routine = [b for b in backups if b.reason not in KEEP_ALWAYS]
        keep.update(b.path for b in routine[:KEEP_RECENT])
        weeks: set[tuple[int, int]] = set()
        cutoff = self._now() - timedelta(weeks=KEEP_WEEKLY)
        for b in routine:
            week = b.created.isocalendar()[:2]
            if b.created >= cutoff and week not in weeks:
                weeks.add(week)
                keep.add(b.path)
        deleted = []
        for b in backups:
            if b.path not in keep:
                b.path.unlink(missing_ok=True)
                deleted.append(b.path)
        for leftover in self.folder.glob(f"{PREFIX}*{PARTIAL}"):
            leftover.unlink(missing_ok=True)
        return deleted

    def restore(self, backup: Path, safety_copy: bool = True) -> BackupInfo | None:
        """Replace the database with a backup. The current file is backed up first (if it can
        be read at all). The caller must have closed every connection to the database."""
        problem = check_file(backup)
        if problem is not None:
            raise BackupError(f"That backup cannot be used: it is damaged ({problem}).")
        safety = None
        sound = self.database.exists() and check_file(self.database, writable=True) is None
        if safety_copy and sound:
            safety = self.backup_now("before-restore")
        staging = self.database.with_name(self.database.name + ".restoring")
        source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(staging)
            try:
                source.backup(target)
            finally:
                target.close()
        except sqlite3.Error as error:
            staging.unlink(missing_ok=True)
            raise BackupError(f"The backup could not be copied: {error}") from error
        finally:
            source.close()
        with open(staging, "rb+") as handle:
            os.fsync(handle.fileno())
        journal = self.database.with_name(self.database.name + "-journal")
        journal.unlink(missing_ok=True)  # belongs to the file being replaced
        os.replace(staging, self.database)
        _fsync_dir(self.database.parent)
        audit_anchor.reset_after_restore(self.database)
        return safety

    def newest_good(self) -> BackupInfo | None:
        for backup in self.list_backups():
            if check_file(backup.path) is None:
                return backup
        return None
