"""Attendance sheet PDFs, read back with pypdf: what is on each page, and how much of a name."""

from __future__ import annotations

import io
import re
from datetime import date, time

import pytest
from pypdf import PdfReader

from collab_desktop.pdf.attendance_sheet import (
    ROWS_PER_PAGE,
    build_attendance_sheets,
    write_attendance_sheets,
)
from collab_desktop.pdf.sheet_data import SessionSheet
from tests.delivery_builders import PEOPLE, TODAY, needlework_group


def pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    assert all(p.mediabox.width == pytest.approx(595.28, abs=0.1) for p in reader.pages)
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def sheet(names: list[str], **changes: object) -> SessionSheet:
    fields: dict[str, object] = {
        "activity": "Needlework group",
        "collaboration": "Needlework group at HMP Leyhill",
        "on": date(2026, 3, 3),
        "start_time": time(10),
        "end_time": time(12),
        "venue": "The Lobster Pot",
        "facilitators": ["Margaret Ellis", "Amir Khan"],
        "names": names,
        "spare_rows": 6,
        "site": "HMP Leyhill",
        "printed_on": date(2026, 3, 2),
    }
    fields.update(changes)
    return SessionSheet(**fields)


def test_one_page_holds_everything_a_session_needs():
    [text] = pages(build_attendance_sheets([sheet(["Alan Barker", "Gareth Ŵyn Jones"])]))
    for expected in (
        "Needlework group at HMP Leyhill",
        "ATTENDANCE SHEET",
        "Tuesday 3 March 2026",
        "10:00 to 12:00",
        "The Lobster Pot",
        "Facilitators: Margaret Ellis, Amir Khan",
        "Alan Barker",
        "Gareth Ŵyn Jones",
        "Present",
        "Signature",
        "Facilitator's signature",
        "Page 1 of 1",
        "printed 2 March 2026",
    ):
        assert expected in text, expected
    # The rows are numbered through the blank ones to the foot of the page.
    assert f" {ROWS_PER_PAGE} " in text and f" {ROWS_PER_PAGE + 1} " not in text


def test_a_long_list_runs_over_pages_that_say_which_of_how_many():
    names = [f"Person {i:02d}" for i in range(1, ROWS_PER_PAGE + 4)]
    texts = pages(build_attendance_sheets([sheet(names), sheet(["Alan Barker"])]))
    assert len(texts) == 3
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1] and "Page 1 of 1" in texts[2]
    assert "Needlework group (continued)" in texts[1]
    assert f"Person {ROWS_PER_PAGE + 3:02d}" in texts[1]
    # Only the last page of a session carries the facilitator's signature line.
    assert "Facilitator's signature" not in texts[0]
    assert "Facilitator's signature" in texts[1]


def test_no_sessions_is_an_error_not_an_empty_file():
    with pytest.raises(ValueError, match="no sessions"):
        build_attendance_sheets([])


def test_initials_only_setting_prints_no_full_name(services):
    group = needlework_group(services)  # custody: initials only
    upcoming = services.attendance.upcoming(group.activity, weeks=4, today=TODAY)
    data = build_attendance_sheets(
        services.attendance.sheets([r.id for r in upcoming], printed_on=TODAY)
    )
    texts = pages(data)
    assert len(texts) == 4
    for text in texts:
        assert "A. B." in text and "G. Ŵ. J." in text and "P. S. (2)" in text
        for person in PEOPLE:
            for word in person.split():
                assert word not in text, f"{word} printed on an initials-only sheet"
    assert [t.split("Tuesday ")[1][:12].strip() for t in texts] == [
        "3 March 2026",
        "10 March 202",
        "17 March 202",
        "24 March 202",
    ]

    # First name and initial, once the setting changes.
    activity = services.activities.get_activity(group.activity)
    activity.name_printing = "first_initial"
    services.activities.save_activity(activity, today=TODAY)
    [text] = pages(
        build_attendance_sheets(services.attendance.sheets([upcoming[0].id], printed_on=TODAY))
    )
    assert "Gareth J." in text and "Jones" not in text and "Ŵyn" not in text


def test_write_replaces_the_file_only_when_complete(tmp_path):
    target = tmp_path / "sheets.pdf"
    target.write_bytes(b"old")
    write_attendance_sheets([sheet(["Alan Barker"])], target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["sheets.pdf"]
    with pytest.raises(OSError):
        write_attendance_sheets([sheet([])], tmp_path / "missing" / "x.pdf")
