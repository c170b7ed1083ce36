"""Erasing or anonymising a person (issue 15).

A participant is anonymised (name and reference replaced, notes removed: figures and past
returns keep their counts) or erased entirely (their attendance goes too, so figures change:
the plan says by how much). A contact is anonymised: the rows of registers they led stay, so
facilitator hours keep their totals. Signed agreements are never altered: a signatory who asks
to be forgotten keeps their name on the signed record, the app says so, and the request is
recorded. The audit trail records that an erasure happened, never whom or what.

Erased text must not linger in the file: the change runs with SQLite's secure_delete on (freed
space is overwritten with zeros) and the file is vacuumed afterwards, so the old name is in no
page of the database. Backups made before it still hold it; the result says until when.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Activity,
    ActivitySession,
    AgreementVersion,
    Attendance,
    Contact,
    ErasureRequest,
    Facilitator,
    MeetingAction,
    MeetingAttendee,
    Participant,
    SessionLeader,
    Signatory,
)
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.backups import DAMAGED, KEEP_ALWAYS, KEEP_WEEKLY, BackupService
from collab_desktop.services.errors import NeedsConfirmation, NotFound, ValidationError
from collab_desktop.services.privacy.people import CONTACT, PARTICIPANT, PersonRef, volunteer_of

ANONYMISE = "anonymise"
ERASE = "erase"

# What to do about future sessions an anonymised contact facilitates.
REMOVE_AS_FACILITATOR = "remove"  # take them off those activities
KEEP_AS_FACILITATOR = "keep"  # stays, under the anonymous name

ANONYMOUS_PARTICIPANT = "Anonymised participant"
ANONYMOUS_CONTACT = "Former contact"


@dataclass
class ErasurePlan:
    """What an erasure will do, for the confirmation dialog to list before anything changes."""

    ref: PersonRef
    mode: str
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # what stays, and why
    figures_change: str = ""  # a warning when figures will count fewer
    future_activities: list[str] = field(default_factory=list)  # they facilitate these


@dataclass(frozen=True)
class ErasureResult:
    message: str
    backups_note: str


class FacilitatesFutureSessions(NeedsConfirmation):
    """The contact leads sessions still to come. Call again with future_sessions set to
    REMOVE_AS_FACILITATOR or KEEP_AS_FACILITATOR."""

    def __init__(self, activities: list[str]) -> None:
        super().__init__(
            "They facilitate sessions still to come ("
            + ", ".join(activities)
            + "). Take them off those activities, or keep them there under an anonymous name?"
        )
        self.activities = activities


def _participant(session: Session, id_: uuid.UUID) -> Participant:
    p = session.get(Participant, id_)
    if p is None:
        raise NotFound("That participant no longer exists.")
    return p


def _contact(session: Session, id_: uuid.UUID) -> Contact:
    c = session.get(Contact, id_)
    if c is None:
        raise NotFound("That contact no longer exists.")
    return c


def _signed_versions(session: Session, name: str) -> tuple[int, int]:
    """How many signed (or once-signed) agreement versions, and how many drafts, name them
    as a signatory."""
    rows = session.execute(
        select(AgreementVersion.status)
        .join(Signatory, Signatory.version_id == AgreementVersion.id)
        .where(Signatory.name == name)
    ).all()
    drafts = sum(1 for (status,) in rows if status == "draft")
    return len(rows) - drafts, drafts


def _future_activities(session: Session, contact_id: uuid.UUID, today: date) -> list[str]:
    return list(
        session.scalars(
            select(Activity.name)
            .join(Facilitator, Facilitator.activity_id == Activity.id)
            .where(Facilitator.contact_id == contact_id)
            .where(Activity.ends_on.is_(None) | (Activity.ends_on >= today))
            .order_by(Activity.name)
        ).all()
    )


def plan(session: Session, ref: PersonRef, mode: str, today: date) -> ErasurePlan:
    result = ErasurePlan(ref, mode)
    if ref.kind == PARTICIPANT:
        p = _participant(session, ref.id)
        attended = session.scalar(
            select(func.count()).select_from(Attendance).where(Attendance.participant_id == p.id)
        ) or 0
        if mode == ERASE:
            result.changes += [
                "Their record is deleted: name, reference number, notes, consent notes.",
                f"Their enrolments ({len(p.enrolments)}) and attendance ({attended}) are "
                "deleted.",
            ]
            if attended:
                result.figures_change = (
                    f"Figures will count {attended} attendance{'s' if attended != 1 else ''} "
                    "fewer, including those of returns already sent: a return made again "
                    "for those periods will not match the one sent."
                )
        else:
            result.changes += [
                "Their name is replaced by an anonymous one, and their reference number, "
                "notes, consent notes and preferred language are removed.",
                "Session notes that name them have the name replaced.",
            ]
            result.kept.append(
                f"Their {attended} attendance{'s' if attended != 1 else ''} and enrolments "
                "stay, unnamed, so figures and past returns keep their counts."
            )
        return result
    c = _contact(session, ref.id)
    result.changes.append(
        "Their name is replaced by an anonymous one; job title, e-mail, phone, notes, consent "
        "notes and preferred language are removed."
    )
    volunteer = volunteer_of(session, c.id)
    if volunteer is not None:
        result.changes.append(
            f"Their volunteering record's clearances ({len(volunteer.clearances)}), training, "
            "risk reviewer and notes are removed."
        )
    led = session.scalar(
        select(func.count()).select_from(SessionLeader).where(SessionLeader.contact_id == c.id)
    ) or 0
    if led:
        result.kept.append(
            f"The {led} register{'s' if led != 1 else ''} they led stay, unnamed, so "
            "facilitator hours keep their totals."
        )
    signed, drafts = _signed_versions(session, c.name)
    if signed:
        result.kept.append(
            f"{signed} signed agreement version{'s' if signed != 1 else ''} name them as a "
            "signatory. A signed agreement is a legal record of what was agreed: it is kept "
            "unchanged, with their name, and their request is recorded."
        )
    if drafts:
        result.kept.append(
            f"{drafts} draft agreement{'s' if drafts != 1 else ''} name them as a signatory: "
            "change the signatory in the agreement itself."
        )
    result.future_activities = _future_activities(session, c.id, today)
    return result


def _next_anonymous_name(session: Session) -> str:
    done = session.scalar(
        select(func.count()).select_from(Participant).where(Participant.anonymised_on.is_not(None))
    ) or 0
    return f"{ANONYMOUS_PARTICIPANT} {done + 1}"


def anonymise_participant(session: Session, p: Participant, today: date) -> None:
    """Inside the caller's transaction (retention runs many in one)."""
    name, pseudonym = p.display_name, _next_anonymous_name(session)
    if name.strip():
        session.execute(
            update(ActivitySession)
            .where(ActivitySession.id.in_(
                select(Attendance.session_id).where(Attendance.participant_id == p.id)))
            .where(ActivitySession.note.contains(name))
            .values(note=func.replace(ActivitySession.note, name, pseudonym))
            .execution_options(synchronize_session=False)
        )  # fmt: skip
    p.display_name = pseudonym
    p.reference = ""
    p.notes = ""
    p.consent_notes = ""
    p.preferred_language = ""
    p.anonymised_on = today


