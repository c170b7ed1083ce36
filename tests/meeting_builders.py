"""The Golden Key partnership board (background report, case study 4): Second Step leads 16
other partners, 11 voluntary and 5 statutory, on a board that meets quarterly. People's names
are invented. Used by the meetings tests, the benchmark and the Xvfb walk-through."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.meetings.meetings import (
    ActionData,
    AttendeeData,
    DecisionData,
    MeetingData,
)
from collab_desktop.services.open_records import Services
from collab_desktop.services.partners import ContactData, PartnerData

GOLDEN_KEY = "Golden Key"
POLICE = "Avon and Somerset Constabulary"
CRC = "Bristol, Gloucestershire, Somerset and Wiltshire CRC"
COUNCIL = "Bristol City Council"

# (name, kind, role, strategic contact, an operational contact)
BOARD = [
    ("Second Step", "housing", "lead", "Miriam Okafor", "Dan Hughes"),
    ("Bristol Drugs Project", "charity", "partner", "Graham Tull", "Aisha Noor"),
    ("St Mungo's", "charity", "partner", "Petra Lang", "Sam Wiles"),
    ("Missing Link", "charity", "partner", "Jo Carver", "Lily Morgan"),
    ("Julian House", "charity", "partner", "Rhodri Evans", "Ben Ashe"),
    ("One25", "charity", "partner", "Ceri Lloyd", "Nina Patel"),
    ("Nilaari", "charity", "partner", "Kwame Boateng", "Ruth Ellis"),
    ("Developing Health and Independence", "charity", "partner", "Owen Price", "Tess Gray"),
    ("Bristol Mind", "charity", "partner", "Hannah Ferris", "Joel Stark"),
    ("Shelter Bristol", "charity", "partner", "Iwan Jones", "Kate Doyle"),
    ("Eden House", "charity", "partner", "Maya Singh", "Paul Reeve"),
    ("Voscur", "charity", "partner", "Siân Williams", "Tom Baker"),
    (POLICE, "police_pcc", "partner", "Supt Alan Marsh", "PC Gemma Hart"),
    (COUNCIL, "local_authority", "partner", "Fiona Drake", "Mark Ellery"),
    (CRC, "probation", "partner", "Rachel Moss", "Lee Dunn"),
    ("Bristol Clinical Commissioning Group", "health", "partner", "Dr Ian Shaw", "Zoe Hall"),
    ("Avon and Wiltshire Mental Health Partnership NHS Trust", "health", "partner",
     "Dr Leila Haddad", "Chris Young"),
]  # fmt: skip


@dataclass(frozen=True)
class Board:
    collaboration: uuid.UUID
    organisations: dict[str, uuid.UUID]
    strategic: dict[str, uuid.UUID]  # organisation name -> strategic contact id
    operational: dict[str, uuid.UUID]


def golden_key_board(services: Services, start: date = date(2014, 4, 1), suffix: str = "") -> Board:
    """The board; `suffix` is added to every organisation's name (a database that has them)."""
    organisations, strategic, operational = {}, {}, {}
    for name, kind, _role, lead, other in BOARD:
        org_id = services.partners.save_partner(
            PartnerData(
                name=name + suffix, kind=kind,
                contacts=[
                    ContactData(name=lead, level="strategic", job_title="Director"),
                    ContactData(name=other, level="operational", job_title="Manager"),
                ],
            ),
            confirmed=True,
        )  # fmt: skip
        organisations[name] = org_id
        for person in services.partners.get_partner(org_id).contacts:
            (strategic if person.level == "strategic" else operational)[name] = person.id
    collaboration = services.collaborations.save_collaboration(
        CollaborationData(
            name=GOLDEN_KEY,
            purpose="Redesign the support for people with multiple needs in Bristol.",
            setting="community",
            site="Bristol",
            start_date=start,
            status="active",
            members=[MemberData(organisations[n], role) for n, _k, role, _s, _o in BOARD],
        )
    )
    return Board(collaboration, organisations, strategic, operational)


def board_meeting(
    services: Services,
    board: Board,
    held_on: date,
    absent: tuple[str, ...] = (),
    substitutes: tuple[str, ...] = (),
    actions: list[ActionData] | None = None,
    decisions: list[DecisionData] | None = None,
    today: date | None = None,
) -> uuid.UUID:
    """A held board meeting: everyone invited by their strategic contact; `absent` send
    apologies; `substitutes` send their operational contact instead, unable to decide."""
    attendees = []
    for name, _kind, _role, lead, other in BOARD:
        org_id = board.organisations[name]
        if name in substitutes:
            attendees.append(
                AttendeeData(
                    org_id,
                    board.operational[name],
                    other,
                    "attended",
                    substitute_for=lead,
                    can_decide=False,
                )  # fmt: skip
            )
        else:
            response = "apologies" if name in absent else "attended"
            attendees.append(AttendeeData(org_id, board.strategic[name], lead, response))
    return services.meetings.save_meeting(
        MeetingData(
            collaboration_id=board.collaboration,
            held_on=held_on,
            kind="board",
            status="held",
            title="Partnership board",
            notes="Quarterly board.",
            attendees=attendees,
            decisions=decisions or [],
            actions=actions or [],
        ),
        today=today,
    )


def golden_key_year(services: Services, board: Board, today: date) -> list[uuid.UUID]:
    """The board's last year: four quarterly meetings; the police miss the last two, the CRC
    sends substitutes who cannot decide to the last two."""
    lead = board.organisations["Second Step"]
    police = board.organisations[POLICE]
    council = board.organisations[COUNCIL]
    meetings = [
        board_meeting(
            services, board, date(2026, 1, 20),
            decisions=[DecisionData("Adopt the shared assessment form across all partners.",
                                    date(2026, 7, 1))],
            actions=[ActionData("Circulate the shared assessment form", lead,
                                board.strategic["Second Step"], due_on=date(2026, 2, 10),
                                done_on=date(2026, 2, 5))],
            today=today,
        ),
        board_meeting(
            services, board, date(2026, 4, 21), absent=("Eden House",),
            actions=[ActionData("Share custody release data with the navigators", police,
                                board.strategic[POLICE], due_on=date(2026, 6, 1))],
            today=today,
        ),
        board_meeting(
            services, board, date(2026, 7, 21), absent=(POLICE,), substitutes=(CRC,),
            decisions=[DecisionData("Fund a lived-experience seat on the board.", None)],
            actions=[ActionData("Draft the housing-first pilot bid", council,
                                board.strategic[COUNCIL], due_on=date(2026, 9, 30),
                                done_on=date(2026, 10, 14))],
            today=today,
        ),
        board_meeting(
            services, board, date(2026, 10, 20), absent=(POLICE,), substitutes=(CRC,),
            decisions=[DecisionData("Review the partnership agreement in the new year.",
                                    date(2027, 1, 19))],
            actions=[ActionData("Name a decision-maker for the board", board.organisations[CRC],
                                board.strategic[CRC], due_on=date(2026, 11, 30))],
            today=today,
        ),
    ]  # fmt: skip
    return meetings
