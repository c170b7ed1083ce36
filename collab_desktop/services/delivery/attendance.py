"""The register of one session (who came, who led it) and the attendance sheets printed for
sessions to come."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Attendance,
    Collaboration,
    Contact,
    Enrolment,
    Facilitator,
    Participant,
    SessionLeader,
)
from collab_desktop.models.base import utcnow
from collab_desktop.models.enums import CANCEL_REASONS, label
from collab_desktop.pdf.sheet_data import SessionSheet
from collab_desktop.services.delivery.activities import ActivityService, SessionRow
from collab_desktop.services.delivery.participants import is_current, sheet_labels
from collab_desktop.services.delivery.schedule import sheets_window
from collab_desktop.services.delivery.volunteers import volunteer_clearances, warnings_for
from collab_desktop.services.errors import NotFound, StateError, ValidationError
from collab_desktop.services.validation import MAX_NAME, Checker, clean


@dataclass(frozen=True)
class RegisterLine:
    participant_id: uuid.UUID
    name: str
    reference: str
    expected: bool  # enrolled on the day; others are found by typing their name
    attended: bool
    on_sheet_as: str = ""  # the name as the printed sheet shows it


class Findable(NamedTuple):
    """Someone not on a register's lines whom it can find by typing (see findable())."""

    key: str  # the participant's id as stored (hex): made a UUID only when chosen
    name: str
    reference: str

    @property
    def participant_id(self) -> uuid.UUID:
        return uuid.UUID(hex=self.key)


@dataclass(frozen=True)
class LeaderLine:
    contact_id: uuid.UUID
    name: str
    led: bool


@dataclass(frozen=True)
class Register:
    session_id: uuid.UUID
    activity_id: uuid.UUID
    activity: str
    collaboration: str
    on: date
    start_time: time
    end_time: time
    venue: str
    lines: list[RegisterLine]  # enrolled on the day or marked present, alphabetical
    leaders: list[LeaderLine]
    recorded: bool


@dataclass
class Newcomer:
    display_name: str
    reference: str = ""


@dataclass(frozen=True)
class RegisterSaved:
    changed: bool
    attended: int
    new_participants: list[uuid.UUID] = field(default_factory=list)


