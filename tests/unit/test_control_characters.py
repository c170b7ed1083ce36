"""Control characters pasted into single-line names (issue 11): a newline, tab, BEL, NUL,
ESC or a right-to-left override stored as typed printed as boxes, broke the sheet's header
and could disguise a file name. The services clean them; multi-line text keeps its lines."""

from __future__ import annotations

import pytest

from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.filenames import safe_filename
from collab_desktop.services.validation import clean, clean_line
from tests.builders import add_partner, contact

HOSTILE = "Siân\tLlŷr\nJones\x07\x00\x1b\u202eX\r\n"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (HOSTILE, "Siân Llŷr JonesX"),
        ("North\u2028South", "North South"),
        ("\u200fדוד כהן", "\u200fדוד כהן"),  # a right-to-left mark is a writer's own choice
    ],
)
def test_single_line_values_lose_control_characters(typed, stored):
    assert clean_line(typed) == stored


def test_multi_line_text_keeps_its_lines_but_loses_the_rest():
    assert clean("First line\r\n\tindented\x07\u202e") == "First line\n\tindented"


def test_partner_contact_and_participant_names_are_stored_clean(services):
    partner_id = add_partner(
        services,
        "Partners\x1b[31m\tNorth",
        address="1 High Street\nTown\x00",
        contacts=[contact("Amir\nKhan\u202e", job_title="Worker\x07")],
    )
    saved = services.partners.get_partner(partner_id)
    assert saved.name == "Partners[31m North"
    assert saved.address == "1 High Street\nTown"
    assert (saved.contacts[0].name, saved.contacts[0].job_title) == ("Amir Khan", "Worker")

    person = services.participants.save_participant(
        ParticipantData(display_name="Ffion\nEvans\x00"), confirmed=True
    )
    assert services.participants.get_participant(person).display_name == "Ffion Evans"


def test_safe_filename_drops_control_and_direction_characters():
    # RLO would show "agreement\u202efdp.exe" as "agreementexe.pdf" in a file manager.
    assert safe_filename("agreement\u202efdp.exe") == "agreementfdp.exe"
    assert safe_filename("Line one\nline\ttwo\x07\x00", ".pdf") == "Line one line two.pdf"
    assert "\x1b" not in safe_filename("esc\x1b[0m")
