"""Save as PDF and Print for agreement versions, and the audit entry each save or print of
personal data leaves (issue 10: a PDF or a sheet of paper is plaintext by nature, so who let
which names out of the encrypted records, when and where, is kept in the audit trail)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRect,
    QSettings,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QProgressDialog, QWidget

from collab_desktop.services.errors import ServiceError
from collab_desktop.services.filenames import safe_filename
from collab_desktop.ui import print_jobs
from collab_desktop.ui.errors import show_problem

if TYPE_CHECKING:  # loading SQLAlchemy waits for the records' first use
    from collab_desktop.services.open_records import Services

_FOLDER_KEY = "pdf/last_folder"
MAX_RENDER_DPI = 300
log = logging.getLogger("collab_desktop")

# The audit trail's actions for personal data leaving the app.
SAVED_PDF, PRINTED = "saved_pdf", "printed"


def record_disclosure(
    services: Services,
    action: str,
    summary: str,
    agreement_id: uuid.UUID | None = None,
    version_number: int | None = None,
    details: dict | None = None,
) -> bool:
    """The audit entry of a save or a print that carried names. The PDF or the paper is out
    already, so a failure to record it is logged and shown in the status bar, never raised:
    it must not look as if the save itself had failed."""
    from sqlalchemy.exc import SQLAlchemyError

    try:
        services.audit.record_now(action, summary, agreement_id, version_number, details)
    except (ServiceError, SQLAlchemyError, OSError) as error:
        log.error("The audit entry of %r was not recorded: %s", summary, error)
        return False
    return True


def chosen_page_size() -> tuple[float, float]:
    """The paper chosen in the preferences (A4 unless set), in points, for the PDF builders."""
    from collab_desktop.pdf.paper import page_size
    from collab_desktop.ui.preferences import paper_size

    return page_size(paper_size())


def use_chosen_paper(printer: QPrinter) -> None:
    """Offer the paper of the preferences first in the print dialog, as the PDF is laid out."""
    from PySide6.QtGui import QPageSize

    from collab_desktop.ui.preferences import paper_size

    letter = paper_size() == "Letter"
    printer.setPageSize(
        QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)
    )


def default_pdf_name(collaboration: str, title: str, version: int, status: str) -> str:
    return safe_filename(f"{collaboration} - {title} - version {version} ({status})", ".pdf")


def default_folder() -> str:
    """Documents if it exists, else the home folder (never the program's own folder)."""
    for location in (
        QStandardPaths.StandardLocation.DocumentsLocation,
        QStandardPaths.StandardLocation.HomeLocation,
    ):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return folder
    return str(Path.home())


def last_folder() -> str:
    """The folder a file was last saved to from the app, else Documents: where the next
    save dialog starts (never the program's own folder, which on Windows may be Program
    Files, and never a folder the user did not choose)."""
    folder = QSettings().value(_FOLDER_KEY)
    return str(folder) if folder and Path(str(folder)).is_dir() else default_folder()


def ask_where_to_save(
    parent: QWidget | None, title: str, suggested_name: str, file_filter: str
) -> Path | None:
    """The system's save dialog, starting in the folder used last with `suggested_name`;
    the folder chosen is remembered for the next one. None if cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, title, str(Path(last_folder()) / suggested_name), file_filter
    )
    if not chosen:
        return None
    QSettings().setValue(_FOLDER_KEY, str(Path(chosen).parent))
    return Path(chosen)


def save_pdf_as(
    parent: QWidget | None, title: str, suggested_name: str, write: Callable[[Path], None]
) -> Path | None:
    """Ask where to save (in the folder used last, else Documents), add ".pdf" if missing,
    write with `write`, and say plainly if that failed. Returns the path, or None."""
    settings = QSettings()
    suggested = str(Path(last_folder()) / suggested_name)
    while True:
        chosen, _ = QFileDialog.getSaveFileName(parent, title, suggested, "PDF files (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() == ".pdf":
            break  # the file dialog itself asked before choosing a file that exists
        path = path.with_name(path.name + ".pdf")
        # The dialog asked about the name as typed, not this one: ask as it would have.
        if not path.exists() or _replace_ok(parent, path):
            break
        suggested = str(path)
    try:
        write(path)
    except OSError as error:
        show_problem(parent, error, "The PDF was not saved")
        return None
    settings.setValue(_FOLDER_KEY, str(path.parent))
    return path


def _replace_ok(parent: QWidget | None, path: Path) -> bool:
    answer = QMessageBox.question(
        parent,
        "Replace the file?",
        f"“{path.name}” already exists in {path.parent}. Do you want to replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def with_key_fingerprint(services: Services, doc):
    """The document with our exchange key fingerprint for its signature page (issue 12)."""
    from dataclasses import replace

    return replace(doc, key_fingerprint=services.exchange.identity().fingerprint)


def save_agreement_pdf(parent: QWidget, services: Services, version_id: uuid.UUID) -> Path | None:
    """Ask where, then write the PDF. Returns the path written, or None if cancelled/failed."""
    from collab_desktop.pdf.agreement_pdf import write_agreement_pdf

    try:
        doc = with_key_fingerprint(services, services.agreements.document(version_id, date.today()))
    except ServiceError as error:
        show_problem(parent, error)
        return None
    name = default_pdf_name(doc.collaboration, doc.title, doc.version, doc.status_label)
    paper = chosen_page_size()
    path = save_pdf_as(
        parent,
        "Save agreement as PDF",
        name,
        lambda target: write_agreement_pdf(doc, target, paper),
    )
    if path is not None:
        record_disclosure(
            services,
            SAVED_PDF,
            f"Saved “{doc.title}” version {doc.version} ({doc.status_label}) as PDF: {path}",
            _agreement_of(services, version_id),
            doc.version,
            {"file": str(path), "names": _agreement_names(doc)},
        )
    window = parent.window()
    if path is not None and hasattr(window, "statusBar"):
        window.statusBar().showMessage(f"Saved {path}", 8000)
    return path


def _agreement_of(services: Services, version_id: uuid.UUID) -> uuid.UUID | None:
    """The agreement of a version, so the entry shows in that agreement's history."""
    try:
        return services.agreements.get_version(version_id).agreement_id
    except ServiceError:
        return None


def _agreement_names(doc) -> list[str]:
    """The people and organisations an agreement's PDF names (for its audit entry)."""
    names = [p.name for p in getattr(doc, "parties", [])]
    names += [s.name for s in getattr(doc, "signatories", [])]
    return sorted(set(names))


def print_dialog(printer: QPrinter, parent: QWidget | None) -> QPrintDialog:
    """The system print dialog, without its "Print to file": saving a file is Save as PDF's
    job, where the user chooses the name and the file is written safely."""
    dialog = QPrintDialog(printer, parent)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintToFile, False)
    return dialog


