"""Activities of a collaboration and their sessions: the schedule, and the single session that
is moved, added or cancelled."""

from __future__ import annotations

import threading
import time as clock
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Attendance,
    Collaboration,
    Contact,
    Enrolment,
    Facilitator,
    Member,
    Organisation,
    Volunteer,
)
from collab_desktop.models.enums import (
    CANCEL_REASONS,
    FREQUENCIES,
    NAME_PRINTING,
    SESSION_STATUSES,
    label,
)
from collab_desktop.services.delivery.rows import (
    ActivityRow,
    SessionRow,
    activity_row,
    session_row,
)
from collab_desktop.services.delivery.schedule import schedule_dates
from collab_desktop.services.delivery.volunteers import clearance_warnings
from collab_desktop.services.errors import InUse, NotFound, StateError
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line

# Sessions are kept as rows this far ahead of today (further on request: printing the next
# ten weeks' sheets, say), so an open-ended activity does not fill the database.
HORIZON = timedelta(weeks=26)
# The longest a read or save waits for the planning lock (ActivityService._planning_turn).
PLANNING_WAIT = 5.0
MAX_SPARE_ROWS = 30


@dataclass
class ActivityData:
    collaboration_id: uuid.UUID | None = None
    name: str = ""
    venue: str = ""
    weekday: int = 0
    start_time: time | None = None
    end_time: time | None = None
    frequency: str = "weekly"
    starts_on: date | None = None
    ends_on: date | None = None
    name_printing: str = "initials"
    spare_rows: int = 6
    notes: str = ""
    facilitator_ids: list[uuid.UUID] = field(default_factory=list)
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class FacilitatorChoice:
    id: uuid.UUID
    name: str
    organisation: str
    job_title: str
    volunteer: bool

    @property
    def label(self) -> str:
        role = "volunteer" if self.volunteer else (self.job_title or "staff")
        return f"{self.name} ({self.organisation}, {role})"


