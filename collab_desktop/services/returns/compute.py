"""The standard measures of a monitoring return, counted from one collaboration's sessions,
registers and volunteers for a period, and the sessions and people behind each number.

services/delivery/figures.py counts one activity at a time; a return counts a whole collaboration,
where someone who came to two of its groups is one participant, not two, so the distinct
counts cannot be added up from per-activity figures. The rules are figures.py's (planned is
every session in the period; average is attendances per held session; facilitator hours are
each leader's hours added up; hours from schedule.hours_between; reasons labelled as there),
and the counting is done once, over the period's rows, so that the drill-down (trace()) shows
exactly the rows each number was counted from."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Attendance,
    Contact,
    Enrolment,
    Facilitator,
    Organisation,
    Participant,
    SessionLeader,
    Volunteer,
)
from collab_desktop.models.enums import CANCEL_REASONS, label
from collab_desktop.services.delivery.schedule import hours_between

# code -> (name, unit). The order is the order a return lists them in.
MEASURES: dict[str, tuple[str, str]] = {
    "sessions_planned": ("Sessions planned", "sessions"),
    "sessions_held": ("Sessions held", "sessions"),
    "sessions_cancelled": ("Sessions cancelled", "sessions"),
    "sessions_not_recorded": ("Sessions with no register yet", "sessions"),
    "attendances": ("Attendances", "attendances"),
    "participants": ("Different participants", "people"),
    "newcomers": ("Newcomers", "people"),
    "leavers": ("Leavers", "people"),
    "average_attendance": ("Average attendance per session held", "people"),
    "session_hours": ("Hours of sessions held", "hours"),
    "facilitator_hours": ("Facilitator hours", "hours"),
    "volunteer_hours": ("Volunteer hours", "hours"),
}
# Measures that count people: the ones small-number suppression hides.
PEOPLE_MEASURES = frozenset({"attendances", "participants", "newcomers", "leavers"})
NO_REASON = "No reason given"


@dataclass(frozen=True)
class Measure:
    code: str
    breakdown: str  # "" for the measure as a whole, else e.g. a cancellation reason
    name: str
    unit: str
    value: float


@dataclass(frozen=True)
class PeriodFigures:
    collaboration_id: uuid.UUID
    first: date
    last: date
    measures: list[Measure]
    # What a reader must know to read the figures right: no sessions at all, an activity
    # that ended during the period, registers not yet recorded.
    notices: list[str] = field(default_factory=list)

    def value(self, code: str, breakdown: str = "") -> float | None:
        for m in self.measures:
            if m.code == code and m.breakdown == breakdown:
                return m.value
        return None


@dataclass(frozen=True)
class TraceSession:
    session_id: uuid.UUID
    activity: str
    on: date
    start: time
    end: time
    status: str
    reason: str  # the label, "" unless cancelled
    attended: int
    leaders: int
    volunteers: int


@dataclass(frozen=True)
class TracePerson:
    participant_id: uuid.UUID
    name: str
    first_seen: date | None  # first session of the collaboration they came to
    left_on: date | None
    reference: str = ""  # e.g. a prison number: what a custody register goes by
    came: int = 0  # sessions of the traced ones they came to


@dataclass(frozen=True)
class Trace:
    """The records behind one number: the sessions it counts and, for a count of people,
    who they are (on this laptop only: names never leave it in a return)."""

    code: str
    breakdown: str
    sessions: list[TraceSession]
    people: list[TracePerson]


@dataclass
class _Rows:
    """The period's rows, read once."""

    names: dict[uuid.UUID, str]
    sessions: list[tuple[uuid.UUID, uuid.UUID, date, str, str, time, time]]
    attended: dict[uuid.UUID, list[uuid.UUID]]  # held session -> participants
    leaders: dict[uuid.UUID, tuple[int, int]]  # held session -> (leaders, volunteers)
    newcomers: set[uuid.UUID]
    leavers: set[uuid.UUID]
    ended: list[tuple[str, date]]
    others: list[tuple[str, str]] = field(default_factory=list)  # (activity, who leads it)


