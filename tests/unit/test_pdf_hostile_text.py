"""User text reaches the PDFs as text, never as ReportLab markup (issue 9's mutation check:
removing the escaping failed no test). Text that looks like markup, and a bare ampersand, must
come back from the PDF exactly as typed, wherever a person can type it."""

from __future__ import annotations

import dataclasses
import io
import re

from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.pdf.attendance_sheet import build_attendance_sheets
from collab_desktop.pdf.document import SectionText
from tests.unit.pdf_samples import reference_document
from tests.unit.test_attendance_sheet_pdf import sheet

TEA = "Tea & <b>cake"
ONLY = "Use <i>only</i>"


def _text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in pages))


def test_agreement_text_that_looks_like_markup_prints_as_typed():
    doc = reference_document("void", void_reason=f"{TEA} ({ONLY})")
    doc = dataclasses.replace(
        doc,
        title=f"Agreement: {TEA}",
        parties=[dataclasses.replace(doc.parties[0], name=f"{ONLY} Trust", details=TEA),
                 *doc.parties[1:]],
        responsibilities=[
            dataclasses.replace(doc.responsibilities[0], what=TEA, how_often=ONLY),
            *doc.responsibilities[1:],
        ],
        sections=[SectionText("Purpose", f"{TEA}\n\n- {ONLY}"), *doc.sections[1:]],
        signatories=[dataclasses.replace(doc.signatories[0], name=f"Ann {ONLY}", role=TEA),
                     *doc.signatories[1:]],
        reviewers=TEA,
    )  # fmt: skip
    text = _text(build_agreement_pdf(doc))
    for typed in (f"Agreement: {TEA}", f"{ONLY} Trust", TEA, ONLY, f"Ann {ONLY}",
                  f"{TEA} ({ONLY})"):  # fmt: skip
        assert typed in text, typed
    assert "Tea & cake" not in text.replace(TEA, "")


def test_sheet_text_that_looks_like_markup_prints_as_typed():
    data = build_attendance_sheets(
        [sheet([TEA, ONLY], activity=f"Group: {TEA}", venue=ONLY, facilitators=[TEA])]
    )
    text = _text(data)
    for typed in (f"Group: {TEA}", TEA, ONLY):
        assert typed in text, typed