class ActivityService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        # Held while a transaction plans sessions: planning in the background (plan_due) and
        # a read that plans on the GUI thread take turns instead of both writing at once,
        # which SQLite would refuse one of ("database is locked").
        self._planning = threading.Lock()
        # How names print on the sheets of a new activity, as chosen in the preferences;
        # None: as its setting suggests (see default_name_printing).
        self.name_printing_default: str | None = None

    @contextmanager
    def _planning_turn(self) -> Iterator[None]:
        """The planning lock, waited for PLANNING_WAIT seconds at most. A step of plan_due
        holds it for about a tenth of a second, but a step can itself be held up (its first
        write waits for the start-up check, a backup's last copy holds writes back for up to
        SQLite's busy_timeout); a read on the GUI thread then says so in plain words instead
        of the window hanging for as long as that lasts (issue 17)."""
        if not self._planning.acquire(timeout=PLANNING_WAIT):
            raise StateError(
                "The activities' sessions are still being brought up to date in the "
                "background. Try again in a moment."
            )
        try:
            yield
        finally:
            self._planning.release()

    # -- activities ------------------------------------------------------------------------

    def list_activities(
        self, today: date | None = None, now: time | None = None
    ) -> list[ActivityRow]:
        """Every activity, with its next session: from today, or, given the time of day
        `now`, the first that has not finished yet."""
        today = today or date.today()
        # Columns, not ORM objects: this fills the home page at start-up (thousands of
        # activities after some years).
        with self._sessions() as session:
            activities = session.execute(
                select(
                    Activity.id, Activity.name, Activity.collaboration_id, Collaboration.name,
                    Activity.weekday, Activity.frequency, Activity.start_time,
                    Activity.end_time, Activity.venue, Activity.name_printing,
                )
                .join(Collaboration, Activity.collaboration_id == Collaboration.id)
                .order_by(func.lower(Activity.name))
            ).all()  # fmt: skip
            facilitators: dict[uuid.UUID, list[str]] = {}
            for activity_id, name in session.execute(
                select(Facilitator.activity_id, Contact.name)
                .join(Contact, Facilitator.contact_id == Contact.id)
                .order_by(Facilitator.activity_id, Facilitator.position)
            ):
                facilitators.setdefault(activity_id, []).append(name)
            enrolled = dict(
                session.execute(
                    select(Enrolment.activity_id, func.count())
                    .where(Enrolment.left_on.is_(None))
                    .group_by(Enrolment.activity_id)
                ).all()
            )
            upcoming = dict(
                session.execute(
                    select(ActivitySession.activity_id, func.min(ActivitySession.on))
                    .where(
                        ActivitySession.on >= today,
                        ActivitySession.status != "cancelled",
                        *(
                            [
                                or_(
                                    ActivitySession.on > today,
                                    ActivitySession.end_time > now,
                                )
                            ]
                            if now is not None
                            else []
                        ),
                    )
                    .group_by(ActivitySession.activity_id)
                ).all()
            )
            return [activity_row(a, facilitators, enrolled, upcoming) for a in activities]

    def get_activity(self, activity_id: uuid.UUID) -> ActivityData:
        with self._sessions() as session:
            a = session.get(Activity, activity_id)
            if a is None:
                raise NotFound("That activity no longer exists.")
            return ActivityData(
                id=a.id,
                collaboration_id=a.collaboration_id,
                name=a.name,
                venue=a.venue,
                weekday=a.weekday,
                start_time=a.start_time,
                end_time=a.end_time,
                frequency=a.frequency,
                starts_on=a.starts_on,
                ends_on=a.ends_on,
                name_printing=a.name_printing,
                spare_rows=a.spare_rows,
                notes=a.notes,
                facilitator_ids=[f.contact_id for f in a.facilitators],
            )

    def new_activity(self, collaboration_id: uuid.UUID) -> ActivityData:
        """A blank activity for a collaboration, with the defaults its setting calls for:
        initials only on the sheets in custody, full names in the community (unless the user
        has chosen a default for every new activity)."""
        with self._sessions() as session:
            c = session.get(Collaboration, collaboration_id)
            if c is None:
                raise NotFound("That collaboration no longer exists.")
            return ActivityData(
                collaboration_id=c.id,
                venue="",
                starts_on=max(c.start_date or date.today(), date.today()),
                start_time=time(10, 0),
                end_time=time(12, 0),
                name_printing=self.name_printing_default
                if self.name_printing_default in NAME_PRINTING
                else default_name_printing(c.setting),
            )

    def facilitator_choices(self, collaboration_id: uuid.UUID) -> list[FacilitatorChoice]:
        """Contacts of the collaboration's member organisations: its staff and volunteers."""
        with self._sessions() as session:
            rows = session.execute(
                select(Contact, Organisation.name, Volunteer.id)
                .join(Organisation, Contact.organisation_id == Organisation.id)
                .join(Member, Member.organisation_id == Organisation.id)
                .outerjoin(Volunteer, Volunteer.contact_id == Contact.id)
                .where(Member.collaboration_id == collaboration_id)
                .order_by(Member.position, func.lower(Contact.name))
            ).all()
        return [
            FacilitatorChoice(c.id, c.name, org, c.job_title, volunteer is not None)
            for c, org, volunteer in rows
        ]

    def validate(self, data: ActivityData) -> None:
        with self._sessions() as session:
            self._validate(session, data)

    def _validate(self, session: Session, data: ActivityData) -> Collaboration | None:
        check = Checker()
        collaboration = (
            session.get(Collaboration, data.collaboration_id) if data.collaboration_id else None
        )
        if collaboration is None:
            check.add("collaboration_id", "Please choose the collaboration this activity is for.")
        check.required("name", data.name, "a name for the activity")
        check.max_length("name", data.name, MAX_NAME, "The name")
        check.max_length("venue", data.venue, MAX_NAME, "The venue")
        check.max_length("notes", data.notes, MAX_TEXT, "The notes")
        if data.weekday not in range(7):
            check.add("weekday", "Please choose the day of the week.")
        check.choice("frequency", data.frequency, FREQUENCIES, "how often it meets")
        check.choice("name_printing", data.name_printing, NAME_PRINTING, "how names print")
        _check_times(check, data.start_time, data.end_time)
        if data.starts_on is None:
            check.add("starts_on", "Please enter the date of the first session.")
        check.plausible_date("starts_on", data.starts_on, "first date")
        check.plausible_date("ends_on", data.ends_on, "last date")
        check.date_order("ends_on", data.starts_on, data.ends_on, "first date", "last date")
        if collaboration is not None:
            _check_within(check, "starts_on", data.starts_on, collaboration, "The first session")
            _check_within(check, "ends_on", data.ends_on, collaboration, "The last date")
        if not 0 <= data.spare_rows <= MAX_SPARE_ROWS:
            check.add("spare_rows", f"Spare rows must be between 0 and {MAX_SPARE_ROWS}.")
        if len(set(data.facilitator_ids)) != len(data.facilitator_ids):
            check.add("facilitator_ids", "Someone is listed twice as a facilitator.")
        elif any(session.get(Contact, c) is None for c in data.facilitator_ids):
            check.add("facilitator_ids", "One of the facilitators no longer exists.")
        check.raise_if_any()
        return collaboration

    def save_activity(self, data: ActivityData, today: date | None = None) -> uuid.UUID:
        """Create or update an activity and bring its sessions in line with the schedule.

        Sessions already held, cancelled, moved or added by hand are never changed here; only
        untouched future ones follow a new day or time.
        """
        today = today or date.today()
        data.name = clean_line(data.name)
        data.venue = clean_line(data.venue)
        with self._sessions.begin() as session:
            collaboration = self._validate(session, data)
            if data.id is None:
                a = Activity()
                session.add(a)
                old_times = None
            else:
                a = session.get(Activity, data.id)
                if a is None:
                    raise NotFound("That activity was deleted while you were editing it.")
                old_times = (a.start_time, a.end_time)
            for attr in (
                "collaboration_id", "name", "venue", "weekday", "start_time", "end_time",
                "frequency", "starts_on", "ends_on", "name_printing", "spare_rows", "notes",
            ):  # fmt: skip
                setattr(a, attr, getattr(data, attr))
            existing = {f.contact_id: f for f in a.facilitators}
            a.facilitators = [
                existing.get(contact_id) or Facilitator(contact_id=contact_id)
                for contact_id in data.facilitator_ids
            ]
            for position, f in enumerate(a.facilitators):
                f.position = position
            session.flush()
            assert collaboration is not None  # _validate raised otherwise
            _sync_sessions(session, a, collaboration, today + HORIZON, today, old_times)
            return a.id

    def facilitator_warnings(self, data: ActivityData, today: date | None = None) -> list[str]:
        """Warnings (not errors) about the chosen facilitators: a volunteer whose clearance
        for this collaboration's site has expired, or runs out before the last session."""
        today = today or date.today()
        if data.collaboration_id is None or data.starts_on is None:
            return []
        with self._sessions() as session:
            c = session.get(Collaboration, data.collaboration_id)
            if c is None:
                return []
            last = min(
                (d for d in (data.ends_on, c.end_date, today + HORIZON) if d),
                default=today + HORIZON,
            )
            first = max(data.starts_on, today)
            dates = schedule_dates(data.weekday, data.frequency, data.starts_on, last, first)
            if not dates:
                return []
            return clearance_warnings(session, data.facilitator_ids, c.site, dates[0], dates[-1])

    def delete_activity(self, activity_id: uuid.UUID) -> None:
        with self._sessions.begin() as session:
            a = session.get(Activity, activity_id)
            if a is None:
                return
            held = session.scalar(
                select(func.count())
                .select_from(ActivitySession)
                .where(ActivitySession.activity_id == a.id, ActivitySession.status != "planned")
            )
            if held:
                raise InUse(
                    f"“{a.name}” has sessions held or cancelled, which must stay on record. "
                    "Set a last date instead, so no more sessions are planned."
                )
            for s in session.scalars(
                select(ActivitySession).where(ActivitySession.activity_id == a.id)
            ):
                session.delete(s)
            for e in session.scalars(select(Enrolment).where(Enrolment.activity_id == a.id)):
                session.delete(e)
            session.flush()
            session.delete(a)

    # -- sessions --------------------------------------------------------------------------

    def plan_ahead(
        self, last: date, today: date | None = None, activity_id: uuid.UUID | None = None
    ) -> None:
        """Sessions as rows up to `last` (and the usual half year ahead), of one activity or
        all: what figures over a period reaching into the future count as planned."""
        today = today or date.today()
        with self._planning_turn(), self._sessions.begin() as session:
            _plan(session, max(last, today + HORIZON), today, activity_id)

    def planning_due(self, today: date | None = None) -> bool:
        """Whether some activity's sessions up to the usual half year ahead are not rows yet
        (after an upgrade that forgot every plan, or a long time closed)."""
        today = today or date.today()
        with self._sessions() as session:
            return bool(session.execute(_due(today + HORIZON).limit(1)).first())

    def plan_due(
        self, today: date | None = None, step_seconds: float = 0.1, pause: float = 0.005
    ) -> int:
        """Plan every activity that needs it, as the reads would, a few activities at a time:
        each step is its own short transaction (about `step_seconds`), and the lock and the
        file are let go between steps, so a save or a read made meanwhile (on the GUI thread)
        waits for one step at most. For the first start after an upgrade, which must plan
        every activity there is (seconds at ten years' scale): the window is usable while
        this runs in the background (ui/preload.py). Returns how many were planned."""
        today = today or date.today()
        horizon = today + HORIZON
        with self._sessions() as session:
            ids = list(session.scalars(_due(horizon).with_only_columns(Activity.id)))
        done, size = 0, 4
        while done < len(ids):
            batch = ids[done : done + size]
            started = clock.perf_counter()
            with self._planning_turn(), self._sessions.begin() as session:
                _plan(session, horizon, today, among=batch)
            took = clock.perf_counter() - started
            done += len(batch)
            # As many activities per step as fit in step_seconds (they differ in size).
            size = max(1, min(200, int(len(batch) * step_seconds / max(took, 1e-4))))
            clock.sleep(pause)  # the GUI thread's turn (the lock is not fair)
        return done

    def sessions_between(
        self,
        first: date,
        last: date,
        activity_id: uuid.UUID | None = None,
        today: date | None = None,
    ) -> list[SessionRow]:
        """Sessions from `first` to `last` inclusive (of one activity, or all), planning the
        schedule that far ahead first if need be."""
        today = today or date.today()
        with self._planning_turn(), self._sessions.begin() as session:
            _plan(session, max(last, today + HORIZON), today, activity_id)
            where = [ActivitySession.on >= first, ActivitySession.on <= last]
            if activity_id is not None:
                where.append(ActivitySession.activity_id == activity_id)
            return _session_rows(session, where, today)

    def sessions_of(self, activity_id: uuid.UUID, today: date | None = None) -> list[SessionRow]:
        """Every session of an activity, from the first to the planning horizon."""
        today = today or date.today()
        with self._planning_turn(), self._sessions.begin() as session:
            if session.get(Activity, activity_id) is None:
                raise NotFound("That activity no longer exists.")
            _plan(session, today + HORIZON, today, activity_id)
            return _session_rows(session, [ActivitySession.activity_id == activity_id], today)

    def get_session(self, session_id: uuid.UUID, today: date | None = None) -> SessionRow:
        with self._sessions() as session:
            rows = _session_rows(session, [ActivitySession.id == session_id], today or date.today())
            if not rows:
                raise NotFound("That session no longer exists.")
            return rows[0]

    def move_session(
        self,
        session_id: uuid.UUID,
        on: date | None,
        start_time: time | None,
        end_time: time | None,
        venue: str = "",
        note: str = "",
    ) -> None:
        """Move one session to another day or time (or room); the rest of the schedule stays."""
        with self._sessions.begin() as session:
            s = session.get(ActivitySession, session_id)
            if s is None:
                raise NotFound("That session no longer exists.")
            if s.status == "cancelled":
                raise StateError("This session was cancelled. Reinstate it first, then move it.")
            self._check_session(session, s.activity, on, start_time, end_time, venue, s.id)
            assert on is not None and start_time is not None and end_time is not None  # checked
            s.on, s.start_time, s.end_time = on, start_time, end_time
            s.venue = clean_line(venue)
            s.note = clean(note)
            s.activity.planned_until = None

    def add_session(
        self,
        activity_id: uuid.UUID,
        on: date | None,
        start_time: time | None,
        end_time: time | None,
        venue: str = "",
        note: str = "",
    ) -> uuid.UUID:
        """An extra session outside the schedule (a catch-up, a show-and-tell)."""
        with self._sessions.begin() as session:
            a = session.get(Activity, activity_id)
            if a is None:
                raise NotFound("That activity no longer exists.")
            self._check_session(session, a, on, start_time, end_time, venue, None)
            s = ActivitySession(
                activity_id=a.id,
                on=on,
                start_time=start_time,
                end_time=end_time,
                venue=clean_line(venue),
                note=clean(note),
                scheduled_on=None,
            )
            session.add(s)
            a.planned_until = None
            session.flush()
            return s.id

    @staticmethod
    def _check_session(
        session: Session,
        a: Activity,
        on: date | None,
        start_time: time | None,
        end_time: time | None,
        venue: str,
        session_id: uuid.UUID | None,
    ) -> None:
        check = Checker()
        if on is None:
            check.add("on", "Please enter the date of the session.")
        check.plausible_date("on", on, "date")
        _check_times(check, start_time, end_time)
        check.max_length("venue", venue, MAX_NAME, "The venue")
        _check_within(check, "on", on, a.collaboration, "The session")
        if on is not None and "on" not in check.errors:
            clash = session.scalar(
                select(ActivitySession).where(
                    ActivitySession.activity_id == a.id,
                    ActivitySession.on == on,
                    ActivitySession.id != session_id,
                )
            )
            if clash is not None:
                state = label(SESSION_STATUSES, clash.status).lower()
                check.add(
                    "on",
                    f"{a.name} already has a session on {on:%d/%m/%Y} ({state}). "
                    "Choose another day, or change that session instead.",
                )
        check.raise_if_any()

    def cancel_session(self, session_id: uuid.UUID, reason: str, note: str = "") -> None:
        check = Checker()
        check.choice("reason", reason, CANCEL_REASONS, "why the session was cancelled")
        if reason == "other" and not clean(note):
            check.add("note", "Please say why the session was cancelled.")
        check.max_length("note", note, MAX_TEXT, "The note")
        check.raise_if_any()
        with self._sessions.begin() as session:
            s = session.get(ActivitySession, session_id)
            if s is None:
                raise NotFound("That session no longer exists.")
            if s.attendances:
                raise StateError(
                    f"The session on {s.on:%d/%m/%Y} has attendance recorded, so it was held. "
                    "Clear its register first if it really was cancelled."
                )
            s.status = "cancelled"
            s.cancel_reason = reason
            s.note = clean(note)
            s.activity.planned_until = None

    def reinstate_session(self, session_id: uuid.UUID) -> None:
        with self._sessions.begin() as session:
            s = session.get(ActivitySession, session_id)
            if s is None:
                raise NotFound("That session no longer exists.")
            if s.status == "cancelled":
                s.status = "held" if s.recorded_at else "planned"
                s.cancel_reason = ""
                s.activity.planned_until = None

    def delete_session(self, session_id: uuid.UUID) -> None:
        """Only a session added by hand, with nothing recorded, can go; a scheduled one is
        cancelled instead, so the record shows it."""
        with self._sessions.begin() as session:
            s = session.get(ActivitySession, session_id)
            if s is None:
                return
            if s.scheduled_on is not None:
                raise StateError(
                    "This session comes from the schedule. Cancel it (with a reason) instead, "
                    "so the record shows it did not happen."
                )
            if s.attendances or s.status != "planned":
                raise InUse("This session has a register or a cancellation on record.")
            s.activity.planned_until = None
            session.delete(s)


