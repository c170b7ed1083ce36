"""Editing a draft: checking what was typed and saving it (names back into tokens, so a
later rename is followed)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from collab_desktop.models import AgreementVersion, Contact, Organisation, Responsibility, Signatory
from collab_desktop.models.enums import (
    AGREEMENT_SECTIONS,
    RESPONSIBILITY_AREAS,
    SIGNATORY_CAPACITIES,
)
from collab_desktop.services.agreements.base import AgreementsBase
from collab_desktop.services.agreements.edit_summary import describe_changes
from collab_desktop.services.agreements.printable import live_document, text_context
from collab_desktop.services.agreements.rules import refuse_unless
from collab_desktop.services.agreements.version_data import VersionData
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line


class Editing(AgreementsBase):
    def validate_draft(self, data: VersionData) -> None:
        check = Checker()
        check.required("title", data.title, "a title")
        check.max_length("title", data.title, MAX_NAME, "The title")
        for key, text in data.sections.items():
            if key not in AGREEMENT_SECTIONS:
                check.add(key, "Unknown section.")
            check.max_length(key, text, MAX_TEXT, AGREEMENT_SECTIONS.get(key, key))
        check.plausible_date("next_review", data.next_review, "next review date")
        check.max_length("review_frequency", data.review_frequency, MAX_NAME, "How often")
        check.max_length("reviewers", data.reviewers, MAX_TEXT, "Who reviews")
        for i, r in enumerate(data.responsibilities, start=1):
            check.required(f"responsibilities.{i}", r.what, f"what responsibility {i} is")
            check.max_length(f"responsibilities.{i}", r.what, MAX_TEXT, f"Responsibility {i}")
            check.max_length(
                f"responsibilities.{i}", r.how_often, MAX_NAME, f"How often, in responsibility {i}"
            )
            check.choice(f"responsibilities.{i}", r.area, RESPONSIBILITY_AREAS, "an area")
            check.plausible_date(f"responsibilities.{i}", r.since, "date")
        for i, s in enumerate(data.signatories, start=1):
            check.required(f"signatories.{i}", s.name, f"the name of signatory {i}")
            # A name or job title, one line on the signature block: longer is a paste slip.
            check.max_length(f"signatories.{i}", s.name, MAX_NAME, f"Signatory {i}'s name")
            check.max_length(f"signatories.{i}", s.role, MAX_NAME, f"Signatory {i}'s role")
            check.choice(f"signatories.{i}", s.capacity, SIGNATORY_CAPACITIES, "how they sign")
        check.raise_if_any()

    def save_draft(self, data: VersionData) -> None:
        data.title = clean_line(data.title)
        self.validate_draft(data)
        with self._sessions.begin() as session:
            v = self._load(session, data.id)
            refuse_unless(v.number, v.status, "save", "edited")
            before = live_document(v)
            # The editor showed names where the stored text has tokens: turn them back, so a
            # later rename is followed (services/agreements/party_text.py).
            tokens = text_context(v).unrender
            v.agreement.title = data.title
            for key, text in data.sections.items():
                setattr(v, key, tokens(text.strip("\n")))
            v.review_frequency = clean_line(data.review_frequency)
            v.reviewers = tokens(clean(data.reviewers))
            v.next_review = data.next_review
            _replace_rows(session, v, data, tokens)
            # Reload who each row names (its keys may have changed) before describing the edit.
            session.flush()
            for row in v.responsibilities:
                session.expire(row, ["organisation", "contact"])
            for row in v.signatories:
                session.expire(row, ["organisation"])
            summary, details = describe_changes(before, live_document(v))
            self._log(session, v, "edited", summary, **details)


def _replace_rows(
    session: Session,
    v: AgreementVersion,
    data: VersionData,
    tokens: Callable[[str], str] = str,
) -> None:
    """Replace the version's responsibilities and signatories with the edited lists, keeping
    the rows (and their keys) that survive, in the new order."""
    known_orgs = {m.organisation_id for m in v.agreement.collaboration.members}
    for r in data.responsibilities:
        if r.contact_id and session.get(Contact, r.contact_id) is None:
            raise ValidationError.single("responsibilities", "A named contact no longer exists.")
        unknown = r.organisation_id and r.organisation_id not in known_orgs
        if unknown and session.get(Organisation, r.organisation_id) is None:
            raise ValidationError.single("responsibilities", "A partner no longer exists.")
    for s in data.signatories:
        unknown = s.organisation_id and s.organisation_id not in known_orgs
        if unknown and session.get(Organisation, s.organisation_id) is None:
            raise ValidationError.single("signatories", "A signer's organisation no longer exists.")
    old = {r.id: r for r in v.responsibilities}
    rows = []
    for position, r in enumerate(data.responsibilities):
        row = old.pop(r.id, None) if r.id else None
        row = row or Responsibility()
        row.position = position
        row.what = tokens(clean(r.what))
        row.area = r.area
        row.how_often = clean_line(r.how_often)
        row.contact_id = r.contact_id
        row.organisation_id = None if r.contact_id else r.organisation_id
        row.since = r.since
        rows.append(row)
    v.responsibilities = rows
    old_s = {s.id: s for s in v.signatories}
    signatories = []
    for position, s in enumerate(data.signatories):
        row = old_s.pop(s.id, None) if s.id else None
        row = row or Signatory(name="")
        row.position = position
        row.name = clean_line(s.name)
        row.role = clean_line(s.role)
        row.organisation_id = s.organisation_id
        row.capacity = s.capacity
        row.required = s.required if s.capacity != "witness" else False
        signatories.append(row)
    v.signatories = signatories
