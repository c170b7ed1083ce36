"""Opening the records (services/open_records.py, once store.py): connect, bring the schema up
to date, and build the services.

What opening needs before SQLAlchemy is loaded (the revision, the start-up check) is in
database_file.py; the names are imported here too, where callers have always found them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from collab_desktop.migrations import upgrade_to_head
from collab_desktop.models.database import make_engine, make_session_factory
from collab_desktop.models.records_file import RecordsFile, RecordsFileError, records_of
from collab_desktop.services.agreements.service import AgreementService
from collab_desktop.services.agreements.templates import TemplateService
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.audit_anchor import AuditAnchor
from collab_desktop.services.backups import BackupService
from collab_desktop.services.changes import ChangeRecorder
from collab_desktop.services.collaborations import CollaborationService
from collab_desktop.services.database_file import (
    DamagedDatabase,
    NotOurs,
    StartupCheck,
    _is_sqlite,
    default_backup_folder,
    is_new,
    known_revisions,
    not_our_file,
    remove_leftovers,
    stored_revision,
)
from collab_desktop.services.delivery.activities import ActivityService
from collab_desktop.services.delivery.attendance import AttendanceService
from collab_desktop.services.delivery.figures import FigureService
from collab_desktop.services.delivery.participants import ParticipantService
from collab_desktop.services.delivery.volunteers import VolunteerService
from collab_desktop.services.errors import ServiceError, StorageError
from collab_desktop.services.exchange import ExchangeService
from collab_desktop.services.file_check import restore_problem
from collab_desktop.services.meetings.engagement import EngagementService
from collab_desktop.services.meetings.meetings import MeetingService
from collab_desktop.services.meetings.reviews import ReviewService
from collab_desktop.services.partners import PartnerService
from collab_desktop.services.privacy.erasure import ErasureService
from collab_desktop.services.privacy.retention import RetentionService
from collab_desktop.services.privacy.subject_access import SubjectAccessService
from collab_desktop.services.returns.service import ReturnService
from collab_desktop.services.single_writer import DatabaseLock

log = logging.getLogger("collab_desktop")

__all__ = [
    "DamagedDatabase",
    "Services",
    "StartupCheck",
    "backup_file_problem",
    "default_backup_folder",
    "known_revisions",
    "open_services",
    "services_for_locked_file",
    "stored_revision",
]


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
    returns: ReturnService
    exchange: ExchangeService
    meetings: MeetingService
    engagement: EngagementService
    reviews: ReviewService
    # Privacy (issue 15): everything about a person, erasure, retention.
    subject_access: SubjectAccessService
    erasure: ErasureService
    retention: RetentionService
    changes: ChangeRecorder  # what each call committed (services/changes.py)
    lock: DatabaseLock | None = None
    # The records file (path and key) every reader opens; None: a plain file at `path`.
    records: RecordsFile | None = None
    # Set when opened with defer_check: the quick check still to run (see StartupCheck).
    startup_check: StartupCheck | None = None

    @property
    def records_file(self) -> RecordsFile:
        return self.records if self.records is not None else RecordsFile(self.path)

    def close(self) -> None:
        if self.startup_check is not None:
            self.startup_check.stop()  # its connection closed before the engine's
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def backup_file_problem(path: RecordsFile | Path) -> str | None:
    """None if `path` may replace the records (file_check.restore_problem, the one check
    every restore makes), else why not, in plain words. Reads the file only."""
    return restore_problem(path)


def open_services(
    where: RecordsFile | Path, backup_folder: Path | None = None, defer_check: bool = False
) -> Services:
    """Open (creating or upgrading) the database, holding the one-writer lock until close().

    The file is checked first (a damaged one raises DamagedDatabase). With `defer_check`, a
    file that needs no upgrade is opened at once and the check left to the caller to run off
    the GUI thread (Services.startup_check); a file that needs upgrading is checked first
    all the same, as it is about to be changed. `where` is the records file with its key
    (models/records_file.RecordsFile), or a bare path for a plain file."""
    records = records_of(where)
    path = records.path
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        backups = BackupService(records, backup_folder or default_backup_folder(path))
        remove_leftovers(path, backups)
        return _open_locked(path, backups, lock, defer_check)
    except BaseException:
        lock.release()
        raise


def _open_locked(
    path: Path, backups: BackupService, lock: DatabaseLock, defer_check: bool = False
) -> Services:
    revisions = known_revisions()
    records = backups.records
    deferred = None
    if not is_new(path) and not _is_sqlite(records):
        raise not_our_file(path, backups)
    if _is_sqlite(records):
        deferred = StartupCheck(records, backups)
        try:
            # Reading the schema's revision is a cheap first look: a file too damaged for
            # that (or one that needs upgrading) is checked in full before anything else.
            up_to_date = defer_check and stored_revision(records) == revisions[-1]
        except RecordsFileError:
            raise  # a key that does not fit: asked again, nothing checked or changed
        except ServiceError:
            up_to_date = False
        if not up_to_date:
            # The quick check: a file about to be upgraded gets the full one as its
            # before-migration backup is made (a damaged copy stops the upgrade).
            if (damage := deferred.run_quick()) is not None:
                raise damage
            deferred = None
    try:
        current = stored_revision(records)
    except NotOurs as error:
        raise not_our_file(path, backups) from error
    if current is not None and current not in revisions:
        raise ServiceError(
            "This database was made by a newer version of Collab Desktop. Install the newer "
            "version to open it; nothing in it has been changed."
        )
    engine = make_engine(records)
    if current != revisions[-1]:
        _migrate(engine, backups, first_time=current is None)
    return services_for_locked_file(path, backups, lock, deferred, engine)


def services_for_locked_file(
    path: Path,
    backups: BackupService,
    lock: DatabaseLock | None,
    startup_check: StartupCheck | None = None,
    engine: Engine | None = None,
) -> Services:
    """The services over a file already locked, at this version's revision, and checked (or
    to be checked: `startup_check`, whose result every write then waits for)."""
    records = backups.records
    engine = engine or make_engine(records)
    if startup_check is not None:
        startup_check.guard(engine)
    sessions = make_session_factory(engine)
    templates = TemplateService(sessions)
    audit = AuditLog(sessions, anchor=AuditAnchor(path))
    activities = ActivityService(sessions)
    agreements = AgreementService(sessions, templates, audit)
    return Services(
        engine=engine,
        path=path,
        records=records,
        backups=backups,
        lock=lock,
        partners=PartnerService(sessions),
        collaborations=CollaborationService(sessions),
        agreements=agreements,
        audit=audit,
        templates=templates,
        activities=activities,
        participants=ParticipantService(sessions),
        attendance=AttendanceService(sessions, activities),
        figures=FigureService(sessions, activities),
        volunteers=VolunteerService(sessions),
        returns=ReturnService(sessions, activities, audit),
        exchange=ExchangeService(sessions, audit, backups),
        meetings=MeetingService(sessions, audit),
        engagement=EngagementService(sessions),
        reviews=ReviewService(sessions, audit, agreements),
        subject_access=SubjectAccessService(sessions, audit),
        erasure=ErasureService(sessions, audit, engine, backups),
        retention=RetentionService(sessions, audit, engine),
        changes=ChangeRecorder(sessions),
        startup_check=startup_check,
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
        if first_time:
            # Nothing was recorded in it yet: a half-made file would look like another
            # program's database next time.
            backups.database.unlink(missing_ok=True)
        if first_time and isinstance(error, StorageError):
            # Making the first tables failed for want of disk space or permission: say that,
            # not that an update failed (there was nothing to update).
            raise StorageError(f"The new records could not be made: {error.message}") from error
        raise ServiceError(
            "Updating the database to this version of Collab Desktop failed, so it has been "
            "put back as it was. Your records are safe; please report the problem (the log "
            f"has the details). ({type(error).__name__})"
        ) from error