def erase_participant(session: Session, p: Participant) -> None:
    session.query(Attendance).filter(Attendance.participant_id == p.id).delete(
        synchronize_session=False
    )
    session.delete(p)  # enrolments go with it (cascade)


def remove_clearance_details(session: Session, contact_id: uuid.UUID) -> None:
    volunteer = volunteer_of(session, contact_id)
    if volunteer is None:
        return
    volunteer.clearances = []
    volunteer.training = ""
    volunteer.risk_reviewer = ""
    volunteer.notes = ""


def anonymise_contact(session: Session, c: Contact, future_sessions: str, today: date) -> None:
    if future_sessions == REMOVE_AS_FACILITATOR:
        for activity_id in session.scalars(
            select(Facilitator.activity_id).where(Facilitator.contact_id == c.id)
        ).all():
            activity = session.get(Activity, activity_id)
            if activity is not None and (activity.ends_on is None or activity.ends_on >= today):
                activity.planned_until = None
                session.query(Facilitator).filter(
                    Facilitator.activity_id == activity_id, Facilitator.contact_id == c.id
                ).delete(synchronize_session=False)
    remove_clearance_details(session, c.id)
    # Meetings keep a copy of the name beside the contact's id (issue 14): the rows stay, so
    # attendance and actions keep their counts, but no longer say who.
    for model, column in ((MeetingAttendee, "name"), (MeetingAction, "owner_name")):
        session.execute(
            update(model).where(model.contact_id == c.id).values({column: ANONYMOUS_CONTACT})
        )
    session.execute(
        update(MeetingAttendee)
        .where(MeetingAttendee.substitute_for == c.name)
        .values(substitute_for=ANONYMOUS_CONTACT)
    )
    c.name = ANONYMOUS_CONTACT
    c.job_title = ""
    c.email = ""
    c.phone = ""
    c.notes = ""
    c.consent_notes = ""
    c.preferred_language = ""


