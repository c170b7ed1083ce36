"""Who a privacy request is about: a participant, or a contact (who may be a volunteer), and
finding them under the spellings they may have been recorded with."""

from __future__ import annotations

import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models import Contact, Organisation, Participant, Volunteer
from collab_desktop.services.privacy.person_ref import CONTACT, PARTICIPANT, PersonRef

# How alike two spellings must be to be offered together ("Siân Jones" / "Sian Jones",
# "Jon Smith" / "John Smith"): difflib's ratio of the normalised names.
SIMILAR = 0.8


@dataclass(frozen=True)
class PersonChoice:
    ref: PersonRef
    name: str
    detail: str  # reference number or organisation: what tells two spellings apart

    @property
    def label(self) -> str:
        kind = "participant" if self.ref.kind == PARTICIPANT else "contact"
        return f"{self.name} ({kind}{', ' + self.detail if self.detail else ''})"


def normal(name: str) -> str:
    """Lower case, letters only, accents dropped: "Siân  O'Neill" -> "sian o neill"."""
    plain = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def alike(a: str, b: str) -> bool:
    na, nb = normal(a), normal(b)
    if not na or not nb:
        return False
    if na == nb or na in nb or nb in na:
        return True
    return difflib.SequenceMatcher(None, na, nb).ratio() >= SIMILAR


def find_people(session: Session, text: str) -> list[PersonChoice]:
    """Everyone recorded under this name or a spelling like it, participants first. A request
    names a person as they know themselves; the records may hold them twice, spelt two ways,
    and both must be found."""
    found: list[PersonChoice] = []
    wanted = text.strip()
    if not wanted:
        return found
    for id_, name, reference in session.execute(
        select(Participant.id, Participant.display_name, Participant.reference).where(
            Participant.anonymised_on.is_(None)
        )
    ):
        if alike(wanted, name) or (reference and normal(reference) == normal(wanted)):
            found.append(PersonChoice(PersonRef(PARTICIPANT, id_), name, reference))
    for id_, name, organisation in session.execute(
        select(Contact.id, Contact.name, Organisation.name).join(
            Organisation, Contact.organisation_id == Organisation.id
        )
    ):
        if alike(wanted, name):
            found.append(PersonChoice(PersonRef(CONTACT, id_), name, organisation))
    found.sort(key=lambda c: (c.ref.kind != PARTICIPANT, normal(c.name) != normal(wanted), c.name))
    return found


def volunteer_of(session: Session, contact_id: uuid.UUID) -> Volunteer | None:
    return session.scalars(select(Volunteer).where(Volunteer.contact_id == contact_id)).first()
