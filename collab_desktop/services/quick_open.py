"""Opening the records quickly: the first page without SQLAlchemy.

Loading SQLAlchemy and the models takes about 0.25 s and 30 MiB, as much again as a bare Qt
window, and the first page does not need them. So a database that needs no upgrade is opened
in two steps. `open_quickly` takes the one-writer lock and reads the schema's revision with
plain sqlite3 (SQLite's full check of the file runs after the first page: StartupCheck), and
returns QuickServices: the services as open_records.open_services makes them, but loaded on first
use. Until then, the few reads of the home page are answered here with sqlite3, as the same
rows the services give (tests/integration/test_quick_open.py compares the two on the same
records), and so are the list pages' rows that the window reads ahead while it is idle, with
the very functions the services use (services/list_rows.py): SQLAlchemy, the models and the
services, some 70 MiB, load on the first action that needs them (issue 17). Nothing is
written before the services are loaded: every change goes through them.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, overload

from collab_desktop.errors import DAMAGED_MESSAGE, DamagedStorage, is_damage
from collab_desktop.models.enums import CANCEL_REASONS, label
from collab_desktop.models.records_file import (
    RecordsFile,
    read_connection,
    records_of,
    sqlite_errors,
)
from collab_desktop.services.backups import BackupService
from collab_desktop.services.database_file import (
    StartupCheck,
    _is_sqlite,
    default_backup_folder,
    known_revisions,
    remove_leftovers,
    stored_revision,
)
from collab_desktop.services.delivery.clearances import Cleared, warnings_for
from collab_desktop.services.delivery.rows import (
    ActivityRow,
    SessionRow,
    activity_row,
    session_row,
)
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.list_rows import (
    agreement_rows,
    collaboration_rows,
    meeting_rows,
    participant_rows,
    partner_rows,
    volunteer_rows,
)
from collab_desktop.services.returns import choices
from collab_desktop.services.single_writer import DatabaseLock

if TYPE_CHECKING:
    from collab_desktop.services.open_records import Services


def open_quickly(
    where: RecordsFile | Path, backup_folder: Path | None = None
) -> QuickServices | None:
    """Quick services over an existing database at this version's revision, holding the
    one-writer lock until close(); None for any other file (new, to be upgraded, from a
    newer version, too damaged to read its revision), which open_records.open_services opens,
    checks and upgrades the full way. `where`: the records file with its key, or a bare
    path for a plain file."""
    records = records_of(where)
    path = records.path
    if not _is_sqlite(records):
        return None
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        try:
            current = stored_revision(records) == known_revisions()[-1]
        except ServiceError:
            current = False
        if not current:
            lock.release()
            return None
        backups = BackupService(records, backup_folder or default_backup_folder(path))
        remove_leftovers(path, backups)
        return QuickServices(path, backups, lock, StartupCheck(records, backups))
    except BaseException:
        if lock.held:
            lock.release()
        raise


# The services QuickServices stands in for until it loads the real ones.
STAND_INS = (
    "attendance", "activities", "audit", "partners", "collaborations", "agreements",
    "participants", "volunteers", "meetings", "returns",
)  # fmt: skip


class QuickServices:
    """Services (store.Services) loaded on first use. `backups`, `path`, `lock` and
    `startup_check` need no loading; those named in STAND_INS stand in for their services
    until then (see _StandInService)."""

    def __init__(
        self, path: Path, backups: BackupService, lock: DatabaseLock, check: StartupCheck
    ) -> None:
        self.path = path
        self.backups = backups
        self.records = self.records_file = backups.records
        self.lock = lock
        self.startup_check = check
        self._full: Services | None = None
        # Set by the window: a week not yet planned is read as stored, and planning_due says
        # so (the window plans it in the background), instead of planning it first.
        self.plan_later = False
        self.planning_due = False
        reads = self._reads = _FirstPageReads(self)
        self.attendance = _StandInService(
            self,
            "attendance",
            reads={
                "plan_and_list_week": reads.plan_and_list_week,
                "clearance_warnings": reads.clearance_warnings,
                "cancelled_between": reads.cancelled_between,
            },
        )
        self.activities = _StandInService(
            self,
            "activities",
            reads={"list_activities": reads.list_activities},
            settings={"name_printing_default": None},
        )
        self.audit = _StandInService(self, "audit", settings={"user": ""})
        # The list pages' rows, read ahead while the app is idle (ui/preload.py) without
        # SQLAlchemy, which loads on the first action that needs it (issue 17's memory).
        # Each takes its service's arguments, by the same names.
        listed = reads.listed
        self.partners = _StandInService(
            self,
            "partners",
            reads={
                "list_partners": lambda include_archived=False: listed(
                    partner_rows, include_archived
                )
            },
        )
        self.collaborations = _StandInService(
            self,
            "collaborations",
            reads={"list_collaborations": lambda: listed(collaboration_rows)},
        )
        self.agreements = _StandInService(
            self,
            "agreements",
            reads={
                "list_versions": lambda collaboration_id=None: listed(
                    agreement_rows, collaboration_id
                )
            },
        )
        self.participants = _StandInService(
            self,
            "participants",
            reads={
                "list_participants": lambda include_left=True, first=None: listed(
                    participant_rows, include_left, first
                )
            },
        )
        self.volunteers = _StandInService(
            self,
            "volunteers",
            reads={
                "list_volunteers": lambda today=None: listed(volunteer_rows, today or date.today())
            },
        )
        self.meetings = _StandInService(
            self,
            "meetings",
            reads={
                "list_meetings": lambda collaboration_id=None: listed(
                    meeting_rows, collaboration_id
                )
            },
        )
        # What the Returns page reads to fill itself (services/returns/choices.py); showing
        # a return found there (ReturnService.get) needs the services (ui/returns).
        self.returns = _StandInService(
            self,
            "returns",
            reads={
                "collaboration_choices": lambda: listed(choices.collaboration_choices),
                "reporting_members": lambda collaboration_id: listed(
                    choices.reporting_members, collaboration_id
                ),
                "template_choices": lambda collaboration_id: listed(
                    choices.template_choices, collaboration_id
                ),
                "latest": lambda collaboration_id, organisation_id, first: listed(
                    choices.latest_return, collaboration_id, organisation_id, first
                ),
            },
        )

    @property
    def loaded(self) -> bool:
        return self._full is not None

    def shared_read(self) -> Any:
        """A read on the first page's one connection (closing it ends the read, not the
        connection), or, once the services are loaded, on a connection of its own: for the
        home page's reads beside the stand-ins' (activities_ahead), so that an encrypted
        file's pages are decrypted once for the first page (issue 10)."""
        if self._full is not None:
            return self.records_file.connect("ro")
        return self._reads._connect()

    def load(self) -> Services:
        """The full services (SQLAlchemy and the models are imported now, once)."""
        if self._full is None:
            from collab_desktop.services.open_records import services_for_locked_file

            full = services_for_locked_file(self.path, self.backups, self.lock, self.startup_check)
            self._reads.close()
            for name in STAND_INS:
                standing = self.__dict__[name]
                standing.hand_over(getattr(full, name))
                self.__dict__[name] = getattr(full, name)
            self._full = full
        return self._full

    def __getattr__(self, name: str) -> Any:
        # Only for what is not set here: the other services, the engine…
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.load(), name)

    def close(self) -> None:
        self._reads.close()
        if self._full is not None:
            self._full.close()
            return
        self.startup_check.stop()  # its connection closed before the lock is let go
        if self.lock.held:
            self.lock.release()


