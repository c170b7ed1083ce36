"""PartnerService over a real migrated database."""

from __future__ import annotations

import uuid

import pytest

from collab_desktop.services.agreements.version_data import ResponsibilityData, SignatoryData
from collab_desktop.services.errors import InUse, NeedsConfirmation, NotFound, ValidationError
from collab_desktop.services.partners import ContactData, PartnerData
from tests.builders import (
    FCW,
    RECOOP,
    add_collaboration,
    add_partner,
    contact,
    edit_draft,
    reference_agreement,
)


def names(services, include_archived: bool = False) -> list[str]:
    return [row.name for row in services.partners.list_partners(include_archived)]


# -- create, edit, list --------------------------------------------------------------------


def test_create_partner_with_contacts_and_read_it_back(services):
    partner_id = services.partners.save_partner(
        PartnerData(
            name="  RECOOP  ",
            kind="charity",
            charity_number="1116987",
            town="Bristol",
            email="info@recoop.example",
            notes="Based in the Lobster Pot.\n",
            contacts=[
                ContactData(name="Tom Rhys", level="strategic", email="tom@recoop.example"),
                ContactData(name="Amir Khan", job_title="Activities worker"),
            ],
        )
    )

    data = services.partners.get_partner(partner_id)
    assert data.id == partner_id
    assert data.name == "RECOOP"  # surrounding spaces trimmed
    assert data.charity_number == "1116987"
    assert data.town == "Bristol"
    assert data.notes == "Based in the Lobster Pot.\n"  # notes kept exactly as typed
    assert not data.archived
    # Contacts are listed by name.
    assert [(c.name, c.level) for c in data.contacts] == [
        ("Amir Khan", "operational"),
        ("Tom Rhys", "strategic"),
    ]
    assert all(c.id is not None for c in data.contacts)

    (row,) = services.partners.list_partners()
    assert (row.id, row.name, row.kind, row.town, row.contacts, row.archived) == (
        partner_id,
        "RECOOP",
        "Charity",
        "Bristol",
        2,
        False,
    )


def test_edit_partner_keeps_contact_ids_and_adds_and_removes_contacts(services):
    partner_id = add_partner(
        services, RECOOP, contacts=[contact("Tom Rhys", "strategic"), contact("Amir Khan")]
    )
    data = services.partners.get_partner(partner_id)
    amir, tom = data.contacts
    tom_id = tom.id

    data.town = "Wotton-under-Edge"
    tom.job_title = "Regional Coordinator"
    data.contacts = [tom, ContactData(name="Zoë Hart", email="zoe@recoop.example")]
    assert services.partners.save_partner(data) == partner_id

    again = services.partners.get_partner(partner_id)
    assert again.town == "Wotton-under-Edge"
    assert [c.name for c in again.contacts] == ["Tom Rhys", "Zoë Hart"]
    assert again.contacts[0].id == tom_id
    assert again.contacts[0].job_title == "Regional Coordinator"
    assert services.partners.list_partners()[0].contacts == 2
    assert [c.name for c in services.partners.contacts_of([partner_id])] == [
        "Tom Rhys",
        "Zoë Hart",
    ]


def test_saving_a_partner_under_its_own_name_is_not_a_duplicate(services):
    partner_id = add_partner(services, "Recoop Ltd")
    data = services.partners.get_partner(partner_id)
    data.notes = "Changed"
    services.partners.save_partner(data)  # no ValidationError, no NeedsConfirmation
    assert services.partners.get_partner(partner_id).notes == "Changed"


def test_list_is_sorted_without_regard_to_case(services):
    for name in ("bristol Mind", "Age UK Avon", "Clean Break"):
        add_partner(services, name)
    assert names(services) == ["Age UK Avon", "bristol Mind", "Clean Break"]


def test_list_excludes_archived_partners_unless_asked(services):
    add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    services.partners.set_archived(recoop, True)

    assert names(services) == [FCW]
    rows = services.partners.list_partners(include_archived=True)
    assert [(r.name, r.archived) for r in rows] == [(FCW, False), (RECOOP, True)]
    assert services.partners.get_partner(recoop).archived

    services.partners.set_archived(recoop, False)
    assert names(services) == [FCW, RECOOP]


def test_get_missing_partner_raises_not_found(services):
    with pytest.raises(NotFound):
        services.partners.get_partner(uuid.uuid4())


# -- validation ----------------------------------------------------------------------------


def field_errors(services, data: PartnerData) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        services.partners.save_partner(data, confirmed=True)
    assert caught.value.message  # something a person can read
    return caught.value.errors


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_empty_name_is_rejected(services, name):
    assert set(field_errors(services, PartnerData(name=name))) == {"name"}


def test_absurdly_long_name_is_rejected(services):
    errors = field_errors(services, PartnerData(name="x" * 201))
    assert set(errors) == {"name"}
    assert "too long" in errors["name"]


