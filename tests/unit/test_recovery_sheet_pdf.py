"""The Recovery sheet PDF, read back with pypdf: one page, the code whole and readable, and
no secret in the file's properties."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, LETTER

from collab_desktop.pdf.recovery_sheet import (
    RecoverySheet,
    build_recovery_sheet,
    write_recovery_sheet,
)
from collab_desktop.services.recovery_code import format_code, new_secret, parse_code

CODE = "GCSKP-VPYKZ-TCJRE-CDMH3-DSGXF-SG65D-MKDHF-C1Y9N"


def sheet(**changes: object) -> RecoverySheet:
    values: dict[str, object] = {
        "organisation": "Cymdeithas Gwnïo Ŵyr a Ŷd",
        "data_folder": r"C:\Users\coordinator\AppData\Local\Collab Desktop\Collab Desktop",
        "key_id": "K7Q2-M0XN",
        "recovery_code": CODE,
        "made_on": date(2026, 12, 1),
        "made_by": "Siân Llewelyn",
    }
    values.update(changes)
    return RecoverySheet(**values)  # type: ignore[arg-type]


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["A4", "Letter"])
def test_one_page_with_everything_the_safe_needs(paper):
    reader, text = read(build_recovery_sheet(sheet(), paper))
    assert len(reader.pages) == 1
    assert tuple(float(v) for v in reader.pages[0].mediabox[2:]) == pytest.approx(paper)
    for expected in (
        "Recovery sheet",
        "Cymdeithas Gwnïo Ŵyr a Ŷd",  # Welsh letters, not black squares
        "AppData",
        "K7Q2-M0XN",
        "1 December 2026 by Siân Llewelyn",
        "If the passphrase is forgotten",
        "If this sheet is lost",
        "Nobody can open the records",
    ):
        assert expected in text, expected


def test_the_printed_code_reads_back_as_the_same_secret():
    code = format_code(new_secret())
    _, text = read(build_recovery_sheet(sheet(recovery_code=code)))
    groups = code.split("-")
    for group in groups:
        assert group in text
    # In order, so that someone typing the boxes left to right, top to bottom gets the code.
    positions = [text.index(group) for group in groups]
    assert positions == sorted(positions)
    assert parse_code(" ".join(groups)) == parse_code(code)


def test_the_code_is_not_in_the_files_properties():
    reader, _ = read(build_recovery_sheet(sheet()))
    properties = " ".join(str(v) for v in (reader.metadata or {}).values())
    assert "Recovery sheet" in properties
    for group in CODE.split("-"):
        assert group not in properties


def test_long_details_still_fit_one_page():
    long_folder = "/home/" + "very-long-folder-name/" * 12 + "Collab Desktop"
    reader, text = read(
        build_recovery_sheet(
            sheet(
                organisation="The " + "Really Quite Long Name of a Charity " * 4,
                data_folder=long_folder,
                made_by="",
            ),  # fmt: skip
            LETTER,
        )
    )
    assert len(reader.pages) == 1
    assert "Collab Desktop" in text and " by " not in text.split("Made on")[1].split("\n")[0]


def test_a_blank_organisation_says_so():
    _, text = read(build_recovery_sheet(sheet(organisation="  ")))
    assert "(not given)" in text


def test_written_whole_to_the_chosen_file(tmp_path):
    target = tmp_path / "Recovery sheet.pdf"
    write_recovery_sheet(sheet(), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left


@pytest.mark.parametrize("paper", [A4, LETTER], ids=["A4", "Letter"])
def test_the_widest_groups_stay_on_one_line_in_their_boxes(paper):
    # At 25 points a group of wide letters broke over two lines in its box ("WDNA" above
    # "W"): one in 40 random codes, and a misreading waiting to happen.
    code = "WWWWW-MMMMM-WMWMW-00000-WWWWW-MMMMM-WMWMW-88888"
    _, text = read(build_recovery_sheet(sheet(recovery_code=code), paper))
    lines = [line.strip() for line in text.splitlines()]
    for group in code.split("-"):
        assert group in lines, (group, lines)
