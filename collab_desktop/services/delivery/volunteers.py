"""Volunteers: which contacts volunteer, their vetting and clearances, training and risk
assessment, and the hours they have given."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Clearance,
    Contact,
    Organisation,
    Volunteer,
)
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import CHECKS
from collab_desktop.services.delivery.clearances import Cleared, warnings_for
from collab_desktop.services.errors import NotFound, ValidationError
from collab_desktop.services.list_rows import VolunteerRow, volunteer_rows
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean


@dataclass
class ClearanceData:
    kind: str = "dbs_enhanced"
    site: str = ""
    certificate_number: str = ""
    seen_on: date | None = None
    expires_on: date | None = None


@dataclass
class VolunteerData:
    contact_id: uuid.UUID | None = None
    since: date | None = None
    induction_on: date | None = None
    training: str = ""
    training_on: date | None = None
    risk_assessed_on: date | None = None
    risk_reviewer: str = ""
    risk_review_due: date | None = None
    notes: str = ""
    clearances: list[ClearanceData] = field(default_factory=list)
    stopped_on: date | None = None  # issue 15: clearance details are kept a while after
    # Read only: filled in when loaded.
    name: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class ContactOption:
    id: uuid.UUID
    name: str
    organisation: str


def clearance_warnings(
    session: Session,
    contact_ids: list[uuid.UUID],
    site: str,
    first: date,
    last: date,
) -> list[str]:
    """What is wrong with these facilitators' clearances for sessions at `site` from `first`
    to `last`. Staff who are not recorded as volunteers are not checked."""
    return warnings_for(volunteer_clearances(session, contact_ids), contact_ids, site, first, last)


def volunteer_clearances(
    session: Session, contact_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, list[Cleared]]]:
    """The name and clearances of each of these contacts who is a volunteer, in one query
    (a week's sessions check the same few people many times over)."""
    found: dict[uuid.UUID, tuple[str, list[Cleared]]] = {}
    if not contact_ids:
        return found
    rows = session.execute(
        select(Volunteer.contact_id, Contact.name, Clearance.site, Clearance.expires_on)
        .join(Contact, Volunteer.contact_id == Contact.id)
        .outerjoin(Clearance, Clearance.volunteer_id == Volunteer.id)
        .where(Volunteer.contact_id.in_(set(contact_ids)))
        .order_by(Volunteer.contact_id, Clearance.position)
    )
    for contact_id, name, site, expires_on in rows:
        _, clearances = found.setdefault(contact_id, (name, []))
        if site is not None:  # the outer join's blank row for a volunteer with none
            clearances.append(Cleared(site, expires_on))
    return found


class VolunteerService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list_volunteers(self, today: date | None = None) -> list[VolunteerRow]:
        # The read the volunteers page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return volunteer_rows(connection, today or date.today())

    def contacts_to_add(self) -> list[ContactOption]:
        """Contacts not yet marked as volunteers, for 'Add volunteer'."""
        with self._sessions() as session:
            rows = session.execute(
                select(Contact.id, Contact.name, Organisation.name)
                .join(Organisation)
                .outerjoin(Volunteer, Volunteer.contact_id == Contact.id)
                .where(Volunteer.id.is_(None), Organisation.archived_at.is_(None))
                .order_by(func.lower(Contact.name))
            ).all()
        return [ContactOption(*row) for row in rows]

    def get_volunteer(self, contact_id: uuid.UUID) -> VolunteerData:
        with self._sessions() as session:
            contact = session.get(Contact, contact_id)
            if contact is None:
                raise NotFound("That contact no longer exists.")
            v = session.scalar(select(Volunteer).where(Volunteer.contact_id == contact_id))
            data = VolunteerData(
                contact_id=contact_id,
                name=contact.name,
                organisation=contact.organisation.name,
            )
            if v is None:
                return data
            for attr in (
                "since", "induction_on", "training", "training_on", "risk_assessed_on",
                "risk_reviewer", "risk_review_due", "notes", "stopped_on",
            ):  # fmt: skip
                setattr(data, attr, getattr(v, attr))
            data.clearances = [
                ClearanceData(c.kind, c.site, c.certificate_number, c.seen_on, c.expires_on)
                for c in v.clearances
            ]
            return data

    def is_volunteer(self, contact_id: uuid.UUID) -> bool:
        with self._sessions() as session:
            return (
                session.scalar(select(Volunteer.id).where(Volunteer.contact_id == contact_id))
                is not None
            )

    def validate(self, data: VolunteerData) -> None:
        check = Checker()
        if data.contact_id is None:
            check.add("contact_id", "Please choose the contact who volunteers.")
        check.max_length("training", data.training, MAX_TEXT, "The training")
        check.max_length("risk_reviewer", data.risk_reviewer, MAX_NAME, "The reviewer's name")
        check.max_length("notes", data.notes, MAX_TEXT, "The notes")
        for attr, what in (
            ("since", "start date"),
            ("induction_on", "induction date"),
            ("training_on", "training date"),
            ("risk_assessed_on", "risk assessment date"),
            ("risk_review_due", "review date"),
            ("stopped_on", "date they stopped"),
        ):
            check.plausible_date(attr, getattr(data, attr), what)
        check.date_order("stopped_on", data.since, data.stopped_on, "start date", "stop date")
        check.date_order(
            "risk_review_due",
            data.risk_assessed_on,
            data.risk_review_due,
            "risk assessment",
            "review date",
        )
        for i, c in enumerate(data.clearances):
            where = f"clearances.{i}"
            check.choice(f"{where}.kind", c.kind, CHECKS, f"the kind of check for row {i + 1}")
            check.max_length(f"{where}.site", c.site, MAX_NAME, f"The site in row {i + 1}")
            check.max_length(
                f"{where}.certificate_number",
                c.certificate_number,
                60,
                f"The certificate number in row {i + 1}",
            )
            check.plausible_date(f"{where}.seen_on", c.seen_on, f"date seen in row {i + 1}")
            check.plausible_date(f"{where}.expires_on", c.expires_on, f"expiry in row {i + 1}")
            check.date_order(
                f"{where}.expires_on",
                c.seen_on,
                c.expires_on,
                f"date seen in row {i + 1}",
                f"expiry in row {i + 1}",
            )
        check.raise_if_any()

    def save_volunteer(self, data: VolunteerData) -> None:
        """Mark a contact as a volunteer (or update the record)."""
        data.training = data.training.strip()
        data.risk_reviewer = clean(data.risk_reviewer)
        for c in data.clearances:
            c.site = clean(c.site)
            c.certificate_number = clean(c.certificate_number)
        self.validate(data)
        with self._sessions.begin() as session:
            if session.get(Contact, data.contact_id) is None:
                raise ValidationError.single("contact_id", "That contact no longer exists.")
            v = session.scalar(select(Volunteer).where(Volunteer.contact_id == data.contact_id))
            if v is None:
                v = Volunteer(contact_id=data.contact_id)
                session.add(v)
            for attr in (
                "since", "induction_on", "training", "training_on", "risk_assessed_on",
                "risk_reviewer", "risk_review_due", "notes", "stopped_on",
            ):  # fmt: skip
                setattr(v, attr, getattr(data, attr))
            v.clearances = [
                Clearance(
                    position=i,
                    kind=c.kind,
                    site=c.site,
                    certificate_number=c.certificate_number,
                    seen_on=c.seen_on,
                    expires_on=c.expires_on,
                )
                for i, c in enumerate(data.clearances)
            ]

    def remove_volunteer(self, contact_id: uuid.UUID) -> None:
        """No longer a volunteer: the contact stays, the vetting record goes."""
        with self._sessions.begin() as session:
            v = session.scalar(select(Volunteer).where(Volunteer.contact_id == contact_id))
            if v is not None:
                session.delete(v)

    def warnings(
        self, contact_ids: list[uuid.UUID], site: str, first: date, last: date
    ) -> list[str]:
        with self._sessions() as session:
            return clearance_warnings(session, contact_ids, site, first, last)
