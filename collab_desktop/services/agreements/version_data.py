"""What the agreements service hands out and takes back: a version as the editor shows it
(VersionData, with what its status allows), its rows, and the list's rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.agreements.rules import allowed_actions


@dataclass
class ResponsibilityData:
    """Who: organisation_id, or contact_id (a named person), or neither for a joint duty."""

    what: str = ""
    area: str = "other"
    how_often: str = ""
    organisation_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    since: date | None = None
    id: uuid.UUID | None = None


@dataclass
class SignatoryData:
    name: str = ""
    role: str = ""
    organisation_id: uuid.UUID | None = None
    capacity: str = "party"
    required: bool = True
    signed_on: date | None = None
    method: str = ""
    recorded_by: str = ""
    id: uuid.UUID | None = None

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


@dataclass(frozen=True)
class PartyChoice:
    organisation_id: uuid.UUID
    name: str
    role: str  # label


@dataclass(frozen=True)
class VersionSummary:
    id: uuid.UUID
    number: int
    status: str


@dataclass
class VersionData:
    """Everything the agreement editor shows; the editable parts go back via save_draft."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    title: str
    number: int
    status: str
    sections: dict[str, str]
    review_frequency: str
    reviewers: str
    next_review: date | None
    responsibilities: list[ResponsibilityData]
    signatories: list[SignatoryData]
    fingerprint: str
    parties: list[PartyChoice] = field(default_factory=list)
    versions: list[VersionSummary] = field(default_factory=list)
    signed_off_on: date | None = None
    void_reason: str = ""
    # A draft never sent for signatures may be deleted outright (delete_draft).
    never_sent: bool = False
    # Signs that the stored record was changed outside the app (see tamper_warnings).
    warnings: list[str] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    @property
    def allowed(self) -> frozenset[str]:
        """What this version's status allows now (rules.ACTIONS names): the editor shows these
        actions and no others, and the service refuses the others by the same rule."""
        return allowed_actions(
            self.status,
            [(s.required, s.signed) for s in self.signatories],
            [v.status for v in self.versions],
            self.never_sent,
        )

    @property
    def status_label(self) -> str:
        return label(AGREEMENT_STATUSES, self.status)


@dataclass(frozen=True, slots=True)  # no __dict__ each: thousands are kept
class AgreementRow:
    # The version's id as a number, made a UUID when asked for (services/list_rows.PartnerRow
    # says why); an agreement's and a collaboration's id are one UUID for all their rows.
    version_key: int
    agreement_id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    title: str
    number: int
    status: str  # stored value
    status_label: str
    fingerprint: str
    signed_off_on: date | None
    next_review: date | None
    signatures: str  # "2 of 3"

    @property
    def version_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.version_key)
