"""Issue 15, "as little as serves on paper": every printed document that carries people's
names says so at the foot of every page. Attendance sheets, agreements and subject access
exports have their own tests; here the minutes and the monitoring returns."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from collab_desktop.pdf.minutes_pdf import build_minutes_pdf
from collab_desktop.pdf.returns_pdf import build_return_pdf
from tests.delivery_builders import needlework_group
from tests.meeting_builders import golden_key_board, golden_key_year
from tests.returns_builders import AFTER_Q1, Q1, some_registers, template

NOTICE = "Contains personal data"


def _pages(pdf: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]


def test_every_page_of_the_minutes_says_they_name_people(services):
    board = golden_key_board(services)
    meeting = golden_key_year(services, board, date(2026, 12, 2))[-1]
    pages = _pages(build_minutes_pdf(services.meetings.minutes(meeting)))
    assert len(pages) >= 2 and all(NOTICE in page for page in pages)


def test_a_signed_off_return_says_it_names_people_and_a_bare_draft_does_not(services):
    group = needlework_group(services)
    some_registers(services, group)
    t = template(services, group)
    rid = services.returns.draft(group.case.collaboration, group.case.recoop, *Q1,
                                 template_id=t, today=AFTER_Q1)  # fmt: skip
    (draft,) = _pages(build_return_pdf(services.returns.sheets([rid])))
    assert NOTICE not in draft  # figures only: nobody named
    services.returns.save_draft(rid, {("family_contacts", ""): 4})
    services.returns.sign_off(rid, "Tom Rhys", today=AFTER_Q1)
    pages = _pages(build_return_pdf(services.returns.sheets([rid])))
    assert "signed off by Tom Rhys" in pages[0]
    assert all(NOTICE in page for page in pages)