def reporting_activities(
    session: Session,
    collaboration_id: uuid.UUID,
    organisation_id: uuid.UUID | None,
    first: date,
    last: date,
) -> tuple[list[uuid.UUID], list[tuple[str, str]]]:
    """The activities an organisation's return counts, and those it leaves to others.

    A whole collaboration travels to every partner's laptop with all its activities, so a
    partner's return must not count another partner's group (seen in the three-laptop run:
    RECOOP's return listed Pact's Saturdays as planned and unrecorded). An activity is counted
    when the organisation is among its facilitators' organisations, when no facilitator is set
    (who runs it is not recorded), or when a session of it in the period was recorded here
    (held or cancelled on this laptop: the organisation ran it). With no organisation, every
    activity is counted."""
    activities = session.scalars(
        select(Activity.id).where(Activity.collaboration_id == collaboration_id)
    ).all()
    if organisation_id is None:
        return list(activities), []
    leads: dict[uuid.UUID, set[uuid.UUID]] = {}
    names: dict[uuid.UUID, str] = {}
    org_names: dict[uuid.UUID, str] = {}
    for activity_id, activity_name, org_id, org_name in session.execute(
        select(Activity.id, Activity.name, Contact.organisation_id, Organisation.name)
        .join(Facilitator, Facilitator.activity_id == Activity.id)
        .join(Contact, Facilitator.contact_id == Contact.id)
        .join(Organisation, Contact.organisation_id == Organisation.id)
        .where(Activity.collaboration_id == collaboration_id)
    ):
        leads.setdefault(activity_id, set()).add(org_id)
        names[activity_id] = activity_name
        org_names[org_id] = org_name
    recorded_here = set(
        session.scalars(
            select(ActivitySession.activity_id)
            .distinct()
            .where(
                ActivitySession.activity_id.in_(leads),
                ActivitySession.status != "planned",
                ActivitySession.on >= first,
                ActivitySession.on <= last,
            )
        )
    )
    kept = [
        a for a in activities
        if a not in leads or organisation_id in leads[a] or a in recorded_here
    ]  # fmt: skip
    others = sorted(
        (names[a], " and ".join(sorted(org_names[o] for o in leads[a])))
        for a in activities
        if a not in kept
    )
    return kept, others


def _read(
    session: Session,
    collaboration_id: uuid.UUID,
    first: date,
    last: date,
    organisation_id: uuid.UUID | None = None,
) -> _Rows:
    kept, others = reporting_activities(session, collaboration_id, organisation_id, first, last)
    of_collaboration = Activity.id.in_(kept)
    activities = session.execute(
        select(Activity.id, Activity.name, Activity.ends_on).where(of_collaboration)
    ).all()
    names = {a: n for a, n, _ in activities}
    ended = sorted((n, e) for _, n, e in activities if e is not None and first <= e < last)
    in_period = (
        ActivitySession.activity_id == Activity.id,
        of_collaboration,
        ActivitySession.on >= first,
        ActivitySession.on <= last,
    )
    rows = session.execute(
        select(
            ActivitySession.id, ActivitySession.activity_id, ActivitySession.on,
            ActivitySession.status, ActivitySession.cancel_reason,
            ActivitySession.start_time, ActivitySession.end_time,
        )
        .where(*in_period)
        .order_by(ActivitySession.on, ActivitySession.start_time)
    ).all()  # fmt: skip
    held = (*in_period, ActivitySession.status == "held")
    attended: dict[uuid.UUID, list[uuid.UUID]] = {}
    for session_id, participant_id in session.execute(
        select(Attendance.session_id, Attendance.participant_id)
        .join(ActivitySession, Attendance.session_id == ActivitySession.id)
        .where(*held)
    ):
        attended.setdefault(session_id, []).append(participant_id)
    leaders: dict[uuid.UUID, tuple[int, int]] = {}
    for session_id, volunteer in session.execute(
        select(SessionLeader.session_id, Volunteer.id)
        .join(ActivitySession, SessionLeader.session_id == ActivitySession.id)
        .outerjoin(Volunteer, Volunteer.contact_id == SessionLeader.contact_id)
        .where(*held)
    ):
        n, v = leaders.get(session_id, (0, 0))
        leaders[session_id] = (n + 1, v + (volunteer is not None))
    came = select(Attendance.participant_id).join(
        ActivitySession, Attendance.session_id == ActivitySession.id
    )
    came_before = set(
        session.scalars(
            came.join(Activity, ActivitySession.activity_id == Activity.id)
            .where(
                of_collaboration,
                ActivitySession.status == "held",
                ActivitySession.on < first,
                Attendance.participant_id.in_(came.where(*held)),
            )
            .distinct()
        )
    )
    in_period_people = {p for people in attended.values() for p in people}
    leavers = set(
        session.scalars(
            select(Enrolment.participant_id)
            .distinct()
            .join(Activity, Enrolment.activity_id == Activity.id)
            .join(Participant, Enrolment.participant_id == Participant.id)
            .where(
                of_collaboration,
                or_(
                    Enrolment.left_on.between(first, last),
                    Participant.left_on.between(first, last),
                ),
            )
        )
    )
    return _Rows(
        names=names,
        sessions=[tuple(r) for r in rows],  # type: ignore[misc]
        attended=attended,
        leaders=leaders,
        newcomers=in_period_people - came_before,
        leavers=leavers,
        ended=ended,
        others=others,
    )


