"""Both PDF builders lay out for A4 (the default) or US Letter, as the preferences choose:
read back with pypdf, every page has the paper's size and keeps what it must carry."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf, write_agreement_pdf
from collab_desktop.pdf.attendance_sheet import (
    ROWS_PER_PAGE,
    build_attendance_sheets,
    rows_per_page,
)
from collab_desktop.pdf.paper import PAPER_SIZES, page_size
from tests.unit.pdf_samples import reference_document
from tests.unit.test_attendance_sheet_pdf import sheet


def read(data: bytes) -> tuple[list[tuple[float, float]], list[str]]:
    reader = PdfReader(io.BytesIO(data))
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    texts = [re.sub(r"\s+", " ", p.extract_text() or "") for p in reader.pages]
    return sizes, texts


def test_the_preference_names_map_to_paper_sizes():
    assert PAPER_SIZES == {"A4": A4, "Letter": LETTER}
    assert page_size("Letter") == LETTER
    assert page_size("anything else") == A4


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["A4", "Letter"])
def test_agreement_pages_have_the_paper_size_and_keep_their_marks(paper):
    doc = reference_document("awaiting_signatures")
    sizes, texts = read(build_agreement_pdf(doc, paper))
    assert all(size == pytest.approx(paper, abs=0.1) for size in sizes)
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
        assert doc.fingerprint in text
        assert "DRAFT" in text
    assert "Signatures" in "".join(texts)


def test_agreement_defaults_to_a4_and_writes_letter_on_request(tmp_path):
    doc = reference_document("signed_off")
    assert read(build_agreement_pdf(doc))[0][0] == pytest.approx(A4, abs=0.1)
    write_agreement_pdf(doc, tmp_path / "a.pdf", LETTER)
    sizes, _ = read((tmp_path / "a.pdf").read_bytes())
    assert sizes[0] == pytest.approx(LETTER, abs=0.1)


def test_letter_is_shorter_so_a_sheet_holds_fewer_rows():
    assert rows_per_page(A4) == ROWS_PER_PAGE
    assert rows_per_page(LETTER) < ROWS_PER_PAGE


def test_attendance_sheets_on_letter_paper_keep_every_name_and_number_their_pages():
    names = [f"Person {i:02d}" for i in range(1, rows_per_page(LETTER) + 2)]
    sizes, texts = read(build_attendance_sheets([sheet(names, spare_rows=0)], LETTER))
    assert len(texts) == 2
    assert all(size == pytest.approx(LETTER, abs=0.1) for size in sizes)
    joined = " ".join(texts)
    assert all(name in joined for name in names)
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1]
    assert "Facilitator's signature" in texts[1]
    # The same names fit one A4 page.
    assert len(read(build_attendance_sheets([sheet(names, spare_rows=0)]))[1]) == 1
