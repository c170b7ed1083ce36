"""The minutes PDF of a Golden Key board meeting, read back."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from collab_desktop.pdf.minutes_pdf import build_minutes_pdf
from tests.meeting_builders import CRC, POLICE, golden_key_board, golden_key_year

TODAY = date(2026, 12, 2)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())


def test_minutes_show_attendance_by_organisation_decisions_and_actions(services):
    board = golden_key_board(services)
    meetings = golden_key_year(services, board, TODAY)
    doc = services.meetings.minutes(meetings[-1], printed_on=TODAY)
    assert len(doc.attendance) == 17
    police = next(a for a in doc.attendance if a.organisation == POLICE)
    assert not police.present
    text = _text(build_minutes_pdf(doc))
    assert "Attendance by organisation (16 of 17 present)" in text
    assert "standing in for Rachel Moss" in text
    assert "could not take decisions" in text
    assert "Review the partnership agreement in the new year." in text
    assert "Name a decision-maker for the board" in text
    assert f"Rachel Moss ({CRC})" in " ".join(text.split())
    assert f"Fingerprint {doc.fingerprint}" in text
    assert "DRAFT" in text  # not approved yet


def test_approval_does_not_change_the_fingerprint(services):
    board = golden_key_board(services)
    meeting_id = golden_key_year(services, board, TODAY)[0]
    before = services.meetings.minutes(meeting_id)
    data = services.meetings.get_meeting(meeting_id)
    data.minutes_approved_by = "Miriam Okafor"
    data.minutes_approved_on = date(2026, 4, 21)
    services.meetings.save_meeting(data, today=TODAY)
    after = services.meetings.minutes(meeting_id)
    assert after.fingerprint == before.fingerprint
    text = _text(build_minutes_pdf(after))
    assert "Minutes approved by Miriam Okafor on 21 April 2026." in text
    # A changed decision is another text: another fingerprint.
    data.decisions[0].text = "Something else."
    services.meetings.save_meeting(data, today=TODAY)
    assert services.meetings.minutes(meeting_id).fingerprint != before.fingerprint
