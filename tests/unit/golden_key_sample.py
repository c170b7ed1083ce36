"""The Golden Key board (issue 11, "Done when"): seventeen parties, sixty-odd duties, some of
them 500 characters long, and a signature block for each party. Names are invented."""

from __future__ import annotations

import dataclasses
from datetime import date

from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SignatoryLine,
)
from tests.unit.pdf_samples import reference_document

ORGANISATIONS = [
    "Golden Key Bristol", "Bristol City Council", "Avon and Somerset Constabulary",
    "Second Step", "St Mungo's", "Addaction", "Missing Link", "Bristol Drugs Project",
    "Developing Health and Independence", "Southmead Development Trust", "Julian Trust",
    "One25", "Caring in Bristol", "HMP Bristol", "Bristol Mind", "Brigstowe",
    "The Care Forum Accommodation Partnership",
]  # fmt: skip
AREAS = ["Accommodation", "Safeguarding", "Monitoring", "Volunteers", "Referrals"]
LONG = (
    "Keep a named coordinator who attends every board meeting or sends a briefed deputy, "
    "shares the quarterly accommodation figures for the people the partnership supports "
    "(as agreed in the common data framework, with no names), reports any safeguarding "
    "concern the same working day to the lead's designated safeguarding officer, and "
    "takes part in the annual review of this agreement, including the lived-experience "
    "members' own review of how the board's papers, language and acronyms are explained."
)


def golden_key_document() -> AgreementDocument:
    base = reference_document()
    parties = [
        PartyLine(
            name=name,
            role="Lead partner" if i == 0 else "Partner",
            kind="Prison" if name.startswith("HMP") else "Charity",
            details=f"Registered office {i + 1} Temple Way, Bristol BS1 6HG",
        )
        for i, name in enumerate(ORGANISATIONS)
    ]
    duties = []
    for i in range(64):
        party = ORGANISATIONS[i % len(ORGANISATIONS)]
        what = (
            LONG
            if i % 5 == 0
            else f"Lead the {AREAS[i % 5].lower()} work stream's monthly meeting and "
            "accommodation checks"
        )
        duties.append(
            ResponsibilityLine(
                party=party if i % 9 else "Joint",
                area=AREAS[i % len(AREAS)],
                what=what,
                how_often="Every three months" if i % 2 else "Monthly",
                since=date(2024, 4, 1),
            )
        )
    signers = [
        SignatoryLine(
            name=f"Signatory {i + 1} Llywelyn-Featherstonehaugh",
            role="Chief Executive" if i % 3 else "Director of Services",
            organisation=name,
            capacity="Party",
        )
        for i, name in enumerate(ORGANISATIONS)
    ]
    return dataclasses.replace(
        base,
        title="Board agreement: Golden Key partnership",
        collaboration="Golden Key partnership",
        parties=parties,
        responsibilities=duties,
        signatories=signers,
    )