def default_name_printing(setting: str) -> str:
    return "full" if setting == "community" else "initials"


def _check_times(check: Checker, start: time | None, end: time | None) -> None:
    if start is None:
        check.add("start_time", "Please enter the start time, like 10:00.")
    if end is None:
        check.add("end_time", "Please enter the end time, like 12:00.")
    if start and end and end <= start:
        check.add(
            "end_time",
            f"The end time ({end:%H:%M}) is not after the start time ({start:%H:%M}).",
        )


def _check_within(
    check: Checker, field: str, day: date | None, c: Collaboration, what: str
) -> None:
    if day is None:
        return
    if c.start_date and day < c.start_date:
        check.add(
            field,
            f"{what} ({day:%d/%m/%Y}) is before the collaboration starts "
            f"({c.start_date:%d/%m/%Y}).",
        )
    elif c.end_date and day > c.end_date:
        check.add(
            field,
            f"{what} ({day:%d/%m/%Y}) is after the collaboration ends ({c.end_date:%d/%m/%Y}).",
        )


def _sync_sessions(
    session: Session,
    a: Activity,
    c: Collaboration,
    horizon: date,
    today: date,
    old_times: tuple[time, time] | None = None,
) -> None:
    """Make the rows match the schedule up to `horizon` (and the activity's and the
    collaboration's last dates). Creates missing scheduled sessions; removes or retimes only
    future ones nobody has touched."""
    existing = session.scalars(
        select(ActivitySession).where(ActivitySession.activity_id == a.id)
    ).all()
    with_attendance = {
        session_id
        for (session_id,) in session.execute(
            select(Attendance.session_id)
            .join(ActivitySession)
            .where(ActivitySession.activity_id == a.id)
            .distinct()
        )
    }
    _apply_schedule(session, a, c, list(existing), with_attendance, horizon, today, None, old_times)
    session.flush()


