"""Issue 11, "Signatures": a witness who signs after the last party, two host prisons, the
host's block as a person would write it, and eighteen blocks that no longer leave most of a
page empty."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.pdf.document import SectionText, SignatoryLine
from collab_desktop.services.agreements.version_data import SignatoryData
from collab_desktop.services.errors import ValidationError
from tests.builders import (
    SIGNED_ON,
    add_collaboration,
    add_partner,
    contact,
    reference_agreement,
    reference_partners,
    send_and_sign_all,
)
from tests.unit.pdf_samples import reference_document


def pages(data: bytes) -> list[str]:
    return [re.sub(r"\s+", " ", p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def test_a_witness_can_sign_after_the_last_party_and_the_pdf_shows_it(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories.append(
        SignatoryData(name="Rhian Morgan", role="Chaplain", organisation_id=case.leyhill,
                      capacity="witness", required=False)
    )  # fmt: skip
    services.agreements.save_draft(v)
    assert send_and_sign_all(services, version_id) == "signed_off"
    witness = services.agreements.get_version(version_id).signatories[-1]
    later = SIGNED_ON.replace(day=SIGNED_ON.day + 2)
    status = services.agreements.record_signature(witness.id, later, "wet_ink", "Tom Rhys")
    v = services.agreements.get_version(version_id)
    # Still signed off, on the day the last party signed; the witness is on record.
    assert (status, v.status, v.signed_off_on) == ("signed_off", "signed_off", SIGNED_ON)
    assert v.signatories[-1].signed_on == later
    text = " ".join(pages(build_agreement_pdf(services.agreements.document(version_id))))
    assert "Witnessed by (optional)" in text
    assert "Rhian Morgan" in text
    assert f"Signed on {later.day} March 2025" in text
    assert v.warnings == []


def test_each_of_two_host_prisons_must_approve(services):
    fcw, recoop, leyhill = reference_partners(services)
    eastwood = add_partner(
        services, "HMP Eastwood Park", kind="prison",
        contacts=[contact("Ann Cole", "strategic", job_title="Governor")],
    )  # fmt: skip
    collaboration = add_collaboration(
        services, "Two prisons",
        [(fcw, "lead"), (recoop, "partner"), (leyhill, "host"), (eastwood, "host")],
    )  # fmt: skip
    version_id = services.agreements.create_agreement(collaboration, "two_charity_prison")
    v = services.agreements.get_version(version_id)
    approvers = [
        (s.name, s.organisation_id) for s in v.signatories if s.capacity == "host_approver"
    ]
    assert approvers == [("Helen Price", leyhill), ("Ann Cole", eastwood)]
    # Take Eastwood Park's approver out: one governor's approval is not enough.
    v.signatories = [s for s in v.signatories if s.organisation_id != eastwood]
    services.agreements.save_draft(v)
    with pytest.raises(ValidationError) as raised:
        services.agreements.send_for_signatures(version_id)
    assert "HMP Eastwood Park hosts this collaboration" in raised.value.errors["signatories"]


def test_eighteen_signature_blocks_start_on_the_page_they_follow():
    signers = [
        SignatoryLine(name=f"Signer {i}", role="Chief Executive", organisation=f"Charity {i}",
                      capacity="Party")
        for i in range(1, 19)
    ]  # fmt: skip
    doc = reference_document(
        sections=[SectionText("Purpose", "A short purpose.")], signatories=signers
    )
    text = pages(build_agreement_pdf(doc))
    first = next(i for i, page in enumerate(text) if "Signer 1 " in page or "Signer 1C" in page)
    purpose = next(i for i, page in enumerate(text) if "A short purpose." in page)
    assert first == purpose, "the signatures were pushed to a new page"
    assert "Signer 18" in text[-1]
