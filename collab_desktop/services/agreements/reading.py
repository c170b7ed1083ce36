"""Reading agreements: the list of versions, one version as the editor shows it (with what
its status allows and any sign of tampering), the printable document, and finding a
version by the fingerprint typed from paper."""

from __future__ import annotations

import uuid
from datetime import date

from collab_desktop.models import Signatory
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import AGREEMENT_SECTIONS
from collab_desktop.pdf.document import AgreementDocument
from collab_desktop.services.agreements.base import AgreementsBase, was_sent
from collab_desktop.services.agreements.fingerprint import normalise_typed
from collab_desktop.services.agreements.printable import (
    frozen_context,
    part_label,
    printable_document,
    text_context,
)
from collab_desktop.services.agreements.snapshot import thaw
from collab_desktop.services.agreements.tamper_checks import version_warnings
from collab_desktop.services.agreements.version_data import (
    AgreementRow,
    PartyChoice,
    ResponsibilityData,
    SignatoryData,
    VersionData,
    VersionSummary,
)
from collab_desktop.services.list_rows import agreement_rows


class Reading(AgreementsBase):
    def list_versions(self, collaboration_id: uuid.UUID | None = None) -> list[AgreementRow]:
        # The read the agreements page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return agreement_rows(connection, collaboration_id)

    def get_version(self, version_id: uuid.UUID) -> VersionData:
        """The version as the editor shows it: a draft's tokens are filled in with the names
        and facts as they are now (save_draft turns them back)."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            collaboration = v.agreement.collaboration
            # A version sent for signatures shows the names it was sent with, as it prints.
            frozen = frozen_context(thaw(v.content)) if v.content else None
            text = (frozen or text_context(v)).render
            return VersionData(
                id=v.id,
                agreement_id=v.agreement_id,
                collaboration_id=collaboration.id,
                collaboration=collaboration.name,
                title=v.agreement.title,
                number=v.number,
                status=v.status,
                sections={key: text(getattr(v, key)) for key in AGREEMENT_SECTIONS},
                review_frequency=v.review_frequency,
                reviewers=text(v.reviewers),
                next_review=v.next_review,
                responsibilities=[
                    ResponsibilityData(
                        id=r.id,
                        what=text(r.what),
                        area=r.area,
                        how_often=r.how_often,
                        organisation_id=r.organisation_id,
                        contact_id=r.contact_id,
                        since=r.since,
                    )
                    for r in v.responsibilities
                ],
                signatories=[_signatory_data(s) for s in v.signatories],
                fingerprint=printable_document(v).fingerprint,
                parties=[
                    PartyChoice(m.organisation_id, m.organisation.name, part_label(v, m))
                    for m in collaboration.members
                ],
                versions=[VersionSummary(o.id, o.number, o.status) for o in v.agreement.versions],
                signed_off_on=v.signed_off_on,
                void_reason=v.void_reason,
                warnings=version_warnings(self._audit, session, v),
                never_sent=v.status == "draft" and not was_sent(session, v),
            )

    def document(self, version_id: uuid.UUID, printed_on: date | None = None) -> AgreementDocument:
        """The version as plain data for the PDF builder."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            doc = printable_document(v, printed_on)
        return doc

    def unprintable(self, version_id: uuid.UUID) -> list[str]:
        """Characters in what this version prints that no font the app ships has (they
        print as their names in brackets), so the user can be told before printing."""
        from collab_desktop.pdf.scripts import unprintable  # loads ReportLab: only on need

        doc = self.document(version_id)
        texts = [doc.title, doc.collaboration, doc.reviewers, doc.review_frequency]
        texts += [f"{p.name} {p.details}" for p in doc.parties]
        texts += [f"{r.party} {r.what} {r.how_often}" for r in doc.responsibilities]
        texts += [s.body for s in doc.sections]
        texts += [f"{s.name} {s.role} {s.organisation}" for s in doc.signatories]
        return unprintable(" ".join(texts))

    def find_by_fingerprint(self, typed: str) -> list[AgreementRow]:
        """The versions whose fingerprint is the one typed from paper (case, spaces and
        dashes ignored). Drafts are matched on their current text."""
        wanted = normalise_typed(typed)
        if len(wanted) != 14:
            return []
        found = []
        with self._sessions() as session:
            for row in self.list_versions():
                stored = (
                    row.fingerprint
                    or printable_document(self._load(session, row.version_id)).fingerprint
                )
                if stored == wanted:
                    found.append(row)
        return found


def _signatory_data(s: Signatory) -> SignatoryData:
    return SignatoryData(
        id=s.id,
        name=s.name,
        role=s.role,
        organisation_id=s.organisation_id,
        capacity=s.capacity,
        required=s.required,
        signed_on=s.signed_on,
        method=s.method,
        recorded_by=s.recorded_by,
    )
