"""The figures of an activity over a period: the numbers a quarterly monitoring return uses.
For one activity, or for every activity at once (counted by the database, in a few grouped
queries, so a lead partner's two thousand groups take a fraction of a second)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session, aliased, sessionmaker

from collab_desktop.models import Activity, ActivitySession, Attendance, SessionLeader
from collab_desktop.models.enums import CANCEL_REASONS, label
from collab_desktop.services.delivery.activities import ActivityService
from collab_desktop.services.delivery.schedule import hours_between
from collab_desktop.services.errors import NotFound
from collab_desktop.services.validation import Checker


@dataclass(frozen=True)
class Figures:
    activity: str
    first: date
    last: date
    planned: int  # every session in the period: held, cancelled or not (yet) recorded
    held: int
    cancelled: int
    cancelled_by_reason: dict[str, int] = field(default_factory=dict)  # label -> count
    not_recorded: int = 0  # past sessions with no register yet
    to_come: int = 0  # sessions after today
    attendances: int = 0
    participants: int = 0  # distinct people who came
    newcomers: int = 0  # people whose first session of this activity is in the period
    average: float = 0.0  # attendances per held session
    session_hours: float = 0.0
    facilitator_hours: float = 0.0  # hours each facilitator led, added up

    def lines(self) -> list[tuple[str, str]]:
        """The figures as (what, value) lines, in the order people read them."""
        reasons = ", ".join(f"{n} × {r}" for r, n in self.cancelled_by_reason.items())
        return [
            ("Sessions planned", str(self.planned)),
            ("Sessions held", str(self.held)),
            ("Sessions cancelled", f"{self.cancelled}" + (f" ({reasons})" if reasons else "")),
            ("Sessions not yet recorded", str(self.not_recorded)),
            ("Sessions still to come", str(self.to_come)),
            ("Attendances", str(self.attendances)),
            ("Different participants", str(self.participants)),
            ("Newcomers", str(self.newcomers)),
            ("Average attendance per session held", f"{self.average:.1f}"),
            ("Hours of sessions held", _hours(self.session_hours)),
            ("Facilitator hours", _hours(self.facilitator_hours)),
        ]


def _hours(value: float) -> str:
    return f"{value:g}"


class FigureService:
    def __init__(self, sessions: sessionmaker[Session], activities: ActivityService) -> None:
        self._sessions = sessions
        self._activities = activities

    def figures(
        self,
        activity_id: uuid.UUID,
        first: date | None,
        last: date | None,
        today: date | None = None,
    ) -> Figures:
        today = today or date.today()
        first, last = _check_period(first, last)
        # The schedule is planned up to the end of the period, so that sessions not yet
        # recorded still count as planned.
        self._activities.plan_ahead(last, today, activity_id)
        with self._sessions() as session:
            a = session.get(Activity, activity_id)
            if a is None:
                raise NotFound("That activity no longer exists.")
            in_period = (
                ActivitySession.activity_id == activity_id,
                ActivitySession.on >= first,
                ActivitySession.on <= last,
            )
            found = session.scalars(select(ActivitySession).where(*in_period)).all()
            held = [s for s in found if s.status == "held"]
            cancelled = [s for s in found if s.status == "cancelled"]
            reasons: dict[str, int] = {}
            for s in sorted(cancelled, key=lambda s: s.cancel_reason):
                key = label(CANCEL_REASONS, s.cancel_reason) or "No reason given"
                reasons[key] = reasons.get(key, 0) + 1
            held_ids = [s.id for s in held]
            people = (
                session.execute(
                    select(Attendance.participant_id).where(Attendance.session_id.in_(held_ids))
                )
                .scalars()
                .all()
            )
            distinct = set(people)
            first_seen = dict(
                session.execute(
                    select(Attendance.participant_id, func.min(ActivitySession.on))
                    .join(ActivitySession)
                    .where(
                        ActivitySession.activity_id == activity_id,
                        ActivitySession.status == "held",
                        Attendance.participant_id.in_(distinct),
                    )
                    .group_by(Attendance.participant_id)
                ).all()
            )
            leaders = dict(
                session.execute(
                    select(SessionLeader.session_id, func.count())
                    .where(SessionLeader.session_id.in_(held_ids))
                    .group_by(SessionLeader.session_id)
                ).all()
            )
            session_hours = sum(hours_between(s.start_time, s.end_time) for s in held)
            facilitator_hours = sum(
                hours_between(s.start_time, s.end_time) * leaders.get(s.id, 0) for s in held
            )
            return Figures(
                activity=a.name,
                first=first,
                last=last,
                planned=len(found),
                held=len(held),
                cancelled=len(cancelled),
                cancelled_by_reason=reasons,
                not_recorded=sum(1 for s in found if s.status == "planned" and s.on <= today),
                to_come=sum(1 for s in found if s.status == "planned" and s.on > today),
                attendances=len(people),
                participants=len(distinct),
                newcomers=sum(1 for d in first_seen.values() if first <= d <= last),
                average=round(len(people) / len(held), 1) if held else 0.0,
                session_hours=round(session_hours, 2),
                facilitator_hours=round(facilitator_hours, 2),
            )

    def all_figures(
        self, first: date | None, last: date | None, today: date | None = None
    ) -> list[Figures]:
        """The figures of every activity with sessions from `first` to `last`, each as
        figures() gives it, by activity name."""
        today = today or date.today()
        first, last = _check_period(first, last)
        self._activities.plan_ahead(last, today)
        in_period = (ActivitySession.on >= first, ActivitySession.on <= last)
        held = (ActivitySession.status == "held", *in_period)
        attended = select(ActivitySession.activity_id).join(
            Attendance, Attendance.session_id == ActivitySession.id
        )
        # Someone who came in the period is new to the group unless they came before it.
        before, earlier = aliased(Attendance), aliased(ActivitySession)
        came_before = (
            select(before.id)
            .join(earlier, before.session_id == earlier.id)
            .where(
                before.participant_id == Attendance.participant_id,
                earlier.activity_id == ActivitySession.activity_id,
                earlier.status == "held",
                earlier.on < first,
            )
            .exists()
        )
        with self._sessions() as session:
            found: dict[uuid.UUID, _Tally] = {}
            for activity_id, status, reason, start, end, past, n in session.execute(
                select(
                    ActivitySession.activity_id, ActivitySession.status,
                    ActivitySession.cancel_reason, ActivitySession.start_time,
                    ActivitySession.end_time, ActivitySession.on <= today, func.count(),
                )
                .where(*in_period)
                .group_by(
                    ActivitySession.activity_id, ActivitySession.status,
                    ActivitySession.cancel_reason, ActivitySession.start_time,
                    ActivitySession.end_time, ActivitySession.on <= today,
                )
            ):  # fmt: skip
                tally = found.setdefault(activity_id, _Tally())
                tally.planned += n
                if status == "held":
                    tally.held += n
                    tally.session_hours += hours_between(start, end) * n
                elif status == "cancelled":
                    tally.cancelled += n
                    tally.reasons[reason] = tally.reasons.get(reason, 0) + n
                elif status == "planned":
                    if past:
                        tally.not_recorded += n
                    else:
                        tally.to_come += n
            for activity_id, n, people in session.execute(
                attended.add_columns(func.count(), func.count(distinct(Attendance.participant_id)))
                .where(*held)
                .group_by(ActivitySession.activity_id)
            ):
                found[activity_id].attendances, found[activity_id].participants = n, people
            for activity_id, n in session.execute(
                attended.add_columns(func.count(distinct(Attendance.participant_id)))
                .where(*held, ~came_before)
                .group_by(ActivitySession.activity_id)
            ):
                found[activity_id].newcomers = n
            for activity_id, start, end, n in session.execute(
                select(
                    ActivitySession.activity_id, ActivitySession.start_time,
                    ActivitySession.end_time, func.count(),
                )
                .join(SessionLeader, SessionLeader.session_id == ActivitySession.id)
                .where(*held)
                .group_by(
                    ActivitySession.activity_id, ActivitySession.start_time,
                    ActivitySession.end_time,
                )
            ):  # fmt: skip
                found[activity_id].facilitator_hours += hours_between(start, end) * n
            names: dict[uuid.UUID, str] = {}
            if found:
                query = select(Activity.id, Activity.name).where(Activity.id.in_(list(found)))
                names.update((a, name) for a, name in session.execute(query))
        figures = [found[a].figures(names[a], first, last) for a in found]
        return sorted(figures, key=lambda f: f.activity.casefold())


@dataclass
class _Tally:
    planned: int = 0
    held: int = 0
    cancelled: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # stored value -> count
    not_recorded: int = 0
    to_come: int = 0
    attendances: int = 0
    participants: int = 0
    newcomers: int = 0
    session_hours: float = 0.0
    facilitator_hours: float = 0.0

    def figures(self, activity: str, first: date, last: date) -> Figures:
        by_reason: dict[str, int] = {}
        for reason in sorted(self.reasons):
            key = label(CANCEL_REASONS, reason) or "No reason given"
            by_reason[key] = by_reason.get(key, 0) + self.reasons[reason]
        return Figures(
            activity=activity,
            first=first,
            last=last,
            planned=self.planned,
            held=self.held,
            cancelled=self.cancelled,
            cancelled_by_reason=by_reason,
            not_recorded=self.not_recorded,
            to_come=self.to_come,
            attendances=self.attendances,
            participants=self.participants,
            newcomers=self.newcomers,
            average=round(self.attendances / self.held, 1) if self.held else 0.0,
            session_hours=round(self.session_hours, 2),
            facilitator_hours=round(self.facilitator_hours, 2),
        )


def _check_period(first: date | None, last: date | None) -> tuple[date, date]:
    """The period's first and last days, once both are given the right way round."""
    check = Checker()
    if first is None:
        check.add("first", "Please enter the first day of the period.")
    if last is None:
        check.add("last", "Please enter the last day of the period.")
    check.date_order("last", first, last, "first day", "last day")
    check.raise_if_any()
    assert first is not None and last is not None  # raised above otherwise
    return first, last