def _apply_schedule(
    session: Session,
    a: Activity,
    c: Collaboration,
    found: list[ActivitySession],
    with_attendance: set[uuid.UUID],
    horizon: date,
    today: date,
    after: date | None = None,
    old_times: tuple[time, time] | None = None,
) -> None:
    """The one statement of the planning rules (issue 16: they were written out twice):
    the sessions `found` of activity `a` are made to match its schedule up to `horizon`
    (and the activity's and the collaboration's last dates), looking only at dates after
    `after` when given (the activity was planned to that date, nothing changed since).
    Missing scheduled sessions are added; only future ones nobody has touched (planned, on
    their scheduled day, nobody marked present) are removed, or retimed from `old_times`."""
    end = min((d for d in (a.ends_on, c.end_date) if d), default=None)
    last = min(end, horizon) if end else horizon
    since = c.start_date if c.start_date and c.start_date > a.starts_on else None
    wanted = set(schedule_dates(a.weekday, a.frequency, a.starts_on, last, since))
    if after is not None:
        wanted = {d for d in wanted if d > after}
    scheduled = {s.scheduled_on for s in found if s.scheduled_on}
    taken = {s.on for s in found if after is None or s.on > after}
    removed = False
    for s in found:
        untouched = (
            s.status == "planned"
            and s.scheduled_on is not None
            and s.on == s.scheduled_on
            and s.id not in with_attendance
            and s.on >= today
            and (after is None or s.on > after)
        )
        if not untouched:
            continue
        # Beyond the horizon a session is only removed if it is past the activity's (or the
        # collaboration's) end: the horizon moves, and ids the screen holds must stay valid.
        if s.scheduled_on not in wanted and (s.on <= last or (end and s.on > end)):
            session.delete(s)
            removed = True
            taken.discard(s.on)
            scheduled.discard(s.scheduled_on)
        elif old_times and (s.start_time, s.end_time) == old_times:
            s.start_time, s.end_time = a.start_time, a.end_time
    if removed:
        session.flush()  # the removed rows go before a new one may take their day
    for day in sorted(wanted - scheduled - taken):
        session.add(
            ActivitySession(
                activity_id=a.id,
                on=day,
                scheduled_on=day,
                start_time=a.start_time,
                end_time=a.end_time,
            )
        )
    a.planned_until = horizon


