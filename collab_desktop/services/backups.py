"""Backups of the database file: copied with SQLite's online backup API, a few pages at a
time, into a temporary file, given the full check, then renamed into place, so a crash
mid-backup never leaves a half file under a backup's name and never touches the older
backups, and a save made meanwhile waits a few milliseconds, not for the whole copy.
Rotated so the folder stays small, never losing the newest backup known to be good.

A backup's reason, time and verdict are in its file name, so the list needs no database of
its own and survives the database it protects being lost:

    collab-desktop-20261201-140512-123456-close.checked.sqlite3   passed the full check
    collab-desktop-20261201-140512-123456-close.damaged.sqlite3   failed it: kept, marked
    collab-desktop-20261201-140512-123456-close.sqlite3           made by an older version
                                                                  (quick check only): checked
                                                                  when first needed
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from collab_desktop.models.records_file import (
    RecordsFile,
    is_plain_sqlite,
    open_errors,
    records_of,
)
from collab_desktop.services import audit_anchor
from collab_desktop.services.durable_files import fsync_dir
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.file_check import full_check, quick_check, restore_problem
from collab_desktop.services.records_key import KeyFile, key_file_path

log = logging.getLogger("collab_desktop")

PREFIX = "collab-desktop-"
SUFFIX = ".sqlite3"
PARTIAL = ".partial"
CHECKED = "checked"
DAMAGED = "damaged"
UNCHECKED = "unchecked"
_NAME = re.compile(
    rf"^{PREFIX}(?P<stamp>\d{{8}}-\d{{6}}-\d{{6}})-(?P<reason>[a-z0-9-]+?)"
    rf"(?:\.(?P<verdict>{CHECKED}|{DAMAGED}))?{re.escape(SUFFIX)}$"
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
# Damaged copies are kept for whoever may try to recover them, but only the newest few:
# ten closes of a damaged file must not push good backups (or the disk) out.
KEEP_DAMAGED = 3

# The copy goes STEP_PAGES pages at a time (4 MiB of 4 KiB pages: a few milliseconds), and
# between steps the file is let go for STEP_PAUSE seconds, so that a save made during a backup
# waits for one step, not the whole copy (1 s for ten years of records; more on a USB stick).
# A save between steps makes the copy start again, which is what we want: the backup is then
# of the records as saved.
STEP_PAGES = 1024
STEP_PAUSE = 0.002
MAX_RESTARTS = 5


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int
    verdict: str = CHECKED

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason.replace("-", " ").capitalize())

    @property
    def good(self) -> bool:
        return self.verdict == CHECKED

    @property
    def verdict_label(self) -> str:
        return {
            CHECKED: "Sound",
            DAMAGED: "Damaged: not used",
            UNCHECKED: "Not checked yet",
        }[self.verdict]


# What copying a backup can meet: SQLite's refusals, a key that does not fit, the disk's.
def _copy_errors() -> tuple[type[Exception], ...]:
    return (*open_errors(), OSError)


class BackupError(ServiceError):
    pass


class RecordsDamaged(BackupError):
    """A backup's copy failed the full check: the records it was copied from are damaged.
    The copy is kept, marked damaged; `aside` is where."""

    def __init__(self, message: str, aside: Path | None) -> None:
        super().__init__(message)
        self.aside = aside


def table_counts(connection: Any) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def check_file(path: RecordsFile | Path, writable: bool = False) -> str | None:
    """SQLite's quick check (file_check.quick_check): readable pages, not a full check."""
    return quick_check(path, writable)


def copy_in_steps(records: RecordsFile, partial: Path) -> None:
    """The records file's bytes, as they are at one moment, into the file `partial`: a raw
    copy, STEP_PAGES pages at a time with a pause between steps (see above).

    Why bytes, not SQLite's backup API: an encrypted backup keeps the records' key, so its
    pages are the records' pages as they are on disk. The backup API decrypted every page
    and encrypted it again (2.3 s of the 3.4 s copy of ten years of records); a byte copy
    needs neither (1.1 s), and is faster for a plain file too (1.0 s against 1.4 s). The
    full check of the copy, with the key, proves it afterwards.

    Why the bytes are of one moment: the records use a rollback journal (journal_mode
    DELETE), never WAL, so every committed change is in the file itself, and a commit
    writes the file only while holding SQLite's EXCLUSIVE lock, which it cannot get while
    any connection holds a SHARED lock. Each step is read inside a read transaction of
    `source` (a SHARED lock), so no commit lands inside a step; between steps one may. A
    commit between two steps changes `PRAGMA data_version` (SQLite's count of commits by
    other connections, read at the start of each step): the copy then starts again, as the
    backup API would. Should saves keep coming faster than a copy can finish (MAX_RESTARTS
    times), the last copy is made in one step: those saves then wait for it (about a
    second on ten years of records) rather than the backup never finishing; they never fail
    for it (busy_timeout).

    The file is read through a handle of its own, closed at the end. Closing any handle of a
    file drops the POSIX locks this process holds on it (a Unix rule SQLite works around for
    its own handles only): another process could then think the file free for a moment.
    None does: only the holder of the records' lock (services/single_writer.py) opens them,
    and it is this process."""
    source = records.connect("ro")
    source.isolation_level = None  # transactions as written below, nothing implicit
    try:
        for _ in range(MAX_RESTARTS):
            if _copy_bytes(source, records.path, partial, STEP_PAGES):
                return
        log.info("Saves kept restarting the backup: copying it in one step")
        if not _copy_bytes(source, records.path, partial, None):
            raise BackupError("The records kept changing during the backup.")  # not reached
    finally:
        source.close()


