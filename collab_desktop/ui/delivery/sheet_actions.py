"""Save as PDF and Print for attendance sheets, wherever they are offered (the home page, an
activity's sessions, one session)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMessageBox, QWidget

from collab_desktop.services.errors import ServiceError
from collab_desktop.services.filenames import safe_filename
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.pdf_actions import (
    PRINTED,
    SAVED_PDF,
    chosen_page_size,
    print_through_dialog,
    record_disclosure,
    save_pdf_as,
    use_chosen_paper,
)

if TYPE_CHECKING:  # loading SQLAlchemy waits for the records' first use
    from collab_desktop.services.open_records import Services


def sheets_filename(activity: str, first: date, last: date) -> str:
    when = f"{first:%Y-%m-%d}" if first == last else f"{first:%Y-%m-%d} to {last:%Y-%m-%d}"
    return safe_filename(f"Attendance - {activity} - {when}", ".pdf")


def sheets_title(sheets: list) -> str:
    """What the print queue calls a batch of sheets: its activity and its dates."""
    activities = sorted({s.activity for s in sheets})
    what = activities[0] if len(activities) == 1 else f"{len(activities)} activities"
    first, last = sheets[0].on, sheets[-1].on
    when = f"{first:%d/%m/%Y}" if first == last else f"{first:%d/%m/%Y} to {last:%d/%m/%Y}"
    return f"Attendance sheets: {what}, {when}"


def _sheets(parent: QWidget | None, services: Services, session_ids: list[uuid.UUID]):
    """The sheets' data, or None after telling the user why there is none."""
    try:
        sheets = services.attendance.sheets(session_ids, printed_on=date.today())
    except ServiceError as error:
        show_problem(parent, error)
        return None
    if not sheets:
        QMessageBox.information(
            parent,
            "Nothing to print",
            "There are no sessions to print a sheet for: they are all cancelled, or there "
            "are none in those weeks.",
        )
        return None
    return sheets


def _printable_or_agreed(parent: QWidget | None, sheets: list, verb: str) -> bool:
    """True if every character prints, or the user chose to go on after being told which do
    not (they print as their names in brackets, never as empty boxes).

    On the GUI thread, unlike the agreement editor's check: that one runs whenever a version
    is shown, while here the sheets are built on this thread straight after, and the check
    costs no more than the fonts the build loads anyway."""
    import unicodedata

    from collab_desktop.pdf.attendance_sheet import unprintable_in_sheets

    found = unprintable_in_sheets(sheets)
    if not found:
        return True
    said = ", ".join(f"{ch} ({unicodedata.name(ch, f'U+{ord(ch):04X}').lower()})" for ch in found)
    box = QMessageBox(parent)
    box.setObjectName("sheets_unprintable")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Some characters cannot be printed")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        f"These characters cannot be printed with the fonts Collab Desktop has: {said}. "
        "They will print as their names in brackets."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(f"&{verb} anyway")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _cleared_or_agreed(
    parent: QWidget | None, services: Services, session_ids: list[uuid.UUID], verb: str
) -> bool:
    """True if every facilitator of these sessions is cleared for the site on the day, or
    the user chose to go on after being told who is not (the home page's Needs attention
    says it too, but the sheets are what is carried to the gate)."""
    try:
        warnings = services.attendance.clearance_warnings(session_ids)
    except ServiceError:
        return True  # the check is advice: a failed read must not stop the sheets
    if not warnings:
        return True
    box = QMessageBox(parent)
    box.setObjectName("sheets_clearance")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("A facilitator is not cleared")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        "Before these sheets go in: "
        + " ".join(warnings)
        + " They may be turned away at the gate: renew the clearance (Volunteers) or change "
        "who leads the session."
    )
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    box.button(QMessageBox.StandardButton.Yes).setText(f"&{verb} anyway")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def save_sheets_pdf(
    parent: QWidget | None, services: Services, session_ids: list[uuid.UUID]
) -> Path | None:
    """Ask where, then write the sheets. Returns the path written, or None."""
    from collab_desktop.pdf.attendance_sheet import write_attendance_sheets

    sheets = _sheets(parent, services, session_ids)
    if sheets is None or not _printable_or_agreed(parent, sheets, "Save"):
        return None
    if not _cleared_or_agreed(parent, services, session_ids, "Save"):
        return None
    activities = {s.activity for s in sheets}
    name = sheets_filename(
        sheets[0].activity if len(activities) == 1 else "sessions", sheets[0].on, sheets[-1].on
    )
    path = save_pdf_as(
        parent,
        "Save attendance sheets as PDF",
        name,
        lambda target: write_attendance_sheets(sheets, target, chosen_page_size()),
    )
    if path is None:
        return None
    record_disclosure(
        services,
        SAVED_PDF,
        f"Saved {sheets_title(sheets)} as PDF: {path}",
        details={"file": str(path), **_sheets_details(sheets)},
    )
    _status(parent, f"Saved {len(sheets)} attendance sheet(s) to {path}")
    return path


def print_sheets(
    parent: QWidget | None,
    services: Services,
    session_ids: list[uuid.UUID],
    printer: QPrinter | None = None,
) -> bool:
    """Print through the system print dialog. Returns True if the printer took the job; one
    that did not says so, and nothing is lost (the sheets can be printed again)."""
    from collab_desktop.pdf.attendance_sheet import build_attendance_sheets

    sheets = _sheets(parent, services, session_ids)
    if sheets is None or not _printable_or_agreed(parent, sheets, "Print"):
        return False
    if not _cleared_or_agreed(parent, services, session_ids, "Print"):
        return False
    data = build_attendance_sheets(sheets, chosen_page_size())
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        use_chosen_paper(printer)
    # Black and white is what the sheets are designed for, and saves colour toner.
    printer.setColorMode(QPrinter.ColorMode.GrayScale)
    title = f"Print {len(sheets)} attendance sheet(s)"
    if print_through_dialog(parent, data, sheets_title(sheets), printer, title) is None:
        return False
    record_disclosure(
        services,
        PRINTED,
        f"Printed {sheets_title(sheets)} on {printer.printerName() or 'the printer'}",
        details={"printer": printer.printerName(), **_sheets_details(sheets)},
    )
    _status(parent, f"Sent {len(sheets)} attendance sheet(s) to the printer")
    return True


def _sheets_details(sheets: list) -> dict:
    """What the sheets let out, for the audit entry: sessions, and how many names (the
    names as printed, initials in custody, are on the paper; the trail need not copy them)."""
    return {
        "sheets": len(sheets),
        "sessions": [f"{s.activity} {s.on:%Y-%m-%d}" for s in sheets],
        "names_printed": sum(len(s.names) for s in sheets),
    }


def _status(parent: QWidget | None, message: str) -> None:
    window = parent.window() if parent is not None else None
    if window is not None and hasattr(window, "statusBar"):
        window.statusBar().showMessage(message, 8000)