def _reason(stored: str) -> str:
    return label(CANCEL_REASONS, stored) or NO_REASON


def compute(
    session: Session,
    collaboration_id: uuid.UUID,
    first: date,
    last: date,
    today: date,
    organisation_id: uuid.UUID | None = None,
) -> PeriodFigures:
    """The standard measures of the collaboration from `first` to `last` (inclusive), from
    every activity of it on this laptop that `organisation_id` reports on (all, if None; see
    reporting_activities). The schedule must already be planned that far
    (ActivityService.plan_ahead), or sessions not yet made as rows are not counted."""
    rows = _read(session, collaboration_id, first, last, organisation_id)
    held = [r for r in rows.sessions if r[3] == "held"]
    cancelled = [r for r in rows.sessions if r[3] == "cancelled"]
    not_recorded = [r for r in rows.sessions if r[3] == "planned" and r[2] <= today]
    by_reason: dict[str, int] = {}
    for r in sorted(cancelled, key=lambda r: r[4]):
        by_reason[_reason(r[4])] = by_reason.get(_reason(r[4]), 0) + 1
    attendances = sum(len(rows.attended.get(r[0], ())) for r in held)
    people = {p for r in held for p in rows.attended.get(r[0], ())}
    hours = {r[0]: hours_between(r[5], r[6]) for r in held}
    facilitator = sum(h * rows.leaders.get(s, (0, 0))[0] for s, h in hours.items())
    volunteer = sum(h * rows.leaders.get(s, (0, 0))[1] for s, h in hours.items())
    values: list[tuple[str, str, float]] = [
        ("sessions_planned", "", len(rows.sessions)),
        ("sessions_held", "", len(held)),
        ("sessions_cancelled", "", len(cancelled)),
        *(("sessions_cancelled", reason, n) for reason, n in by_reason.items()),
        ("sessions_not_recorded", "", len(not_recorded)),
        ("attendances", "", attendances),
        ("participants", "", len(people)),
        ("newcomers", "", len(rows.newcomers)),
        ("leavers", "", len(rows.leavers)),
        ("average_attendance", "", round(attendances / len(held), 1) if held else 0.0),
        ("session_hours", "", round(sum(hours.values()), 2)),
        ("facilitator_hours", "", round(facilitator, 2)),
        ("volunteer_hours", "", round(volunteer, 2)),
    ]
    measures = [
        Measure(code, breakdown, MEASURES[code][0], MEASURES[code][1], float(value))
        for code, breakdown, value in values
    ]
    notices = []
    if not rows.sessions:
        notices.append(
            "No sessions were planned in this period, so every counted figure is 0. If the "
            "group did meet, record its sessions first."
        )
    for name, ended_on in rows.ended:
        notices.append(
            f"{name} ended on {ended_on:%d %B %Y}, during this period: only its sessions up "
            "to that day are counted."
        )
    for name, leader in rows.others:
        notices.append(
            f"{name} is led by {leader} (its facilitators): its sessions are in their "
            "return, not counted in this one."
        )
    if not_recorded:
        notices.append(
            f"{len(not_recorded)} past session(s) have no register yet: they count as "
            "planned but not as held, and nobody's attendance at them is counted."
        )
    return PeriodFigures(collaboration_id, first, last, measures, notices)


