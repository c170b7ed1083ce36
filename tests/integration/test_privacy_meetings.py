"""Meetings (issue 14) in everything about a person (issue 15): the meetings a contact was
invited to, whom they stood in for, the actions they were given; and anonymising a contact
takes their name off those rows while the rows (and so the counts) stay."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from pypdf import PdfReader

from collab_desktop.services.privacy.erasure import ANONYMISE, ANONYMOUS_CONTACT
from collab_desktop.services.privacy.people import CONTACT, PersonRef
from tests.meeting_builders import CRC, POLICE, golden_key_board, golden_key_year

TODAY = date(2026, 12, 2)


def _sections(services, contact_id):
    report = services.subject_access.gather(PersonRef(CONTACT, contact_id), TODAY)
    return {s.title: s for s in report.sections}, report


def test_a_contacts_meetings_and_actions_are_in_their_export(services, tmp_path):
    board = golden_key_board(services)
    golden_key_year(services, board, TODAY)
    sections, report = _sections(services, board.strategic[POLICE])
    invited = sections["Meetings they were invited to"].rows
    assert [row[3] for row in invited] == ["Attended", "Attended", "Sent apologies",
                                           "Sent apologies"]  # fmt: skip
    assert invited[0][:3] == ["20 Jan 2026", "Partnership board", "Golden Key"]
    (action,) = sections["Actions from meetings given to them"].rows
    assert action[2] == "Share custody release data with the navigators"
    assert action[3:] == ["01 Jun 2026", "not yet"]
    assert [s.title for s in report.sections][-1] == "Entries of the change history naming them"
    # The substitute's rows say whom they stood in for.
    sections, _ = _sections(services, board.operational[CRC])
    assert [row[4] for row in sections["Meetings they were invited to"].rows] == [
        "Rachel Moss", "Rachel Moss"
    ]
    # The export (PDF and JSON) carries them.
    pdf, js = tmp_path / "out.pdf", tmp_path / "out.json"
    services.subject_access.export(PersonRef(CONTACT, board.strategic[POLICE]), pdf, js,
                                   today=TODAY)  # fmt: skip
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf.read_bytes())).pages)
    assert "Meetings they were invited to" in " ".join(text.split())
    assert "Share custody release data" in js.read_text(encoding="utf-8")


def test_anonymising_a_contact_takes_their_name_off_meetings(services):
    board = golden_key_board(services)
    meetings = golden_key_year(services, board, TODAY)
    rachel = board.strategic[CRC]
    services.erasure.carry_out(PersonRef(CONTACT, rachel), ANONYMISE, "the person", TODAY,
                               today=TODAY)  # fmt: skip
    last = services.meetings.get_meeting(meetings[-1])
    assert len(last.attendees) == 17  # the rows stay: the counts are as they were
    crc = [a for a in last.attendees if a.organisation_id == board.organisations[CRC]]
    assert crc[0].substitute_for == ANONYMOUS_CONTACT
    (action,) = [a for a in last.actions if a.organisation_id == board.organisations[CRC]]
    assert action.owner_name == ANONYMOUS_CONTACT
    first = services.meetings.get_meeting(meetings[0])
    assert ANONYMOUS_CONTACT in [a.name for a in first.attendees]
    assert "Rachel Moss" not in [a.name for a in first.attendees]
    assert services.audit.verify() == []
