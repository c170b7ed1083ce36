"""Builders for monitoring returns over the needlework group of tests/delivery_builders.py:
Fine Cell Work leads and asks for a quarterly return; RECOOP is the partner."""

from __future__ import annotations

from datetime import date

from collab_desktop.services.delivery.attendance import Newcomer
from collab_desktop.services.returns.templates import IndicatorData, TemplateData
from tests.delivery_builders import TODAY, Group, session_on

Q1 = (date(2026, 1, 1), date(2026, 3, 31))
Q4 = (date(2025, 10, 1), date(2025, 12, 31))
AFTER_Q1 = date(2026, 4, 20)  # Q1 2026 is over, its return due on 30 April


def record(services, group: Group, day: date, *names: str, leaders=None, newcomers=()):
    return services.attendance.save_register(
        session_on(services, group.activity, day),
        [group.people[n] for n in names],
        [Newcomer(n) for n in newcomers],
        leader_ids=leaders if leaders is not None else [group.volunteer],
        today=TODAY,
    )


def some_registers(services, group: Group) -> None:
    record(services, group, date(2026, 1, 6), "Alan Barker", "Colin Fry")
    record(services, group, date(2026, 1, 13), "Alan Barker", "Peter Stone", "Paul Sands")
    record(services, group, date(2026, 1, 20), "Derek Moss")


def template_data(group: Group, **changes: object) -> TemplateData:
    data = TemplateData(
        collaboration_id=group.case.collaboration,
        lead_id=group.case.fine_cell_work,
        name="Quarterly monitoring",
        indicators=[
            IndicatorData(
                code="family_contacts",
                name="Family contacts supported",
                definition="Calls, letters and visits arranged with a family member.",
                unit="contacts",
                kind="typed",
                required=True,
                breakdowns=["Under 25", "25 and over"],
            ),
            IndicatorData(
                code="people_reached",
                name="People reached",
                definition="Different people who came to at least one session.",
                unit="people",
                kind="counted",
                measure="participants",
            ),
        ],
    )
    for attr, value in changes.items():
        setattr(data, attr, value)
    return data


def template(services, group: Group, **changes: object):
    return services.returns.save_template(template_data(group, **changes))
