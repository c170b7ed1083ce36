"""The plain data an agreement PDF is built from.

Services turn an agreement version into these frozen dataclasses; the builder never sees the
database, so it can be tested (and later run off the GUI thread) on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: date | None) -> str:
    """'12 March 2026': no leading zero, English month names whatever the system locale."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


@dataclass(frozen=True)
class PartyLine:
    """One organisation that is party to the agreement, with its role in the collaboration."""

    name: str
    role: str  # human label, e.g. "Lead partner", "Host"
    kind: str = ""  # human label, e.g. "Charity", "Prison"
    details: str = ""  # e.g. "Registered charity 1234567"; address on one line


@dataclass(frozen=True)
class ResponsibilityLine:
    party: str  # organisation name, "Name (Organisation)" for a contact, or "Joint"
    area: str  # human label, e.g. "Attendance"
    what: str
    how_often: str = ""
    since: date | None = None


@dataclass(frozen=True)
class SignatoryLine:
    name: str
    role: str  # job title, e.g. "Governor"
    organisation: str
    capacity: str  # human label: "Party", "Host's approver", "Witness"
    required: bool = True
    signed_on: date | None = None
    method: str = ""  # human label: "Wet ink", "Typed name", "Drawn signature"
    recorded_by: str = ""


@dataclass(frozen=True)
class SectionText:
    title: str
    body: str  # plain text; blank lines separate paragraphs; lines starting "- " are bullets


@dataclass(frozen=True)
class AgreementDocument:
    title: str  # e.g. "Joint agreement: Needlework group at HMP Leyhill"
    collaboration: str
    version: int
    status: str  # machine value: draft, awaiting_signatures, signed_off, superseded, ended, void
    status_label: str  # human label, e.g. "Signed off"
    fingerprint: str  # short, e.g. "7F3A-91C2-0B4E"
    parties: list[PartyLine]
    responsibilities: list[ResponsibilityLine]
    sections: list[SectionText]  # in order; empty bodies are skipped by the builder
    signatories: list[SignatoryLine]
    setting: str = ""  # e.g. "Custody"
    site: str = ""  # e.g. "HMP Leyhill"
    start_date: date | None = None
    end_date: date | None = None
    review_frequency: str = ""  # e.g. "Every three months"
    reviewers: str = ""  # who reviews, free text
    next_review: date | None = None
    signed_off_on: date | None = None
    void_reason: str = ""
    printed_on: date | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # The printing organisation's exchange key fingerprint (services/exchange), for partners
    # to compare by phone; not part of the content fingerprint.
    key_fingerprint: str = ""

    @property
    def is_final(self) -> bool:
        """Only a signed-off version prints without a DRAFT or VOID mark."""
        return self.status in ("signed_off", "superseded", "ended")
