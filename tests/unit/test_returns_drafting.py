"""Drafting a return from the lead's template, signing it off, new versions, and the checks
each bad input of issue 13 must meet visibly."""

from __future__ import annotations

from datetime import date

import pytest

from collab_desktop.services.errors import NeedsConfirmation, StateError, ValidationError
from collab_desktop.services.returns.templates import IndicatorData
from tests.builders import add_partner
from tests.delivery_builders import needlework_group
from tests.returns_builders import AFTER_Q1, Q1, record, some_registers, template, template_data


@pytest.fixture
def group(services):
    g = needlework_group(services)
    some_registers(services, g)
    return g


def draft(services, group, template_id=None, confirmed=False, org=None):
    return services.returns.draft(
        group.case.collaboration, org or group.case.recoop, *Q1, template_id=template_id,
        today=AFTER_Q1, confirmed=confirmed,
    )  # fmt: skip


def messages(services, return_id):
    return [c.message for c in services.returns.checks(return_id, today=AFTER_Q1)]


def test_draft_from_a_template_counts_and_asks_only_for_the_typed(services, group):
    t = template(services, group)
    r = services.returns.get(draft(services, group, t))
    assert r.value("sessions_held") == 3
    assert r.value("attendances") == 6
    assert r.value("participants") == 5
    assert r.value("people_reached") == 5  # a counted indicator, from its measure
    typed = [(f.code, f.breakdown) for f in r.figures if f.source == "typed"]
    assert typed == [
        ("family_contacts", ""), ("family_contacts", "Under 25"), ("family_contacts", "25 and over")
    ]  # fmt: skip
    assert r.status == "draft" and r.version == 1 and r.period == "Q1 2026"


def test_what_was_typed_stays_when_the_draft_is_counted_again(services, group):
    t = template(services, group)
    rid = draft(services, group, t)
    services.returns.save_draft(
        rid, {("family_contacts", ""): 12, ("family_contacts", "Under 25"): 4}, went_well="Good"
    )
    record(services, group, date(2026, 1, 27), "Alan Barker")
    again = draft(services, group)  # the template is remembered
    assert again == rid
    r = services.returns.get(rid)
    assert r.value("family_contacts") == 12 and r.value("family_contacts", "Under 25") == 4
    assert r.value("attendances") == 7 and r.went_well == "Good"


def test_counted_figures_cannot_be_typed_over(services, group):
    rid = draft(services, group, template(services, group))
    with pytest.raises(ValidationError, match="counted from the records"):
        services.returns.save_draft(rid, {("attendances", ""): 99})
    with pytest.raises(ValidationError, match="below 0"):
        services.returns.save_draft(rid, {("family_contacts", ""): -1})


def test_a_required_indicator_left_empty_stops_sign_off(services, group):
    rid = draft(services, group, template(services, group))
    assert "Family contacts supported is required and has been left empty." in messages(
        services, rid
    )
    with pytest.raises(StateError, match="cannot be signed off yet"):
        services.returns.sign_off(rid, "Tom Rhys", today=AFTER_Q1)
    services.returns.save_draft(rid, {("family_contacts", ""): 3})
    services.returns.sign_off(rid, "Tom Rhys", today=AFTER_Q1)
    r = services.returns.get(rid)
    assert (r.status, r.signed_off_by) == ("signed_off", "Tom Rhys")
    assert r.signed_off_at is not None
    with pytest.raises(StateError, match="kept as it is"):
        services.returns.save_draft(rid, {("family_contacts", ""): 4})


def signed(services, group, t=None):
    rid = draft(services, group, t or template(services, group))
    services.returns.save_draft(rid, {("family_contacts", ""): 3}, went_well="Kits arrived")
    services.returns.sign_off(rid, "Tom Rhys", today=AFTER_Q1)
    return rid


def test_a_signed_off_period_gets_a_new_version_and_the_old_is_kept(services, group):
    first = signed(services, group)
    with pytest.raises(NeedsConfirmation, match="Make version 2"):
        draft(services, group)
    second = draft(services, group, confirmed=True)
    assert second != first
    new, old = services.returns.get(second), services.returns.get(first)
    assert (new.version, new.status, old.version, old.status) == (2, "draft", 1, "signed_off")
    assert new.value("family_contacts") == 3 and new.went_well == "Kits arrived"  # not retyped
    assert [v.version for v in services.returns.versions(second)] == [1, 2]


