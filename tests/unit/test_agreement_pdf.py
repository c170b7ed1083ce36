"""The agreement PDF, read back with pypdf as a person would read the printed copy."""

from __future__ import annotations

import dataclasses
import io
import os
import re
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from collab_desktop.pdf import fonts
from collab_desktop.pdf.agreement_pdf import (
    build_agreement_pdf,
    long_date,
    write_agreement_pdf,
)
from collab_desktop.pdf.document import AgreementDocument, SectionText, SignatoryLine
from tests.unit.pdf_samples import (
    PARTIES,
    RESPONSIBILITIES,
    SIGNATORIES,
    VOID_REASON,
    many_responsibilities,
    reference_document,
)


def _pages(source: bytes | Path) -> list[str]:
    """Text of each page with runs of whitespace collapsed, so text wrapped inside a table
    cell still reads as one phrase."""
    data = source.read_bytes() if isinstance(source, Path) else source
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def _text(source: bytes | Path) -> str:
    return " ".join(_pages(source))


def _font_names(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    return {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }


@pytest.fixture(scope="module")
def draft_pages(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    path = tmp_path_factory.mktemp("pdf") / "agreement.pdf"
    write_agreement_pdf(reference_document("draft"), path)
    return _pages(path)


def test_reference_draft_holds_the_whole_agreement(draft_pages: list[str]) -> None:
    text = " ".join(draft_pages)
    assert len(draft_pages) >= 1
    for party in PARTIES:
        assert party.name in text
    for line in RESPONSIBILITIES:
        assert line.what in text
    for signatory in SIGNATORIES:
        assert signatory.name in text
    assert "Version 2" in text
    assert "7F3A-91C2-0B4E" in text
    assert "Every three months" in text
    assert "1 July 2026" in text
    # The collaboration's dates, not the agreement's (its Term says when it starts).
    assert "Collaboration: 1 April 2026 to 31 March 2027" in text
    assert "From 1 April" not in text


def test_every_page_is_numbered_and_identified(draft_pages: list[str]) -> None:
    total = len(draft_pages)
    for number, page in enumerate(draft_pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "Version 2 — Draft — Fingerprint 7F3A-91C2-0B4E" in page
        assert "Needlework group at HMP Leyhill" in page
        assert "DRAFT" in page


def test_responsibilities_are_grouped_by_party_with_joint_last(draft_pages: list[str]) -> None:
    text = " ".join(draft_pages)
    groups = [
        "Fine Cell Work — Lead partner",
        "Margaret Ellis (Fine Cell Work)",  # a named contact follows their organisation
        "RECOOP — Partner",
        "HMP Leyhill — Host",
        "Joint — shared by the parties",
    ]
    positions = [text.index(group) for group in groups]
    assert positions == sorted(positions)
    # Each duty is listed under its own party.
    assert text.index("Receive the needlework kits") > text.index("RECOOP — Partner")
    assert text.index("Review progress together") > text.index("Joint — shared by the parties")


def test_sections_print_in_order_and_empty_ones_are_skipped(draft_pages: list[str]) -> None:
    text = " ".join(draft_pages)
    titles = ["Purpose", "Joint oversight and review", "Money", "Disputes", "Changes and ending"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "attendance and numbers on the waiting list" in text
    assert not re.search(r"\bTerm\b", text)
    # "&" and "<" typed by the user print as themselves.
    assert "Fine Cell Work & RECOOP run" in text
    assert "costs < £100" in text


def test_unsigned_signatories_get_a_place_to_sign(draft_pages: list[str]) -> None:
    text = " ".join(draft_pages)
    # Issue 11: as a person would write it, not "Host's approver".
    assert "Approved for HMP Leyhill by" in text
    assert "Host's approver" not in text
    assert text.count("Signature") >= len(SIGNATORIES)
    assert "Date:" in text
    assert "Signed on" not in text


def test_awaiting_signatures_is_still_marked_draft() -> None:
    pages = _pages(build_agreement_pdf(reference_document("awaiting_signatures")))
    assert all("DRAFT" in page for page in pages)
    assert "Awaiting signatures" in pages[0]


def test_signed_off_copy_has_no_draft_mark_and_shows_signatures() -> None:
    doc = reference_document("signed_off", printed_on=date(2026, 3, 14))
    pages = _pages(build_agreement_pdf(doc))
    text = " ".join(pages)
    assert "DRAFT" not in text
    assert "VOID" not in text
    assert "Signed off" in text
    assert "Signed on 12 March 2026 (Wet ink on the printed copy), recorded by Tom Rhys" in text
    assert "Signed on 10 March 2026" in text
    for page in pages:
        assert "Printed on 14 March 2026" in page


def test_void_copy_is_marked_void_with_its_reason_on_page_one() -> None:
    pages = _pages(build_agreement_pdf(reference_document("void")))
    assert all("VOID" in page for page in pages)
    assert VOID_REASON in pages[0]
    assert "DRAFT" not in " ".join(pages)


def test_superseded_copy_says_so_on_every_page_without_a_watermark() -> None:
    pages = _pages(build_agreement_pdf(reference_document("superseded")))
    assert all("SUPERSEDED" in page for page in pages)
    text = " ".join(pages)
    assert "DRAFT" not in text
    assert "VOID" not in text


def test_optional_signatory_is_labelled() -> None:
    witness = SignatoryLine(
        name="Rhian Morgan",
        role="Chaplain",
        organisation="HMP Leyhill",
        capacity="Witness",
        required=False,
    )
    doc = reference_document(signatories=[*reference_document().signatories, witness])
    text = _text(build_agreement_pdf(doc))
    assert "Witnessed by (optional)" in text
    assert "Rhian Morgan" in text


def test_welsh_letters_survive_and_the_font_is_embedded() -> None:
    welsh = "Cymorth ŵyr ŷd"
    doc = reference_document(
        parties=[dataclasses.replace(PARTIES[0], name=welsh), *PARTIES[1:]],
        sections=[SectionText(title="Pwrpas", body=f"{welsh}: Ŵ Ŷ â ê î ô û")],
    )
    data = build_agreement_pdf(doc)
    text = _text(data)
    assert welsh in text
    assert "Ŵ Ŷ â ê î ô û" in text
    names = _font_names(data)
    assert any(name.endswith("+DejaVuSans") for name in names)
    # The built-in fonts would print ŵ and ŷ as black squares.
    assert not any("Helvetica" in name or "Times" in name for name in names)


def test_long_document_spans_pages_each_numbered() -> None:
    lines = many_responsibilities(100)
    data = build_agreement_pdf(reference_document(responsibilities=lines))
    pages = _pages(data)
    total = len(pages)
    assert total >= 4
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page
    text = " ".join(pages)
    for i in (1, 50, 100):
        assert f"Duty number {i}:" in text
    # Column heads repeat on continuation pages, so every page of the table can be read alone.
    table_pages = [page for page in pages if "Duty number" in page]
    assert len(table_pages) >= 3
    assert all("How often" in page for page in table_pages)


def test_missing_or_empty_parts_print_a_note_not_an_error() -> None:
    doc = AgreementDocument(
        title="Joint agreement",
        collaboration="New collaboration",
        version=1,
        status="draft",
        status_label="Draft",
        fingerprint="0000-0000-0000",
        parties=[],
        responsibilities=[],
        sections=[],
        signatories=[],
    )
    text = _text(build_agreement_pdf(doc))
    assert "No parties have been recorded yet." in text
    assert "No responsibilities have been assigned yet." in text
    assert "No signatories have been named yet." in text
    assert "Page 1 of 1" in text


def test_the_file_says_when_it_was_made_and_what_it_is() -> None:
    # Real dates in the document properties (a fixed 2000 date looked wrong to users).
    reader = PdfReader(io.BytesIO(build_agreement_pdf(reference_document("signed_off"))))
    assert reader.metadata.creation_date.year == date.today().year
    assert reader.metadata.title


def test_an_empty_since_column_is_left_out() -> None:
    doc = reference_document("draft")
    undated = dataclasses.replace(
        doc, responsibilities=[dataclasses.replace(r, since=None) for r in doc.responsibilities]
    )
    assert "Since" in "".join(_pages(build_agreement_pdf(doc)))
    assert "Since" not in "".join(_pages(build_agreement_pdf(undated)))


def test_write_replaces_an_existing_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "agreement.pdf"
    target.write_bytes(b"an older copy")
    write_agreement_pdf(reference_document("signed_off"), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["agreement.pdf"]
    assert "Signed off" in _text(target)


def test_failed_write_keeps_the_old_file_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "agreement.pdf"
    target.write_bytes(b"an older copy")

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_agreement_pdf(reference_document(), target)
    assert target.read_bytes() == b"an older copy"
    assert [p.name for p in tmp_path.iterdir()] == ["agreement.pdf"]


def test_write_to_a_missing_folder_raises_oserror(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_agreement_pdf(reference_document(), tmp_path / "no such folder" / "a.pdf")
    assert list(tmp_path.iterdir()) == []


def test_write_where_the_folder_is_a_file_raises_oserror(tmp_path: Path) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_text("x")
    with pytest.raises(OSError):
        write_agreement_pdf(reference_document(), blocker / "a.pdf")
    assert [p.name for p in tmp_path.iterdir()] == ["not a folder"]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="needs POSIX permissions that apply to the current user (root ignores them)",
)
def test_write_to_a_read_only_folder_raises_oserror(tmp_path: Path) -> None:
    folder = tmp_path / "read only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OSError):
            write_agreement_pdf(reference_document(), folder / "a.pdf")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_long_date_has_no_leading_zero() -> None:
    assert long_date(date(2026, 3, 12)) == "12 March 2026"
    assert long_date(date(2026, 4, 1)) == "1 April 2026"
    assert long_date(None) == ""


def test_font_registration_is_idempotent() -> None:
    # Speed is the benchmark's business (benchmarks/), not a timed assertion here.
    from reportlab.pdfbase import pdfmetrics

    assert fonts.register_fonts() == fonts.FAMILY
    first = pdfmetrics.getFont(fonts.REGULAR)
    assert fonts.register_fonts() == fonts.FAMILY
    assert pdfmetrics.getFont(fonts.REGULAR) is first
