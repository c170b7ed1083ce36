"""The plain data the minutes PDF is built from (pdf/minutes_pdf.py), kept apart from the
builder so the services can make it without loading ReportLab."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class PersonLine:
    name: str
    response: str  # label: "Attended", "Sent apologies", …
    substitute_for: str = ""
    can_decide: bool = True


@dataclass(frozen=True)
class OrganisationAttendance:
    organisation: str
    role: str  # label, e.g. "Lead partner"
    present: bool
    people: list[PersonLine] = field(default_factory=list)


@dataclass(frozen=True)
class DecisionLine:
    text: str
    look_again_on: date | None = None


@dataclass(frozen=True)
class ActionLine:
    what: str
    owner: str  # "Name (Organisation)", or the organisation alone
    due_on: date | None = None
    done_on: date | None = None
    responsibility: str = ""  # the agreement's responsibility it is about, if any


@dataclass(frozen=True)
class MinutesDocument:
    title: str  # "Board meeting — 20 October 2026"
    collaboration: str
    held_on: date
    kind: str  # label
    status: str  # label: "Held" / "Planned"
    fingerprint: str
    attendance: list[OrganisationAttendance]
    decisions: list[DecisionLine]
    actions: list[ActionLine]
    notes: str = ""
    quorum: str = ""  # "Quorum: 9 organisations …; 14 present (quorate)." or ""
    review: str = ""  # "Reviewed the agreement version 2: no change; next review …"
    approved_by: str = ""
    approved_on: date | None = None
    printed_on: date | None = None

    @property
    def approved(self) -> bool:
        return self.approved_on is not None
