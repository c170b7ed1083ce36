"""Save the minutes as PDF and print them (issue 14), the way an agreement's Save as PDF and
Print work (ui/pdf_actions.py): the paper of the preferences, the folder used last, the system
print dialog without "Print to file", and a plain message if the printer refused the job."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QWidget

from collab_desktop.services.errors import ServiceError
from collab_desktop.services.filenames import safe_filename
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.pdf_actions import (
    PRINTED,
    SAVED_PDF,
    chosen_page_size,
    print_through_dialog,
    record_disclosure,
    save_pdf_as,
)


def _status(parent: QWidget, message: str) -> None:
    window = parent.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(message, 8000)


def minutes_file_name(collaboration: str, held_on: date, approved: bool) -> str:
    state = "approved" if approved else "draft"
    return safe_filename(f"{collaboration} - minutes {held_on:%Y-%m-%d} ({state})", ".pdf")


def save_minutes_pdf(parent: QWidget, services: Services, meeting_id: uuid.UUID) -> Path | None:
    from collab_desktop.pdf.minutes_pdf import write_minutes_pdf

    try:
        doc = services.meetings.minutes(meeting_id, date.today())
    except ServiceError as error:
        show_problem(parent, error)
        return None
    paper = chosen_page_size()
    path = save_pdf_as(
        parent, "Save the minutes as PDF",
        minutes_file_name(doc.collaboration, doc.held_on, bool(doc.approved_by)),
        lambda target: write_minutes_pdf(doc, target, paper),
    )  # fmt: skip
    if path is not None:
        record_disclosure(
            services, SAVED_PDF, f"Saved the minutes of {doc.title} ({doc.collaboration}) as "
            f"PDF: {path}", details={"file": str(path), **_minutes_details(meeting_id, doc)},
        )  # fmt: skip
        _status(parent, f"Saved {path}")
    return path


def _minutes_details(meeting_id: uuid.UUID, doc) -> dict:
    """What the minutes let out, for the audit entry (issue 10): the meeting, and the names
    of the people on them (attendance and the owners of actions)."""
    names = sorted(
        {person.name for group in doc.attendance for person in group.people}
        | {action.owner for action in doc.actions if action.owner}
    )
    return {"meeting_id": str(meeting_id), "names": names}


def print_minutes(parent: QWidget, services: Services, meeting_id: uuid.UUID) -> bool:
    """Through the system print dialog. True if the printer took the job."""
    from collab_desktop.pdf.minutes_pdf import build_minutes_pdf

    try:
        doc = services.meetings.minutes(meeting_id, date.today())
        data = build_minutes_pdf(doc, chosen_page_size())
    except ServiceError as error:
        show_problem(parent, error)
        return False
    printer = print_through_dialog(parent, data, f"Minutes, {doc.title}")
    if printer is None:
        return False
    record_disclosure(
        services, PRINTED, f"Printed the minutes of {doc.title} ({doc.collaboration}) on "
        f"{printer.printerName() or 'the printer'}",
        details={"printer": printer.printerName(), **_minutes_details(meeting_id, doc)},
    )  # fmt: skip
    _status(parent, f"Sent the minutes of {doc.held_on:%d %B %Y} to the printer")
    return True