def _due(horizon: date):
    """The activities (with their collaborations) whose sessions up to `horizon` may not all
    be rows yet: see _plan."""

    def ends_after_plan(end):
        return or_(end.is_(None), end > Activity.planned_until)

    return (
        select(Activity, Collaboration)
        .join(Collaboration, Activity.collaboration_id == Collaboration.id)
        .where(
            or_(
                Activity.planned_until.is_(None),
                and_(
                    Activity.planned_until < horizon,
                    ends_after_plan(Activity.ends_on),
                    ends_after_plan(Collaboration.end_date),
                ),
            )
        )
    )


def _plan(
    session: Session,
    horizon: date,
    today: date,
    activity_id: uuid.UUID | None = None,
    among: list[uuid.UUID] | None = None,
) -> None:
    """Sessions as rows up to `horizon` for every activity (or one, or those `among` some),
    as _sync_sessions makes them, looking only at the activities that need it.

    An activity planned that far already (Activity.planned_until), or ending before the date
    it was planned to, needs nothing: everything that changes a schedule (the activity, its
    collaboration's dates, a session moved, added, reinstated or deleted) clears that date,
    and a cleared one is planned from scratch. Otherwise only the dates after it can change
    (_extend_sessions). So the calendar at start-up costs one query, not a look at every
    session of every activity there has ever been.
    """
    query = _due(horizon)
    if activity_id is not None:
        query = query.where(Activity.id == activity_id)
    if among is not None:
        query = query.where(Activity.id.in_(among))
    due = session.execute(query).all()
    extend = []
    for a, c in due:
        if a.planned_until is None:
            _sync_sessions(session, a, c, horizon, today)
        else:
            extend.append((a, c))
    if extend:
        _extend_sessions(session, extend, horizon, today)


