"""Engagement over time: for each member organisation of a collaboration, over the last four
quarters, how many of the meetings it was invited to it came to, when it last came, how its
actions went, and how long it took to sign the last agreement; with flags in plain words for
the ones drifting away ("Avon and Somerset Constabulary has missed the last 2 board meetings").

A few column queries over one collaboration (its meetings, their invitations and actions,
its newest agreement's signatories): a 17-member board with years of meetings in well under
the 150 ms the issue allows (benchmarks/meetings_bench.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Agreement,
    AgreementVersion,
    Collaboration,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Member,
    Organisation,
    Signatory,
)
from collab_desktop.models.enums import MEETING_KINDS, MEMBER_ROLES, label
from collab_desktop.services.errors import NotFound

QUARTERS = 4
# Missing this many meetings of a kind in a row, when invited, raises a flag.
MISSED_IN_A_ROW = 2
# A signature outstanding this long after the agreement was sent raises a flag.
SIGNATURE_WAIT = timedelta(weeks=6)


@dataclass(frozen=True)
class Quarter:
    first: date
    last: date

    @property
    def label(self) -> str:
        return f"Q{(self.first.month - 1) // 3 + 1} {self.first.year}"


@dataclass
class OrganisationEngagement:
    organisation_id: uuid.UUID
    name: str
    role: str  # label
    invited: list[int] = field(default_factory=lambda: [0] * QUARTERS)  # per quarter, oldest first
    attended: list[int] = field(default_factory=lambda: [0] * QUARTERS)
    last_attended: date | None = None
    actions_on_time: int = 0
    actions_late: int = 0  # done, but after the due date
    actions_overdue: int = 0  # not done, and past the due date
    days_to_sign: int | None = None  # the last agreement sent: days from sending to signing
    unsigned: bool = False  # the last agreement sent still waits for its signature

    @property
    def invited_total(self) -> int:
        return sum(self.invited)

    @property
    def attended_total(self) -> int:
        return sum(self.attended)

    @property
    def rate(self) -> float | None:
        return self.attended_total / self.invited_total if self.invited_total else None


@dataclass(frozen=True)
class Engagement:
    collaboration: str
    quarters: list[Quarter]
    organisations: list[OrganisationEngagement]
    flags: list[str]


def last_quarters(today: date, count: int = QUARTERS) -> list[Quarter]:
    """The `count` calendar quarters up to and including today's, oldest first."""
    year, index = today.year, (today.month - 1) // 3
    quarters = []
    for _ in range(count):
        first = date(year, index * 3 + 1, 1)
        following = date(year + (index == 3), (index + 1) % 4 * 3 + 1, 1)
        quarters.append(Quarter(first, following - timedelta(days=1)))
        index -= 1
        if index < 0:
            index, year = 3, year - 1
    return quarters[::-1]


