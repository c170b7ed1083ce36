"""The home page's "needs attention" gains two kinds (issues 13–15): monitoring returns due,
late or queried, and records the retention rules say are due. Both are answered in plain
sqlite3 (attention.py), so each is checked here against the service whose logic it repeats:
the same records, the same answer."""

from __future__ import annotations

from datetime import date

import pytest

from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.meetings import attention
from collab_desktop.services.meetings.attention import (
    RETENTION,
    RETURN,
    AttentionSettings,
    ReturnRef,
    needs_attention,
)
from collab_desktop.services.privacy.retention import DEFAULT_RULES, RetentionRules
from collab_desktop.services.returns import drafting
from collab_desktop.services.returns.board import returns_needing_attention
from collab_desktop.services.returns.periods import period_containing
from tests.delivery_builders import TODAY, add_person, needlework_group
from tests.returns_builders import some_registers, template


def _returns(services, today, organisation_id=None):
    items = needs_attention(services.records_file, today, AttentionSettings(organisation_id))
    return [item for item in items if item.target == RETURN]


def test_the_reporting_roles_are_those_of_the_returns():
    assert attention.REPORTING_ROLES == drafting.REPORTING_ROLES


@pytest.mark.parametrize(
    "today", [date(2026, 4, 10), date(2026, 4, 20), date(2026, 5, 5), date(2026, 7, 1)]
)
def test_returns_due_late_or_queried_are_those_the_returns_service_finds(services, today):
    group = needlework_group(services)
    some_registers(services, group)
    template(services, group)
    case = group.case
    for org in (None, case.recoop, case.fine_cell_work):
        with services.returns._sessions() as session:
            wanted = returns_needing_attention(session, today, org)
        found = _returns(services, today, org)
        assert [(i.text, i.on) for i in found] == [(a.text, a.due) for a in wanted]
        assert [i.ref.return_id for i in found] == [a.return_id for a in wanted]


def test_a_drafted_return_is_opened_and_a_signed_off_one_drops_off(services):
    group = needlework_group(services)
    some_registers(services, group)
    template(services, group)
    case, late = group.case, date(2026, 5, 5)
    first, last = period_containing("quarter", date(2026, 1, 1))
    (item,) = _returns(services, late, case.recoop)
    assert item.text == "RECOOP: Q1 2026 return late (Needlework group at HMP Leyhill)"
    assert item.ref == ReturnRef(case.collaboration, case.recoop, first, None)
    return_id = services.returns.draft(case.collaboration, case.recoop, first, last, today=late,
                                       confirmed=True)  # fmt: skip
    (item,) = _returns(services, late, case.recoop)
    assert item.ref.return_id == return_id and item.target_id == return_id
    services.returns.sign_off(return_id, "Amir Khan", today=late)
    assert _returns(services, late, case.recoop) == []


def _retention(services, today, rules=DEFAULT_RULES):
    items = needs_attention(services.records_file, today, AttentionSettings(retention=rules))
    return [item.text for item in items if item.target == RETENTION]


def test_retention_due_counts_what_the_retention_review_lists(services):
    group = needlework_group(services)
    for i in range(12):
        add_person(services, f"Leaver Number{i}", joined_on=date(2019, 1, 1),
                   left_on=date(2022, 6, 30))  # fmt: skip
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer, since=date(2020, 1, 1), stopped_on=date(2025, 1, 31),
            clearances=[ClearanceData("dbs_enhanced", "", "001234567890", date(2020, 1, 1))],
        )
    )  # fmt: skip
    assert _retention(services, TODAY) == [
        "12 participants are due for anonymising under your retention rules",
        "1 volunteer's clearance details are due for removal under your retention rules",
    ]
    for rules, today in (
        (RetentionRules(), TODAY),
        (RetentionRules(participants_years=0, clearance_months=0, register_years=1),
         date(2036, 3, 2)),
        (RetentionRules(participants_years=1, register_years=1), date(2040, 1, 1)),
    ):  # fmt: skip
        listed = services.retention.due(rules, today)
        people = sum(1 for item in listed if item.rule != "clearances")
        texts = _retention(services, today, rules)
        if people:
            assert texts[0].startswith(f"{people} participant"), (rules, texts)
        else:
            assert not any("anonymising" in t for t in texts), (rules, texts)
    # Nothing asked for without the rules, and nothing once applied.
    assert not [i for i in needs_attention(services.records_file, TODAY) if i.target == RETENTION]
    services.retention.apply(services.retention.due(RetentionRules(), TODAY), today=TODAY)
    assert _retention(services, TODAY) == []
