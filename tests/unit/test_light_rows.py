"""The long lists hold light rows (issue 17): tuples made from plain SQL, not ORM objects or
frozen dataclasses, for 20,000 participants and every volunteer; what they say is unchanged."""

from __future__ import annotations

from datetime import date

from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from tests.delivery_builders import needlework_group


def test_participant_and_volunteer_rows_are_tuples_in_name_order(services):
    group = needlework_group(services)
    people = services.participants.list_participants()
    assert people and all(isinstance(row, tuple) for row in people)
    assert [r.name.lower() for r in people] == sorted(r.name.lower() for r in people)
    assert any("Needlework group" in r.activities for r in people)
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer,
            clearances=[
                ClearanceData("dbs_enhanced", "", "D1", None, date(2020, 1, 1)),
                ClearanceData("prison_vetting", "HMP Leyhill", "V1", None, date(2020, 2, 1)),
            ],
        )
    )
    [row] = [r for r in services.volunteers.list_volunteers() if r.contact_id == group.volunteer]
    assert isinstance(row, tuple)
    assert row.clearances.endswith("(HMP Leyhill)") and ";" in row.clearances
    assert row.attention == "Clearance expired 01/02/2020"
    assert row.next_expiry is None


def test_a_participants_dialog_lists_every_activity_by_name_with_its_collaboration(services):
    group = needlework_group(services)
    choices = services.participants.activity_choices()
    listed = {a.id: (a.name, a.collaboration) for a in services.activities.list_activities()}
    assert {i: (n, c) for i, n, c in choices} == listed
    assert group.activity in listed
    assert [n.lower() for _, n, _ in choices] == sorted(n.lower() for _, n, _ in choices)
