"""The lead's board: for each period, each reporting member's return received, late or not
yet due, its checks and versions; and the alliance's totals, with each partner's share and
which version of its return was counted.

Read in two queries (the returns, then their figures), whatever the number of partners and
periods, so twenty partners' year is a fraction of a second."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from collab_desktop.models import (
    Collaboration,
    Member,
    MonitoringReturn,
    Organisation,
    ReturnFigure,
    ReturnTemplate,
)
from collab_desktop.services.errors import NotFound
from collab_desktop.services.returns.drafting import (
    REPORTING_ROLES,
    Check,
    checks,
)
from collab_desktop.services.returns.periods import period_containing, period_name, previous_period
from collab_desktop.services.returns.templates import due_date

# What counts towards the totals: a return the partner signed off (received at the lead, or
# the lead's own once signed off). A query does not stop it counting: the board says so.
COUNTED = ("received", "queried", "signed_off", "sent")


@dataclass(frozen=True)
class Cell:
    organisation_id: uuid.UUID
    organisation: str
    first: date
    last: date
    due: date
    state: str  # received / received late / queried / late / not yet due / draft / NOT_RUNNING
    return_id: uuid.UUID | None  # the latest version
    version: int
    versions: int
    counted_version: int | None  # the version the totals count, None if none
    problems: int
    warnings: int
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Total:
    code: str
    breakdown: str
    name: str
    unit: str
    value: float | None  # None: no partner gave it (a typed figure left empty by all)
    # organisation name -> (its value, its share of the total 0..1, the version counted)
    shares: dict[str, tuple[float, float, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodBoard:
    first: date
    last: date
    due: date
    cells: list[Cell]
    totals: list[Total]

    @property
    def name(self) -> str:
        return period_name(self.first, self.last)


NOT_RUNNING = "not running then"


def _state(r: MonitoringReturn | None, due: date, today: date) -> str:
    if r is None:
        return "late" if today > due else "not yet due"
    if r.status == "queried":
        return "queried"
    if r.status in ("received", "sent", "signed_off"):
        # The partner's sign-off is when the return was made; when it arrived depends on
        # how long the file took, which is nobody's lateness.
        when = r.signed_off_at or r.received_at
        late = " late" if when is not None and when.date() > due else ""
        if r.origin == "own":  # on the laptop that made it: not received, signed off or sent
            return ("sent" if r.status == "sent" else "signed off") + late
        return "received" + late
    return "late" if today > due else "draft"


def board(
    session: Session,
    collaboration_id: uuid.UUID,
    template_id: uuid.UUID,
    periods: list[tuple[date, date]],
    today: date,
) -> list[PeriodBoard]:
    template = session.get(ReturnTemplate, template_id)
    if template is None:
        raise NotFound("That return template no longer exists.")
    members = session.execute(
        select(Organisation.id, Organisation.name)
        .join(Member, Member.organisation_id == Organisation.id)
        .where(Member.collaboration_id == collaboration_id, Member.role.in_(REPORTING_ROLES))
        .order_by(Member.position, Organisation.name)
    ).all()
    starts = {first for first, _ in periods} | {previous_period(f, e)[0] for f, e in periods}
    found = list(
        session.scalars(
            select(MonitoringReturn).where(
                MonitoringReturn.collaboration_id == collaboration_id,
                MonitoringReturn.period_start.in_(starts),
            )
        )
    )
    figures: dict[uuid.UUID, list[ReturnFigure]] = {r.id: [] for r in found}
    if found:
        for f in session.scalars(
            select(ReturnFigure)
            .where(ReturnFigure.return_id.in_(list(figures)))
            .order_by(ReturnFigure.position)
        ):
            figures[f.return_id].append(f)
    by_key: dict[tuple[uuid.UUID, date], list[MonitoringReturn]] = {}
    for r in sorted(found, key=lambda r: r.version):
        # The relationship is filled from the one query above, not one query per return.
        set_committed_value(r, "figures", figures[r.id])
        by_key.setdefault((r.organisation_id, r.period_start), []).append(r)

    def counted(org: uuid.UUID, first: date) -> MonitoringReturn | None:
        chosen = [r for r in by_key.get((org, first), []) if r.status in COUNTED]
        return chosen[-1] if chosen else None

    collaboration = session.get(Collaboration, collaboration_id)
    boards = []
    for first, last in periods:
        due = due_date(template, first, last)
        # A quarter before the collaboration started (or after it ended) asks for nothing: in
        # the three-laptop run a collaboration begun in April showed every partner "late" for
        # January to March.
        running = collaboration is None or not (
            (collaboration.start_date is not None and last < collaboration.start_date)
            or (collaboration.end_date is not None and first > collaboration.end_date)
        )
        previous_first = previous_period(first, last)[0]
        cells, counted_returns = [], []
        for org, name in members:
            all_versions = by_key.get((org, first), [])
            newest = all_versions[-1] if all_versions else None
            chosen = counted(org, first)
            found_checks: list[Check] = []
            if newest is not None:
                found_checks = checks(
                    session, newest, today,
                    previous=counted(org, previous_first), template=template, recount=False,
                )  # fmt: skip
            if chosen is not None:
                counted_returns.append((name, chosen))
            cells.append(
                Cell(
                    organisation_id=org,
                    organisation=name,
                    first=first,
                    last=last,
                    due=due,
                    state=_state(newest, due, today) if running or newest else NOT_RUNNING,
                    return_id=newest.id if newest else None,
                    version=newest.version if newest else 0,
                    versions=len(all_versions),
                    counted_version=chosen.version if chosen else None,
                    problems=sum(c.level == "problem" for c in found_checks),
                    warnings=sum(c.level == "warning" for c in found_checks),
                    checks=tuple(found_checks),
                )
            )
        boards.append(PeriodBoard(first, last, due, cells, _totals(counted_returns)))
    return boards


def _totals(counted: list[tuple[str, MonitoringReturn]]) -> list[Total]:
    order: list[tuple[str, str]] = []
    about: dict[tuple[str, str], tuple[str, str]] = {}
    values: dict[tuple[str, str], dict[str, tuple[float, int]]] = {}
    for name, r in counted:
        for f in r.figures:
            key = (f.code, f.breakdown)
            if key not in about:
                order.append(key)
                about[key] = (f.name, f.unit)
            if f.value is not None and f.code != "average_attendance":
                values.setdefault(key, {})[name] = (f.value, r.version)
    totals = []
    for key in order:
        by_org = values.get(key, {})
        if key[0] == "average_attendance":
            continue  # an average is not added up: attendances / sessions held below
        total = sum(v for v, _ in by_org.values())
        shares = {
            org: (v, (v / total) if total else 0.0, version) for org, (v, version) in by_org.items()
        }
        value = round(total, 2) if by_org else None
        totals.append(Total(key[0], key[1], *about[key], value, shares))
    held = next((t.value for t in totals if t.code == "sessions_held" and not t.breakdown), 0)
    came = next((t.value for t in totals if t.code == "attendances" and not t.breakdown), 0)
    held, came = held or 0, came or 0
    if counted:
        name, unit = "Average attendance per session held", "people"
        position = next((i for i, t in enumerate(totals) if t.code == "session_hours"), len(totals))
        totals.insert(
            position,
            Total("average_attendance", "", name, unit, round(came / held, 1) if held else 0.0),
        )
    return totals


@dataclass(frozen=True)
class Attention:
    """A return that needs someone: due soon, late, or queried."""

    collaboration_id: uuid.UUID
    return_id: uuid.UUID | None
    text: str
    due: date


def returns_needing_attention(
    session: Session,
    today: date,
    organisation_id: uuid.UUID | None = None,
    soon_days: int = 14,
) -> list[Attention]:
    """For the home page's "needs attention" list: this laptop's organisation's returns that
    are due within `soon_days` or late and not yet signed off, and any it was queried on;
    with `organisation_id` None, every reporting member's (a lead seeing its alliance)."""
    found: list[Attention] = []
    for t in session.scalars(select(ReturnTemplate)):
        c = session.get(Collaboration, t.collaboration_id)
        if c is None or c.status == "ended":
            continue
        last_ended = period_containing(t.period_kind, today)[0]
        first, last = period_containing(t.period_kind, last_ended - timedelta(days=1))
        due = due_date(t, first, last)
        members = session.execute(
            select(Organisation.id, Organisation.name)
            .join(Member, Member.organisation_id == Organisation.id)
            .where(Member.collaboration_id == c.id, Member.role.in_(REPORTING_ROLES))
        ).all()
        for org, name in members:
            if organisation_id not in (None, org, t.lead_id):
                continue
            newest = session.scalar(
                select(MonitoringReturn)
                .where(
                    MonitoringReturn.collaboration_id == c.id,
                    MonitoringReturn.organisation_id == org,
                    MonitoringReturn.period_start == first,
                )
                .order_by(MonitoringReturn.version.desc())
                .limit(1)
            )
            period = period_name(first, last)
            if newest is not None and newest.status == "queried":
                found.append(
                    Attention(c.id, newest.id, f"{name}: {period} return queried ({c.name})", due)
                )
            elif (newest is None or newest.status == "draft") and today >= due - timedelta(
                days=soon_days
            ):
                state = "late" if today > due else f"due {due:%d %b}"
                found.append(
                    Attention(
                        c.id, newest.id if newest else None,
                        f"{name}: {period} return {state} ({c.name})", due,
                    )
                )  # fmt: skip
    return sorted(found, key=lambda a: (a.due, a.text))