def test_registers_corrected_after_sign_off_are_noticed(services, group):
    rid = signed(services, group)
    assert not any("registers" in m for m in messages(services, rid))
    record(services, group, date(2026, 1, 20), "Derek Moss", "Colin Fry")  # corrected later
    (found,) = [m for m in messages(services, rid) if "registers were corrected" in m]
    assert "Attendances 6 → 7" in found and "new version" in found
    assert services.returns.get(rid).value("attendances") == 6  # the signed-off figure stays


def test_a_template_changed_after_drafting_is_noticed(services, group):
    t = template(services, group)
    rid = draft(services, group, t)
    data = services.returns.get_template(t)
    data.indicators.append(IndicatorData(code="referrals", name="Referrals made", kind="typed"))
    services.returns.save_template(data)
    assert services.returns.get_template(t).version == 2
    assert any("changed the template" in m for m in messages(services, rid))
    draft(services, group)
    r = services.returns.get(rid)
    assert r.template_version == 2 and r.value("referrals") is None
    assert not any("changed the template" in m for m in messages(services, rid))


def test_saving_a_template_unchanged_keeps_its_version(services, group):
    t = template(services, group)
    services.returns.save_template(services.returns.get_template(t))
    assert services.returns.get_template(t).version == 1


def test_a_figure_far_from_last_period_is_pointed_out(services, group):
    t = template(services, group)
    q4 = services.returns.draft(
        group.case.collaboration, group.case.recoop, date(2025, 10, 1), date(2025, 12, 31),
        template_id=t, today=AFTER_Q1,
    )  # fmt: skip
    services.returns.save_draft(q4, {("family_contacts", ""): 40})
    services.returns.sign_off(q4, "Tom Rhys", today=AFTER_Q1)
    rid = draft(services, group, t)
    services.returns.save_draft(rid, {("family_contacts", ""): 3})
    found = messages(services, rid)
    assert any(
        m.startswith("Family contacts supported: 3, far from last period's 40") for m in found
    )
    assert not any(m.startswith("Sessions held") for m in found)  # 0 -> 3: a small change


def test_a_non_member_has_no_return_to_make(services, group):
    stranger = add_partner(services, "Nobody's Charity")
    with pytest.raises(StateError, match="is not a member of Needlework group"):
        draft(services, group, org=stranger)


def test_a_period_with_no_sessions_is_drafted_with_a_notice(services, group):
    rid = services.returns.draft(
        group.case.collaboration, group.case.recoop, date(2025, 1, 1), date(2025, 3, 31),
        today=AFTER_Q1,
    )  # fmt: skip
    assert services.returns.get(rid).value("sessions_planned") == 0
    assert any("No sessions were planned" in m for m in messages(services, rid))


def test_a_template_needs_its_codes_unique_and_its_lead_a_member(services, group):
    stranger = add_partner(services, "Nobody's Charity")
    data = template_data(group, lead_id=stranger)
    data.indicators.append(IndicatorData(code="family_contacts", name="Again"))
    data.indicators.append(IndicatorData(code="attendances", name="Clash"))
    with pytest.raises(ValidationError) as raised:
        services.returns.save_template(data)
    errors = raised.value.errors
    assert errors["lead"] == "The lead must be a member of the collaboration."
    assert "already used" in errors["indicator_3"] and "already used" in errors["indicator_4"]


def test_returns_needing_attention_for_the_home_page(services, group):
    from collab_desktop.services.returns.board import returns_needing_attention

    template(services, group)
    with services.returns._sessions() as session:
        soon = returns_needing_attention(session, date(2026, 4, 20), group.case.recoop)
        late = returns_needing_attention(session, date(2026, 5, 5), group.case.recoop)
        lead = returns_needing_attention(session, date(2026, 5, 5), group.case.fine_cell_work)
    assert [a.text for a in soon] == [
        "RECOOP: Q1 2026 return due 30 Apr (Needlework group at HMP Leyhill)"
    ]
    assert [a.text for a in late] == [
        "RECOOP: Q1 2026 return late (Needlework group at HMP Leyhill)"
    ]
    assert {a.text.split(":")[0] for a in lead} == {"Fine Cell Work", "RECOOP"}
