"""CollaborationService over a real migrated database."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.errors import InUse, NotFound, ValidationError
from tests.builders import (
    FCW,
    LEYHILL,
    RECOOP,
    add_collaboration,
    add_partner,
    reference_agreement,
    reference_case,
    reference_partners,
)


@pytest.fixture
def partners(services) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    return reference_partners(services)


def errors_of(services, data: CollaborationData) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        services.collaborations.save_collaboration(data)
    return caught.value.errors


def test_create_with_members_and_roles(services, partners):
    fcw, recoop, leyhill = partners
    funder = add_partner(services, "The Henry Smith Charity", kind="funder")
    collaboration_id = services.collaborations.save_collaboration(
        CollaborationData(
            name="  Needlework group at HMP Leyhill ",
            purpose="Weekly needlework.",
            setting="custody",
            site=" HMP Leyhill ",
            start_date=date(2014, 5, 1),
            status="active",
            funding_type="grant",
            funder_id=funder,
            funding_from=date(2024, 4, 1),
            funding_until=date(2027, 3, 31),
            members=[
                MemberData(fcw, "lead"),
                MemberData(recoop, "partner"),
                MemberData(leyhill, "host"),
            ],
        )
    )

    data = services.collaborations.get_collaboration(collaboration_id)
    assert data.id == collaboration_id
    assert data.name == "Needlework group at HMP Leyhill"
    assert data.site == "HMP Leyhill"
    assert (data.start_date, data.end_date) == (date(2014, 5, 1), None)
    assert (data.funding_type, data.funder_id) == ("grant", funder)
    assert (data.funding_from, data.funding_until) == (date(2024, 4, 1), date(2027, 3, 31))
    assert [(m.organisation_id, m.role, m.organisation) for m in data.members] == [
        (fcw, "lead", FCW),
        (recoop, "partner", RECOOP),
        (leyhill, "host", LEYHILL),
    ]

    (row,) = services.collaborations.list_collaborations()
    assert row.id == collaboration_id
    assert (row.setting, row.status, row.site, row.agreements) == (
        "Custody",
        "Active",
        "HMP Leyhill",
        0,
    )
    assert row.members == f"{FCW} (Lead partner), {RECOOP} (Partner), {LEYHILL} (Host)"


def test_edit_keeps_member_order(services, partners):
    fcw, recoop, leyhill = partners
    collaboration_id = add_collaboration(
        services, "Needlework", [(fcw, "lead"), (recoop, "partner"), (leyhill, "host")]
    )
    data = services.collaborations.get_collaboration(collaboration_id)
    data.members = [data.members[2], data.members[0], data.members[1]]
    data.members[2].role = "subcontractor"
    data.status = "paused"
    services.collaborations.save_collaboration(data)

    again = services.collaborations.get_collaboration(collaboration_id)
    assert again.status == "paused"
    assert [(m.organisation_id, m.role) for m in again.members] == [
        (leyhill, "host"),
        (fcw, "lead"),
        (recoop, "subcontractor"),
    ]
    # And the order survives an unrelated edit.
    again.notes = "Room changed"
    services.collaborations.save_collaboration(again)
    assert [
        m.organisation_id
        for m in services.collaborations.get_collaboration(collaboration_id).members
    ] == [leyhill, fcw, recoop]


def test_edit_removes_and_adds_members(services, partners):
    fcw, recoop, leyhill = partners
    collaboration_id = add_collaboration(
        services, "Needlework", [(fcw, "lead"), (recoop, "partner")]
    )
    data = services.collaborations.get_collaboration(collaboration_id)
    data.members = [data.members[0], MemberData(leyhill, "host")]
    services.collaborations.save_collaboration(data)
    members = services.collaborations.get_collaboration(collaboration_id).members
    assert [(m.organisation_id, m.role) for m in members] == [(fcw, "lead"), (leyhill, "host")]


def test_duplicate_member_is_rejected(services, partners):
    fcw, recoop, _ = partners
    data = CollaborationData(
        name="Needlework",
        members=[MemberData(fcw, "lead"), MemberData(recoop, "partner"), MemberData(fcw, "host")],
    )
    assert set(errors_of(services, data)) == {"members"}
    assert services.collaborations.list_collaborations() == []


def test_member_that_no_longer_exists_is_rejected(services, partners):
    fcw, _, _ = partners
    data = CollaborationData(name="Needlework", members=[MemberData(fcw), MemberData(uuid.uuid4())])
    assert set(errors_of(services, data)) == {"members"}


def test_funder_that_no_longer_exists_is_rejected(services):
    # Was a raw IntegrityError (FOREIGN KEY constraint failed) before the service checked.
    data = CollaborationData(name="Needlework", funding_type="grant", funder_id=uuid.uuid4())
    assert set(errors_of(services, data)) == {"funder_id"}
    assert services.collaborations.list_collaborations() == []


def test_unknown_role_is_rejected(services, partners):
    fcw, recoop, _ = partners
    data = CollaborationData(
        name="Needlework", members=[MemberData(fcw, "lead"), MemberData(recoop, "boss")]
    )
    assert set(errors_of(services, data)) == {"members.1.role"}


def test_empty_name_is_rejected(services):
    assert set(errors_of(services, CollaborationData(name="  "))) == {"name"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("setting", "moon"), ("status", "sleeping"), ("funding_type", "lottery")],
)
def test_unknown_choice_is_rejected(services, field, value):
    data = CollaborationData(name="Needlework", **{field: value})
    assert set(errors_of(services, data)) == {field}


def test_end_date_before_start_is_rejected_on_end_date(services):
    data = CollaborationData(
        name="Needlework", start_date=date(2025, 5, 1), end_date=date(2025, 4, 30)
    )
    errors = errors_of(services, data)
    assert set(errors) == {"end_date"}
    assert "30/04/2025" in errors["end_date"] and "01/05/2025" in errors["end_date"]


def test_same_start_and_end_date_is_allowed(services):
    day = date(2025, 5, 1)
    collaboration_id = services.collaborations.save_collaboration(
        CollaborationData(name="Open day", start_date=day, end_date=day)
    )
    assert services.collaborations.get_collaboration(collaboration_id).end_date == day


def test_funding_dates_must_be_in_order(services):
    data = CollaborationData(
        name="Needlework",
        funding_type="grant",
        funding_from=date(2025, 4, 1),
        funding_until=date(2024, 3, 31),
    )
    assert set(errors_of(services, data)) == {"funding_until"}


@pytest.mark.parametrize(
    ("field", "value"), [("start_date", date(202, 5, 1)), ("end_date", date(2925, 5, 1))]
)
def test_implausible_year_is_rejected(services, field, value):
    data = CollaborationData(name="Needlework", **{field: value})
    errors = errors_of(services, data)
    assert field in errors
    assert "year" in errors[field]


def test_get_missing_collaboration_raises_not_found(services):
    with pytest.raises(NotFound):
        services.collaborations.get_collaboration(uuid.uuid4())


def test_delete_collaboration_without_agreements(services, partners):
    fcw, recoop, _ = partners
    collaboration_id = add_collaboration(
        services, "Needlework", [(fcw, "lead"), (recoop, "partner")]
    )
    services.collaborations.delete_collaboration(collaboration_id)
    assert services.collaborations.list_collaborations() == []
    # Its members went with it, so the partners are free to be deleted.
    services.partners.delete_partner(recoop)


def test_delete_blocked_when_agreements_exist(services):
    case, _ = reference_agreement(services)
    (row,) = services.collaborations.list_collaborations()
    assert row.agreements == 1
    with pytest.raises(InUse):
        services.collaborations.delete_collaboration(case.collaboration)
    assert [r.id for r in services.collaborations.list_collaborations()] == [case.collaboration]


def test_list_is_sorted_by_name(services):
    case = reference_case(services)
    add_collaboration(services, "art in the community", [(case.fine_cell_work, "lead")])
    assert [r.name for r in services.collaborations.list_collaborations()] == [
        "art in the community",
        "Needlework group at HMP Leyhill",
    ]


def test_delete_blocked_when_activities_exist(services):
    from datetime import date, time

    from collab_desktop.services.delivery.activities import ActivityData
    from tests.builders import reference_case

    case = reference_case(services)
    services.activities.save_activity(
        ActivityData(
            collaboration_id=case.collaboration,
            name="Needlework group",
            weekday=1,
            start_time=time(10),
            end_time=time(12),
            starts_on=date(2026, 1, 6),
        )
    )
    with pytest.raises(InUse, match="has activities"):
        services.collaborations.delete_collaboration(case.collaboration)
