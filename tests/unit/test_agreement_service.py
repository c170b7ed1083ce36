"""AgreementService and TemplateService over a real migrated database, on the reference case
of docs/architecture.md §1 (see tests/builders.py). Depends on
resources/templates/two_charity_prison.json.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from collab_desktop.services.agreements import parts as agreement_parts
from collab_desktop.services.agreements.fingerprint import content_fingerprint
from collab_desktop.services.agreements.templates import USER_PREFIX
from collab_desktop.services.agreements.version_data import ResponsibilityData, SignatoryData
from collab_desktop.services.errors import NotFound, StateError, ValidationError
from collab_desktop.services.open_records import open_services
from tests.builders import (
    FCW,
    FCW_SIGNER,
    LEYHILL,
    LEYHILL_SIGNER,
    RECOOP,
    RECOOP_SIGNER,
    SIGNED_ON,
    TEMPLATE,
    add_collaboration,
    add_partner,
    edit_draft,
    reference_agreement,
    reference_case,
    send_and_sign_all,
    signed_off_agreement,
)


def sign(services, signatory_id, on: date = SIGNED_ON, method: str = "wet_ink") -> str:
    return services.agreements.record_signature(signatory_id, on, method, "Tom Rhys")


def row_of(services, version_id):
    return next(r for r in services.agreements.list_versions() if r.version_id == version_id)


# -- creating ------------------------------------------------------------------------------


def test_template_maps_roles_to_organisations(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)

    assert (v.number, v.status, v.editable) == (1, "draft", True)
    assert v.title == "Joint agreement"
    assert v.collaboration_id == case.collaboration
    assert v.review_frequency == "Every three months"
    assert v.sections["purpose"].startswith("This agreement sets out")
    assert [(p.name, p.role) for p in v.parties] == [
        (FCW, "Lead partner"),
        (RECOOP, "Partner"),
        (LEYHILL, "Host"),
    ]

    owner = {case.fine_cell_work: FCW, case.recoop: RECOOP, case.leyhill: LEYHILL, None: "joint"}
    duties = [(owner[r.organisation_id], r.area, r.what) for r in v.responsibilities]
    assert all(r.contact_id is None for r in v.responsibilities)

    recoop = [(area, what) for who, area, what in duties if who == RECOOP]
    assert [area for area, _ in recoop] == ["materials", "attendance", "volunteers"]
    assert "kits" in recoop[0][1]
    assert "attendance" in recoop[1][1].lower()
    assert "volunteers' risk assessments" in recoop[2][1]

    fcw = [what for who, _, what in duties if who == FCW]
    assert any("trained volunteer" in what for what in fcw)
    assert any("training and materials" in what for what in fcw)

    joint = [what for who, _, what in duties if who == "joint"]
    assert len(joint) == 2
    assert any("Review progress together" in what for what in joint)
    assert any("strategic issues" in what for what in joint)

    assert {area for who, area, _ in duties if who == LEYHILL} == {
        "volunteers",
        "premises",
        "risk_assessment",
    }
    # The template's order is kept.
    assert [who for who, _, _ in duties] == [RECOOP] * 3 + [FCW] * 2 + ["joint"] * 2 + [LEYHILL] * 3


def test_template_signatories_are_the_strategic_contacts(services):
    case, version_id = reference_agreement(services)
    signatories = services.agreements.get_version(version_id).signatories
    assert [(s.name, s.role, s.organisation_id, s.capacity, s.required) for s in signatories] == [
        (FCW_SIGNER, "Head of Prison Programmes", case.fine_cell_work, "party", True),
        (RECOOP_SIGNER, "Regional Coordinator", case.recoop, "party", True),
        (LEYHILL_SIGNER, "Governor", case.leyhill, "host_approver", True),
    ]
    assert not any(s.signed for s in signatories)


def test_template_role_is_used_when_the_signer_has_no_job_title(services):
    case = reference_case(services)
    partner = services.partners.get_partner(case.recoop)
    for person in partner.contacts:
        person.job_title = ""
    services.partners.save_partner(partner)
    version_id = services.agreements.create_agreement(case.collaboration, TEMPLATE)
    roles = [s.role for s in services.agreements.get_version(version_id).signatories]
    assert roles[1] == "Chief Executive"  # the template's wording for the partner's signer


def test_blank_agreement_gets_default_signatories(services):
    case, version_id = reference_agreement(services, template=None)
    v = services.agreements.get_version(version_id)
    assert v.title == "Joint agreement"
    assert v.responsibilities == []
    assert all(text == "" for text in v.sections.values())
    assert [(s.name, s.role, s.organisation_id, s.capacity) for s in v.signatories] == [
        (FCW_SIGNER, "Head of Prison Programmes", case.fine_cell_work, "party"),
        (RECOOP_SIGNER, "Regional Coordinator", case.recoop, "party"),
        (LEYHILL_SIGNER, "Governor", case.leyhill, "host_approver"),
    ]


def test_create_with_title(services):
    case = reference_case(services)
    version_id = services.agreements.create_agreement(
        case.collaboration, TEMPLATE, title="  Needlework agreement  "
    )
    assert services.agreements.get_version(version_id).title == "Needlework agreement"


def test_create_refused_with_fewer_than_two_members(services):
    fcw = add_partner(services, FCW)
    alone = add_collaboration(services, "Solo", [(fcw, "lead")])
    nobody = add_collaboration(services, "Nobody", [])
    for collaboration_id in (alone, nobody):
        with pytest.raises(ValidationError) as caught:
            services.agreements.create_agreement(collaboration_id, TEMPLATE)
        assert set(caught.value.errors) == {"collaboration"}
    assert services.agreements.list_versions() == []


def test_create_for_missing_collaboration_or_template(services):
    with pytest.raises(NotFound):
        services.agreements.create_agreement(uuid.uuid4(), None)
    case = reference_case(services)
    with pytest.raises(NotFound):
        services.agreements.create_agreement(case.collaboration, "no_such_template")


def test_template_part_nobody_plays_is_left_out_not_made_joint(services):
    # Issue 11: a part no member plays used to become a "Joint (all parties)" duty. Now the
    # user is told before drafting (plan_parts) and its duties are not drafted at all.
    fcw = add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    collaboration = add_collaboration(services, "No prison", [(fcw, "lead"), (recoop, "partner")])
    plan = services.agreements.plan_parts(collaboration, TEMPLATE)
    assert any("Nobody plays the host" in note for note in agreement_parts.notes(plan))
    version_id = services.agreements.create_agreement(collaboration, TEMPLATE)
    v = services.agreements.get_version(version_id)
    assert not [r for r in v.responsibilities if r.area in ("premises", "risk_assessment")]
    assert all(r.organisation_id for r in v.responsibilities if r.area != "monitoring"
               and r.area != "communication")  # fmt: skip
    # No contacts: the signatories are there to be named.
    assert [(s.name, s.organisation_id) for s in v.signatories] == [("", fcw), ("", recoop)]


# -- editing a draft -----------------------------------------------------------------------


def test_save_draft_edits_sections_and_review(services):
    _, version_id = reference_agreement(services)
    edit_draft(
        services,
        version_id,
        title=" Needlework at Leyhill ",
        sections={"money": "\nNo money changes hands.\n", "term": "One year."},
        review_frequency=" Monthly ",
        reviewers="Both coordinators",
        next_review=date(2026, 1, 15),
    )
    v = services.agreements.get_version(version_id)
    assert v.title == "Needlework at Leyhill"
    assert v.sections["money"] == "No money changes hands."
    assert v.sections["term"] == "One year."
    assert v.sections["purpose"].startswith("This agreement sets out")  # untouched
    assert (v.review_frequency, v.reviewers, v.next_review) == (
        "Monthly",
        "Both coordinators",
        date(2026, 1, 15),
    )


def test_save_draft_adds_removes_and_reorders_responsibilities(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    original = v.responsibilities
    kept = [original[4], original[0], original[2]]  # reordered, the rest removed
    added = ResponsibilityData(
        what="Lead the weekly sessions",
        area="volunteers",
        how_often=" Weekly ",
        organisation_id=case.fine_cell_work,
        since=date(2014, 5, 1),
    )
    edit_draft(services, version_id, responsibilities=[kept[0], added, kept[1], kept[2]])

    after = services.agreements.get_version(version_id).responsibilities
    assert [r.what for r in after] == [
        original[4].what,
        "Lead the weekly sessions",
        original[0].what,
        original[2].what,
    ]
    # Surviving rows keep their keys; the new one got one.
    assert [after[0].id, after[2].id, after[3].id] == [r.id for r in kept]
    assert after[1].id not in {r.id for r in original}
    assert (after[1].how_often, after[1].since) == ("Weekly", date(2014, 5, 1))

    # Reorder again: the order is what was saved, not insertion order.
    edit_draft(services, version_id, responsibilities=list(reversed(after)))
    again = services.agreements.get_version(version_id).responsibilities
    assert [r.id for r in again] == [r.id for r in reversed(after)]


def test_responsibility_can_name_a_contact(services):
    case, version_id = reference_agreement(services)
    margaret = next(
        c for c in services.partners.contacts_of([case.fine_cell_work]) if c.level == "operational"
    )
    v = services.agreements.get_version(version_id)
    v.responsibilities[3].contact_id = margaret.id
    services.agreements.save_draft(v)

    after = services.agreements.get_version(version_id).responsibilities[3]
    assert (after.contact_id, after.organisation_id) == (margaret.id, None)
    line = services.agreements.document(version_id).responsibilities[3]
    assert line.party == f"Margaret Ellis ({FCW})"


def test_save_draft_edits_signatories(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    fcw, recoop, host = v.signatories
    recoop.name = " Amir Khan "
    recoop.role = "Activities worker"
    witness = SignatoryData(name="Dan Hughes", organisation_id=case.leyhill, capacity="witness")
    edit_draft(services, version_id, signatories=[host, fcw, recoop, witness])

    after = services.agreements.get_version(version_id).signatories
    assert [(s.name, s.capacity, s.required) for s in after] == [
        (LEYHILL_SIGNER, "host_approver", True),
        (FCW_SIGNER, "party", True),
        ("Amir Khan", "party", True),
        ("Dan Hughes", "witness", False),  # a witness is never required
    ]
    assert [s.id for s in after[:3]] == [host.id, fcw.id, recoop.id]


def draft_errors(services, version_id, **changes) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        edit_draft(services, version_id, **changes)
    return caught.value.errors


def test_empty_what_is_rejected(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    original = v.responsibilities[1].what
    v.responsibilities[1].what = "   "
    errors = draft_errors(services, version_id, responsibilities=v.responsibilities)
    assert set(errors) == {"responsibilities.2"}  # numbered from 1, as the table shows them
    # Nothing was saved.
    assert services.agreements.get_version(version_id).responsibilities[1].what == original


def test_empty_signatory_name_is_rejected(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories[2].name = ""
    errors = draft_errors(services, version_id, signatories=v.signatories)
    assert set(errors) == {"signatories.3"}
    assert services.agreements.get_version(version_id).signatories[2].name == LEYHILL_SIGNER


def test_other_draft_validation(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.responsibilities[0].area = "juggling"
    v.signatories[0].capacity = "spectator"
    errors = draft_errors(
        services,
        version_id,
        title="",
        next_review=date(20, 1, 1),
        responsibilities=v.responsibilities,
        signatories=v.signatories,
    )
    assert set(errors) == {"title", "next_review", "responsibilities.1", "signatories.1"}


def test_responsibility_for_a_partner_that_no_longer_exists_is_rejected(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.responsibilities.append(ResponsibilityData(what="Ghost duty", organisation_id=uuid.uuid4()))
    assert set(draft_errors(services, version_id, responsibilities=v.responsibilities)) == {
        "responsibilities"
    }


def test_signatory_for_an_organisation_that_no_longer_exists_is_rejected(services):
    # Was a raw IntegrityError (FOREIGN KEY constraint failed) before the service checked.
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories.append(SignatoryData(name="Ghost", organisation_id=uuid.uuid4()))
    assert set(draft_errors(services, version_id, signatories=v.signatories)) == {"signatories"}
    assert len(services.agreements.get_version(version_id).signatories) == 3


# -- sending for signatures ----------------------------------------------------------------


def test_send_for_signatures_freezes_and_stores_fingerprint(services):
    _, version_id = reference_agreement(services)
    draft_fingerprint = services.agreements.get_version(version_id).fingerprint
    fingerprint = services.agreements.send_for_signatures(version_id)

    v = services.agreements.get_version(version_id)
    assert (v.status, v.editable) == ("awaiting_signatures", False)
    assert fingerprint == v.fingerprint == services.agreements.document(version_id).fingerprint
    assert fingerprint == draft_fingerprint  # what was shown on the draft is what was frozen
    assert row_of(services, version_id).fingerprint == fingerprint

    v.sections["money"] = "Changed after sending"
    with pytest.raises(StateError):
        services.agreements.save_draft(v)
    assert services.agreements.get_version(version_id).sections["money"] != "Changed after sending"
    with pytest.raises(StateError):
        services.agreements.send_for_signatures(version_id)


def test_send_refused_without_responsibilities(services):
    _, version_id = reference_agreement(services, template=None)
    with pytest.raises(ValidationError) as caught:
        services.agreements.send_for_signatures(version_id)
    assert "responsibilities" in caught.value.errors
    assert services.agreements.get_version(version_id).status == "draft"


def test_send_refused_without_host_approver_when_there_is_a_host(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories[2].capacity = "party"
    services.agreements.save_draft(v)
    with pytest.raises(ValidationError) as caught:
        services.agreements.send_for_signatures(version_id)
    assert set(caught.value.errors) == {"signatories"}
    assert LEYHILL in caught.value.errors["signatories"]
    assert services.agreements.get_version(version_id).status == "draft"


def test_send_refused_with_no_required_signatory(services):
    fcw = add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    collaboration = add_collaboration(services, "No prison", [(fcw, "lead"), (recoop, "partner")])
    version_id = services.agreements.create_agreement(collaboration, TEMPLATE)
    edit_draft(services, version_id, signatories=[])
    with pytest.raises(ValidationError) as caught:
        services.agreements.send_for_signatures(version_id)
    assert set(caught.value.errors) == {"signatories"}


def test_send_refused_while_a_signatory_has_no_name(services):
    # A template leaves names blank for partners with no contacts; the text must not be
    # frozen (and fingerprinted) with a nameless signature block.
    fcw = add_partner(services, FCW)
    recoop = add_partner(services, RECOOP)
    collaboration = add_collaboration(services, "No prison", [(fcw, "lead"), (recoop, "partner")])
    version_id = services.agreements.create_agreement(collaboration, TEMPLATE)
    with pytest.raises(ValidationError) as caught:
        services.agreements.send_for_signatures(version_id)
    assert set(caught.value.errors) == {"signatories.1", "signatories.2"}
    assert services.agreements.get_version(version_id).status == "draft"


def test_no_host_approver_needed_without_a_host(services):
    fcw = add_partner(services, FCW, contacts=[])
    recoop = add_partner(services, RECOOP)
    collaboration = add_collaboration(services, "No prison", [(fcw, "lead"), (recoop, "partner")])
    version_id = services.agreements.create_agreement(collaboration, TEMPLATE)
    v = services.agreements.get_version(version_id)
    for n, s in enumerate(v.signatories):
        s.name = f"Signer {n}"
    services.agreements.save_draft(v)
    assert services.agreements.send_for_signatures(version_id)


# -- signatures ----------------------------------------------------------------------------


def test_record_signature_rejects_future_date(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    first = services.agreements.get_version(version_id).signatories[0]
    with pytest.raises(ValidationError) as caught:
        sign(services, first.id, on=date.today() + timedelta(days=1))
    assert set(caught.value.errors) == {"signed_on"}
    # Judged against the `today` given, so the check does not depend on the clock.
    with pytest.raises(ValidationError):
        services.agreements.record_signature(
            first.id, date(2025, 3, 11), "typed", "Tom", today=date(2025, 3, 10)
        )
    assert not services.agreements.get_version(version_id).signatories[0].signed


def test_record_signature_rejects_bad_method_and_missing_recorder(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    first = services.agreements.get_version(version_id).signatories[0]
    with pytest.raises(ValidationError) as caught:
        services.agreements.record_signature(first.id, SIGNED_ON, "carrier_pigeon", "Tom")
    assert set(caught.value.errors) == {"method"}
    with pytest.raises(ValidationError) as caught:
        services.agreements.record_signature(first.id, SIGNED_ON, "typed", "  ")
    assert set(caught.value.errors) == {"recorded_by"}


def test_record_signature_on_a_draft_is_refused(services):
    _, version_id = reference_agreement(services)
    first = services.agreements.get_version(version_id).signatories[0]
    with pytest.raises(StateError):
        sign(services, first.id)


def test_signing_twice_is_refused(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    first = services.agreements.get_version(version_id).signatories[0]
    assert sign(services, first.id, on=date(2025, 3, 1)) == "awaiting_signatures"
    with pytest.raises(StateError) as caught:
        sign(services, first.id, on=date(2025, 3, 2))
    assert "01/03/2025" in caught.value.message
    assert services.agreements.get_version(version_id).signatories[0].signed_on == date(2025, 3, 1)


def test_last_required_signature_signs_off(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    fcw, recoop, host = services.agreements.get_version(version_id).signatories
    assert row_of(services, version_id).signatures == "0 of 3"

    assert sign(services, recoop.id, on=date(2025, 3, 1), method="typed") == "awaiting_signatures"
    assert sign(services, host.id, on=date(2025, 3, 12)) == "awaiting_signatures"
    assert row_of(services, version_id).signatures == "2 of 3"
    assert sign(services, fcw.id, on=date(2025, 3, 5), method="drawn") == "signed_off"

    v = services.agreements.get_version(version_id)
    assert v.status == "signed_off"
    assert v.signed_off_on == date(2025, 3, 12)  # the latest signature, not the last recorded
    assert [(s.signed_on, s.method, s.recorded_by) for s in v.signatories] == [
        (date(2025, 3, 5), "drawn", "Tom Rhys"),
        (date(2025, 3, 1), "typed", "Tom Rhys"),
        (date(2025, 3, 12), "wet_ink", "Tom Rhys"),
    ]
    row = row_of(services, version_id)
    assert (row.status, row.status_label, row.signatures) == ("signed_off", "Signed off", "3 of 3")
    assert row.signed_off_on == date(2025, 3, 12)
    # Signing off does not change the fingerprint: the signed copy matches the one sent out.
    doc = services.agreements.document(version_id)
    assert doc.fingerprint == v.fingerprint == content_fingerprint(doc)


def test_witness_signature_is_not_needed(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories.append(
        SignatoryData(name="Dan Hughes", organisation_id=case.leyhill, capacity="witness")
    )
    services.agreements.save_draft(v)
    assert row_of(services, version_id).signatures == "0 of 3"

    assert send_and_sign_all(services, version_id) == "signed_off"
    witness = services.agreements.get_version(version_id).signatories[3]
    assert (witness.required, witness.signed) == (False, False)


def test_clear_signature(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    first = services.agreements.get_version(version_id).signatories[0]
    sign(services, first.id)
    services.agreements.clear_signature(first.id)

    cleared = services.agreements.get_version(version_id).signatories[0]
    assert (cleared.signed_on, cleared.method, cleared.recorded_by) == (None, "", "")
    assert row_of(services, version_id).signatures == "0 of 3"
    sign(services, first.id)  # and it can be recorded again


def test_clear_signature_on_signed_off_version_is_refused(services):
    _, version_id = signed_off_agreement(services)
    first = services.agreements.get_version(version_id).signatories[0]
    with pytest.raises(StateError):
        services.agreements.clear_signature(first.id)


def test_missing_signatory(services):
    with pytest.raises(NotFound):
        sign(services, uuid.uuid4())
    with pytest.raises(NotFound):
        services.agreements.clear_signature(uuid.uuid4())


def test_return_to_draft_clears_signatures(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    for s in services.agreements.get_version(version_id).signatories[:2]:
        sign(services, s.id)
    services.agreements.return_to_draft(version_id)

    v = services.agreements.get_version(version_id)
    assert v.status == "draft"
    assert not any(s.signed or s.method or s.recorded_by for s in v.signatories)
    assert row_of(services, version_id).signatures == "0 of 3"
    assert row_of(services, version_id).fingerprint == ""  # not frozen any more
    v.sections["money"] = "Now it can change."
    services.agreements.save_draft(v)
    with pytest.raises(StateError):
        services.agreements.return_to_draft(version_id)  # already a draft


# -- versions ------------------------------------------------------------------------------


def test_new_version_copies_everything_as_draft_2(services):
    case, v1_id = reference_agreement(services)
    margaret = next(
        c for c in services.partners.contacts_of([case.fine_cell_work]) if c.level == "operational"
    )
    v = services.agreements.get_version(v1_id)
    v.responsibilities[3].contact_id = margaret.id
    v.responsibilities[0].since = date(2014, 5, 1)
    v.signatories.append(SignatoryData(name="Dan Hughes", capacity="witness"))
    edit_draft(
        services,
        v1_id,
        responsibilities=v.responsibilities,
        signatories=v.signatories,
        sections={"money": "None."},
        next_review=date(2025, 9, 1),
    )
    send_and_sign_all(services, v1_id)

    v2_id = services.agreements.new_version(v1_id)
    v1 = services.agreements.get_version(v1_id)
    v2 = services.agreements.get_version(v2_id)
    assert (v2.number, v2.status, v2.agreement_id, v2.title) == (
        2,
        "draft",
        v1.agreement_id,
        v1.title,
    )
    assert v2.sections == v1.sections
    assert (v2.review_frequency, v2.reviewers, v2.next_review) == (
        v1.review_frequency,
        v1.reviewers,
        v1.next_review,
    )

    def duties(data):
        return [
            (r.what, r.area, r.how_often, r.organisation_id, r.contact_id, r.since)
            for r in data.responsibilities
        ]

    def signers(data):
        return [
            (s.name, s.role, s.organisation_id, s.capacity, s.required) for s in data.signatories
        ]

    assert duties(v2) == duties(v1)
    assert signers(v2) == signers(v1)
    assert not any(s.signed for s in v2.signatories)  # signatures are not copied
    assert not {r.id for r in v2.responsibilities} & {r.id for r in v1.responsibilities}
    assert [(o.number, o.status) for o in v2.versions] == [(1, "signed_off"), (2, "draft")]
    assert v1.status == "signed_off"  # until v2 is signed off
    assert v2.fingerprint != v1.fingerprint  # the version number is part of the content

    rows = services.agreements.list_versions(case.collaboration)
    assert [(r.number, r.status) for r in rows] == [(1, "signed_off"), (2, "draft")]


def test_new_version_refused_while_a_version_is_open(services):
    _, v1_id = signed_off_agreement(services)
    services.agreements.new_version(v1_id)
    with pytest.raises(StateError):
        services.agreements.new_version(v1_id)

    open_id = draft_on_second_collaboration(services)
    with pytest.raises(StateError):
        services.agreements.new_version(open_id)  # from a draft
    services.agreements.send_for_signatures(open_id)
    with pytest.raises(StateError):
        services.agreements.new_version(open_id)  # from one awaiting signatures


def draft_on_second_collaboration(services) -> uuid.UUID:
    """A second collaboration of the same partners, with a fresh draft agreement."""
    rows = services.partners.list_partners()
    ids = {r.name: r.id for r in rows}
    collaboration = add_collaboration(
        services,
        "Second group",
        [(ids[FCW], "lead"), (ids[RECOOP], "partner"), (ids[LEYHILL], "host")],
    )
    return services.agreements.create_agreement(collaboration, TEMPLATE)


def test_signing_off_v2_supersedes_v1(services):
    _, v1_id = signed_off_agreement(services)
    v2_id = services.agreements.new_version(v1_id)
    edit_draft(services, v2_id, sections={"money": "Fine Cell Work pays for the kits."})
    assert send_and_sign_all(services, v2_id, signed_on=date(2025, 6, 1)) == "signed_off"

    v1 = services.agreements.get_version(v1_id)
    v2 = services.agreements.get_version(v2_id)
    assert (v1.status, v2.status) == ("superseded", "signed_off")
    assert v2.signed_off_on == date(2025, 6, 1)
    assert v1.signed_off_on == SIGNED_ON  # history kept
    assert services.agreements.document(v1_id).status_label == "Superseded"

    # A third version can then start from the new one.
    v3_id = services.agreements.new_version(v2_id)
    assert services.agreements.get_version(v3_id).number == 3


def test_void_needs_a_reason(services):
    _, version_id = reference_agreement(services)
    with pytest.raises(ValidationError) as caught:
        services.agreements.void(version_id, "   ")
    assert set(caught.value.errors) == {"reason"}
    assert services.agreements.get_version(version_id).status == "draft"


def test_voided_version_stays_listed_and_printable(services):
    case, version_id = signed_off_agreement(services)
    fingerprint = services.agreements.get_version(version_id).fingerprint
    services.agreements.void(version_id, "  The prison asked for a different room.  ")

    row = row_of(services, version_id)
    assert (row.status, row.status_label, row.signatures) == ("void", "Void", "3 of 3")
    v = services.agreements.get_version(version_id)
    assert v.void_reason == "The prison asked for a different room."
    doc = services.agreements.document(version_id, printed_on=date(2025, 7, 1))
    assert (doc.status, doc.void_reason, doc.fingerprint) == (
        "void",
        "The prison asked for a different room.",
        fingerprint,
    )
    assert doc.printed_on == date(2025, 7, 1)
    assert not doc.is_final
    assert [p.name for p in doc.parties] == [FCW, RECOOP, LEYHILL]

    with pytest.raises(StateError):
        services.agreements.void(version_id, "again")
    # A void version is not open: a new version may start from it.
    assert services.agreements.get_version(services.agreements.new_version(version_id)).number == 2
    assert row.collaboration_id == case.collaboration


def test_void_a_draft(services):
    _, version_id = reference_agreement(services)
    services.agreements.void(version_id, "Started by mistake")
    assert services.agreements.get_version(version_id).status == "void"
    with pytest.raises(StateError):
        services.agreements.send_for_signatures(version_id)


def test_void_on_superseded_is_refused(services):
    _, v1_id = signed_off_agreement(services)
    v2_id = services.agreements.new_version(v1_id)
    send_and_sign_all(services, v2_id)
    with pytest.raises(StateError):
        services.agreements.void(v1_id, "Too late")
    assert services.agreements.get_version(v1_id).status == "superseded"


def test_mark_ended(services):
    _, version_id = signed_off_agreement(services)
    services.agreements.mark_ended(version_id)
    assert services.agreements.get_version(version_id).status == "ended"
    assert services.agreements.document(version_id).is_final
    with pytest.raises(StateError):
        services.agreements.mark_ended(version_id)


def test_mark_ended_refused_unless_signed_off(services):
    _, version_id = reference_agreement(services)
    with pytest.raises(StateError):
        services.agreements.mark_ended(version_id)


def test_missing_version_raises_not_found(services):
    for call in (
        services.agreements.get_version,
        services.agreements.document,
        services.agreements.send_for_signatures,
        services.agreements.new_version,
    ):
        with pytest.raises(NotFound):
            call(uuid.uuid4())


# -- list and fingerprints -----------------------------------------------------------------


def test_list_versions(services):
    case, version_id = reference_agreement(services)
    other = reference_collaboration_without_agreement(services, case)
    (row,) = services.agreements.list_versions()
    assert (row.version_id, row.collaboration_id, row.collaboration, row.title, row.number) == (
        version_id,
        case.collaboration,
        "Needlework group at HMP Leyhill",
        "Joint agreement",
        1,
    )
    assert (row.status, row.status_label, row.signatures, row.fingerprint) == (
        "draft",
        "Draft",
        "0 of 3",
        "",
    )
    assert services.agreements.list_versions(other) == []
    assert [r.version_id for r in services.agreements.list_versions(case.collaboration)] == [
        version_id
    ]


def reference_collaboration_without_agreement(services, case) -> uuid.UUID:
    return add_collaboration(
        services, "Another group", [(case.fine_cell_work, "lead"), (case.recoop, "partner")]
    )


@pytest.mark.parametrize(
    "typed",
    [
        lambda fp: fp,
        lambda fp: fp.lower(),
        lambda fp: fp.replace("-", ""),
        lambda fp: fp.replace("-", " ").lower(),
        lambda fp: f"  {fp[:7]} {fp[7:]} ".replace("-", ""),
    ],
)
def test_find_by_fingerprint_forgives_typing(services, typed):
    _, version_id = reference_agreement(services)
    fingerprint = services.agreements.send_for_signatures(version_id)
    assert [r.version_id for r in services.agreements.find_by_fingerprint(typed(fingerprint))] == [
        version_id
    ]


def test_find_by_fingerprint_finds_nothing_for_unknown_or_blank(services):
    _, version_id = reference_agreement(services)  # a draft has no stored fingerprint
    assert services.agreements.find_by_fingerprint("") == []
    assert services.agreements.find_by_fingerprint("0000-0000-0000") == []


def test_fingerprint_looks_right(services):
    _, version_id = reference_agreement(services)
    fingerprint = services.agreements.get_version(version_id).fingerprint
    groups = fingerprint.split("-")
    assert [len(g) for g in groups] == [4, 4, 4]
    assert all(ch in "0123456789ABCDEF" for ch in "".join(groups))


def test_fingerprint_changes_when_text_changes_and_is_stable_otherwise(services):
    _, version_id = reference_agreement(services)

    def fingerprint() -> str:
        return services.agreements.get_version(version_id).fingerprint

    first = fingerprint()
    assert fingerprint() == first
    edit_draft(services, version_id)  # saved unchanged
    assert fingerprint() == first

    money = services.agreements.get_version(version_id).sections["money"]
    edit_draft(services, version_id, sections={"money": "Each charity meets its own costs."})
    changed = fingerprint()
    assert changed != first
    edit_draft(services, version_id, sections={"money": money})
    assert fingerprint() == first  # it depends on the content only

    v = services.agreements.get_version(version_id)
    v.responsibilities[0].how_often = "Monthly"
    services.agreements.save_draft(v)
    assert fingerprint() not in (first, changed)

    v = services.agreements.get_version(version_id)
    v.signatories[0].name = "Someone Else"
    services.agreements.save_draft(v)
    before_signer = fingerprint()
    v.signatories[0].name = FCW_SIGNER
    services.agreements.save_draft(v)
    assert fingerprint() != before_signer

    # Printing on a different day does not change it.
    sent = services.agreements.send_for_signatures(version_id)
    assert services.agreements.document(version_id, printed_on=date(2030, 1, 1)).fingerprint == sent
    # Nor does recording signatures.
    send_fp = fingerprint()
    sign(services, services.agreements.get_version(version_id).signatories[0].id)
    assert fingerprint() == send_fp == sent


def test_same_content_gives_the_same_fingerprint_in_another_database(services, tmp_path):
    _, version_id = reference_agreement(services)
    other = open_services(tmp_path / "other" / "db.sqlite3")
    try:
        _, other_id = reference_agreement(other)
        assert (
            other.agreements.get_version(other_id).fingerprint
            == services.agreements.get_version(version_id).fingerprint
        )
    finally:
        other.close()


# -- templates -----------------------------------------------------------------------------


def test_builtin_templates_are_listed(services):
    keys = [t.key for t in services.templates.list_templates()]
    assert keys[0] == TEMPLATE
    info = services.templates.get(TEMPLATE)
    assert info.builtin and info.name and info.body["responsibilities"]


def test_template_body_round_trip(services):
    case, version_id = reference_agreement(services)
    margaret = next(
        c for c in services.partners.contacts_of([case.fine_cell_work]) if c.level == "operational"
    )
    v = services.agreements.get_version(version_id)
    v.responsibilities[3].contact_id = margaret.id  # a named person: saved as their party
    v.responsibilities.append(ResponsibilityData(what="Bake a cake", area="other"))
    services.agreements.save_draft(v)
    edit_draft(services, version_id, sections={"money": "Our own money words."})

    body = services.agreements.template_body(version_id)
    assert body["sections"]["money"] == "Our own money words."
    assert [r["party"] for r in body["responsibilities"]] == (
        ["partner"] * 3 + ["lead"] * 2 + ["joint"] * 2 + ["host"] * 3 + ["joint"]
    )
    assert [(s["party"], s["capacity"]) for s in body["signatories"]] == [
        ("lead", "party"),
        ("partner", "party"),
        ("host", "host_approver"),
    ]

    key = services.templates.save_template(" Our needlework ", " Mine ", body)
    assert key.startswith(USER_PREFIX)
    info = services.templates.get(key)
    assert (info.name, info.description, info.builtin) == ("Our needlework", "Mine", False)
    assert info.body == body

    # Used for a different collaboration of the same shape, with other organisations.
    lead = add_partner(services, "Koestler Arts", contacts=[])
    partner = add_partner(services, "Clean Break", contacts=[])
    host = add_partner(services, "HMP Eastwood Park", kind="prison", contacts=[])
    collaboration = add_collaboration(
        services, "Drama", [(host, "host"), (partner, "partner"), (lead, "lead")]
    )
    new_id = services.agreements.create_agreement(collaboration, key)
    new = services.agreements.get_version(new_id)
    owners = {lead: "lead", partner: "partner", host: "host", None: "joint"}
    assert [owners[r.organisation_id] for r in new.responsibilities] == [
        r["party"] for r in body["responsibilities"]
    ]
    # The template names parts; the new draft names the organisations playing them.
    named = {
        "{{lead}}": "Koestler Arts",
        "{{partner}}": "Clean Break",
        "{{host}}": "HMP Eastwood Park",
    }
    expected = [r["what"] for r in body["responsibilities"]]
    for token, name in named.items():
        expected = [what.replace(token, name) for what in expected]
    assert [r.what for r in new.responsibilities] == expected
    renamed = {}
    for key, text in (v.sections | {"money": "Our own money words."}).items():
        for old, name in ((LEYHILL, "HMP Eastwood Park"), (FCW, "Koestler Arts"),
                          (RECOOP, "Clean Break")):  # fmt: skip
            text = text.replace(old, name)
        renamed[key] = text
    # The purpose section also quotes each collaboration's own purpose and meeting times.
    assert {k: t for k, t in new.sections.items() if k != "purpose"} == {
        k: t for k, t in renamed.items() if k != "purpose"
    }
    assert [(s.organisation_id, s.capacity) for s in new.signatories] == [
        (lead, "party"),
        (partner, "party"),
        (host, "host_approver"),
    ]
    assert new.title == body["title"]
    assert services.agreements.list_versions(collaboration)[0].number == 1


def test_duplicate_template_name_is_rejected(services):
    _, version_id = reference_agreement(services)
    body = services.agreements.template_body(version_id)
    services.templates.save_template("Our needlework", "", body)
    for name in ("Our needlework", "OUR NEEDLEWORK ", services.templates.get(TEMPLATE).name):
        with pytest.raises(ValidationError) as caught:
            services.templates.save_template(name, "", body)
        assert set(caught.value.errors) == {"name"}
    with pytest.raises(ValidationError):
        services.templates.save_template("  ", "", body)
    assert len([t for t in services.templates.list_templates() if not t.builtin]) == 1


def test_delete_user_template_but_not_builtin(services):
    _, version_id = reference_agreement(services)
    key = services.templates.save_template(
        "Mine", "", services.agreements.template_body(version_id)
    )
    services.templates.delete_template(key)
    with pytest.raises(NotFound):
        services.templates.get(key)
    with pytest.raises(ValidationError):
        services.templates.delete_template(TEMPLATE)
