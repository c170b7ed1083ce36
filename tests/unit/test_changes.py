"""What a service call changed (services/changes.py): read from what the commit wrote, so no
service has to remember to say it; nothing is reported for work rolled back."""

from __future__ import annotations

import pytest

from collab_desktop.services.changes import (
    AGREEMENTS,
    COLLABORATIONS,
    PARTNERS,
    Changes,
)
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.partners import PartnerData
from tests.builders import add_partner, contact, reference_case


def test_a_saved_partner_and_its_contact_are_partner_changes(services):
    _, changes = services.changes.during(
        lambda: add_partner(services, "Fine Cell Work", contacts=[contact("Ann Hill")])
    )
    partner_id = services.partners.list_partners()[0].id
    assert changes.kinds == {PARTNERS}
    assert changes.touches_record(partner_id)
    assert not changes.touches(COLLABORATIONS)


def test_a_refused_call_reports_nothing(services):
    with pytest.raises(ValidationError):
        services.changes.during(lambda: services.partners.save_partner(PartnerData(name="")))
    _, changes = services.changes.during(lambda: services.partners.list_partners())
    assert changes == Changes()
    assert not changes


def test_writes_outside_a_recorded_call_are_not_reported_later(services):
    add_partner(services, "RECOOP")  # not recorded: nobody asked
    _, changes = services.changes.during(lambda: None)
    assert not changes


def test_one_call_that_writes_several_kinds_is_one_value(services):
    case = reference_case(services)

    def two_things():
        services.partners.set_archived(case.recoop, True)
        services.agreements.create_agreement(case.collaboration, None, "Circle agreement")

    _, changes = services.changes.during(two_things)
    assert {PARTNERS, AGREEMENTS} <= changes.kinds
    assert changes.touches_record(case.recoop)


def test_everything_touches_every_kind():
    assert Changes.everything().touches(PARTNERS)
    assert Changes.everything().touches_record(None)
    assert (Changes.of(PARTNERS) | Changes.of(AGREEMENTS)).kinds == {PARTNERS, AGREEMENTS}
