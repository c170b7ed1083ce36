"""Meetings and returns for the tests of the Meetings and Returns pages' reads, which are read
ahead without SQLAlchemy (services/list_rows.meeting_rows, services/returns/choices.py):
records whose every tie and edge the reads' order and counts must get right.

Two collaborations named alike but for case, each with members in reporting and other
roles, in an order that is not their names'; a third with no members. Meetings held on one
day in both (a tie of dates), a meeting someone came to for an organisation while a
colleague sent apologies, a substitute, a meeting with nobody asked, one planned; actions
open and done. Templates, two of one name (a tie) and one changed (version 2); returns in
two versions, a draft, and one of another quarter."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from collab_desktop.services.meetings.meetings import ActionData, AttendeeData, MeetingData
from collab_desktop.services.open_records import Services
from collab_desktop.services.returns.templates import TemplateData
from tests.builders import add_collaboration, add_partner, contact

TODAY = date(2026, 3, 2)
GATE = "Through the gate"
Q1_2025 = (date(2025, 1, 1), date(2025, 3, 31))
Q2_2025 = (date(2025, 4, 1), date(2025, 6, 30))
TIED_DAY = date(2025, 6, 10)


@dataclass(frozen=True)
class PageRecords:
    gate: uuid.UUID  # GATE
    shouting: uuid.UUID  # GATE in capitals
    nobody: uuid.UUID  # no members
    lead: uuid.UUID  # the gate's lead, which reports
    partner: uuid.UUID
    host: uuid.UUID  # a member that does not report


def meetings_and_returns(services: Services, today: date = TODAY) -> PageRecords:
    people: dict[str, uuid.UUID] = {}

    def partner(name: str, *contacts: str) -> uuid.UUID:
        org = add_partner(services, name, contacts=[contact(c) for c in contacts])
        for person in services.partners.get_partner(org).contacts:
            people[person.name] = person.id
        return org

    # Named so that the members' positions are not their names' order.
    lead = partner("Zest Futures", "Ana Lund", "Ben Ofori")
    sub = partner("Aspire Training", "Cara Holt")
    other = partner("Mentoring Plus", "Dev Rao")
    host = partner("HMP Bristol", "Eve Stone")
    funder = partner("Quartet Foundation", "Finn Gale")
    referral = partner("Nelson Trust", "Gus Pope")
    gate = add_collaboration(
        services, GATE,
        [(lead, "lead"), (host, "host"), (other, "partner"), (sub, "subcontractor"),
         (funder, "funder")],
        start_date=date(2024, 1, 1),
    )  # fmt: skip
    shouting = add_collaboration(
        services, GATE.upper(), [(other, "lead"), (referral, "referral"), (lead, "partner")]
    )
    nobody = add_collaboration(services, "Nobody yet", [])

    meetings = services.meetings

    def meeting(collaboration: uuid.UUID, held_on: date, **fields: object) -> uuid.UUID:
        return meetings.save_meeting(
            MeetingData(collaboration_id=collaboration, held_on=held_on, **fields),
            today=today,
        )

    meeting(
        gate, TIED_DAY, kind="board", status="held", title="Board",
        attendees=[
            # Zest came (Ana), though Ben sent apologies; Mentoring Plus sent apologies;
            # Aspire sent a substitute; the prison was asked and did not answer.
            AttendeeData(lead, people["Ana Lund"], "Ana Lund", "attended"),
            AttendeeData(lead, people["Ben Ofori"], "Ben Ofori", "apologies"),
            AttendeeData(other, people["Dev Rao"], "Dev Rao", "apologies"),
            AttendeeData(sub, None, "Sam Holt", "attended", substitute_for="Cara Holt",
                         can_decide=False),
            AttendeeData(host, people["Eve Stone"], "Eve Stone", "invited"),
        ],
        actions=[
            ActionData("Share the referral form", lead, people["Ana Lund"],
                       due_on=date(2025, 7, 1)),
            ActionData("Book the visits hall", host, due_on=date(2025, 6, 30)),
            ActionData("Send the minutes", lead, due_on=date(2025, 6, 17),
                       done_on=date(2025, 6, 12)),
        ],
    )  # fmt: skip
    meeting(gate, TIED_DAY, kind="operational", status="held", title="Nobody asked")
    meeting(
        shouting, TIED_DAY, kind="review", status="held",
        attendees=[AttendeeData(other, people["Dev Rao"], "Dev Rao", "attended")],
        actions=[ActionData("All done", other, due_on=date(2025, 7, 1),
                            done_on=date(2025, 6, 20))],
    )  # fmt: skip
    meeting(
        gate, date(2024, 3, 1), kind="board", status="held",
        attendees=[AttendeeData(lead, people["Ana Lund"], "Ana Lund", "attended")],
        actions=[ActionData("Find a venue", lead, due_on=date(2024, 4, 1))],
    )  # fmt: skip
    meeting(
        gate, date(2026, 3, 20), kind="other", status="planned",
        attendees=[AttendeeData(lead, None, "Ana Lund"), AttendeeData(other, None, "Dev Rao")],
    )  # fmt: skip

    returns = services.returns

    def template(collaboration: uuid.UUID, lead_id: uuid.UUID, name: str, **fields: object):
        data = TemplateData(collaboration_id=collaboration, lead_id=lead_id, name=name)
        for attr, value in fields.items():
            setattr(data, attr, value)
        return returns.save_template(data)

    quarterly = template(gate, lead, "Quarterly monitoring")
    template(gate, lead, "Quarterly monitoring", due_days=45)  # the same name: a tie
    template(gate, lead, "Annual report", period_kind="year")
    changed = returns.get_template(quarterly)
    changed.due_days = 40
    returns.save_template(changed)  # version 2
    template(shouting, other, "Monthly figures", period_kind="month")

    signed = returns.draft(gate, lead, *Q1_2025, quarterly, today)
    returns.sign_off(signed, "Ana Lund", today)
    returns.draft(gate, lead, *Q1_2025, quarterly, today, confirmed=True)  # version 2
    returns.draft(gate, other, *Q1_2025, quarterly, today)
    returns.draft(gate, lead, *Q2_2025, quarterly, today)
    returns.draft(shouting, other, *Q1_2025, None, today)
    return PageRecords(gate, shouting, nobody, lead, other, host)
