"""Partners (organisations) and their contacts."""

from __future__ import annotations

import difflib
import re
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    Collaboration,
    Contact,
    Facilitator,
    MeetingAction,
    MeetingAttendee,
    Member,
    Organisation,
    Responsibility,
    SessionLeader,
    Signatory,
)
from collab_desktop.models.base import utcnow
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import CONTACT_LEVELS, ORGANISATION_KINDS
from collab_desktop.services.errors import InUse, NeedsConfirmation, NotFound, ValidationError
from collab_desktop.services.list_rows import PartnerRow, partner_rows
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line


@dataclass
class ContactData:
    name: str = ""
    job_title: str = ""
    email: str = ""
    phone: str = ""
    level: str = "operational"
    notes: str = ""
    id: uuid.UUID | None = None
    # Issue 15: how to speak with them, and what they agreed to.
    preferred_language: str = ""
    consent_notes: str = ""


@dataclass
class PartnerData:
    name: str = ""
    kind: str = "charity"
    charity_number: str = ""
    company_number: str = ""
    address: str = ""
    town: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    notes: str = ""
    contacts: list[ContactData] = field(default_factory=list)
    archived: bool = False
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class ContactChoice:
    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID
    organisation: str
    job_title: str
    level: str


# Words that do not tell two organisations apart, dropped before comparing names.
_FILLER = {"the", "ltd", "limited", "cic", "cio", "plc", "uk", "and", "of"}


def normalise_name(name: str) -> str:
    words = re.findall(r"[\w']+", name.casefold().replace("&", " and "))
    return " ".join(w for w in words if w not in _FILLER)


