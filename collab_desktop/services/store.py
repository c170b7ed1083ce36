"""Opening the database: connect, bring the schema up to date, and build the services."""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, event

from collab_desktop.migrations import MIGRATIONS_DIR, upgrade_to_head
from collab_desktop.models.database import make_engine, make_session_factory
from collab_desktop.services.activities import ActivityService
from collab_desktop.services.agreements import AgreementService
from collab_desktop.services.attendance import AttendanceService
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.backups import BackupInfo, BackupService, check_file
from collab_desktop.services.collaborations import CollaborationService
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.figures import FigureService
from collab_desktop.services.participants import ParticipantService
from collab_desktop.services.partners import PartnerService
from collab_desktop.services.single_writer import DatabaseLock
from collab_desktop.services.templates import TemplateService
from collab_desktop.services.volunteers import VolunteerService

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

        @event.listens_for(engine, "before_cursor_execute")
        def _writes_wait(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
            if context is not None and (context.isinsert or context.isupdate or context.isdelete):
                self.before_write()


@dataclass
class Services:
    engine: Engine
    path: Path
    partners: PartnerService
    collaborations: CollaborationService
    agreements: AgreementService
    templates: TemplateService
    backups: BackupService
    audit: AuditLog
    activities: ActivityService
    participants: ParticipantService
    attendance: AttendanceService
    figures: FigureService
    volunteers: VolunteerService
    lock: DatabaseLock | None = None
    # Set when opened with defer_check: the quick check still to run (see StartupCheck).
    startup_check: StartupCheck | None = None

    def close(self) -> None:
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


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


def backup_file_problem(path: Path) -> str | None:
    """None if `path` is a sound Collab Desktop database this version can open (a backup to
    restore on first start), else why not, in plain words. Reads the file only."""
    if not _is_sqlite(path):
        return f"{path.name} is not a Collab Desktop backup (it is not a database file)."
    problem = check_file(path)
    if problem is not None:
        log.error("Backup %s fails its check: %s", path, problem)
        return f"{path.name} is damaged, so it cannot be restored. Try an older backup."
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        row = None
    if row is None:
        return f"{path.name} is not a Collab Desktop backup (it holds no records of ours)."
    if row[0] not in known_revisions():
        return (
            f"{path.name} was made by a newer version of Collab Desktop. Install the newer "
            "version to restore it."
        )
    return None


def open_services(
    path: Path, backup_folder: Path | None = None, defer_check: bool = False
) -> Services:
    """Open (creating or upgrading) the database, holding the one-writer lock until close().

    The file is checked first (a damaged one raises DamagedDatabase). With `defer_check`, a
    file that needs no upgrade is opened at once and the check left to the caller to run off
    the GUI thread (Services.startup_check); a file that needs upgrading is checked first
    all the same, as it is about to be changed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        return _open_locked(
            path,
            BackupService(path, backup_folder or default_backup_folder(path)),
            lock,
            defer_check,
        )
    except BaseException:
        lock.release()
        raise


def _open_locked(
    path: Path, backups: BackupService, lock: DatabaseLock, defer_check: bool = False
) -> Services:
    revisions = known_revisions()
    deferred = None
    if _is_sqlite(path):
        deferred = StartupCheck(path, backups)
        try:
            # Reading the schema's revision is a cheap first look: a file too damaged for
            # that (or one that needs upgrading) is checked in full before anything else.
            up_to_date = defer_check and stored_revision(path) == revisions[-1]
        except ServiceError:
            up_to_date = False
        if not up_to_date:
            if deferred.run() is not None:
                raise deferred.damage
            deferred = None
    current = stored_revision(path)
    if current is not None and current not in revisions:
        raise ServiceError(
            "This database was made by a newer version of Collab Desktop. Install the newer "
            "version to open it; nothing in it has been changed."
        )
    engine = make_engine(path)
    if deferred is not None:
        deferred.guard(engine)
    if current != revisions[-1]:
        _migrate(engine, backups, first_time=current is None)
    sessions = make_session_factory(engine)
    templates = TemplateService(sessions)
    audit = AuditLog(sessions)
    activities = ActivityService(sessions)
    return Services(
        engine=engine,
        path=path,
        backups=backups,
        lock=lock,
        partners=PartnerService(sessions),
        collaborations=CollaborationService(sessions),
        agreements=AgreementService(sessions, templates, audit),
        audit=audit,
        templates=templates,
        activities=activities,
        participants=ParticipantService(sessions),
        attendance=AttendanceService(sessions, activities),
        figures=FigureService(sessions, activities),
        volunteers=VolunteerService(sessions),
        startup_check=deferred,
    )


def _migrate(engine: Engine, backups: BackupService, first_time: bool) -> None:
    """Upgrade the schema; on failure put the file back exactly as it was before."""
    before = None if first_time else backups.backup_now("before-migration")
    try:
        upgrade_to_head(engine)
    except Exception as error:
        engine.dispose()
        if before is not None:
            backups.restore(before.path, safety_copy=False)
        raise ServiceError(
            "Updating the database to this version of Collab Desktop failed, so it has been "
            "put back as it was. Your records are safe; please report the problem (the log "
            f"has the details). ({type(error).__name__})"
        ) from error
