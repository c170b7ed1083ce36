"""What was signed keeps printing as it was signed, whatever happens to the live records."""

from dataclasses import replace
from datetime import date

from tests.builders import FCW, reference_agreement, signed_off_agreement


def test_signed_version_prints_the_names_it_was_signed_with(services):
    case, version_id = signed_off_agreement(services)
    before = services.agreements.document(version_id)

    partner = services.partners.get_partner(case.fine_cell_work)
    services.partners.save_partner(replace(partner, name="Fine Cell Work Foundation"))
    collaboration = services.collaborations.get_collaboration(case.collaboration)
    services.collaborations.save_collaboration(
        replace(collaboration, name="Renamed group", site="Elsewhere")
    )

    after = services.agreements.document(version_id)
    assert [p.name for p in after.parties] == [p.name for p in before.parties]
    assert FCW in [p.name for p in after.parties]
    assert after.collaboration == before.collaboration
    assert after.site == before.site
    assert after.fingerprint == before.fingerprint
    # The record of signing is still laid over the frozen text.
    assert all(s.signed_on for s in after.signatories if s.required)
    assert after.status == "signed_off"


def test_draft_prints_live_records_and_a_fingerprint(services):
    case, version_id = reference_agreement(services)
    doc = services.agreements.document(version_id, printed_on=date(2026, 1, 2))
    assert (
        doc.fingerprint
        and doc.fingerprint == services.agreements.get_version(version_id).fingerprint
    )
    assert doc.printed_on == date(2026, 1, 2)

    partner = services.partners.get_partner(case.recoop)
    services.partners.save_partner(replace(partner, name="RECOOP Charity"))
    assert "RECOOP Charity" in [p.name for p in services.agreements.document(version_id).parties]


def test_back_to_draft_unfreezes(services):
    case, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    services.agreements.return_to_draft(version_id)
    partner = services.partners.get_partner(case.recoop)
    services.partners.save_partner(replace(partner, name="RECOOP Charity"))
    assert "RECOOP Charity" in [p.name for p in services.agreements.document(version_id).parties]


def test_signed_off_date_ignores_a_later_witness(services):
    case, version_id = reference_agreement(services)
    data = services.agreements.get_version(version_id)
    witness = replace(data.signatories[0], id=None, name="Ann Witness", capacity="witness")
    data.signatories.append(witness)
    services.agreements.save_draft(data)
    services.agreements.send_for_signatures(version_id)
    signatories = services.agreements.get_version(version_id).signatories
    witness_row = next(s for s in signatories if s.capacity == "witness")
    services.agreements.record_signature(witness_row.id, date(2025, 4, 1), "wet_ink", "Me")
    for s in signatories:
        if s.required:
            services.agreements.record_signature(s.id, date(2025, 3, 10), "wet_ink", "Me")
    assert services.agreements.get_version(version_id).signed_off_on == date(2025, 3, 10)