class PartnerService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- reading ---------------------------------------------------------------------------

    def list_partners(self, include_archived: bool = False) -> list[PartnerRow]:
        # The read the partners page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return partner_rows(connection, include_archived)

    def get_partner(self, partner_id: uuid.UUID) -> PartnerData:
        with self._sessions() as session:
            org = session.get(Organisation, partner_id)
            if org is None:
                raise NotFound("That partner no longer exists.")
            return PartnerData(
                id=org.id,
                name=org.name,
                kind=org.kind,
                charity_number=org.charity_number,
                company_number=org.company_number,
                address=org.address,
                town=org.town,
                postcode=org.postcode,
                phone=org.phone,
                email=org.email,
                website=org.website,
                notes=org.notes,
                archived=org.archived_at is not None,
                contacts=[
                    ContactData(
                        id=c.id,
                        name=c.name,
                        job_title=c.job_title,
                        email=c.email,
                        phone=c.phone,
                        level=c.level,
                        notes=c.notes,
                        preferred_language=c.preferred_language,
                        consent_notes=c.consent_notes,
                    )
                    for c in org.contacts
                ],
            )

    def contacts_of(self, organisation_ids: list[uuid.UUID]) -> list[ContactChoice]:
        if not organisation_ids:
            return []
        with self._sessions() as session:
            rows = session.execute(
                select(Contact, Organisation.name)
                .join(Organisation)
                .where(Contact.organisation_id.in_(organisation_ids))
                .order_by(Organisation.name, Contact.name)
            ).all()
        return [
            ContactChoice(c.id, c.name, c.organisation_id, org, c.job_title, c.level)
            for c, org in rows
        ]

    def similar_names(self, name: str, exclude: uuid.UUID | None = None) -> list[str]:
        """Existing partner names that look like the same organisation as `name`."""
        wanted = normalise_name(name)
        if not wanted:
            return []
        with self._sessions() as session:
            query = select(Organisation.id, Organisation.name)
            names = [n for i, n in session.execute(query).all() if i != exclude]
        similar = []
        for existing in names:
            other = normalise_name(existing)
            if other == wanted or difflib.SequenceMatcher(None, wanted, other).ratio() >= 0.85:
                similar.append(existing)
        return similar

    # -- writing ---------------------------------------------------------------------------

    def validate(self, data: PartnerData) -> None:
        check = Checker()
        check.required("name", data.name, "the organisation's name")
        check.max_length("name", data.name, MAX_NAME, "The name")
        check.choice("kind", data.kind, ORGANISATION_KINDS, "what kind of organisation it is")
        check.email("email", data.email)
        check.max_length("notes", data.notes, MAX_TEXT, "The notes")
        for i, contact in enumerate(data.contacts):
            where = f"contacts.{i}"
            check.required(f"{where}.name", contact.name, f"a name for contact {i + 1}")
            check.max_length(f"{where}.name", contact.name, MAX_NAME, f"Contact {i + 1}'s name")
            check.email(f"{where}.email", contact.email)
            check.choice(f"{where}.level", contact.level, CONTACT_LEVELS, "a level")
            check.max_length(
                f"{where}.preferred_language", contact.preferred_language, 60,
                f"Contact {i + 1}'s language",
            )  # fmt: skip
            check.max_length(
                f"{where}.consent_notes", contact.consent_notes, MAX_TEXT,
                f"Contact {i + 1}'s consent notes",
            )  # fmt: skip
        check.raise_if_any()

    def save_partner(self, data: PartnerData, confirmed: bool = False) -> uuid.UUID:
        """Create or update a partner with its contacts.

        Raises ValidationError for a bad field, or for a name that is the same as another
        partner's once case, punctuation and words like "Ltd" are ignored; NeedsConfirmation for
        a name that is merely close to another (call again with confirmed=True).
        """
        data.name = clean_line(data.name)
        self.validate(data)
        similar = self.similar_names(data.name, exclude=data.id)
        same = [n for n in similar if normalise_name(n) == normalise_name(data.name)]
        if same:
            raise ValidationError.single(
                "name", f"There is already a partner called “{same[0]}”. Open that one instead."
            )
        if similar and not confirmed:
            raise NeedsConfirmation(
                f"“{data.name}” looks very like “{similar[0]}”, which is already recorded. "
                "Is it a different organisation?"
            )
        with self._sessions.begin() as session:
            if data.id is None:
                org = Organisation()
                session.add(org)
            else:
                org = session.get(Organisation, data.id)
                if org is None:
                    raise NotFound("That partner was deleted while you were editing it.")
            for attr in (
                "name", "kind", "charity_number", "company_number", "address", "town",
                "postcode", "phone", "email", "website", "notes",
            ):  # fmt: skip
                value = getattr(data, attr)
                setattr(org, attr, _cleaned(attr, value))
            self._sync_contacts(session, org, data.contacts)
            session.flush()
            return org.id

    def _sync_contacts(
        self, session: Session, org: Organisation, wanted: list[ContactData]
    ) -> None:
        existing = {c.id: c for c in org.contacts}
        keep: list[Contact] = []
        for data in wanted:
            contact = existing.pop(data.id, None) if data.id else None
            if contact is None:
                contact = Contact()
            contact.name = clean_line(data.name)
            contact.job_title = clean_line(data.job_title)
            contact.email = clean_line(data.email)
            contact.phone = clean_line(data.phone)
            contact.level = data.level
            contact.notes = data.notes
            contact.preferred_language = clean_line(data.preferred_language)
            contact.consent_notes = data.consent_notes.strip()
            keep.append(contact)
        for gone in existing.values():
            use = self._contact_use(session, gone.id)
            if use is not None:
                raise InUse(f"{gone.name} {use}, so they cannot be removed.")
        org.contacts = keep

    @staticmethod
    def _contact_use(session: Session, contact_id: uuid.UUID) -> str | None:
        """What a contact is named in that must stay whole, or None."""
        uses = (
            (Responsibility.contact_id, "is named on an agreement's responsibilities "
             "(change that agreement first)"),
            (Facilitator.contact_id, "facilitates an activity (choose another facilitator "
             "first)"),
            (SessionLeader.contact_id, "is recorded as leading sessions"),
        )  # fmt: skip
        for column, why in uses:
            if session.execute(select(column).where(column == contact_id).limit(1)).first():
                return why
        return None

    def set_archived(self, partner_id: uuid.UUID, archived: bool) -> None:
        with self._sessions.begin() as session:
            org = session.get(Organisation, partner_id)
            if org is None:
                raise NotFound("That partner no longer exists.")
            org.archived_at = utcnow() if archived else None

    def deletion_blocker(self, partner_id: uuid.UUID) -> str | None:
        """Why this partner cannot be deleted, or None if it can. Asked before the user is
        asked to confirm, so nobody agrees to a deletion that is then refused."""
        with self._sessions() as session:
            org = session.get(Organisation, partner_id)
            return None if org is None else self._blocker(session, org)

    @staticmethod
    def _blocker(session: Session, org: Organisation) -> str | None:
        archive = " Archive it instead: it stays on record but leaves the lists."
        uses = [
            (Member, Member.organisation_id, "is a member of a collaboration"),
            (Responsibility, Responsibility.organisation_id, "has responsibilities"),
            (Signatory, Signatory.organisation_id, "signs an agreement"),
            (Collaboration, Collaboration.funder_id, "is recorded as a funder"),
            (MeetingAttendee, MeetingAttendee.organisation_id, "is recorded at meetings"),
            (MeetingAction, MeetingAction.organisation_id, "owns actions from meetings"),
        ]
        for _model, column, why in uses:
            if session.execute(select(column).where(column == org.id).limit(1)).first():
                return (
                    f"{org.name} {why}, so it cannot be deleted: that record must stay "
                    f"whole.{archive}"
                )
        for person in org.contacts:
            use = PartnerService._contact_use(session, person.id)
            if use is not None:
                return f"{person.name}, of {org.name}, {use}.{archive}"
        return None

    def delete_partner(self, partner_id: uuid.UUID) -> None:
        """Delete a partner that nothing refers to. One that is a member of a collaboration,
        named on an agreement or funding something must be archived instead: the record of
        what was agreed with them must stay whole."""
        with self._sessions.begin() as session:
            org = session.get(Organisation, partner_id)
            if org is None:
                return
            blocker = self._blocker(session, org)
            if blocker is not None:
                raise InUse(blocker)
            session.delete(org)


def _cleaned(attr: str, value: str) -> str:
    """Notes are kept exactly as typed; the address keeps its line breaks; every other
    field of a partner is one line."""
    if attr == "notes":
        return value
    return clean(value) if attr == "address" else clean_line(value)