class EngagementService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def engagement(self, collaboration_id: uuid.UUID, today: date | None = None) -> Engagement:
        today = today or date.today()
        quarters = last_quarters(today)
        with self._sessions() as session:
            c = session.get(Collaboration, collaboration_id)
            if c is None:
                raise NotFound("That collaboration no longer exists.")
            name = c.name
            members = session.execute(
                select(Member.organisation_id, Organisation.name, Member.role)
                .join(Organisation, Member.organisation_id == Organisation.id)
                .where(Member.collaboration_id == collaboration_id)
                .order_by(Member.position)
            ).all()
            # Every held meeting's invitations, newest first: the quarters, the last time
            # each came and the runs of missed meetings all come from this one read.
            invitations = session.execute(
                select(
                    Meeting.id, Meeting.held_on, Meeting.kind, MeetingAttendee.organisation_id,
                    MeetingAttendee.response, MeetingAttendee.can_decide,
                )
                .join(MeetingAttendee, MeetingAttendee.meeting_id == Meeting.id)
                .where(
                    Meeting.collaboration_id == collaboration_id,
                    Meeting.status == "held",
                    Meeting.held_on <= today,
                )
                .order_by(Meeting.held_on.desc())
            ).all()  # fmt: skip
            actions = session.execute(
                select(MeetingAction.organisation_id, MeetingAction.due_on, MeetingAction.done_on)
                .join(Meeting, MeetingAction.meeting_id == Meeting.id)
                .where(
                    Meeting.collaboration_id == collaboration_id,
                    MeetingAction.organisation_id.is_not(None),
                )
            ).all()
            signing = _last_signing(session, collaboration_id)
        rows = {
            org_id: OrganisationEngagement(org_id, org_name, label(MEMBER_ROLES, role))
            for org_id, org_name, role in members
        }
        # By meeting and organisation: invited, came (anyone), came able to decide.
        seen: dict[tuple[uuid.UUID, uuid.UUID], list[bool]] = {}
        order: list[tuple[uuid.UUID, date, str, uuid.UUID]] = []
        for meeting_id, held_on, kind, org_id, response, can_decide in invitations:
            key = (meeting_id, org_id)
            if key not in seen:
                seen[key] = [False, False]
                order.append((meeting_id, held_on, kind, org_id))
            if response == "attended":
                seen[key][0] = True
                seen[key][1] = seen[key][1] or can_decide
        missed: dict[tuple[uuid.UUID, str], int] = {}
        closed: set[tuple[uuid.UUID, str]] = set()
        undecided: dict[uuid.UUID, int] = {}
        undecided_closed: set[uuid.UUID] = set()
        for meeting_id, held_on, kind, org_id in order:  # newest first
            came, decided = seen[(meeting_id, org_id)]
            row = rows.get(org_id)
            if row is None:
                continue  # an organisation that has since left the collaboration
            for i, q in enumerate(quarters):
                if q.first <= held_on <= q.last:
                    row.invited[i] += 1
                    row.attended[i] += came
            if came and (row.last_attended is None or held_on > row.last_attended):
                row.last_attended = held_on
            run = (org_id, kind)
            if run not in closed:
                if came:
                    closed.add(run)
                else:
                    missed[run] = missed.get(run, 0) + 1
            if came and org_id not in undecided_closed:
                if decided:
                    undecided_closed.add(org_id)
                else:
                    undecided[org_id] = undecided.get(org_id, 0) + 1
        for owner_id, due_on, done_on in actions:
            row = rows.get(owner_id) if owner_id is not None else None
            if row is None or due_on is None:
                continue
            if done_on is not None:
                if done_on <= due_on:
                    row.actions_on_time += 1
                else:
                    row.actions_late += 1
            elif due_on < today:
                row.actions_overdue += 1
        flags: list[str] = []
        for row in rows.values():
            for (org_id, kind), n in sorted(missed.items(), key=lambda item: item[0][1]):
                if org_id == row.organisation_id and n >= MISSED_IN_A_ROW:
                    kind_text = label(MEETING_KINDS, kind).lower()
                    flags.append(f"{row.name} has missed the last {n} {kind_text} meetings")
            if undecided.get(row.organisation_id, 0) >= MISSED_IN_A_ROW:
                n = undecided[row.organisation_id]
                flags.append(
                    f"{row.name} has sent no one able to take decisions to the last {n} "
                    "meetings it came to"
                )
            if row.actions_overdue:
                n = row.actions_overdue
                flags.append(f"{row.name} has {n} overdue action{'s' if n != 1 else ''}")
        if signing is not None:
            number, sent_on, status, signatures = signing
            for org_id, capacity, signed_on in signatures:
                row = rows.get(org_id)
                if row is None:
                    continue
                if signed_on is not None:
                    days = (signed_on - sent_on).days
                    row.days_to_sign = max(row.days_to_sign or 0, days)
                elif status == "awaiting_signatures":
                    row.unsigned = True
                    waited = today - sent_on
                    if waited >= SIGNATURE_WAIT:
                        who = "approver" if capacity == "host_approver" else "signatory"
                        flags.append(
                            f"{row.name}'s {who} has not signed version {number} after "
                            f"{waited.days // 7} weeks"
                        )
        return Engagement(name, quarters, list(rows.values()), flags)


def _last_signing(
    session: Session, collaboration_id: uuid.UUID
) -> tuple[int, date, str, list[tuple[uuid.UUID, str, date | None]]] | None:
    """The collaboration's agreement version sent for signatures most recently: its number,
    the day it was sent, its status, and its required signatories' (organisation, capacity,
    day signed)."""
    version = session.execute(
        select(AgreementVersion.id, AgreementVersion.number, AgreementVersion.sent_at,
               AgreementVersion.status)
        .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
        .where(
            Agreement.collaboration_id == collaboration_id,
            AgreementVersion.sent_at.is_not(None),
            AgreementVersion.status.not_in(("void", "draft")),
        )
        .order_by(AgreementVersion.sent_at.desc())
        .limit(1)
    ).first()  # fmt: skip
    if version is None:
        return None
    signatures = session.execute(
        select(Signatory.organisation_id, Signatory.capacity, Signatory.signed_on).where(
            Signatory.version_id == version.id,
            Signatory.required.is_(True),
            Signatory.organisation_id.is_not(None),
        )
    ).all()
    sent: datetime = version.sent_at
    return (
        version.number,
        sent.date(),
        version.status,
        [(org_id, capacity, on) for org_id, capacity, on in signatures if org_id is not None],
    )
