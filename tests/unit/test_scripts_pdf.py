"""Issue 11, "Names in any script": Arabic and Hebrew shaped and in display order, Bengali
conjuncts built, with a text layer that reads in order; Chinese and emoji not empty boxes;
Welsh and Polish as always; in attendance sheets and agreements, with the fonts the app
ships. And the sheet's facilitators line wraps instead of being cut."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.pdf.attendance_sheet import build_attendance_sheets
from tests.unit.pdf_samples import reference_document
from tests.unit.test_attendance_sheet_pdf import sheet

ARABIC = "محمد عبد الله"
HEBREW = "דוד כהן"
CHINESE = "王小明"
BENGALI = ["রবীন্দ্রনাথ ঠাকুর", "সুস্মিতা"]
URDU = "عمران خان"
NAMES = [ARABIC, HEBREW, CHINESE, "Siân Llŷr", "Łucja Wiśniewska", "Ali 😀 Khan", *BENGALI, URDU]
# Arabic letters in their joined forms (initial, medial, final), as a shaped word's glyphs
# read back; letters printed one by one read back as the plain letters.
JOINED_FORMS = re.compile(r"[\ufe70-\ufeff]")


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
    odd = "\U00013000"  # an Egyptian hieroglyph: no shipped font has it
    assert scripts.unprintable(f"Ann {odd}") == [odd]
    assert scripts.runs(f"Ann {odd}")[-1][0].endswith("Ann [egyptian hieroglyph a001]")


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


def test_bengali_conjuncts_and_vowel_signs_are_shaped():
    # ন্দ্র is one conjunct glyph, and ি is drawn before the consonant it follows: shaped, the
    # name is narrower than its letters side by side, and no virama (্) is left to see.
    for name in BENGALI:
        loose = sum(pdfmetrics.stringWidth(ch, "NotoSansBengali", 12) for ch in name)
        assert scripts.width(name, fonts.REGULAR, 12) < 0.95 * loose, name


def test_arabic_is_joined_without_the_honorific_ligature(tmp_path):
    data = build_attendance_sheets([sheet([ARABIC, URDU])])
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert JOINED_FORMS.search(text), text
    # ReportLab's default features print محمد as the sign ﷴ ("Muhammad, peace be upon him").
    assert "\ufdf4" not in text
    # pypdf reads each word's glyphs (its joined forms) as a line of its own.
    flat = unicodedata.normalize("NFKC", text).split()
    assert all(word in flat for word in f"{ARABIC} {URDU}".split())


def test_emoji_print_from_the_shipped_monochrome_font():
    assert scripts.unprintable("Ali 😀 Khan ❤ 👍 🫠") == []
    data = build_attendance_sheets([sheet(["Ali 😀 Khan"])])
    assert any(name.startswith("NotoEmoji") for name in font_names(data))
    assert (fonts.fonts_dir() / "NotoEmoji-Regular.ttf").is_file()
    assert "Noto Emoji" in (fonts.fonts_dir() / "LICENSE-Noto.txt").read_text()


def agreement_with(names: list[str], what: str = ""):
    doc = reference_document()
    parties = [dataclasses.replace(doc.parties[0], name=f"{ARABIC} Trust"), *doc.parties[1:]]
    signers = [
        dataclasses.replace(doc.signatories[i % len(doc.signatories)], name=n)
        for i, n in enumerate(names)
    ]
    duties = doc.responsibilities
    if what:
        duties = [dataclasses.replace(duties[0], what=what), *duties[1:]]
    return dataclasses.replace(doc, parties=parties, signatories=signers, responsibilities=duties)


def test_agreement_text_layer_reads_in_logical_order(tmp_path):
    # Each shaped word carries its text (ActualText): poppler, as most viewers on Linux,
    # reads names back as typed, right-to-left ones and Bengali ones too.
    what = f"Meet {BENGALI[1]} and {HEBREW} ({ARABIC}) weekly"
    data = build_agreement_pdf(agreement_with(NAMES, what))
    text = " ".join(poppler_text(data, tmp_path).split())
    for name in [*NAMES, BENGALI[1]]:
        assert name in text, name
    # pypdf does without ActualText and reads the glyphs: the words still come in reading
    # order, joined (their letters' presentation forms).
    read = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert JOINED_FORMS.search(read)
    flat = unicodedata.normalize("NFKC", read)
    assert ARABIC in flat and HEBREW in flat and URDU in flat


def test_sheet_text_layer_reads_bengali_as_typed(tmp_path):
    text = poppler_text(build_attendance_sheets([sheet(BENGALI)]), tmp_path)
    for name in BENGALI:
        assert name in text


def test_a_party_heading_never_continues_over_an_empty_row():
    # Seen as a picture: this agreement's last party table split a row that fitted, leaving
    # "Margaret Ellis (Fine Cell Work)" and the column heads over an empty row on page 2.
    what = f"Meet {BENGALI[1]} and {HEBREW} weekly \N{GRINNING FACE}"
    data = build_agreement_pdf(agreement_with(NAMES, what))
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        lines = "|".join(line.strip() for line in page.extract_text().splitlines() if line.strip())
        empty = re.search(r"How often(\|Since)?\|(Joint|Review arrangements)", lines)
        assert empty is None, (number, empty)
