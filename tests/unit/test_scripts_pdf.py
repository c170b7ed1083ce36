"""Issue 11, "Names in any script": Arabic and Hebrew shaped and in display order, with a
text layer that reads in order; Chinese and emoji not empty boxes; Welsh and Polish as
always; in attendance sheets and agreements, with the fonts the app ships. And the sheet's
facilitators line wraps instead of being cut."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.pdf.attendance_sheet import build_attendance_sheets
from tests.unit.pdf_samples import reference_document
from tests.unit.test_attendance_sheet_pdf import sheet

ARABIC = "محمد عبد الله"
HEBREW = "דוד כהן"
CHINESE = "王小明"
NAMES = [ARABIC, HEBREW, CHINESE, "Siân Llŷr", "Łucja Wiśniewska", "Ali 😀 Khan"]


def font_names(data: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(data))
    found = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            found.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return found


def poppler_text(data: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    # Poppler marks a right-to-left line with embedding characters; the words are what count.
    return out.stdout.decode("utf-8").replace("\u202b", "").replace("\u202c", "")


def test_fonts_the_app_ships_cover_every_name():
    assert [ch for name in NAMES for ch in scripts.unprintable(name)] == []
    for file_name in ("NotoSansArabic-Regular.ttf", "NotoSansHebrew-Regular.ttf",
                      "DroidSansFallbackFull.ttf", "LICENSE-Noto.txt",
                      "LICENSE-DroidSansFallback.txt"):  # fmt: skip
        assert (fonts.fonts_dir() / file_name).is_file()


def test_right_to_left_words_are_put_in_display_order():
    # Each word keeps its reading order (the shaper lays it out right to left); the words
    # of a right-to-left name go right to left, so the first name is at the right.
    assert scripts.visual(ARABIC) == "الله عبد محمد"
    assert scripts.visual(f"Name: {HEBREW}") == "Name: כהן דוד"
    assert scripts.visual("Siân Llŷr") == "Siân Llŷr"


def test_a_character_no_font_has_is_named_not_a_box():
    odd = "\U0001fae0"  # "melting face", newer than any shipped font
    assert scripts.unprintable(f"Ann {odd}") == [odd]
    assert scripts.runs(f"Ann {odd}")[-1][0].endswith("Ann [melting face]")


def test_attendance_sheet_prints_names_in_any_script(tmp_path):
    data = build_attendance_sheets([sheet(NAMES)])
    used = font_names(data)
    for family in ("NotoSansArabic", "NotoSansHebrew", "DroidSansFallback", "DejaVuSans"):
        assert any(name.startswith(family) for name in used), (family, used)
    text = poppler_text(data, tmp_path)
    for name in NAMES:
        assert name in text


def test_agreement_prints_names_in_any_script():
    doc = reference_document()
    parties = [dataclasses.replace(doc.parties[0], name=f"{ARABIC} Trust"), *doc.parties[1:]]
    signers = [dataclasses.replace(s, name=n) for s, n in zip(doc.signatories, NAMES, strict=False)]
    data = build_agreement_pdf(dataclasses.replace(doc, parties=parties, signatories=signers))
    used = font_names(data)
    assert {
        "NotoSansArabic",
        "NotoSansArabic-Bold",
        "NotoSansHebrew-Bold",
        "DroidSansFallback",
    } & used
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert "Trust" in text


def test_seven_facilitators_wrap_instead_of_being_cut(tmp_path):
    seven = ["Margaret Ellis", "Amir Khan", "Gwenllian ap Rhys", "Dafydd Llywelyn",
             "Siân Prichard", "Bartholomew Featherstonehaugh", "Łucja Wiśniewska"]  # fmt: skip
    data = build_attendance_sheets([sheet(["Peter Stone"], facilitators=seven)])
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    flat = " ".join(text.split())
    for name in seven:
        assert name in flat
    assert "…" not in flat
