"""Recording a meeting: who was invited and who came (by person and by the organisation they
came for), what was decided and who is to do what."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Agreement,
    AgreementVersion,
    Collaboration,
    Contact,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    MeetingDecision,
    Member,
    Organisation,
    Responsibility,
)
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import (
    MEETING_KINDS,
    MEETING_RESPONSES,
    MEETING_STATUSES,
    MEMBER_ROLES,
    REVIEW_OUTCOMES,
    label,
)
from collab_desktop.pdf.document import long_date
from collab_desktop.pdf.minutes_document import (
    ActionLine,
    DecisionLine,
    MinutesDocument,
    OrganisationAttendance,
    PersonLine,
)
from collab_desktop.services.agreements.party_text import TextContext
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.errors import (
    NeedsConfirmation,
    NotFound,
    StateError,
    ValidationError,
)
from collab_desktop.services.list_rows import MeetingRow, meeting_rows
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line


@dataclass
class AttendeeData:
    organisation_id: uuid.UUID
    contact_id: uuid.UUID | None = None
    name: str = ""
    response: str = "invited"
    substitute_for: str = ""
    can_decide: bool = True
    organisation: str = ""  # filled in when read; ignored when saving


@dataclass
class DecisionData:
    text: str = ""
    look_again_on: date | None = None


@dataclass
class ActionData:
    what: str = ""
    organisation_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    owner_name: str = ""
    due_on: date | None = None
    done_on: date | None = None
    responsibility_id: uuid.UUID | None = None
    id: uuid.UUID | None = None
    organisation: str = ""  # filled in when read


@dataclass
class MeetingData:
    collaboration_id: uuid.UUID | None = None
    held_on: date | None = None
    kind: str = "review"
    status: str = "planned"
    title: str = ""
    notes: str = ""
    attendees: list[AttendeeData] = field(default_factory=list)
    decisions: list[DecisionData] = field(default_factory=list)
    actions: list[ActionData] = field(default_factory=list)
    minutes_approved_by: str = ""
    minutes_approved_on: date | None = None
    # Read only (services/meetings/reviews.py sets them).
    agreement_version_id: uuid.UUID | None = None
    review_outcome: str = ""
    next_review_on: date | None = None
    collaboration: str = ""
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class Quorum:
    needed: int
    present: int  # organisations represented by someone able to take decisions

    @property
    def met(self) -> bool:
        return self.present >= self.needed

    @property
    def text(self) -> str:
        word = "organisation" if self.needed == 1 else "organisations"
        state = "quorate" if self.met else "not quorate"
        return (
            f"Quorum: {self.needed} {word} able to take decisions; {self.present} present "
            f"({state})."
        )


@dataclass(frozen=True)
class PersonChoice:
    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID


@dataclass(frozen=True)
class ResponsibilityChoice:
    id: uuid.UUID
    text: str  # "v2: Fine Cell Work — receive the kits"


class MeetingService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditLog) -> None:
        self._sessions = sessions
        self._audit = audit

    # -- reading -----------------------------------------------------------------------------

    def list_meetings(self, collaboration_id: uuid.UUID | None = None) -> list[MeetingRow]:
        # The read the Meetings page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return meeting_rows(connection, collaboration_id)

    def get_meeting(self, meeting_id: uuid.UUID) -> MeetingData:
        with self._sessions() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("That meeting no longer exists.")
            names = _organisation_names(
                session,
                {a.organisation_id for a in m.attendees}
                | {a.organisation_id for a in m.actions if a.organisation_id},
            )
            return MeetingData(
                id=m.id,
                collaboration_id=m.collaboration_id,
                collaboration=m.collaboration.name,
                held_on=m.held_on,
                kind=m.kind,
                status=m.status,
                title=m.title,
                notes=m.notes,
                attendees=[
                    AttendeeData(
                        a.organisation_id,
                        a.contact_id,
                        a.name,
                        a.response,
                        a.substitute_for,
                        a.can_decide,
                        names.get(a.organisation_id, ""),
                    )  # fmt: skip
                    for a in m.attendees
                ],
                decisions=[DecisionData(d.text, d.look_again_on) for d in m.decisions],
                actions=[
                    ActionData(
                        a.what,
                        a.organisation_id,
                        a.contact_id,
                        a.owner_name,
                        a.due_on,
                        a.done_on,
                        a.responsibility_id,
                        a.id,
                        names.get(a.organisation_id, "") if a.organisation_id else "",
                    )  # fmt: skip
                    for a in m.actions
                ],
                minutes_approved_by=m.minutes_approved_by,
                minutes_approved_on=m.minutes_approved_on,
                agreement_version_id=m.agreement_version_id,
                review_outcome=m.review_outcome,
                next_review_on=m.next_review_on,
            )

    def new_meeting(self, collaboration_id: uuid.UUID, held_on: date) -> MeetingData:
        """A meeting to fill in: every current member invited, each by its strategic contact
        (or its first contact) where it has one."""
        with self._sessions() as session:
            c = session.get(Collaboration, collaboration_id)
            if c is None:
                raise NotFound("That collaboration no longer exists.")
            attendees = []
            for member in c.members:
                org = member.organisation
                if org.archived_at is not None:
                    continue
                person = next(
                    (p for p in org.contacts if p.level == "strategic"),
                    org.contacts[0] if org.contacts else None,
                )
                attendees.append(
                    AttendeeData(
                        org.id,
                        person.id if person else None,
                        person.name if person else "",
                        organisation=org.name,
                    )
                )
            return MeetingData(
                collaboration_id=c.id, collaboration=c.name, held_on=held_on, attendees=attendees
            )

    def people(self, collaboration_id: uuid.UUID) -> list[PersonChoice]:
        """The contacts of the collaboration's members, now, for the pick lists."""
        with self._sessions() as session:
            rows = session.execute(
                select(Contact.id, Contact.name, Contact.organisation_id)
                .join(Member, Member.organisation_id == Contact.organisation_id)
                .where(Member.collaboration_id == collaboration_id)
                .order_by(Member.position, Contact.name)
            ).all()
        return [PersonChoice(*row) for row in rows]

    def members(self, collaboration_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        """The current, not archived, members: who can be invited or own an action."""
        with self._sessions() as session:
            rows = session.execute(
                select(Organisation.id, Organisation.name)
                .join(Member, Member.organisation_id == Organisation.id)
                .where(
                    Member.collaboration_id == collaboration_id, Organisation.archived_at.is_(None)
                )
                .order_by(Member.position)
            ).all()
        return [(r[0], r[1]) for r in rows]

    def responsibilities(self, collaboration_id: uuid.UUID) -> list[ResponsibilityChoice]:
        """The responsibilities of the collaboration's agreements in force or in the making,
        which an action can point at."""
        with self._sessions() as session:
            from collab_desktop.services.agreements.printable import text_context

            rows = session.execute(
                select(Responsibility, AgreementVersion, Agreement.title)
                .join(AgreementVersion, Responsibility.version_id == AgreementVersion.id)
                .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
                .where(
                    Agreement.collaboration_id == collaboration_id,
                    AgreementVersion.status.in_(("signed_off", "awaiting_signatures", "draft")),
                )
                .order_by(Agreement.title, AgreementVersion.number, Responsibility.position)
            ).all()
            # A duty's text names parts as tokens ("{{host}} allows…"): filled in with the
            # names, as the editor and the PDF show it.
            contexts: dict[uuid.UUID, TextContext] = {}
            choices = []
            for r, version, title in rows:
                if version.id not in contexts:
                    contexts[version.id] = text_context(version)
                what = contexts[version.id].render(r.what)
                who = r.organisation.name if r.organisation else "Joint"
                choices.append(
                    ResponsibilityChoice(r.id, f"{title} v{version.number}: {who} — {_short(what)}")
                )
            return choices

    def quorum(self, meeting_id: uuid.UUID) -> Quorum | None:
        """Whether the meeting could decide, counted by organisation, where the agreement it
        met under sets a quorum; None where none does."""
        with self._sessions() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("That meeting no longer exists.")
            needed = _quorum_of(session, m)
            if needed is None:
                return None
            present = {a.organisation_id for a in m.attendees if _decides(a)}
            return Quorum(needed, len(present))

    def minutes(self, meeting_id: uuid.UUID, printed_on: date | None = None) -> MinutesDocument:
        """The minutes as they print: attendance grouped by organisation (members in their
        order, then any others invited), decisions, actions with owners and dates."""
        from collab_desktop.services.meetings.minutes import minutes_fingerprint

        with self._sessions() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("That meeting no longer exists.")
            roles = {member.organisation_id: member.role for member in m.collaboration.members}
            order = {member.organisation_id: i for i, member in enumerate(m.collaboration.members)}
            names = _organisation_names(
                session,
                {a.organisation_id for a in m.attendees}
                | {a.organisation_id for a in m.actions if a.organisation_id},
            )
            grouped: dict[uuid.UUID, list[MeetingAttendee]] = {}
            for a in m.attendees:
                grouped.setdefault(a.organisation_id, []).append(a)
            attendance = [
                OrganisationAttendance(
                    names.get(org_id, ""),
                    label(MEMBER_ROLES, roles.get(org_id, "")),
                    any(a.response == "attended" for a in people),
                    [
                        PersonLine(
                            a.name,
                            label(MEETING_RESPONSES, a.response),
                            a.substitute_for,
                            a.can_decide,
                        )  # fmt: skip
                        for a in people
                    ],
                )
                for org_id, people in sorted(
                    grouped.items(), key=lambda item: order.get(item[0], len(order))
                )
            ]
            responsibilities = {
                r.id: r.what
                for r in session.scalars(
                    select(Responsibility).where(
                        Responsibility.id.in_(
                            [a.responsibility_id for a in m.actions if a.responsibility_id]
                        )
                    )
                )
            }
            actions = [
                ActionLine(
                    a.what,
                    _owner(a.owner_name, names.get(a.organisation_id) if a.organisation_id else ""),
                    a.due_on,
                    a.done_on,
                    _short(responsibilities.get(a.responsibility_id, ""), 80)
                    if a.responsibility_id
                    else "",
                )
                for a in m.actions
            ]
            review = ""
            if m.review_outcome and m.agreement_version_id:
                v = session.get(AgreementVersion, m.agreement_version_id)
                if v is not None:
                    review = (
                        f"{v.agreement.title}, version {v.number}: "
                        f"{label(REVIEW_OUTCOMES, m.review_outcome).lower()}"
                    )
                    if m.next_review_on:
                        review += f"; next review {long_date(m.next_review_on)}"
                    review += "."
            needed = _quorum_of(session, m)
            quorum = ""
            if needed is not None and m.status == "held":
                quorum = Quorum(
                    needed, len({a.organisation_id for a in m.attendees if _decides(a)})
                ).text
            kind = label(MEETING_KINDS, m.kind)
            doc = MinutesDocument(
                title=m.title or f"{kind} meeting — {long_date(m.held_on)}",
                collaboration=m.collaboration.name,
                held_on=m.held_on,
                kind=kind,
                status=label(MEETING_STATUSES, m.status),
                fingerprint="",
                attendance=attendance,
                decisions=[DecisionLine(d.text, d.look_again_on) for d in m.decisions],
                actions=actions,
                notes=m.notes,
                quorum=quorum,
                review=review,
                approved_by=m.minutes_approved_by,
                approved_on=m.minutes_approved_on,
                printed_on=printed_on,
            )
        from dataclasses import replace

        return replace(doc, fingerprint=minutes_fingerprint(doc))

    # -- checking and saving -----------------------------------------------------------------

    def validate(self, data: MeetingData, today: date | None = None) -> None:
        today = today or date.today()
        check = Checker()
        if data.collaboration_id is None:
            check.add("collaboration_id", "Please choose the collaboration the meeting is of.")
        if data.held_on is None:
            check.add("held_on", "Please enter the date of the meeting.")
        check.plausible_date("held_on", data.held_on, "meeting's date")
        check.choice("kind", data.kind, MEETING_KINDS, "the kind of meeting")
        check.choice("status", data.status, MEETING_STATUSES, "whether it was held")
        check.max_length("title", data.title, MAX_NAME, "The title")
        check.max_length("notes", data.notes, MAX_TEXT, "The notes")
        if data.status == "held" and data.held_on and data.held_on > today:
            check.add(
                "status",
                f"The meeting is on {data.held_on:%d/%m/%Y}, which has not come yet: it can be "
                "marked as held on the day or after.",
            )
        seen: set[tuple[uuid.UUID, uuid.UUID | None, str]] = set()
        for i, a in enumerate(data.attendees):
            check.choice(f"attendees.{i}.response", a.response, MEETING_RESPONSES, "an answer")
            who = a.name or a.organisation or "Someone"
            if data.status != "held" and a.response == "attended":
                check.add(
                    "attendees",
                    f"{who} is marked as attended, but the meeting is only planned: mark it as "
                    "held first.",
                )
            if a.substitute_for.strip() and a.response != "attended":
                check.add(
                    "attendees",
                    f"{who} is down as standing in for {a.substitute_for.strip()}, so mark them "
                    "as attended.",
                )
            key = (a.organisation_id, a.contact_id, clean_line(a.name).casefold())
            if key in seen:
                check.add("attendees", f"{who} is listed twice for the same organisation.")
            seen.add(key)
        for i, d in enumerate(data.decisions):
            check.required(f"decisions.{i}.text", d.text, "what was decided")
            check.plausible_date(f"decisions.{i}.look_again_on", d.look_again_on, "look-again date")
        for i, a in enumerate(data.actions):
            check.required(f"actions.{i}.what", a.what, "what is to be done")
            check.plausible_date(f"actions.{i}.due_on", a.due_on, "due date")
            check.plausible_date(f"actions.{i}.done_on", a.done_on, "done date")
            if a.done_on and a.done_on > today:
                check.add(
                    f"actions.{i}.done_on", f"“{_short(a.what)}” is marked done on a day to come."
                )
        check.plausible_date("minutes_approved_on", data.minutes_approved_on, "approval date")
        if data.minutes_approved_on and data.held_on and data.minutes_approved_on < data.held_on:
            check.add(
                "minutes_approved_on",
                "The minutes were approved before the meeting took place: check the dates.",
            )
        if data.minutes_approved_on and not data.minutes_approved_by.strip():
            check.add("minutes_approved_by", "Please say who approved the minutes.")
        check.raise_if_any()

    def save_meeting(self, data: MeetingData, today: date | None = None) -> uuid.UUID:
        data.title = clean_line(data.title)
        data.notes = clean(data.notes)
        data.minutes_approved_by = clean_line(data.minutes_approved_by)
        self.validate(data, today)
        assert data.collaboration_id is not None and data.held_on is not None  # validated
        with self._sessions.begin() as session:
            c = session.get(Collaboration, data.collaboration_id)
            if c is None:
                raise NotFound("That collaboration no longer exists.")
            if c.start_date and data.held_on < c.start_date:
                raise ValidationError.single(
                    "held_on",
                    f"The meeting's date ({data.held_on:%d/%m/%Y}) is before {c.name} started "
                    f"({c.start_date:%d/%m/%Y}). Check the date, or the collaboration's start "
                    "date.",
                )
            if data.id is None:
                m = Meeting(collaboration_id=c.id)
                session.add(m)
                before: dict[uuid.UUID, MeetingAction] = {}
            else:
                found = session.get(Meeting, data.id)
                if found is None:
                    raise NotFound("That meeting was deleted while you were editing it.")
                m = found
                before = {a.id: a for a in m.actions}
            for attr in (
                "held_on", "kind", "status", "title", "notes", "minutes_approved_by",
                "minutes_approved_on",
            ):  # fmt: skip
                setattr(m, attr, getattr(data, attr))
            m.attendees = self._attendees(session, data.attendees)
            m.decisions = [
                MeetingDecision(position=i, text=clean(d.text), look_again_on=d.look_again_on)
                for i, d in enumerate(data.decisions)
            ]
            m.actions = self._actions(session, c, data.actions, before)
            session.flush()
            return m.id

    @staticmethod
    def _attendees(session: Session, wanted: list[AttendeeData]) -> list[MeetingAttendee]:
        rows = []
        for i, a in enumerate(wanted):
            if session.get(Organisation, a.organisation_id) is None:
                raise ValidationError.single(
                    "attendees", "One of the organisations no longer exists."
                )
            name = clean_line(a.name)
            if a.contact_id is not None:
                person = session.get(Contact, a.contact_id)
                if person is None:
                    raise ValidationError.single(
                        "attendees", f"{name or 'One of the people'} is no longer a contact."
                    )
                name = name or person.name
            # The organisation is the one they came for on the day, as given: a contact who
            # has since moved elsewhere keeps this meeting with the organisation of then.
            rows.append(
                MeetingAttendee(
                    position=i,
                    organisation_id=a.organisation_id,
                    contact_id=a.contact_id,
                    name=name,
                    response=a.response,
                    substitute_for=clean_line(a.substitute_for),
                    can_decide=a.can_decide,
                )  # fmt: skip
            )
        return rows

    @staticmethod
    def _actions(
        session: Session,
        c: Collaboration,
        wanted: list[ActionData],
        before: dict[uuid.UUID, MeetingAction],
    ) -> list[MeetingAction]:
        current = {
            org_id
            for org_id, archived in session.execute(
                select(Member.organisation_id, Organisation.archived_at)
                .join(Organisation, Member.organisation_id == Organisation.id)
                .where(Member.collaboration_id == c.id)
            )
            if archived is None
        }
        rows = []
        for i, a in enumerate(wanted):
            old = before.get(a.id) if a.id is not None else None
            owner_changed = old is None or old.organisation_id != a.organisation_id
            if a.organisation_id is not None:
                org = session.get(Organisation, a.organisation_id)
                if org is None:
                    raise ValidationError.single(
                        f"actions.{i}.organisation_id", "That organisation no longer exists."
                    )
                # An action already on record stays with the organisation it was given to,
                # even after that one left; a new (or moved) open action needs a member now.
                if owner_changed and a.done_on is None and org.id not in current:
                    raise ValidationError.single(
                        f"actions.{i}.organisation_id",
                        f"{org.name} is no longer a member of {c.name}, so it cannot take on "
                        f"“{_short(a.what)}”. Give the action to a current member.",
                    )
            if a.responsibility_id is not None:
                agreement_of = session.execute(
                    select(Agreement.collaboration_id)
                    .join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
                    .join(Responsibility, Responsibility.version_id == AgreementVersion.id)
                    .where(Responsibility.id == a.responsibility_id)
                ).scalar()
                if agreement_of != c.id:
                    raise ValidationError.single(
                        f"actions.{i}.responsibility_id",
                        "That responsibility is not in an agreement of this collaboration.",
                    )
            owner_name = clean_line(a.owner_name)
            if a.contact_id is not None and not owner_name:
                person = session.get(Contact, a.contact_id)
                owner_name = person.name if person else ""
            row = old if old is not None else MeetingAction()
            row.position = i
            row.what = clean(a.what)
            row.organisation_id = a.organisation_id
            row.contact_id = a.contact_id
            row.owner_name = owner_name
            row.due_on = a.due_on
            row.done_on = a.done_on
            row.responsibility_id = a.responsibility_id
            rows.append(row)
        return rows

    def mark_action_done(self, action_id: uuid.UUID, on: date, today: date | None = None) -> None:
        if on > (today or date.today()):
            raise ValidationError.single("done_on", "An action cannot be done on a day to come.")
        with self._sessions.begin() as session:
            action = session.get(MeetingAction, action_id)
            if action is None:
                raise NotFound("That action no longer exists.")
            action.done_on = on

    def previous_meeting(self, meeting_id: uuid.UUID) -> MeetingRow | None:
        """The collaboration's held meeting just before this one: the one whose minutes this
        meeting approves."""
        with self._sessions() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("That meeting no longer exists.")
            before = session.scalar(
                select(Meeting.id)
                .where(
                    Meeting.collaboration_id == m.collaboration_id,
                    Meeting.status == "held",
                    Meeting.held_on < m.held_on,
                )
                .order_by(Meeting.held_on.desc())
                .limit(1)
            )
        if before is None:
            return None
        return next((r for r in self.list_meetings(m.collaboration_id) if r.id == before), None)

    def approve_previous_minutes(self, meeting_id: uuid.UUID, by: str) -> uuid.UUID:
        """This (held) meeting approves the minutes of the one before: who (the chair, say)
        and when (this meeting's date) go on those minutes, and a decision saying so on
        this meeting's. Returns the id of the meeting whose minutes were approved."""
        by = clean_line(by)
        if not by:
            raise ValidationError.single(
                "minutes_approved_by", "Please say who approved the minutes."
            )
        previous = self.previous_meeting(meeting_id)
        with self._sessions.begin() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                raise NotFound("That meeting no longer exists.")
            if m.status != "held":
                raise StateError(
                    "Minutes are approved at a meeting that has been held: mark it held first."
                )
            if previous is None:
                raise StateError("There is no earlier meeting whose minutes it could approve.")
            p = session.get(Meeting, previous.id)
            assert p is not None
            p.minutes_approved_by, p.minutes_approved_on = by[:MAX_NAME], m.held_on
            m.decisions.append(
                MeetingDecision(
                    position=len(m.decisions),
                    text=f"The minutes of the meeting of {long_date(p.held_on)} were approved "
                    f"as a true record ({by}).",
                )
            )
            return p.id

    def delete_meeting(self, meeting_id: uuid.UUID, confirmed: bool = False) -> None:
        """Delete a meeting. One with decisions or actions asks first (NeedsConfirmation);
        the audit trail keeps a copy of what was deleted either way."""
        with self._sessions.begin() as session:
            m = session.get(Meeting, meeting_id)
            if m is None:
                return
            what = _description(m)
            if (m.actions or m.decisions) and not confirmed:
                parts = []
                if m.actions:
                    parts.append(_count(len(m.actions), "action"))
                if m.decisions:
                    parts.append(_count(len(m.decisions), "decision"))
                raise NeedsConfirmation(
                    f"The {what} has {' and '.join(parts)}. Delete the meeting and them? "
                    "A copy stays in the audit trail."
                )
            self._audit.record(
                session,
                "meeting_deleted",
                f"Deleted the {what}",
                details=_audit_copy(m),
            )
            session.delete(m)


def _owner(person: str, organisation: str | None) -> str:
    if person and organisation:
        return f"{person} ({organisation})"
    return person or organisation or ""


def _decides(a: MeetingAttendee) -> bool:
    return a.response == "attended" and a.can_decide


def _quorum_of(session: Session, m: Meeting) -> int | None:
    """The quorum of the agreement the meeting met under: the version it reviewed, else the
    newest signed-off version of the collaboration's agreements that sets one."""
    if m.agreement_version_id is not None:
        v = session.get(AgreementVersion, m.agreement_version_id)
        if v is not None and v.quorum:
            return v.quorum
    return session.execute(
        select(AgreementVersion.quorum)
        .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
        .where(
            Agreement.collaboration_id == m.collaboration_id,
            AgreementVersion.status == "signed_off",
            AgreementVersion.quorum.is_not(None),
            AgreementVersion.quorum > 0,
        )
        .order_by(AgreementVersion.signed_off_on.desc())
        .limit(1)
    ).scalar()


def _organisation_names(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not ids:
        return {}
    return {
        row[0]: row[1]
        for row in session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        )
    }


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _description(m: Meeting) -> str:
    kind = label(MEETING_KINDS, m.kind).lower()
    return f"{kind} meeting of {m.collaboration.name} on {m.held_on:%d/%m/%Y}"


def _audit_copy(m: Meeting) -> dict:
    return {
        "meeting_id": str(m.id),
        "collaboration_id": str(m.collaboration_id),
        "held_on": m.held_on.isoformat(),
        "kind": m.kind,
        "status": m.status,
        "title": m.title,
        "notes": m.notes,
        "attendees": [
            {
                "organisation_id": str(a.organisation_id),
                "name": a.name,
                "response": a.response,
                "substitute_for": a.substitute_for,
                "can_decide": a.can_decide,
            }  # fmt: skip
            for a in m.attendees
        ],
        "decisions": [
            {"text": d.text, "look_again_on": d.look_again_on and d.look_again_on.isoformat()}
            for d in m.decisions
        ],
        "actions": [
            {
                "what": a.what,
                "organisation_id": a.organisation_id and str(a.organisation_id),
                "owner": a.owner_name,
                "due_on": a.due_on and a.due_on.isoformat(),
                "done_on": a.done_on and a.done_on.isoformat(),
            }  # fmt: skip
            for a in m.actions
        ],
    }
