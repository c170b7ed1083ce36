"""The self-test's step "return" (collab_desktop/self_test.py calls it): the reference group's
quarterly return, counted, signed off and written as PDF, CSV and XLSX, each read back.

Uses what the bundle carries at run time (the ReportLab builders, openpyxl) and no Qt."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path

from collab_desktop.pdf.files import write_atomically
from collab_desktop.services.open_records import Services
from collab_desktop.services.returns.exports import HEADER
from collab_desktop.services.returns.periods import period_containing
from collab_desktop.services.returns.templates import IndicatorData, TemplateData

RETURN_PDF = "monitoring-return.pdf"
RETURN_CSV = "monitoring-return.csv"
RETURN_XLSX = "monitoring-return.xlsx"


class ReturnCheckFailed(Exception):
    pass


def _require(condition: object, message: str) -> None:
    if not condition:
        raise ReturnCheckFailed(message)


def reference_return(
    services: Services,
    collaboration_id: uuid.UUID,
    lead_id: uuid.UUID,
    partner_id: uuid.UUID,
    activity_id: uuid.UUID,
    folder: Path,
    signer: str,
) -> str:
    """Record the group's first register (everyone enrolled came), draft the partner's return
    for this quarter from the lead's template, sign it off and write the three files."""
    from collab_desktop.pdf.returns_pdf import build_return_pdf

    today = date.today()
    upcoming = services.attendance.upcoming(activity_id, weeks=1)
    _require(upcoming, "the group has no session this week to record")
    people = [p.id for p in services.participants.list_participants()]
    services.attendance.save_register(upcoming[0].id, people, today=today)
    template = services.returns.save_template(
        TemplateData(
            collaboration_id=collaboration_id, lead_id=lead_id, name="Quarterly monitoring",
            indicators=[IndicatorData("family_contacts", "Family contacts supported",
                                      unit="contacts", required=True)],
        )
    )  # fmt: skip
    first, last = period_containing("quarter", today)
    rid = services.returns.draft(collaboration_id, partner_id, first, last, template, today)
    services.returns.save_draft(rid, {("family_contacts", ""): 1}, went_well="Self-test")
    services.returns.sign_off(rid, signer, today=today)
    r = services.returns.get(rid)
    _require(r.value("attendances") == len(people), f"the return counts {r.value('attendances')} "
             f"attendances, not {len(people)}")  # fmt: skip

    pdf = build_return_pdf(services.returns.sheets([rid], hide_below=5))
    write_atomically(pdf, folder / RETURN_PDF)
    text = services.returns.csv([rid], hide_below=5)
    write_atomically(text.encode("utf-8"), folder / RETURN_CSV)
    write_atomically(services.returns.xlsx([rid], hide_below=5), folder / RETURN_XLSX)

    rows = list(csv.reader(io.StringIO((folder / RETURN_CSV).read_text(encoding="utf-8"))))
    _require(rows and rows[0] == HEADER, f"{RETURN_CSV} does not start with its header row")
    _require(len(rows) - 1 == len(r.figures), f"{RETURN_CSV} has {len(rows) - 1} rows")
    from openpyxl import load_workbook

    book = load_workbook(folder / RETURN_XLSX, read_only=True)
    _require(
        book.sheetnames == ["Contents", "Definitions", "Data"],
        f"{RETURN_XLSX} has the sheets {', '.join(book.sheetnames)}",
    )
    book.close()
    _require(pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:], f"{RETURN_PDF} is incomplete")
    try:
        from pypdf import PdfReader
    except ImportError:
        pages = None
    else:
        pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
        _require(
            f"Monitoring return: {r.period}" in pages[0],
            f"{RETURN_PDF} does not show the return's period",
        )
    return (
        f"{r.period} return of {r.organisation}: {r.value('attendances'):g} attendances, "
        f"signed off; {RETURN_PDF} ({len(pages) if pages else '?'} page), {RETURN_CSV} "
        f"({len(rows) - 1} rows), {RETURN_XLSX} (3 sheets)"
    )