def _extend_sessions(
    session: Session, due: list[tuple[Activity, Collaboration]], horizon: date, today: date
) -> None:
    """What _sync_sessions would do for activities already planned to `planned_until` with
    nothing changed since: the same rules, applied to the dates after it. Two queries for all
    of them (the day's new week of sessions for every open-ended activity)."""
    ids = [a.id for a, _ in due]
    later = (
        select(ActivitySession)
        .join(Activity, ActivitySession.activity_id == Activity.id)
        .where(
            ActivitySession.activity_id.in_(ids),
            or_(
                ActivitySession.on > Activity.planned_until,
                ActivitySession.scheduled_on > Activity.planned_until,
            ),
        )
    )
    existing: dict[uuid.UUID, list[ActivitySession]] = {}
    for s in session.scalars(later):
        existing.setdefault(s.activity_id, []).append(s)
    with_attendance = set(
        session.scalars(
            select(Attendance.session_id)
            .where(Attendance.session_id.in_([s.id for ss in existing.values() for s in ss]))
            .distinct()
        )
    )
    for a, c in due:
        done = a.planned_until
        assert done is not None  # only activities planned before are extended
        found = existing.get(a.id, [])
        _apply_schedule(session, a, c, found, with_attendance, horizon, today, after=done)
    session.flush()