class AttendanceService:
    def __init__(self, sessions: sessionmaker[Session], activities: ActivityService) -> None:
        self._sessions = sessions
        self._activities = activities

    # -- the register ----------------------------------------------------------------------

    def register(self, session_id: uuid.UUID) -> Register:
        """The register of one session. A cancelled session has none (StateError). Its lines
        are the people enrolled on the day and whoever was marked present; everyone else the
        register can find by typing comes from findable(), read only when first needed."""
        with self._sessions() as session:
            s = _load(session, session_id)
            _require_open(s)
            a = s.activity
            # Only this session's people, not every participant with their enrolments: ten
            # years bring tens of thousands of people, and loading them all through the ORM
            # took two seconds before a register of 60 opened (issue 17).
            enrolled = session.execute(
                select(Enrolment.participant_id, Enrolment.enrolled_on, Enrolment.left_on).where(
                    Enrolment.activity_id == a.id
                )
            ).all()
            expected_ids = {
                pid
                for pid, since, until in enrolled
                if (since is None or since <= s.on) and (until is None or until >= s.on)
            }
            attended = set(
                session.scalars(
                    select(Attendance.participant_id).where(Attendance.session_id == s.id)
                )
            )
            people = session.execute(
                select(Participant.id, Participant.display_name, Participant.reference).where(
                    Participant.id.in_(expected_ids | attended)
                )
            ).all()
            shown = sheet_labels(
                {pid: name for pid, name, _ in people if pid in expected_ids}, a.name_printing
            )
            lines = [
                RegisterLine(
                    participant_id=pid,
                    name=name,
                    reference=reference,
                    expected=pid in expected_ids,
                    attended=pid in attended,
                    on_sheet_as=shown.get(pid, ""),
                )
                for pid, name, reference in people
            ]
            lines.sort(key=lambda r: (r.name.casefold(), r.reference))
            if s.recorded_at:
                led = {sl.contact_id for sl in s.leaders}
            else:
                led = {f.contact_id for f in a.facilitators}
            contacts = {f.contact_id: f.contact.name for f in a.facilitators}
            for sl in s.leaders:
                contacts.setdefault(sl.contact_id, sl.contact.name)
            return Register(
                session_id=s.id,
                activity_id=a.id,
                activity=a.name,
                collaboration=a.collaboration.name,
                on=s.on,
                start_time=s.start_time,
                end_time=s.end_time,
                venue=s.venue or a.venue,
                lines=lines,
                leaders=[LeaderLine(cid, name, cid in led) for cid, name in contacts.items()],
                recorded=s.recorded_at is not None,
            )

    def findable(self, session_id: uuid.UUID) -> list[Findable]:
        """Everyone else the register of a session can find by typing their name: recorded,
        not left before the session's day, and not on its lines (enrolled then, or marked
        present). Alphabetical. Plain SQL and tuples: at ten years' scale these are over ten
        thousand people, and typed ORM rows would take most of a second."""
        with self._sessions() as session:
            s = _load(session, session_id)
            connection = session.connection()
            on = s.on.isoformat()
            taken = {
                pid
                for (pid,) in connection.exec_driver_sql(
                    "SELECT participant_id FROM enrolment WHERE activity_id = ?"
                    " AND (enrolled_on IS NULL OR enrolled_on <= ?)"
                    " AND (left_on IS NULL OR left_on >= ?)"
                    " UNION SELECT participant_id FROM attendance WHERE session_id = ?",
                    (s.activity_id.hex, on, on, s.id.hex),
                )
            }
            rows = connection.exec_driver_sql(
                "SELECT id, display_name, reference FROM participant"
                " WHERE left_on IS NULL OR left_on >= ?",
                (on,),
            ).all()
        found = [Findable(*row) for row in rows if row[0] not in taken]
        found.sort(key=lambda f: (f.name.casefold(), f.reference))
        return found

    def save_register(
        self,
        session_id: uuid.UUID,
        attended: set[uuid.UUID] | list[uuid.UUID],
        newcomers: list[Newcomer] | None = None,
        leader_ids: list[uuid.UUID] | None = None,
        today: date | None = None,
    ) -> RegisterSaved:
        """Record exactly who came (and who led). Saving the same register again changes
        nothing. Newcomers are recorded as participants, enrolled from the session's date and
        marked as attending, in the same transaction."""
        today = today or date.today()
        newcomers = newcomers or []
        check = Checker()
        for i, n in enumerate(newcomers):
            n.display_name = clean(n.display_name)
            n.reference = clean(n.reference)
            check.required(f"newcomers.{i}", n.display_name, "the newcomer's name")
            check.max_length(f"newcomers.{i}", n.display_name, MAX_NAME, "The name")
        check.raise_if_any()
        with self._sessions.begin() as session:
            s = _load(session, session_id)
            _require_open(s)
            if s.on > today:
                raise ValidationError.single(
                    "on",
                    f"This session is on {s.on:%d/%m/%Y}, which has not come yet. Record "
                    "attendance on or after the day.",
                )
            wanted = set(attended)
            known = set(session.scalars(select(Participant.id).where(Participant.id.in_(wanted))))
            if known != wanted:
                raise ValidationError.single(
                    "attended", "Someone on the register was deleted meanwhile. Reopen it."
                )
            created = []
            for n in newcomers:
                p = Participant(display_name=n.display_name, reference=n.reference, joined_on=s.on)
                session.add(p)
                session.flush()
                session.add(
                    Enrolment(participant_id=p.id, activity_id=s.activity_id, enrolled_on=s.on)
                )
                created.append(p.id)
                wanted.add(p.id)
            before = {att.participant_id: att for att in s.attendances}
            changed = bool(created)
            for pid, att in before.items():
                if pid not in wanted:
                    session.delete(att)
                    changed = True
            for pid in wanted - before.keys():
                session.add(Attendance(session_id=s.id, participant_id=pid))
                changed = True
            if leader_ids is not None:
                led = set(leader_ids)
                current = {sl.contact_id: sl for sl in s.leaders}
                for cid, sl in current.items():
                    if cid not in led:
                        session.delete(sl)
                        changed = True
                for cid in led - current.keys():
                    if session.get(Contact, cid) is None:
                        raise ValidationError.single("leaders", "A facilitator no longer exists.")
                    session.add(SessionLeader(session_id=s.id, contact_id=cid))
                    changed = True
            if s.status != "held":
                s.status = "held"
                changed = True
            if changed or s.recorded_at is None:
                s.recorded_at = utcnow()
            return RegisterSaved(changed=changed, attended=len(wanted), new_participants=created)

    # -- sheets ----------------------------------------------------------------------------

    def upcoming(
        self,
        activity_id: uuid.UUID | None,
        weeks: int,
        today: date | None = None,
        now: time | None = None,
    ) -> list[SessionRow]:
        """Sessions still to come from today for `weeks` weeks: today's included unless it
        has finished by `now` (the time of day), as this morning's has by the afternoon; its
        sheet has been used already."""
        today = today or date.today()
        # A week more than asked is read, for a window that starts at the next session
        # (schedule.sheets_window) rather than today.
        reach = today + timedelta(days=7 * weeks + 6)
        rows = [
            r
            for r in self._activities.sessions_between(today, reach, activity_id, today)
            if r.status != "cancelled" and not (now and r.on == today and r.end_time <= now)
        ]
        first = rows[0].on if rows and activity_id is not None else None
        start, last = sheets_window(today, weeks, first)
        return [r for r in rows if start <= r.on <= last]

    def plan_and_list_week(self, today: date | None = None) -> list[SessionRow]:
        """Every session of the calendar week (Monday to Sunday) that holds `today`, planning
        the activities' sessions up to that week first (so it writes: the name says so)."""
        today = today or date.today()
        monday = today - timedelta(days=today.weekday())
        return self._activities.sessions_between(monday, monday + timedelta(days=6), None, today)

    def sheets(
        self, session_ids: list[uuid.UUID], printed_on: date | None = None
    ) -> list[SessionSheet]:
        """Sheet data for sessions, in date order; cancelled ones are left out. Names are
        cut down here to what each activity allows, before they reach the PDF."""
        printed_on = printed_on or date.today()
        with self._sessions() as session:
            found = session.scalars(
                select(ActivitySession)
                .options(
                    selectinload(ActivitySession.activity).selectinload(Activity.collaboration),
                    selectinload(ActivitySession.activity)
                    .selectinload(Activity.facilitators)
                    .selectinload(Facilitator.contact),
                )
                .where(ActivitySession.id.in_(session_ids))
                .order_by(ActivitySession.on, ActivitySession.start_time)
            ).all()
            sheets = []
            for s in found:
                if s.status == "cancelled":
                    continue
                a = s.activity
                rows = session.execute(
                    select(Participant.id, Participant.display_name, Enrolment)
                    .join(Enrolment)
                    .where(Enrolment.activity_id == a.id)
                ).all()
                names = {pid: name for pid, name, e in rows if is_current(e, s.on)}
                shown = sorted(
                    sheet_labels(names, a.name_printing).values(), key=lambda t: t.casefold()
                )
                sheets.append(
                    SessionSheet(
                        activity=a.name,
                        collaboration=a.collaboration.name,
                        on=s.on,
                        start_time=s.start_time,
                        end_time=s.end_time,
                        venue=s.venue or a.venue,
                        facilitators=[f.contact.name for f in a.facilitators],
                        names=_natural(shown),
                        spare_rows=a.spare_rows,
                        site=a.collaboration.site,
                        printed_on=printed_on,
                    )
                )
            return sheets

    def cancelled_between(self, activity_id: uuid.UUID, first: date, last: date) -> list[str]:
        """'12/05/2026 (Lock-down)' for each cancelled session, to say what was left out."""
        with self._sessions() as session:
            rows = session.execute(
                select(ActivitySession.on, ActivitySession.cancel_reason)
                .where(
                    ActivitySession.activity_id == activity_id,
                    ActivitySession.status == "cancelled",
                    ActivitySession.on >= first,
                    ActivitySession.on <= last,
                )
                .order_by(ActivitySession.on)
            ).all()
        return [f"{on:%d/%m/%Y} ({label(CANCEL_REASONS, reason)})" for on, reason in rows]

    def clearance_warnings(self, session_ids: list[uuid.UUID]) -> list[str]:
        """For each session still to be held: facilitators (volunteers) whose clearance for
        the site has expired by its date, or was never recorded."""
        warnings: list[str] = []
        with self._sessions() as session:
            # Three queries for the week, not a few per session: this is on the home page.
            found = session.execute(
                select(ActivitySession.on, Activity.id, Activity.name, Collaboration.site)
                .join(Activity, ActivitySession.activity_id == Activity.id)
                .join(Collaboration, Activity.collaboration_id == Collaboration.id)
                .where(ActivitySession.id.in_(session_ids), ActivitySession.status == "planned")
                # The activity last: two groups of one name meeting at one time list in
                # the same order every time, and as the quick first page lists them.
                .order_by(
                    ActivitySession.on, ActivitySession.start_time, Activity.name, Activity.id
                )
            ).all()
            leaders: dict[uuid.UUID, list[uuid.UUID]] = {}
            for activity_id, contact_id in session.execute(
                select(Facilitator.activity_id, Facilitator.contact_id)
                .where(Facilitator.activity_id.in_({a for _, a, _, _ in found}))
                .order_by(Facilitator.activity_id, Facilitator.position)
            ):
                leaders.setdefault(activity_id, []).append(contact_id)
            volunteers = volunteer_clearances(session, [c for ids in leaders.values() for c in ids])
        for on, activity_id, name, site in found:
            ids = leaders.get(activity_id, [])
            for text in warnings_for(volunteers, ids, site, on, on):
                line = f"{name}, {on:%d/%m/%Y}: {text}"
                if line not in warnings:
                    warnings.append(line)
        return warnings

    def attendance_count(self, session_id: uuid.UUID) -> int:
        with self._sessions() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(Attendance)
                    .where(Attendance.session_id == session_id)
                )
                or 0
            )


def _natural(names: list[str]) -> list[str]:
    # "P. S. (2)" after "P. S. (1)", and "P. S. (10)" after "P. S. (9)".
    def key(text: str) -> tuple[str, int]:
        if text.endswith(")") and " (" in text:
            head, _, number = text[:-1].rpartition(" (")
            if number.isdigit():
                return head.casefold(), int(number)
        return text.casefold(), 0

    return sorted(names, key=key)


def _load(session: Session, session_id: uuid.UUID) -> ActivitySession:
    s = session.get(ActivitySession, session_id)
    if s is None:
        raise NotFound("That session no longer exists.")
    return s


def _require_open(s: ActivitySession) -> None:
    if s.status == "cancelled":
        reason = label(CANCEL_REASONS, s.cancel_reason).lower()
        raise StateError(
            f"The session on {s.on:%d/%m/%Y} was cancelled ({reason}), so it has no register. "
            "If it went ahead after all, reinstate it first."
        )