class _StandInService:
    """A service before it is loaded: the reads given are answered here; the settings given
    (attributes such as the audit trail's user name) are kept, and handed over on loading;
    anything else loads the services and goes to the real one."""

    def __init__(
        self,
        owner: QuickServices,
        name: str,
        reads: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.__dict__.update(_owner=owner, _name=name, _reads=reads or {}, _settings=settings or {})

    def _real(self) -> Any:
        return getattr(self._owner.load(), self._name)

    def __getattr__(self, name: str) -> Any:
        if self._owner.loaded:
            return getattr(self._real(), name)
        if name in self._settings:
            return self._settings[name]
        if name in self._reads:
            return self._reads[name]
        return getattr(self._real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if self._owner.loaded or name not in self._settings:
            setattr(self._real(), name, value)
        else:
            self._settings[name] = value

    def hand_over(self, real: Any) -> None:
        for name, value in self._settings.items():
            setattr(real, name, value)


# A column that cannot be NULL gives a value (the overloads say so to the type checker).
@overload
def _uuid(text: str) -> uuid.UUID: ...
@overload
def _uuid(text: None) -> None: ...
def _uuid(text: str | None) -> uuid.UUID | None:
    return uuid.UUID(hex=text) if text else None


@overload
def _date(text: str) -> date: ...
@overload
def _date(text: None) -> None: ...
def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


# An activity some of whose sessions up to a date may not be rows yet (Activity.planned_until
# and activities._plan): one such makes the week a job for the services, which plan it.
_UNPLANNED = """
SELECT 1 FROM activity AS a JOIN collaboration AS c ON a.collaboration_id = c.id
WHERE a.planned_until IS NULL OR (a.planned_until < ?
    AND (a.ends_on IS NULL OR a.ends_on > a.planned_until)
    AND (c.end_date IS NULL OR c.end_date > a.planned_until))
LIMIT 1
"""


def _read_errors() -> tuple[type[Exception], ...]:
    return (*sqlite_errors("DatabaseError"), UnicodeDecodeError)


def _told_as_damage(read: Callable[..., Any]) -> Callable[..., Any]:
    """A read that meets damage fails as the services' reads do (models/database.py): with
    DamagedStorage, which the window answers by offering the newest good backup."""

    @functools.wraps(read)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return read(*args, **kwargs)
        except _read_errors() as error:
            if isinstance(error, UnicodeDecodeError) or is_damage(error):
                raise DamagedStorage(DAMAGED_MESSAGE) from error
            raise

    return wrapped


class _ReadScope:
    """One read's use of the first page's shared connection: `close()` ends the read by
    closing every cursor it opened (so no half-read statement keeps the file locked against
    a save), and leaves the connection open for the next read."""

    def __init__(self, connection: Any, own: bool = False) -> None:
        self._connection = connection
        self._own = own  # a connection of the read's own, closed with it
        self._cursors: list[Any] = []

    def execute(self, *args: Any) -> Any:
        cursor = self._connection.execute(*args)
        self._cursors.append(cursor)
        return cursor

    def close(self) -> None:
        for cursor in self._cursors:
            cursor.close()
        self._cursors.clear()
        if self._own:
            self._connection.close()


# The plain first page's page cache, in KiB (SQLite's default is 2,000): the connection stays
# open until the services load, and a plain page read again comes from the system's cache at
# little cost, so a smaller one saves 1.5 MiB of the first page's memory (issue 17's budget)
# for no time that could be measured. Encrypted records keep their large cache: each page
# read again would be decrypted again.
FIRST_PAGE_CACHE_KIB = 512


class _WeekSession(NamedTuple):
    """What clearance_warnings needs of a session of the week just read (as stored)."""

    on: str
    start: str | None
    activity_id: str
    activity: str
    site: str
    status: str


class _FirstPageReads:
    """The home page's reads, as the services answer them (see the module's note)."""

    def __init__(self, owner: QuickServices) -> None:
        self._owner = owner
        self._connection: Any = None
        self._opening = threading.Lock()
        # The last week read, by session id (as stored): what clearance_warnings needs of
        # each session, so that it need not look the week's sessions up again by id (in
        # encrypted records, some 270 more index pages decrypted for the first page).
        # Nothing changes the records before the services are loaded (module note).
        self._week: dict[str, _WeekSession] = {}

    def _connect(self) -> _ReadScope:
        # The records file's own connection (its key, busy_timeout, temp_store), one for all
        # the first page's reads: its page cache serves the later ones, so an encrypted page
        # is decrypted once, not once per read (issue 10's budget for the first page).
        # A page read ahead on a worker (ui/preload.py) has a connection of its own: the
        # home page may read on the shared one meanwhile.
        if threading.current_thread() is not threading.main_thread():
            return _ReadScope(self._new_connection(), own=True)
        with self._opening:
            if self._connection is None:
                self._connection = self._new_connection()
            return _ReadScope(self._connection)

    def _new_connection(self) -> Any:
        records = self._owner.records_file
        connection = records.connect("ro")
        if not records.encrypted:
            connection.execute(f"PRAGMA cache_size = -{FIRST_PAGE_CACHE_KIB}")
        return connection

    def close(self) -> None:
        """When the full services take over, or the records close."""
        with self._opening:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _services(self) -> Services:
        return self._owner.load()

    @_told_as_damage
    def listed(self, read: Callable[..., Any], *args: Any) -> Any:
        """A list page's rows as its service reads them (services/list_rows.py), or another
        of a page's reads made alike (services/returns/choices.py)."""
        connection = self._connect()
        try:
            return read(connection, *args)
        finally:
            connection.close()

    @_told_as_damage
    def plan_and_list_week(self, today: date | None = None) -> list[SessionRow]:
        today = today or date.today()
        monday = today - timedelta(days=today.weekday())
        sunday = monday + timedelta(days=6)
        connection = self._connect()
        try:
            if connection.execute(_UNPLANNED, (sunday.isoformat(),)).fetchone():
                if not self._owner.plan_later:
                    connection.close()
                    return self._services().attendance.plan_and_list_week(today)
                # The week as stored: the window plans in the background (ui/preload.py)
                # and the page is read again when that is done (issue 17).
                self._owner.planning_due = True
            period = (monday.isoformat(), sunday.isoformat())
            rows = connection.execute(
                'SELECT s.id, s.activity_id, a.name, c.name, s."on", s.start_time, s.end_time,'
                " s.venue, a.venue, s.status, s.cancel_reason, s.note, s.scheduled_on, c.site"
                " FROM activity_session AS s"
                " JOIN activity AS a ON s.activity_id = a.id"
                " JOIN collaboration AS c ON a.collaboration_id = c.id"
                ' WHERE s."on" >= ? AND s."on" <= ?'
                ' ORDER BY s."on", s.start_time, a.name',
                period,
            ).fetchall()
            counts: Counter[str] = Counter(
                dict(
                    connection.execute(
                        "SELECT t.session_id, count(*) FROM attendance AS t"
                        " JOIN activity_session AS s ON t.session_id = s.id"
                        ' WHERE s."on" >= ? AND s."on" <= ? GROUP BY t.session_id',
                        period,
                    ).fetchall()
                )
            )
        finally:
            connection.close()
        self._week = {
            id_: _WeekSession(on, start, activity_id, activity, site, status)
            for (
                id_, activity_id, activity, _, on, start, _, _, _, status, _, _, _, site,
            ) in rows
        }  # fmt: skip
        return [
            session_row(
                (
                    _uuid(id_), _uuid(activity_id), activity, collaboration, _date(on),
                    _time(start), _time(end), venue, activity_venue, status, reason, note,
                    _date(scheduled_on),
                ),
                counts[id_],
                today,
            )
            for (
                id_, activity_id, activity, collaboration, on, start, end, venue,
                activity_venue, status, reason, note, scheduled_on, _,
            ) in rows
        ]  # fmt: skip

    def _planned_in_week(self, wanted: list[str]) -> list[tuple[str, str, str, str]] | None:
        """The sessions `wanted` that are planned, from the last week read, as the query in
        clearance_warnings gives them (by day, start time, activity name and id; a time that
        is NULL first, as SQLite sorts it); None if any is not in that week."""
        week = self._week
        if not all(i in week for i in wanted):
            return None
        sessions = sorted(
            (week[i] for i in set(wanted) if week[i].status == "planned"),
            key=lambda s: (s.on, s.start is not None, s.start or "", s.activity, s.activity_id),
        )
        return [(s.on, s.activity_id, s.activity, s.site) for s in sessions]

    @_told_as_damage
    def list_activities(
        self, today: date | None = None, now: time | None = None
    ) -> list[ActivityRow]:
        today = today or date.today()
        # As ActivityService.list_activities: given the time of day, today's session counts
        # as the next only until it has finished. (Times are stored as "HH:MM:SS.ffffff".)
        finished = now.isoformat(timespec="microseconds") if now is not None else ""
        connection = self._connect()
        try:
            activities = connection.execute(
                "SELECT a.id, a.name, a.collaboration_id, c.name, a.weekday, a.frequency,"
                " a.start_time, a.end_time, a.venue, a.name_printing"
                " FROM activity AS a JOIN collaboration AS c ON a.collaboration_id = c.id"
                " ORDER BY lower(a.name)"
            ).fetchall()
            facilitators: dict[uuid.UUID, list[str]] = {}
            for activity_id, name in connection.execute(
                "SELECT f.activity_id, p.name FROM facilitator AS f"
                " JOIN contact AS p ON f.contact_id = p.id"
                " ORDER BY f.activity_id, f.position"
            ):
                facilitators.setdefault(_uuid(activity_id), []).append(name)
            enrolled = {
                _uuid(activity_id): n
                for activity_id, n in connection.execute(
                    "SELECT activity_id, count(*) FROM enrolment WHERE left_on IS NULL"
                    " GROUP BY activity_id"
                )
            }
            upcoming = {
                _uuid(activity_id): _date(first)
                for activity_id, first in connection.execute(
                    'SELECT activity_id, min("on") FROM activity_session'
                    " WHERE \"on\" >= ? AND status != 'cancelled'"
                    # "+": group without the activity_id index, so that SQLite reads
                    # only the sessions to come through the "on" index instead of every
                    # session there is (each page decrypted, in encrypted records).
                    ' AND ("on" > ? OR end_time > ?) GROUP BY +activity_id',
                    (today.isoformat(), today.isoformat(), finished),
                )
            }
        finally:
            connection.close()
        return [
            activity_row(
                (
                    _uuid(id_), name, _uuid(collaboration_id), collaboration, weekday, frequency,
                    _time(start), _time(end), venue, name_printing,
                ),
                facilitators,
                enrolled,
                upcoming,
            )
            for (
                id_, name, collaboration_id, collaboration, weekday, frequency, start, end,
                venue, name_printing,
            ) in activities
        ]  # fmt: skip

    @_told_as_damage
    def clearance_warnings(self, session_ids: list[uuid.UUID]) -> list[str]:
        if not session_ids:
            return []
        connection = self._connect()
        try:
            wanted = [i.hex for i in session_ids]
            found = self._planned_in_week(wanted)
            if found is None:
                marks = ", ".join("?" * len(wanted))
                found = connection.execute(
                    'SELECT s."on", a.id, a.name, c.site FROM activity_session AS s'
                    " JOIN activity AS a ON s.activity_id = a.id"
                    " JOIN collaboration AS c ON a.collaboration_id = c.id"
                    f" WHERE s.id IN ({marks}) AND s.status = 'planned'"
                    ' ORDER BY s."on", s.start_time, a.name, a.id',
                    wanted,
                ).fetchall()
            activities = sorted({a for _, a, _, _ in found})
            leaders: dict[str, list[uuid.UUID]] = {}
            if activities:
                marks = ", ".join("?" * len(activities))
                for activity_id, contact_id in connection.execute(
                    "SELECT activity_id, contact_id FROM facilitator"
                    f" WHERE activity_id IN ({marks}) ORDER BY activity_id, position",
                    activities,
                ):
                    leaders.setdefault(activity_id, []).append(_uuid(contact_id))
            contacts = sorted({c.hex for ids in leaders.values() for c in ids})
            # Clearances first, names after, and only for the leaders who are warned about:
            # a name is a row in the contact table, the largest here (twenty thousand), and
            # in encrypted records each row read is a page decrypted (issue 10's budget for
            # the first page: about 300 leaders in a busy week, some 40 of them warned).
            volunteers: dict[uuid.UUID, tuple[str, list[Cleared]]] = {}
            if contacts:
                marks = ", ".join("?" * len(contacts))
                for contact_id, site, expires_on in connection.execute(
                    "SELECT v.contact_id, k.site, k.expires_on FROM volunteer AS v"
                    " LEFT OUTER JOIN clearance AS k ON k.volunteer_id = v.id"
                    f" WHERE v.contact_id IN ({marks}) ORDER BY v.contact_id, k.position",
                    contacts,
                ):
                    _, clearances = volunteers.setdefault(_uuid(contact_id), ("", []))
                    if site is not None:
                        clearances.append(Cleared(site, _date(expires_on)))
            warned = _warned(found, leaders, volunteers)
            if warned:
                marks = ", ".join("?" * len(warned))
                for contact_id, name in connection.execute(
                    f"SELECT id, name FROM contact WHERE id IN ({marks})", warned
                ):
                    key = _uuid(contact_id)
                    volunteers[key] = (name, volunteers[key][1])
        finally:
            connection.close()
        warnings: list[str] = []
        for on, activity_id, name, site in found:
            day = _date(on)
            for text in warnings_for(volunteers, leaders.get(activity_id, []), site, day, day):
                line = f"{name}, {day:%d/%m/%Y}: {text}"
                if line not in warnings:
                    warnings.append(line)
        return warnings

    @_told_as_damage
    def cancelled_between(self, activity_id: uuid.UUID, first: date, last: date) -> list[str]:
        connection = self._connect()
        try:
            rows = connection.execute(
                'SELECT "on", cancel_reason FROM activity_session'
                " WHERE activity_id = ? AND status = 'cancelled'"
                ' AND "on" >= ? AND "on" <= ? ORDER BY "on"',
                (activity_id.hex, first.isoformat(), last.isoformat()),
            ).fetchall()
        finally:
            connection.close()
        return [f"{_date(on):%d/%m/%Y} ({label(CANCEL_REASONS, reason)})" for on, reason in rows]


def _warned(
    found: list[Any],
    leaders: dict[str, list[uuid.UUID]],
    volunteers: dict[uuid.UUID, tuple[str, list[Cleared]]],
) -> list[str]:
    """The leaders (contact ids, as stored) that some session in `found` warns about: the
    ones whose names the warnings need."""
    warned = set()
    for on, activity_id, _, site in found:
        day = _date(on)
        for contact in leaders.get(activity_id, []):
            if warnings_for(volunteers, [contact], site, day, day):
                warned.add(contact.hex)
    return sorted(warned)


# How many activities the home page lists for "Sheets for the weeks ahead": the ones that meet
# next. Every activity is under Activities; reading them all here made the first page wait
# for every activity, facilitator and enrolment there is (issue 17: it must not grow).
ACTIVITIES_AHEAD = 40


@_told_as_damage
def activities_ahead(
    records: RecordsFile | Callable[[], Any],
    today: date,
    now: time | None = None,
    limit: int = ACTIVITIES_AHEAD,
) -> tuple[list[ActivityRow], bool]:
    """The `limit` activities whose next session comes soonest (from today, or, given the
    time of day `now`, the first that has not finished yet), soonest first, with that next
    session; and whether there is any activity at all. Plain sqlite3, so the first page reads
    it before SQLAlchemy is loaded and after (the same rows either way).

    Bounded: the sessions to come are walked in date order (the "on" index) only until
    `limit` activities have been met, so it reads about as much for ten activities as for
    ten thousand. Rows carry no facilitators or enrolment counts (the home page shows
    neither). `records`: the records file, or a call that gives a connection to read on
    (QuickServices.shared_read)."""
    finished = now.isoformat(timespec="microseconds") if now is not None else ""
    connection = read_connection(records)
    try:
        first: dict[str, str] = {}
        for activity_id, on in connection.execute(
            'SELECT activity_id, "on" FROM activity_session'
            ' WHERE "on" >= ? AND status != \'cancelled\' AND ("on" > ? OR end_time > ?)'
            ' ORDER BY "on"',
            (today.isoformat(), today.isoformat(), finished),
        ):
            first.setdefault(activity_id, on)
            if len(first) >= limit:
                break
        rows = []
        if first:
            marks = ", ".join("?" * len(first))
            rows = connection.execute(
                "SELECT a.id, a.name, a.collaboration_id, c.name, a.weekday, a.frequency,"
                " a.start_time, a.end_time, a.venue, a.name_printing"
                " FROM activity AS a JOIN collaboration AS c ON a.collaboration_id = c.id"
                f" WHERE a.id IN ({marks})",
                list(first),
            ).fetchall()
        any_activity = bool(rows) or (
            connection.execute("SELECT 1 FROM activity LIMIT 1").fetchone() is not None
        )
    finally:
        connection.close()
    next_sessions = {_uuid(key): _date(on) for key, on in first.items()}
    found = [
        activity_row(
            (
                _uuid(id_), name, _uuid(collaboration_id), collaboration, weekday, frequency,
                _time(start), _time(end), venue, name_printing,
            ),
            {},
            {},
            next_sessions,
        )
        for (
            id_, name, collaboration_id, collaboration, weekday, frequency, start, end,
            venue, name_printing,
        ) in rows
    ]  # fmt: skip
    found.sort(key=lambda a: (a.next_session or date.max, a.name.casefold()))
    return found, any_activity
