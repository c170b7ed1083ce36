"""Builders for delivery records (activities, sessions, participants, attendance) over the
reference case of tests/builders.py: the weekly needlework group at HMP Leyhill.

Dates are fixed: the group meets on Tuesdays from 6 January 2026, and "today" is Monday
2 March 2026 unless a test says otherwise.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from collab_desktop.services.delivery.activities import ActivityData
from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.open_records import Services
from tests.builders import ReferenceCase, reference_case

TODAY = date(2026, 3, 2)  # a Monday
TUESDAY = 1
FIRST = date(2026, 1, 6)  # the first Tuesday of 2026

# Invented people; one Welsh name, and two who share initials (P. S.).
PEOPLE = [
    "Peter Stone",
    "Gareth Ŵyn Jones",
    "Alan Barker",
    "Paul Sands",
    "Derek Moss",
    "Colin Fry",
]


@dataclass(frozen=True)
class Group:
    case: ReferenceCase
    activity: uuid.UUID
    people: dict[str, uuid.UUID]
    volunteer: uuid.UUID  # Margaret Ellis, Fine Cell Work's volunteer tutor
    staff: uuid.UUID  # Amir Khan, RECOOP's activities worker


def contact_id(services: Services, name: str) -> uuid.UUID:
    for row in services.partners.list_partners():
        for c in services.partners.get_partner(row.id).contacts:
            if c.name == name:
                return c.id
    raise AssertionError(name)


def needlework_activity(services: Services, case: ReferenceCase, **changes: object) -> uuid.UUID:
    data = ActivityData(
        collaboration_id=case.collaboration,
        name="Needlework group",
        venue="The Lobster Pot",
        weekday=TUESDAY,
        start_time=time(10, 0),
        end_time=time(12, 0),
        frequency="weekly",
        starts_on=FIRST,
        name_printing="initials",
    )
    for attr, value in changes.items():
        setattr(data, attr, value)
    return services.activities.save_activity(data, today=TODAY)


def add_person(
    services: Services, name: str, activities: list[uuid.UUID] = (), **fields: object
) -> uuid.UUID:
    data = ParticipantData(display_name=name, activity_ids=list(activities), **fields)
    data.joined_on = data.joined_on or FIRST
    return services.participants.save_participant(data, confirmed=True, today=TODAY)


def needlework_group(services: Services, **changes: object) -> Group:
    """The reference case with its weekly group, its two facilitators and six people."""
    case = reference_case(services)
    volunteer = contact_id(services, "Margaret Ellis")
    staff = contact_id(services, "Amir Khan")
    changes.setdefault("facilitator_ids", [volunteer, staff])
    activity = needlework_activity(services, case, **changes)
    people = {name: add_person(services, name, [activity]) for name in PEOPLE}
    return Group(case, activity, people, volunteer, staff)


def session_on(services: Services, activity: uuid.UUID, day: date) -> uuid.UUID:
    for row in services.activities.sessions_of(activity, today=TODAY):
        if row.on == day:
            return row.id
    raise AssertionError(f"no session on {day}")
