"""Issue 11, "Done when": the Golden Key board (seventeen parties, sixty-four duties, some
500 characters long) prints: every duty and every signature block, no block split across two
pages, no page but the last left mostly empty."""

from __future__ import annotations

import io

from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from tests.unit.golden_key_sample import ORGANISATIONS, golden_key_document


def test_golden_key_board_prints_whole():
    doc = golden_key_document()
    reader = PdfReader(io.BytesIO(build_agreement_pdf(doc)))
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    flat = " ".join(" ".join(pages).split())
    assert flat.count("Keep a named coordinator") == sum(
        r.what.startswith("Keep a named") for r in doc.responsibilities
    )
    for i, name in enumerate(ORGANISATIONS, start=1):
        # A block's heading and its signatory on the same page: never split.
        page = next(p for p in pages if f"Signed for {name} by" in p)
        assert f"Signatory {i} Llywelyn" in page, name
    for text in pages[:-1]:
        assert len(text) > 600  # no page is left mostly empty