# SQLite never stores anything in the page holding the byte at 1 GiB (its locks are there;
# on Windows another handle's lock on them makes reading that range fail): the copy writes
# zeros in its place, as SQLite itself leaves it.
_LOCK_BYTE = 0x40000000


def _copy_bytes(source: Any, path: Path, partial: Path, step_pages: int | None) -> bool:
    """One try: True if every step read the file at the same data_version (one moment),
    False if a commit came between two steps. `step_pages` None: the whole in one step."""
    page_size = int(source.execute("PRAGMA page_size").fetchone()[0])  # text, from SQLCipher
    lock_page = (_LOCK_BYTE // page_size) * page_size
    version: int | None = None
    size = done = 0
    # Unbuffered: every byte is read from the file inside a step, under its lock.
    with open(path, "rb", buffering=0) as reader, open(partial, "wb") as writer:
        while version is None or done < size:
            source.execute("BEGIN")
            try:
                # The first read takes the SHARED lock, held until COMMIT: no commit now.
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                now = int(source.execute("PRAGMA data_version").fetchone()[0])
                if version is None:
                    version, size = now, os.fstat(reader.fileno()).st_size
                elif now != version:
                    return False
                length = size - done if step_pages is None else page_size * step_pages
                reader.seek(done)
                data = bytearray(reader.read(min(length, size - done)))
            finally:
                source.execute("COMMIT")
            start = max(lock_page, done) - done  # the lock-byte page's part in this step
            end = min(lock_page + page_size, done + len(data)) - done
            if start < end:
                data[start:end] = bytes(end - start)
            writer.write(data)
            done += len(data)
            if not data and done < size:
                raise OSError(f"{path.name} ended before its size ({done} of {size} bytes)")
            if done < size:
                time.sleep(STEP_PAUSE)
    return True


class BackupNeedsKey(BackupError):
    """The backup is encrypted with another key than these records' (made on another laptop,
    or before the passphrase's key was replaced): `key_file` is the copy of its key file kept
    beside it (None if missing), to be unlocked with that backup's passphrase or recovery
    code; then restore(RecordsFile(backup, key))."""

    def __init__(self, message: str, key_file: KeyFile | None) -> None:
        super().__init__(message)
        self.key_file = key_file


class BackupService:
    def __init__(
        self,
        database: RecordsFile | Path,
        folder: Path,
        now: Callable[[], datetime] = datetime.now,
    ):
        # The records file (path and key) that every backup is copied from and checked with.
        self.records = records_of(database)
        self.database = self.records.path
        self.folder = folder
        self._now = now

    def records_for(self, backup: RecordsFile | Path) -> RecordsFile:
        """How to open one of these backups: with the records' key (a backup is encrypted
        with the key of the records it was copied from), or plain for a plain file (made
        before the records were encrypted). A RecordsFile (a backup opened with its own key)
        is returned as it is."""
        if isinstance(backup, RecordsFile):
            return backup
        if is_plain_sqlite(backup):
            return RecordsFile(Path(backup))
        return self.records.with_path(backup)

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
            try:
                size = path.stat().st_size
            except OSError:
                continue  # gone meanwhile (rotated by another step)
            verdict = match["verdict"] or UNCHECKED
            if verdict != DAMAGED and _cut_short(path, size):
                verdict = DAMAGED  # the name says sound; the size says otherwise
            found.append(BackupInfo(path, created, match["reason"], size, verdict))
        return sorted(found, key=lambda b: b.created, reverse=True)

    def made_before(self, when: datetime) -> list[BackupInfo]:
        """Backups older than `when`, newest first: after an erasure, the copies that still
        hold what it removed (services/privacy/erasure.py says when rotation ends them)."""
        return [b for b in self.list_backups() if b.created < when]

    def newest(self) -> BackupInfo | None:
        backups = self.list_backups()
        return backups[0] if backups else None

    def _name(self, created: datetime, reason: str, verdict: str) -> str:
        return f"{PREFIX}{created:%Y%m%d-%H%M%S-%f}-{reason}.{verdict}{SUFFIX}"

    def backup_now(self, reason: str = "manual") -> BackupInfo:
        """A new backup that has passed the full check. If the copy fails it, the records are
        damaged: the copy is kept, marked damaged (never offered first), and RecordsDamaged
        is raised, so that the damage is shown rather than saved as a good backup."""
        if not self.database.exists():
            raise BackupError("There is no database to back up yet.")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise BackupError(f"The backup folder {self.folder} cannot be made: {error}") from error
        created = self._now()
        final = self.folder / self._name(created, reason, CHECKED)
        partial = self.folder / (final.name + PARTIAL)
        try:
            # No transaction around the copy: each step takes the file for a moment only.
            copy_in_steps(self.records, partial)
        except _copy_errors() as error:
            _remove_partial(partial)
            raise BackupError(self._not_written(error)) from error
        copy = self.records.with_path(partial)
        problem = full_check(copy, cache_kib=copy.check_cache_kib)
        if problem is not None:
            log.error("The backup copy of %s failed the full check: %s", self.database, problem)
            aside = self.folder / self._name(created, reason, DAMAGED)
            try:
                os.replace(partial, aside)
            except OSError:
                _remove_partial(partial)
                aside = None
            self.rotate()
            raise RecordsDamaged(
                "Your records are damaged: the full check of the file found parts of it that "
                "do not agree (SQLite's words are in the log). This copy of them is kept, "
                "marked damaged, and is never offered as a good backup.",
                aside,
            )
        try:
            with open(partial, "rb+") as handle:
                os.fsync(handle.fileno())
            # An encrypted backup's key file goes beside it first, so that no backup is ever
            # there without it: with it, the backup opens on any laptop with the passphrase
            # (as it is now) or the recovery code, and nothing else.
            self._keep_key_file(final)
            os.replace(partial, final)
            fsync_dir(self.folder)
        except OSError as error:
            _remove_partial(partial)
            raise BackupError(self._not_written(error)) from error
        self.rotate()
        return BackupInfo(final, created, reason, final.stat().st_size, CHECKED)

    def _not_written(self, error: BaseException) -> str:
        """Why a backup could not be written, in words a person can act on (SQLite's and
        the system's own words go to the log)."""
        log.warning("A backup into %s failed: %s", self.folder, error)
        text = str(error).lower()
        errno_ = getattr(error, "errno", None)
        if errno_ == 28 or "disk is full" in text or "no space" in text:
            return (
                f"The backup was not made: the disk that holds the backup folder ({self.folder}) "
                "is full. Free some space there, or choose another backup folder (Edit → "
                "Preferences). Your records are as they were."
            )
        if errno_ in (13, 30) or "read-only" in text or "readonly" in text:
            return (
                f"The backup was not made: the backup folder ({self.folder}) cannot be written "
                "to (a read-only disk, or no permission). Choose another backup folder (Edit → "
                "Preferences). Your records are as they were."
            )
        return (
            f"The backup was not made: it could not be written to {self.folder} ({error}). "
            "Your records are as they were."
        )

    def _keep_key_file(self, backup: Path) -> None:
        if self.records.encrypted:
            KeyFile.beside(self.database).copy_to(key_file_path(backup))

    def due_daily(self) -> bool:
        newest = self.newest()
        return newest is None or self._now() - newest.created >= timedelta(days=1)

    def rotate(self) -> list[Path]:
        """Keep the newest KEEP_RECENT, the newest of each of the last KEEP_WEEKLY weeks,
        every backup made before a risky step, the newest KEEP_DAMAGED damaged ones, and
        always the newest backup that has passed the full check (ten closes of a damaged
        file must not rotate the last good copy away). Returns what was deleted. Leftovers
        of an interrupted backup are removed too."""
        backups = self.list_backups()
        keep = {b.path for b in backups if b.reason in KEEP_ALWAYS}
        newest_good = next((b for b in backups if b.good), None)
        if newest_good is not None:
            keep.add(newest_good.path)
        keep.update(b.path for b in [b for b in backups if b.verdict == DAMAGED][:KEEP_DAMAGED])
        routine = [b for b in backups if b.reason not in KEEP_ALWAYS and b.verdict != DAMAGED]
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
                key_file_path(b.path).unlink(missing_ok=True)
                deleted.append(b.path)
        self.remove_leftovers()
        return deleted

    def remove_leftovers(self) -> list[Path]:
        """What an interrupted backup leaves in the backup folder (its half-copied file and
        that file's journal), by name: only the holder of the records' lock makes backups."""
        removed = []
        if self.folder.is_dir():
            for pattern in (f"{PREFIX}*{PARTIAL}", f"{PREFIX}*{PARTIAL}-journal"):
                for leftover in self.folder.glob(pattern):
                    leftover.unlink(missing_ok=True)
                    removed.append(leftover)
            # A key file whose backup is gone (killed between the two, or deleted by hand).
            for key in self.folder.glob(f"{PREFIX}*{SUFFIX}.key"):
                if not key.with_name(key.name[: -len(".key")]).exists():
                    key.unlink(missing_ok=True)
                    removed.append(key)
        return removed

    def verify(self, backup: BackupInfo) -> BackupInfo:
        """Give a backup the full check now and mark it by name with the verdict (a backup
        of an older version, or one checked long ago that may since have decayed)."""
        records = self.records_for(backup.path)
        problem = full_check(records, cache_kib=records.check_cache_kib)
        verdict = CHECKED if problem is None else DAMAGED
        if problem is not None:
            log.error("Backup %s fails the full check: %s", backup.path, problem[:500])
        if verdict == backup.verdict:
            return backup
        renamed = backup.path.with_name(self._name(backup.created, backup.reason, verdict))
        try:
            if key_file_path(backup.path).exists():
                os.replace(key_file_path(backup.path), key_file_path(renamed))
            os.replace(backup.path, renamed)
        except OSError:
            return BackupInfo(backup.path, backup.created, backup.reason, backup.size, verdict)
        return BackupInfo(renamed, backup.created, backup.reason, backup.size, verdict)

    def newest_good(self) -> BackupInfo | None:
        """The newest backup that passes the full check now. Damaged ones are passed over;
        the one offered is checked again first (a file on a failing disk can decay)."""
        for backup in self.list_backups():
            if backup.verdict == DAMAGED:
                continue
            checked = self.verify(backup)
            if checked.good:
                return checked
        return None

    def other_key_file(self, backup: Path) -> KeyFile | None:
        """The key file kept beside `backup` when the backup is encrypted with another key
        than these records' (so its own passphrase or recovery code must be asked for);
        None when these records' key (or none, for a plain backup) is the one to read it
        with, or when there is nothing to unlock (no key file beside it: the restore check
        then says what the file is). Cheap (no check of the pages): asked before the
        records are closed. BackupError when these records are plain and the backup is
        encrypted (encrypt these records first)."""
        backup = Path(backup)
        key_file = KeyFile.beside(backup)
        if is_plain_sqlite(backup) or not key_file.exists:
            return None
        if not self.records.encrypted:
            raise BackupError(
                f"{backup.name} is encrypted and these records are not: encrypt these "
                "records first (File → Encrypt the records…), then restore it. Nothing has "
                "been replaced."
            )
        with contextlib.suppress(ServiceError):
            if key_file.key_id == KeyFile.beside(self.database).key_id:
                return None
        try:
            self.records.with_path(backup).connect("ro").close()
        except open_errors():
            return key_file
        return None  # these records' key reads it (their own key file was lost or redone)

    def restorable(self, backup: RecordsFile | Path) -> RecordsFile:
        """How `backup` opens, once it has passed the restore check; else BackupError says
        why (nothing is changed). A bare path is read with these records' key (or plain, for
        a plain file). A backup encrypted with another key (another laptop's, or these
        records' before their key was replaced) raises BackupNeedsKey: the caller asks for
        that backup's passphrase or recovery code, unlocks the key file kept beside it and
        passes RecordsFile(backup, key). The Backups page asks this before anything is
        closed, and restore() asks it again."""
        source = backup if isinstance(backup, RecordsFile) else self.records_for(backup)
        encrypted = source.encrypted or (
            key_file_path(source.path).is_file() and not is_plain_sqlite(source.path)
        )
        if encrypted and not self.records.encrypted:
            raise BackupError(
                f"{source.path.name} is encrypted and these records are not: encrypt these "
                "records first (File → Encrypt the records…), then restore it. Nothing has "
                "been replaced."
            )
        problem = restore_problem(source)
        if problem is not None and source.encrypted and not isinstance(backup, RecordsFile):
            key_file = KeyFile.beside(source.path)
            try:
                other = key_file.key_id != KeyFile.beside(self.database).key_id
            except ServiceError:
                other = True
            if other:
                raise BackupNeedsKey(
                    f"{source.path.name} was encrypted with another key than these records "
                    "(on another laptop, or before their key was replaced): it opens with "
                    "the passphrase or the recovery code it had when it was made.",
                    key_file if key_file.exists else None,
                )
        if problem is not None:
            raise BackupError(f"{problem} Nothing has been replaced.")
        return source

    def restore(
        self,
        backup: RecordsFile | Path,
        safety_copy: bool = True,
        before_replacing: Callable[[], object] | None = None,
    ) -> BackupInfo | None:
        """Replace the database with a backup, if it passes the restore check (a Collab
        Desktop database, not newer than this version, sound, not empty: else BackupError
        says why, and nothing is replaced). The current file is backed up first (if it can
        be read at all). `before_replacing` is called once the copy is ready, just before it
        takes the file's place (to move a damaged file aside). The caller must have closed
        every connection to the database.

        A bare path is read with these records' key (or plain, for a plain file); a backup
        with another key raises BackupNeedsKey: the caller unlocks its key file and passes
        RecordsFile(backup, key). Into encrypted records, every backup is copied encrypted
        with these records' key (a plain or other-key backup re-encrypted as it is copied),
        so this laptop's passphrase and Recovery sheet keep opening them."""
        source = self.restorable(backup)
        safety = None
        sound = self.database.exists() and check_file(self.records, writable=True) is None
        if safety_copy and sound:
            # Records being replaced that are damaged: their copy is kept, marked damaged.
            with contextlib.suppress(RecordsDamaged):
                safety = self.backup_now("before-restore")
        staging = self.database.with_name(self.database.name + RESTORING)
        _remove_partial(staging)
        try:
            if self.records.encrypted and source.key != self.records.key:
                assert self.records.key is not None
                source.export_encrypted(staging, self.records.key)
            else:
                source.backup_to(staging)
        except _copy_errors() as error:
            _remove_partial(staging)
            raise BackupError(f"The backup could not be copied: {error}") from error
        if before_replacing is not None:
            try:
                before_replacing()
            except OSError:
                _remove_partial(staging)
                raise
        journal = self.database.with_name(self.database.name + "-journal")
        journal.unlink(missing_ok=True)  # belongs to the file being replaced
        os.replace(staging, self.database)
        fsync_dir(self.database.parent)
        audit_anchor.reset_after_restore(self.records)
        return safety


RESTORING = ".restoring"


def _remove_partial(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + "-journal").unlink(missing_ok=True)


def restore_into_new_folder(
    database: Path,
    backup: RecordsFile,
    backup_key_file: KeyFile | None,
    folder: Path | None = None,
) -> RecordsFile:
    """A backup restored where there are no records yet (the welcome of a new data folder,
    e.g. on another laptop). An encrypted backup, opened with its passphrase or recovery
    code (`backup`, with its key file), keeps its key: its key file comes with it, so the
    same passphrase and Recovery sheet open the restored records. Returns the records file
    to open them with."""
    database = Path(database)
    if database.exists() and database.stat().st_size > 0:
        raise BackupError(
            "There are records here already; restore over them from the Backups page."
        )
    target = RecordsFile(database, backup.key)
    if backup.encrypted:
        if backup_key_file is None:
            raise BackupError(f"{backup.path.name} needs its key file to be restored.")
        problem = restore_problem(backup)
        if problem is not None:
            raise BackupError(f"{problem} Nothing has been restored.")
        own_key = KeyFile.beside(database)
        if own_key.exists and own_key.key_id != backup_key_file.key_id:
            raise BackupError(
                f"{own_key.path.name} is here already, for other records; nothing was restored."
            )
        if not own_key.exists:
            backup_key_file.copy_to(own_key.path)
    BackupService(target, folder or database.parent / "backups").restore(backup, safety_copy=False)
    return target


def _cut_short(path: Path, size: int) -> bool:
    """Whether a backup's size shows it was cut short since its check (a copy to or from a
    USB stick pulled out too soon): the name keeps saying "checked", so the list would call
    it sound. A database is whole pages (512 bytes at least, a power of two); a plain one
    also says in its header how many pages it has. Cheap: one small read, no decryption."""
    if size < 512 or size % 512:
        return True
    try:
        with path.open("rb") as file:
            header = file.read(100)
    except OSError:
        return False  # unreadable now: the full check before any restore says why
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False  # encrypted: its header is too; whole pages is what can be seen
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is trusted only when written by a version that keeps it (SQLite's
    # "version-valid-for" equals the change counter).
    if pages and header[24:28] == header[92:96] and page_size:
        return pages * page_size != size
    return False