def replan(session: Session, *where) -> None:
    """Forget how far the activities matching `where` had their sessions planned, after a
    change that can alter which sessions should exist: the next look plans them afresh."""
    session.execute(update(Activity).where(*where).values(planned_until=None))


def _session_rows(session: Session, where: list, today: date) -> list[SessionRow]:
    """The sessions matching `where`, in date order, with how many came to each: columns
    only (no ORM objects), as a week's or a quarter's calendar can be long."""
    rows = session.execute(
        select(
            ActivitySession.id, ActivitySession.activity_id, Activity.name, Collaboration.name,
            ActivitySession.on, ActivitySession.start_time, ActivitySession.end_time,
            ActivitySession.venue, Activity.venue, ActivitySession.status,
            ActivitySession.cancel_reason, ActivitySession.note, ActivitySession.scheduled_on,
        )
        .join(Activity, ActivitySession.activity_id == Activity.id)
        .join(Collaboration, Activity.collaboration_id == Collaboration.id)
        .where(*where)
        .order_by(ActivitySession.on, ActivitySession.start_time, Activity.name)
    ).all()  # fmt: skip
    counts: Counter[uuid.UUID] = Counter()
    if rows:
        counts.update(
            dict(
                session.execute(
                    select(Attendance.session_id, func.count())
                    .join(ActivitySession, Attendance.session_id == ActivitySession.id)
                    .where(*where)
                    .group_by(Attendance.session_id)
                ).all()
            )
        )
    return [session_row(row, counts[row[0]], today) for row in rows]