def test_unknown_kind_is_rejected(services):
    assert set(field_errors(services, PartnerData(name="RECOOP", kind="pirates"))) == {"kind"}


@pytest.mark.parametrize("email", ["tom", "tom@recoop", "tom @recoop.org", "a@b@c.org"])
def test_bad_organisation_email_is_rejected(services, email):
    assert set(field_errors(services, PartnerData(name="RECOOP", email=email))) == {"email"}


def test_bad_contact_email_names_the_contact(services):
    data = PartnerData(
        name="RECOOP",
        contacts=[ContactData(name="Tom Rhys"), ContactData(name="Amir Khan", email="amir.at")],
    )
    assert set(field_errors(services, data)) == {"contacts.1.email"}


def test_every_problem_is_reported_at_once(services):
    data = PartnerData(
        name="",
        kind="nope",
        email="bad",
        contacts=[ContactData(name="", level="middling")],
    )
    assert list(field_errors(services, data)) == [
        "name",
        "kind",
        "email",
        "contacts.0.name",
        "contacts.0.level",
    ]


def test_nothing_is_saved_when_validation_fails(services):
    with pytest.raises(ValidationError):
        services.partners.save_partner(PartnerData(name="RECOOP", email="nope"))
    assert services.partners.list_partners(include_archived=True) == []


def test_good_emails_are_accepted(services):
    partner_id = add_partner(
        services,
        "Cymdeithas Tai",
        email="post@tai.cymru",
        contacts=[contact("Siân", email="sian.o'brien+work@tai.example.org")],
    )
    assert services.partners.get_partner(partner_id).email == "post@tai.cymru"


# -- duplicates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ("RECOOP", "Recoop Ltd"),
        ("Recoop Ltd", "RECOOP"),
        ("Fine Cell Work", "The Fine Cell Work"),
        ("Fine Cell Work", "fine cell work."),
        ("Age UK Avon", "Age Avon"),
    ],
)
def test_same_name_after_normalising_is_rejected_on_name(services, existing, new):
    add_partner(services, existing)
    with pytest.raises(ValidationError) as caught:
        services.partners.save_partner(PartnerData(name=new), confirmed=True)
    assert set(caught.value.errors) == {"name"}
    assert existing in caught.value.errors["name"]
    assert names(services) == [existing]


def test_duplicate_of_an_archived_partner_is_still_rejected(services):
    recoop = add_partner(services, RECOOP)
    services.partners.set_archived(recoop, True)
    with pytest.raises(ValidationError):
        services.partners.save_partner(PartnerData(name="Recoop Limited"))


def test_near_duplicate_needs_confirmation_then_saves(services):
    add_partner(services, FCW)
    data = PartnerData(name="Fine Cell Works")
    with pytest.raises(NeedsConfirmation) as caught:
        services.partners.save_partner(data)
    assert FCW in caught.value.message
    assert names(services) == [FCW]

    services.partners.save_partner(data, confirmed=True)
    assert names(services) == [FCW, "Fine Cell Works"]


def test_different_names_need_no_confirmation(services):
    add_partner(services, FCW)
    services.partners.save_partner(PartnerData(name="Clean Break"))
    assert services.partners.similar_names("Clean Break") == ["Clean Break"]
    assert services.partners.similar_names("Koestler Arts") == []


# -- deleting ------------------------------------------------------------------------------


def test_delete_unused_partner_and_its_contacts(services):
    partner_id = add_partner(services, RECOOP, contacts=[contact("Tom Rhys")])
    services.partners.delete_partner(partner_id)
    assert services.partners.list_partners(include_archived=True) == []
    assert services.partners.contacts_of([partner_id]) == []
    services.partners.delete_partner(partner_id)  # already gone: nothing to do


def assert_delete_refused(services, partner_id) -> None:
    with pytest.raises(InUse) as caught:
        services.partners.delete_partner(partner_id)
    assert "cannot be deleted" in caught.value.message or "named" in caught.value.message
    assert partner_id in {row.id for row in services.partners.list_partners(True)}


def test_delete_member_of_a_collaboration_is_refused(services):
    fcw = add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    add_collaboration(services, "Needlework", [(fcw, "lead"), (recoop, "partner")])
    assert_delete_refused(services, recoop)


def test_delete_partner_named_in_responsibilities_is_refused(services):
    _, version_id = reference_agreement(services)
    outsider = add_partner(services, "Koestler Arts")  # not a member
    data = services.agreements.get_version(version_id)
    data.responsibilities.append(
        ResponsibilityData(what="Judge the entries", area="other", organisation_id=outsider)
    )
    services.agreements.save_draft(data)
    assert_delete_refused(services, outsider)


