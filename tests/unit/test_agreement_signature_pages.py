"""Issue 11, "whatever the app accepts prints": a list of signatures longer than a page that
comes after a short table, with only a few points left on the page, used to fail the build
(ReportLab's LayoutError, "Splitting error"): the list started on that page and its heading
could not be placed there."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from tests.unit.pdf_samples import reference_document


def test_ten_signatures_after_a_short_table_print():
    doc = reference_document()
    duties = [dataclasses.replace(doc.responsibilities[0], what="x"), *doc.responsibilities[1:]]
    signers = [
        dataclasses.replace(doc.signatories[i % len(doc.signatories)], name=f"Signer {i}")
        for i in range(10)
    ]
    data = build_agreement_pdf(
        dataclasses.replace(doc, responsibilities=duties, signatories=signers)
    )
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    for i in range(10):
        assert f"Signer {i}" in text
