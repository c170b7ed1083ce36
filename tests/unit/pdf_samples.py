"""Sample AgreementDocuments for PDF tests, built on the reference case of docs/architecture.md §1.

Fine Cell Work and RECOOP run a weekly needlework group at HMP Leyhill, signed off by the
prison. People's names are invented.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from collab_desktop.models.enums import AGREEMENT_STATUSES, SIGNATURE_METHODS
from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SectionText,
    SignatoryLine,
)

FCW = "Fine Cell Work"
RECOOP = "RECOOP"
LEYHILL = "HMP Leyhill"
VOLUNTEER = f"Margaret Ellis ({FCW})"

SIGNED_STATUSES = ("signed_off", "superseded", "ended")

PARTIES = [
    PartyLine(
        name=FCW,
        role="Lead partner",
        kind="Charity",
        details="Registered charity; national office in London",
    ),
    PartyLine(
        name=RECOOP,
        role="Partner",
        kind="Charity",
        details="Registered charity; staff based in the Lobster Pot social space, HMP Leyhill",
    ),
    PartyLine(
        name=LEYHILL,
        role="Host",
        kind="Prison",
        details="Tortworth Road, Wotton-under-Edge, Gloucestershire GL12 8BT",
    ),
]

RESPONSIBILITIES = [
    ResponsibilityLine(
        party=RECOOP,
        area="Materials",
        what="Receive the needlework kits sent by Fine Cell Work and keep them securely "
        "between sessions",
        how_often="Each delivery",
        since=date(2014, 5, 1),
    ),
    ResponsibilityLine(
        party=RECOOP,
        area="Attendance",
        what="Monitor attendance and entry into the group, and keep the attendance sheets",
        how_often="Every session",
        since=date(2014, 5, 1),
    ),
    ResponsibilityLine(
        party=RECOOP,
        area="Volunteers",
        what="Monitor the group and its volunteers, including the volunteers' risk "
        "assessments, and be the volunteers' point of contact in the prison",
        how_often="Ongoing",
        since=date(2014, 5, 1),
    ),
    ResponsibilityLine(
        party=FCW,
        area="Materials",
        what="Send needlework kits and stitching materials to RECOOP in good time",
        how_often="Monthly",
        since=date(2014, 5, 1),
    ),
    ResponsibilityLine(
        party=VOLUNTEER,
        area="Volunteers",
        what="Lead the weekly sessions and give training and materials to group members, "
        "who continue the work in their cells",
        how_often="Weekly",
        since=date(2014, 5, 1),
    ),
    ResponsibilityLine(
        party=LEYHILL,
        area="Premises",
        what="Provide escorted access to the Lobster Pot social space for the sessions",
        how_often="Weekly",
    ),
    ResponsibilityLine(
        party="Joint",
        area="Monitoring",
        what="Review progress together regularly",
        how_often="Every three months",
        since=date(2026, 4, 1),
    ),
    ResponsibilityLine(
        party="Joint",
        area="Communication",
        what="Agree a response to any strategic issues",
        how_often="As needed",
    ),
]

SECTIONS = [
    SectionText(
        title="Purpose",
        body="Fine Cell Work & RECOOP run a weekly needlework group at HMP Leyhill, open to men "
        "of all ages, in RECOOP's Lobster Pot social space.\n\n"
        "The group gives purposeful activity, skills and a social setting. Men continue the "
        "work in their cells and are paid for finished pieces.",
    ),
    SectionText(
        title="Joint oversight and review",
        body="The two charities speak regularly to review progress. At each review they look at:\n"
        "- attendance and numbers on the waiting list;\n"
        "- volunteer support and any risk assessments due;\n"
        "- any issue raised by the prison.",
    ),
    SectionText(
        title="Information sharing and data protection",
        body="Attendance sheets carry first names and initials only. They stay in the prison "
        "and are destroyed after 12 months. No personal data is sent by e-mail.",
    ),
    SectionText(
        title="Safeguarding and risk",
        body="Volunteers follow the prison's security rules and RECOOP's safeguarding policy. "
        "Any concern is reported the same day to the RECOOP coordinator and the prison's "
        "duty governor.",
    ),
    SectionText(title="Monitoring", body=""),
    SectionText(
        title="Money",
        body="No money changes hands between the parties under this agreement (costs < £100 a "
        "year are met by whoever incurs them).",
    ),
    SectionText(
        title="Disputes",
        body="Disagreements are raised first between the coordinators, then between the chief "
        "executives.",
    ),
    SectionText(
        title="Changes and ending",
        body="Either charity may end this agreement with three months' notice in writing.",
    ),
    SectionText(title="Term", body="   \n  "),
]

WET_INK = SIGNATURE_METHODS["wet_ink"]

SIGNATORIES = [
    SignatoryLine(
        name="Sarah Bennett",
        role="Head of Prison Programmes",
        organisation=FCW,
        capacity="Party",
        signed_on=date(2026, 3, 10),
        method=WET_INK,
        recorded_by="Tom Rhys",
    ),
    SignatoryLine(
        name="Tom Rhys",
        role="Regional Coordinator",
        organisation=RECOOP,
        capacity="Party",
        signed_on=date(2026, 3, 10),
        method=WET_INK,
        recorded_by="Tom Rhys",
    ),
    SignatoryLine(
        name="Helen Price",
        role="Governor",
        organisation=LEYHILL,
        capacity="Host's approver",
        signed_on=date(2026, 3, 12),
        method=WET_INK,
        recorded_by="Tom Rhys",
    ),
]

VOID_REASON = "Replaced before signing: the prison asked for a different room & time."


def reference_document(status: str = "draft", **overrides: Any) -> AgreementDocument:
    """The reference agreement, version 2, in the given status.

    Signatures are recorded only for statuses that imply them (signed off, superseded, ended).
    Any AgreementDocument field can be overridden by keyword.
    """
    signed = status in SIGNED_STATUSES
    signatories = (
        SIGNATORIES
        if signed
        else [
            dataclasses.replace(s, signed_on=None, method="", recorded_by="") for s in SIGNATORIES
        ]
    )
    doc = AgreementDocument(
        title="Joint agreement: Needlework group at HMP Leyhill",
        collaboration="Needlework group at HMP Leyhill",
        version=2,
        status=status,
        status_label=AGREEMENT_STATUSES.get(status, status),
        fingerprint="7F3A-91C2-0B4E",
        parties=list(PARTIES),
        responsibilities=list(RESPONSIBILITIES),
        sections=list(SECTIONS),
        signatories=list(signatories),
        setting="Custody",
        site=LEYHILL,
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
        review_frequency="Every three months",
        reviewers="RECOOP regional coordinator and Fine Cell Work's head of prison programmes",
        next_review=date(2026, 7, 1),
        signed_off_on=date(2026, 3, 12) if signed else None,
        void_reason=VOID_REASON if status == "void" else "",
    )
    return dataclasses.replace(doc, **overrides) if overrides else doc


def many_responsibilities(count: int) -> list[ResponsibilityLine]:
    """A long responsibilities list spread over the parties, for multi-page documents."""
    parties = [FCW, RECOOP, LEYHILL, "Joint"]
    return [
        ResponsibilityLine(
            party=parties[i % len(parties)],
            area="Other",
            what=f"Duty number {i + 1}: a responsibility long enough to wrap onto a second line "
            f"inside its table cell, so that row heights vary as they do in real agreements.",
            how_often="Weekly",
            since=date(2026, 1 + i % 12, 1 + i % 28),
        )
        for i in range(count)
    ]