def test_delete_partner_that_signs_an_agreement_is_refused(services):
    _, version_id = reference_agreement(services)
    outsider = add_partner(services, "Koestler Arts")
    data = services.agreements.get_version(version_id)
    data.signatories.append(SignatoryData(name="Ruth Lowe", organisation_id=outsider))
    services.agreements.save_draft(data)
    assert_delete_refused(services, outsider)


def test_delete_funder_is_refused(services):
    fcw = add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    funder = add_partner(services, "The Henry Smith Charity", kind="funder")
    add_collaboration(
        services,
        "Needlework",
        [(fcw, "lead"), (recoop, "partner")],
        funding_type="grant",
        funder_id=funder,
    )
    assert_delete_refused(services, funder)


def test_delete_partner_whose_contact_is_named_on_a_responsibility_is_refused(services):
    _, version_id = reference_agreement(services)
    outsider = add_partner(services, "Koestler Arts", contacts=[contact("Ruth Lowe")])
    (ruth,) = services.partners.contacts_of([outsider])
    data = services.agreements.get_version(version_id)
    data.responsibilities.append(ResponsibilityData(what="Judge", contact_id=ruth.id))
    services.agreements.save_draft(data)
    assert_delete_refused(services, outsider)


def test_removing_a_contact_named_on_a_responsibility_is_refused(services):
    case, version_id = reference_agreement(services)
    partner = services.partners.get_partner(case.recoop)
    amir = next(c for c in partner.contacts if c.name == "Amir Khan")
    data = services.agreements.get_version(version_id)
    data.responsibilities[0].contact_id = amir.id
    services.agreements.save_draft(data)

    partner.contacts = [c for c in partner.contacts if c.id != amir.id]
    partner.town = "Changed"
    with pytest.raises(InUse) as caught:
        services.partners.save_partner(partner)
    assert "Amir Khan" in caught.value.message

    again = services.partners.get_partner(case.recoop)
    assert "Amir Khan" in [c.name for c in again.contacts]
    assert again.town == "Bristol"  # nothing of the refused save was kept


def test_removing_an_unused_contact_works(services):
    case, _ = reference_agreement(services)
    partner = services.partners.get_partner(case.recoop)
    partner.contacts = [c for c in partner.contacts if c.name != "Amir Khan"]
    services.partners.save_partner(partner)
    assert [c.name for c in services.partners.get_partner(case.recoop).contacts] == ["Tom Rhys"]


def test_a_contact_freed_from_its_responsibility_can_be_removed(services):
    case, version_id = reference_agreement(services)
    amir = next(c for c in services.partners.contacts_of([case.recoop]) if c.name == "Amir Khan")
    data = services.agreements.get_version(version_id)
    data.responsibilities[0].contact_id = amir.id
    services.agreements.save_draft(data)
    data = services.agreements.get_version(version_id)
    data.responsibilities[0].contact_id = None
    data.responsibilities[0].organisation_id = case.recoop
    edit_draft(services, version_id, responsibilities=data.responsibilities)

    partner = services.partners.get_partner(case.recoop)
    partner.contacts = [c for c in partner.contacts if c.id != amir.id]
    services.partners.save_partner(partner)


# -- names as they are spelt ---------------------------------------------------------------


def test_welsh_and_accented_names_round_trip(services):
    name = "Cymdeithas Tŷ Ŵyn Café"
    partner_id = add_partner(
        services,
        name,
        address="Heol y Frenhines\nCaerdydd",
        contacts=[contact("Siân Llŷr"), contact("Renée Œrsted")],
    )
    data = services.partners.get_partner(partner_id)
    assert data.name == name
    assert data.address == "Heol y Frenhines\nCaerdydd"
    assert [c.name for c in data.contacts] == ["Renée Œrsted", "Siân Llŷr"]
    assert names(services) == [name]
    # The accented name is a name like any other: a copy in other case is the same partner.
    with pytest.raises(ValidationError):
        services.partners.save_partner(PartnerData(name="CYMDEITHAS TŶ ŴYN CAFÉ"))


def test_a_facilitator_cannot_be_removed_or_their_partner_deleted(services):
    from datetime import date, time

    from collab_desktop.services.delivery.activities import ActivityData
    from tests.builders import reference_case

    case = reference_case(services)
    partner = services.partners.get_partner(case.recoop)
    leader = partner.contacts[0]
    services.activities.save_activity(
        ActivityData(
            collaboration_id=case.collaboration,
            name="Needlework group",
            weekday=1,
            start_time=time(10),
            end_time=time(12),
            starts_on=date(2026, 1, 6),
            facilitator_ids=[leader.id],
        )
    )
    assert services.partners.deletion_blocker(case.recoop) is not None
    partner.contacts = [c for c in partner.contacts if c.id != leader.id]
    with pytest.raises(InUse, match="facilitates an activity"):
        services.partners.save_partner(partner)