def secure_delete_on(session: Session) -> None:
    """Freed space is overwritten with zeros, so a replaced name leaves no trace in a page."""
    session.connection().exec_driver_sql("PRAGMA secure_delete = ON")


def vacuum(engine: Engine) -> None:
    """Rebuild the file so no free page keeps anything erased. Outside any transaction."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("VACUUM")
        cursor.close()
    finally:
        raw.close()


def log_request(
    session: Session, kind: str, outcome: str, asked_by: str, asked_on: date | None,
    done_by: str, note: str = "",
) -> None:  # fmt: skip
    session.add(
        ErasureRequest(
            kind=kind, outcome=outcome, asked_by=asked_by.strip(), asked_on=asked_on,
            done_at=datetime.now(timezone.utc), done_by=done_by, note=note,
        )
    )  # fmt: skip


def backups_note(backups: BackupService | None, since: datetime) -> str:
    """Which backups still hold what was erased, and when the normal rotation ends the last."""
    if backups is None:
        return ""
    older = backups.made_before(since)
    if not older:
        return "No backup holds the old record."
    held = [b for b in older if b.reason in KEEP_ALWAYS or b.verdict == DAMAGED]
    routine = [b for b in older if b not in held]
    parts = [
        f"{len(older)} backup{'s' if len(older) != 1 else ''} made before now still "
        f"hold{'s' if len(older) == 1 else ''} the old record."
    ]
    if routine:
        gone = max(b.created for b in routine) + timedelta(weeks=KEEP_WEEKLY)
        parts.append(
            f"The normal rotation removes {'them' if len(routine) > 1 else 'it'}: "
            f"the last will be gone by {gone:%d %B %Y} if the app is used (and backs up) "
            "at least weekly."
        )
    if held:
        parts.append(
            f"{len(held)} made before an update, restore or import (or marked damaged) "
            f"{'are' if len(held) > 1 else 'is'} kept until deleted on the Backups page."
        )
    return " ".join(parts)


class ErasureService:
    def __init__(
        self, sessions: sessionmaker[Session], audit: AuditLog, engine: Engine,
        backups: BackupService | None = None,
    ) -> None:  # fmt: skip
        self._sessions = sessions
        self._audit = audit
        self._engine = engine
        self._backups = backups

    def plan(self, ref: PersonRef, mode: str = ANONYMISE, today: date | None = None) -> ErasurePlan:
        with self._sessions() as session:
            return plan(session, ref, mode, today or date.today())

    def carry_out(
        self, ref: PersonRef, mode: str, asked_by: str, asked_on: date | None = None,
        future_sessions: str | None = None, today: date | None = None,
    ) -> ErasureResult:  # fmt: skip
        """Erase or anonymise, after the user confirmed the plan. One transaction: the change,
        the request's log entry and the audit entry commit together or not at all."""
        today = today or date.today()
        if not asked_by.strip():
            raise ValidationError.single("asked_by", "Say who asked (e.g. “the person”).")
        if ref.kind == CONTACT and mode == ERASE:
            mode = ANONYMISE  # a contact's registers keep their rows: see the module's doc
        started = datetime.now()
        with self._sessions.begin() as session:
            secure_delete_on(session)
            the_plan = plan(session, ref, mode, today)
            if the_plan.future_activities and future_sessions is None:
                raise FacilitatesFutureSessions(the_plan.future_activities)
            note = " ".join(the_plan.kept)
            if ref.kind == PARTICIPANT:
                p = _participant(session, ref.id)
                if mode == ERASE:
                    erase_participant(session, p)
                else:
                    anonymise_participant(session, p, today)
                kind, outcome = PARTICIPANT, "erased" if mode == ERASE else "anonymised"
            else:
                c = _contact(session, ref.id)
                signed, _ = _signed_versions(session, c.name)
                anonymise_contact(session, c, future_sessions or KEEP_AS_FACILITATOR, today)
                kind = CONTACT
                outcome = "signed_record_kept" if signed else "anonymised"
            log_request(session, kind, outcome, asked_by, asked_on, self._audit.user, note)
            done = "erased" if mode == ERASE else "anonymised"
            self._audit.record(
                session, "erasure", f"A {kind}'s record was {done} at their request."
            )
        vacuum(self._engine)
        message = f"The {kind} has been {done}."
        if the_plan.kept:
            message += " " + " ".join(the_plan.kept)
        return ErasureResult(message, backups_note(self._backups, started))

    def requests(self) -> list[ErasureRequest]:
        with self._sessions() as session:
            return list(session.scalars(select(ErasureRequest).order_by(ErasureRequest.done_at)))
