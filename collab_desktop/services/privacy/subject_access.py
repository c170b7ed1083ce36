"""Everything about one person, for a subject access request (issue 15): every record that
mentions them, gathered into plain sections that a PDF (pdf/subject_access_pdf.py) and a JSON
file are both made from. The export itself is recorded in the audit trail, by record id only:
the trail cannot be edited, so it must never keep a name an erasure may later have to remove.

Each kind of record is gathered by one function in GATHERERS; another part of the app adds its
own (meetings, once they exist) with register_gatherer(), and every export includes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Agreement,
    AgreementVersion,
    Attendance,
    AuditEntry,
    Collaboration,
    Contact,
    Enrolment,
    Facilitator,
    Organisation,
    Participant,
    SessionLeader,
    Signatory,
)
from collab_desktop.models.enums import CHECKS
from collab_desktop.pdf.subject_access_data import Section, SubjectAccessReport
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.errors import NotFound, ServiceError
from collab_desktop.services.privacy.people import (
    CONTACT,
    PARTICIPANT,
    PersonChoice,
    PersonRef,
    find_people,
    volunteer_of,
)


@dataclass(frozen=True)
class Subject:
    """What a gatherer is given: who, and the names they are known by in free text."""

    ref: PersonRef
    name: str


Gatherer = Callable[[Session, Subject], Section | None]


def _d(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d %b %Y") if isinstance(value, date) else str(value)


# -- gatherers ------------------------------------------------------------------------------


def _enrolments(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != PARTICIPANT:
        return None
    section = Section("Activities enrolled in", ["Activity", "Collaboration", "From", "Until"])
    for activity, collaboration, since, until in session.execute(
        select(Activity.name, Collaboration.name, Enrolment.enrolled_on, Enrolment.left_on)
        .select_from(Enrolment)
        .join(Activity, Enrolment.activity_id == Activity.id)
        .join(Collaboration, Activity.collaboration_id == Collaboration.id)
        .where(Enrolment.participant_id == who.ref.id)
        .order_by(Enrolment.enrolled_on)
    ):
        section.rows.append([activity, collaboration, _d(since), _d(until) or "now"])
    return section


def _attendance(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != PARTICIPANT:
        return None
    section = Section("Sessions attended", ["Date", "Activity", "Venue"])
    for on, activity, venue, activity_venue in session.execute(
        select(ActivitySession.on, Activity.name, ActivitySession.venue, Activity.venue)
        .select_from(Attendance)
        .join(ActivitySession, Attendance.session_id == ActivitySession.id)
        .join(Activity, ActivitySession.activity_id == Activity.id)
        .where(Attendance.participant_id == who.ref.id)
        .order_by(ActivitySession.on)
    ):
        section.rows.append([_d(on), activity, venue or activity_venue])
    return section


def _facilitating(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != CONTACT:
        return None
    section = Section("Activities they facilitate", ["Activity", "Collaboration", "From"])
    for activity, collaboration, starts in session.execute(
        select(Activity.name, Collaboration.name, Activity.starts_on)
        .join(Facilitator, Facilitator.activity_id == Activity.id)
        .join(Collaboration, Activity.collaboration_id == Collaboration.id)
        .where(Facilitator.contact_id == who.ref.id)
        .order_by(Activity.name)
    ):
        section.rows.append([activity, collaboration, _d(starts)])
    return section


def _registers_led(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != CONTACT:
        return None
    section = Section("Registers of sessions they led", ["Date", "Activity", "Time"])
    for on, activity, start, end in session.execute(
        select(ActivitySession.on, Activity.name, ActivitySession.start_time,
               ActivitySession.end_time)
        .join(SessionLeader, SessionLeader.session_id == ActivitySession.id)
        .join(Activity, ActivitySession.activity_id == Activity.id)
        .where(SessionLeader.contact_id == who.ref.id)
        .order_by(ActivitySession.on)
    ):  # fmt: skip
        section.rows.append([_d(on), activity, f"{start:%H:%M}–{end:%H:%M}"])
    return section


def _clearances(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != CONTACT:
        return None
    volunteer = volunteer_of(session, who.ref.id)
    if volunteer is None:
        return None
    section = Section(
        "Volunteering: checks and clearances",
        ["Check", "For site", "Certificate number", "Seen on", "Expires"],
    )
    for c in volunteer.clearances:
        section.rows.append([
            CHECKS.get(c.kind, c.kind), c.site or "anywhere", c.certificate_number,
            _d(c.seen_on), _d(c.expires_on),
        ])  # fmt: skip
    extra = [
        ("Volunteering since", _d(volunteer.since)),
        ("Stopped", _d(volunteer.stopped_on)),
        ("Induction", _d(volunteer.induction_on)),
        ("Training", volunteer.training),
        ("Training on", _d(volunteer.training_on)),
        ("Risk assessed on", _d(volunteer.risk_assessed_on)),
        ("Risk assessment reviewer", volunteer.risk_reviewer),
        ("Risk review due", _d(volunteer.risk_review_due)),
        ("Notes", volunteer.notes),
    ]
    section.note = "; ".join(f"{label}: {value}" for label, value in extra if value)
    return section


def _signatures(session: Session, who: Subject) -> Section | None:
    """Signatures they gave (a signatory under their name) or recorded (as the person at the
    keyboard). Signatories are kept by name, so a name is what is matched."""
    if who.ref.kind != CONTACT:
        return None
    section = Section(
        "Agreement signatures they gave or recorded",
        ["Agreement", "Version", "Status", "As", "Signed on", "Signed by / recorded by"],
    )
    recorded_like = f"{who.name} (%"
    for title, number, status, name, role, signed_on, recorded_by in session.execute(
        select(Agreement.title, AgreementVersion.number, AgreementVersion.status,
               Signatory.name, Signatory.role, Signatory.signed_on, Signatory.recorded_by)
        .select_from(Signatory)
        .join(AgreementVersion, Signatory.version_id == AgreementVersion.id)
        .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
        .where(or_(Signatory.name == who.name, Signatory.recorded_by == who.name,
                   Signatory.recorded_by.like(recorded_like)))
        .order_by(Agreement.title, AgreementVersion.number)
    ):  # fmt: skip
        gave = name == who.name
        section.rows.append([
            title, str(number), status.replace("_", " "),
            f"signatory ({role})" if gave else "recorded a signature",
            _d(signed_on), name if not gave else (recorded_by or ""),
        ])  # fmt: skip
    if any(row[2] != "draft" for row in section.rows):
        section.note = (
            "Signed agreements are legal records of what the parties agreed: they are kept "
            "unchanged even if this person asks to be forgotten."
        )
    return section


def _audit(session: Session, who: Subject) -> Section | None:
    section = Section("Entries of the change history naming them", ["When", "By", "What"])
    pattern = f"%{who.name}%"
    for at, user, summary in session.execute(
        select(AuditEntry.at, AuditEntry.user, AuditEntry.summary)
        .where(or_(AuditEntry.summary.like(pattern), AuditEntry.details.like(pattern),
                   AuditEntry.user.like(pattern)))
        .order_by(AuditEntry.seq)
    ):  # fmt: skip
        section.rows.append([f"{at:%d %b %Y %H:%M}", user, summary])
    return section


GATHERERS: list[Gatherer] = [
    _enrolments,
    _attendance,
    _facilitating,
    _registers_led,
    _clearances,
    _signatures,
    _audit,
]


def register_gatherer(gatherer: Gatherer) -> None:
    """Add a kind of record to every export (e.g. meetings attended). It is given the session
    and the Subject, and returns a Section (or None when the kind does not apply)."""
    if gatherer not in GATHERERS:
        # The change history stays last: it is the record of everything above.
        at = GATHERERS.index(_audit) if _audit in GATHERERS else len(GATHERERS)
        GATHERERS.insert(at, gatherer)


# -- the person's own record ---------------------------------------------------------------


def _own_record(session: Session, ref: PersonRef) -> tuple[str, list[tuple[str, str]]]:
    if ref.kind == PARTICIPANT:
        p = session.get(Participant, ref.id)
        if p is None:
            raise NotFound("That participant no longer exists.")
        return p.display_name, [
            ("Name", p.display_name),
            ("Reference", p.reference),
            ("Joined", _d(p.joined_on)),
            ("Left", _d(p.left_on)),
            ("Preferred language", p.preferred_language),
            ("Consent notes", p.consent_notes),
            ("Notes", p.notes),
        ]
    c = session.get(Contact, ref.id)
    if c is None:
        raise NotFound("That contact no longer exists.")
    organisation = session.get(Organisation, c.organisation_id)
    return c.name, [
        ("Name", c.name),
        ("Organisation", organisation.name if organisation else ""),
        ("Job title", c.job_title),
        ("E-mail", c.email),
        ("Phone", c.phone),
        ("Preferred language", c.preferred_language),
        ("Consent notes", c.consent_notes),
        ("Notes", c.notes),
    ]


class SubjectAccessService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditLog) -> None:
        # Meetings (issue 14) add their sections through register_gatherer(), on import.
        import collab_desktop.services.privacy.meeting_records  # noqa: F401

        self._sessions = sessions
        self._audit = audit

    def find(self, text: str) -> list[PersonChoice]:
        with self._sessions() as session:
            return find_people(session, text)

    def gather(self, ref: PersonRef, today: date | None = None) -> SubjectAccessReport:
        with self._sessions() as session:
            return _gather(session, ref, today or date.today())

    def export(
        self, ref: PersonRef, pdf_path: Path, json_path: Path, paper: str = "A4",
        today: date | None = None,
    ) -> SubjectAccessReport:  # fmt: skip
        """Write the PDF and the JSON file, then record that the export was made. Both files
        are written whole or not at all (pdf.files.write_atomically)."""
        from collab_desktop.pdf.files import write_atomically
        from collab_desktop.pdf.subject_access_pdf import build_subject_access_pdf

        report = self.gather(ref, today)
        pdf = build_subject_access_pdf(report, paper)
        try:
            write_atomically(pdf, pdf_path)
            write_atomically(report.to_json().encode("utf-8"), json_path)
        except OSError as error:
            reason = error.strerror or error
            raise ServiceError(f"The export could not be saved: {reason}") from error
        with self._sessions() as session, session.begin():
            kind = "participant" if ref.kind == PARTICIPANT else "contact"
            # By record id, never by name (the trail cannot be edited by an erasure later).
            self._audit.record(
                session,
                "subject_access",
                f"Everything recorded about a {kind} was exported for a subject access request.",
                details={"kind": ref.kind, "record": str(ref.id)},
            )
        return report


def _gather(session: Session, ref: PersonRef, today: date) -> SubjectAccessReport:
    name, details = _own_record(session, ref)
    who = Subject(ref, name)
    sections = [s for gather in GATHERERS if (s := gather(session, who)) is not None]
    return SubjectAccessReport(
        person=name,
        kind=ref.kind,
        record_id=str(ref.id),
        made_on=_d(today),
        details=[(label, value) for label, value in details if value],
        sections=sections,
    )