def print_through_dialog(
    parent: QWidget,
    data: bytes,
    doc_name: str,
    printer: QPrinter | None = None,
    title: str | None = None,
) -> QPrinter | None:
    """A PDF through the system print dialog: the printer if it took the job, else None (the
    dialog cancelled, or a problem already shown). `doc_name` is the job's title in the
    printer's queue (and the file name a PDF printer gives it)."""
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        use_chosen_paper(printer)
    printer.setDocName(doc_name)
    dialog = print_dialog(printer, parent)
    if title:
        dialog.setWindowTitle(title)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    if not print_pdf_bytes(parent, printer, data):
        return None
    return printer


def print_agreement(parent: QWidget, services: Services, version_id: uuid.UUID) -> bool:
    """Print through the system print dialog. Returns True if the printer took the job."""
    from collab_desktop.pdf.agreement_pdf import build_agreement_pdf

    try:
        doc = with_key_fingerprint(services, services.agreements.document(version_id, date.today()))
        data = build_agreement_pdf(doc, chosen_page_size())
    except ServiceError as error:
        show_problem(parent, error)
        return False
    printer = print_through_dialog(
        parent, data, f"{doc.title}, version {doc.version} ({doc.status_label})"
    )
    if printer is None:
        return False
    record_disclosure(
        services,
        PRINTED,
        f"Printed “{doc.title}” version {doc.version} ({doc.status_label}) on "
        f"{printer.printerName() or 'the printer'}",
        _agreement_of(services, version_id),
        doc.version,
        {"printer": printer.printerName(), "names": _agreement_names(doc)},
    )
    window = parent.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(f"Sent “{doc.title}” to the printer", 8000)
    return True


def _not_printed(parent: QWidget | None, message: str) -> bool:
    QMessageBox.warning(parent, "Cannot print", message)
    return False


def print_pdf_bytes(parent: QWidget | None, printer: QPrinter, data: bytes) -> bool:
    """Paint each page of a PDF onto the printer at its resolution (Qt cannot print a PDF
    directly); a progress dialog shows while pages render. True only if the printer took the
    job (print_jobs.py); otherwise the user is told plainly why not."""
    name, to_file = print_jobs.system.destination(printer)
    before = print_jobs.system.state(name)
    refusal = print_jobs.refusal_before(name, to_file, before)
    if refusal is not None:
        return _not_printed(parent, refusal)
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        QMessageBox.warning(parent, "Cannot print", "The document could not be prepared.")
        return False
    pages = document.pageCount()
    progress = QProgressDialog("Preparing pages for the printer…", "Cancel", 0, pages, parent)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    painter = QPainter()
    if not painter.begin(printer):
        QMessageBox.warning(
            parent,
            "Cannot print",
            "The printer could not be started. Check that it is switched on and connected, "
            "or choose another printer.",
        )
        return False
    try:
        # 300 dpi is sharp on paper; a 1200 dpi printer would need about 0.5 GB per page
        # image at full resolution, so the painter scales a 300 dpi image up instead.
        dpi = min(printer.resolution(), MAX_RENDER_DPI)
        for page in range(pages):
            if progress.wasCanceled():
                printer.abort()
                return False
            if page:
                printer.newPage()
            size_pt = document.pagePointSize(page)
            image = document.render(
                page, QSize(round(size_pt.width() / 72 * dpi), round(size_pt.height() / 72 * dpi))
            )
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
            progress.setValue(page + 1)
            QApplication.processEvents()
    finally:
        painter.end()
        progress.close()
    after = print_jobs.state_after(name, before)
    failure = print_jobs.failure_after(
        name, printer.printerState() == QPrinter.PrinterState.Error, before, after
    )
    if failure is not None:
        return _not_printed(parent, failure)
    return True