def trace(
    session: Session,
    collaboration_id: uuid.UUID,
    first: date,
    last: date,
    code: str,
    breakdown: str,
    today: date,
    organisation_id: uuid.UUID | None = None,
) -> Trace:
    """The sessions (and, for counts of people, the people) one measure was counted from."""
    if code not in MEASURES:
        raise ValueError(f"not a standard measure: {code}")
    rows = _read(session, collaboration_id, first, last, organisation_id)

    def wanted(r: tuple[uuid.UUID, uuid.UUID, date, str, str, time, time]) -> bool:
        status = r[3]
        if code == "sessions_planned":
            return True
        if code == "sessions_cancelled":
            return status == "cancelled" and (not breakdown or _reason(r[4]) == breakdown)
        if code == "sessions_not_recorded":
            return status == "planned" and r[2] <= today
        if code in ("facilitator_hours", "volunteer_hours"):
            n, v = rows.leaders.get(r[0], (0, 0))
            return status == "held" and (n if code == "facilitator_hours" else v) > 0
        if code in ("newcomers", "leavers"):
            return False  # people, not sessions
        return status == "held"

    sessions = [
        TraceSession(
            session_id=r[0],
            activity=rows.names.get(r[1], ""),
            on=r[2],
            start=r[5],
            end=r[6],
            status=r[3],
            reason=_reason(r[4]) if r[3] == "cancelled" else "",
            attended=len(rows.attended.get(r[0], ())),
            leaders=rows.leaders.get(r[0], (0, 0))[0],
            volunteers=rows.leaders.get(r[0], (0, 0))[1],
        )
        for r in rows.sessions
        if wanted(r)
    ]
    chosen: set[uuid.UUID] = set()
    # Who was counted, beside which sessions: a count of attendances or its average is
    # checked against the people as much as against the sessions.
    came: dict[uuid.UUID, int] = {}
    by_person = code in ("newcomers", "leavers")
    counted_in = list(rows.attended) if by_person else [s.session_id for s in sessions]
    for sid in counted_in:
        for p in rows.attended.get(sid, ()):
            came[p] = came.get(p, 0) + 1
    if code in ("participants", "attendances", "average_attendance"):
        chosen = set(came)
    elif code == "newcomers":
        chosen = rows.newcomers
    elif code == "leavers":
        chosen = rows.leavers
    people: list[TracePerson] = []
    if chosen:
        first_seen: dict[uuid.UUID, date] = {}
        for pid, on in session.execute(
            select(Attendance.participant_id, ActivitySession.on)
            .join(ActivitySession, Attendance.session_id == ActivitySession.id)
            .join(Activity, ActivitySession.activity_id == Activity.id)
            .where(
                Activity.collaboration_id == collaboration_id,
                ActivitySession.status == "held",
                Attendance.participant_id.in_(chosen),
            )
        ):
            if pid not in first_seen or on < first_seen[pid]:
                first_seen[pid] = on
        for pid, name, left_on, reference in session.execute(
            select(
                Participant.id, Participant.display_name, Participant.left_on,
                Participant.reference,
            ).where(Participant.id.in_(chosen))
        ):  # fmt: skip
            people.append(
                TracePerson(pid, name, first_seen.get(pid), left_on, reference, came.get(pid, 0))
            )
        people.sort(key=lambda p: p.name.casefold())
    return Trace(code, breakdown, sessions, people)
