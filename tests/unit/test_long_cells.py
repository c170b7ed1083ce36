"""Issue 11, "A long cell breaks the PDF": whatever the services accept prints, rows split
across pages; what they do not accept is refused beside the field, with the limit."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.services.errors import ValidationError
from tests.builders import edit_draft, reference_agreement, send_and_sign_all
from tests.unit.pdf_samples import reference_document

WORDS = "accommodation resettlement safeguarding volunteers needlework "


def long_text(n: int, end: str) -> str:
    return (WORDS * (n // len(WORDS) + 1))[: n - len(end)] + end


def text_of(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in pages))


def test_long_responsibility_reviewers_and_address_print_signed_off(services):
    case, version_id = reference_agreement(services)
    partner = services.partners.get_partner(case.leyhill)
    partner.address = long_text(2000, "END-OF-ADDRESS")
    services.partners.save_partner(partner, confirmed=True)
    v = services.agreements.get_version(version_id)
    v.responsibilities[0].what = long_text(5000, "END-OF-DUTY")
    edit_draft(
        services, version_id, reviewers=long_text(3500, "END-OF-REVIEWERS"),
        responsibilities=v.responsibilities,
    )  # fmt: skip
    assert send_and_sign_all(services, version_id) == "signed_off"
    printed = text_of(build_agreement_pdf(services.agreements.document(version_id)))
    for end in ("END-OF-ADDRESS", "END-OF-DUTY", "END-OF-REVIEWERS"):
        assert end in printed


@pytest.mark.parametrize(
    "field",
    [
        dict(name=long_text(2000, "END-OF-NAME")),
        dict(role=long_text(2000, "END-OF-NAME")),
    ],
)
def test_a_signature_block_taller_than_a_page_still_prints(field):
    # Such names are refused now (below), but an agreement signed under an older release
    # may hold one, and it must still print.
    doc = reference_document()
    signers = [dataclasses.replace(doc.signatories[0], **field), *doc.signatories[1:]]
    assert "END-OF-NAME" in text_of(build_agreement_pdf(replace_doc(doc, signers)))


def replace_doc(doc, signatories):
    return dataclasses.replace(doc, signatories=signatories)


def test_very_long_cells_in_any_table_print():
    doc = reference_document()
    one_word = "x" * 5000  # no space to break at
    doc = dataclasses.replace(
        doc,
        responsibilities=[dataclasses.replace(doc.responsibilities[0], what=one_word)],
        status="void",
        void_reason=long_text(20000, "END-OF-REASON"),
    )
    assert "END-OF-REASON" in text_of(build_agreement_pdf(doc))


def test_signatory_name_and_role_over_the_limit_are_refused_with_the_limit(services):
    _, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories[0].name = "N" * 2000
    v.signatories[1].role = "R" * 2000
    with pytest.raises(ValidationError) as raised:
        services.agreements.save_draft(v)
    assert raised.value.errors["signatories.1"] == (
        "Signatory 1's name: too long, 2,000 characters (at most 200)."
    )
    assert "at most 200" in raised.value.errors["signatories.2"]


def test_long_words_in_narrow_columns_break_with_a_hyphen():
    doc = reference_document()
    often = "Interdisciplinary accommodation reviews"
    doc = dataclasses.replace(
        doc, responsibilities=[dataclasses.replace(doc.responsibilities[0], how_often=often)]
    )
    page = PdfReader(io.BytesIO(build_agreement_pdf(doc))).pages[0].extract_text()
    cell = page[page.index("Interdisc") :].split("1 May 2014")[0]
    lines = [line.strip() for line in cell.strip().split("\n")]
    assert len(lines) > 1
    # Every line that ends inside a word ends with the hyphen it was broken at.
    joined = "".join(line if line.endswith("-") else line + " " for line in lines)
    assert joined.replace("-", "").split() == often.split()
