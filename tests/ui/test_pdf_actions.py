"""Save as PDF and Print, through the functions the editor and the list call, with the file
and print dialogs replaced. PDFs are read back with pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.ui.agreements.agreements_page import AgreementsPage
from collab_desktop.ui.agreements.editor import AgreementEditor
from collab_desktop.ui.pdf_actions import (
    default_pdf_name,
    print_agreement,
    print_pdf_bytes,
    save_agreement_pdf,
)
from tests.builders import (
    FCW,
    LEYHILL,
    RECOOP,
    reference_agreement,
    signed_off_agreement,
)
from tests.ui.test_agreements_ui import click, fingerprint_shown

SUGGESTED = "Needlework group at HMP Leyhill - Joint agreement - version 1 (Draft).pdf"


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records what was suggested, answers with
    a path (an empty one is Cancel)."""

    def __init__(self, monkeypatch) -> None:
        self.answer = ""
        self.suggested: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(self.ask))

    def ask(self, parent, caption, suggested, filters, *args, **kwargs):
        self.suggested.append(suggested)
        return str(self.answer), ""


@pytest.fixture
def save_dialog(monkeypatch) -> SaveDialog:
    return SaveDialog(monkeypatch)


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def pages(data: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "settings" not in p.parts}


# -- Save as PDF ---------------------------------------------------------------------------


def test_save_as_pdf_holds_the_whole_agreement(
    qtbot, services, events, save_dialog, tmp_path, boxes
):
    _, version_id = reference_agreement(services)
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    fingerprint = fingerprint_shown(editor)
    save_dialog.answer = tmp_path / "out" / "agreement.pdf"
    save_dialog.answer.parent.mkdir()

    written = save_agreement_pdf(editor, services, version_id)

    assert written == save_dialog.answer
    assert Path(save_dialog.suggested[0]).name == SUGGESTED
    text = " ".join(pages(written.read_bytes()))
    v = services.agreements.get_version(version_id)
    for party in (FCW, RECOOP, LEYHILL):
        assert party in text
    assert len(v.responsibilities) == 10
    for r in v.responsibilities:
        assert r.what in text
    for s in v.signatories:
        assert s.name in text
    assert "Version 1" in text
    assert fingerprint in text
    assert "Page 1 of" in text
    assert "DRAFT" in text
    assert boxes.shown == []
    assert files_in(tmp_path / "out") == {"agreement.pdf"}  # no temporary file left behind


def test_every_page_says_which_page_of_how_many(parent, services, save_dialog, tmp_path):
    _, version_id = signed_off_agreement(services)
    save_dialog.answer = tmp_path / "signed.pdf"
    written = save_agreement_pdf(parent, services, version_id)
    texts = pages(written.read_bytes())
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {len(texts)}" in text
    assert "Signed off" in texts[0] and "DRAFT" not in " ".join(texts)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("agreement", "agreement.pdf"), ("agreement.PDF", "agreement.PDF"), ("v1.txt", "v1.txt.pdf")],
)
def test_a_pdf_suffix_is_added_when_missing(
    parent, services, save_dialog, tmp_path, typed, expected
):
    _, version_id = reference_agreement(services)
    out = tmp_path / "out"
    out.mkdir()
    save_dialog.answer = out / typed
    written = save_agreement_pdf(parent, services, version_id)
    assert written == out / expected
    assert files_in(out) == {expected}
    assert written.read_bytes().startswith(b"%PDF")


def test_the_folder_chosen_last_is_suggested_next_time(parent, services, save_dialog, tmp_path):
    _, version_id = reference_agreement(services)
    folder = tmp_path / "Agreements"
    folder.mkdir()
    save_dialog.answer = folder / "first.pdf"
    save_agreement_pdf(parent, services, version_id)
    save_dialog.answer = ""
    save_agreement_pdf(parent, services, version_id)
    assert Path(save_dialog.suggested[1]) == folder / SUGGESTED


def test_cancel_writes_nothing(parent, services, save_dialog, tmp_path, boxes):
    _, version_id = reference_agreement(services)
    save_dialog.answer = ""
    assert save_agreement_pdf(parent, services, version_id) is None
    assert not any(p.suffix in (".pdf", ".tmp") for p in tmp_path.rglob("*"))
    assert boxes.shown == []
    assert QSettings().value("pdf/last_folder") is None


@pytest.mark.parametrize(
    ("target", "hint"),
    [
        ("missing folder/agreement.pdf", "That folder does not exist"),
        ("a file/agreement.pdf", "Check the folder and try again"),
        ("a folder.pdf", "Check the folder and try again"),
    ],
)
def test_a_target_that_cannot_be_written_is_reported_and_leaves_no_file(
    parent, services, save_dialog, tmp_path, boxes, target, hint
):
    _, version_id = reference_agreement(services)
    (tmp_path / "a file").write_text("not a folder")
    (tmp_path / "a folder.pdf").mkdir()
    before = files_in(tmp_path)
    save_dialog.answer = tmp_path / target

    assert save_agreement_pdf(parent, services, version_id) is None

    (warning,) = boxes.of("warning")
    assert warning.title == "The PDF was not saved"
    assert warning.text.startswith("The file could not be written")
    assert hint in warning.text
    assert "Traceback" not in warning.text
    assert files_in(tmp_path) == before
    assert (tmp_path / "a file").read_text() == "not a folder"
    assert QSettings().value("pdf/last_folder") is None


def test_the_list_saves_the_selected_version(qtbot, services, events, save_dialog, tmp_path):
    _, version_id = reference_agreement(services)
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    click(qtbot, page, "agreements_save_pdf")  # nothing chosen: nothing asked
    assert save_dialog.suggested == []

    page.refresh()
    page.select_where(lambda r: r.version_id == version_id)
    save_dialog.answer = tmp_path / "from the list.pdf"
    click(qtbot, page, "agreements_save_pdf")
    assert "Needlework group at HMP Leyhill" in pages(save_dialog.answer.read_bytes())[0]


# -- Print ---------------------------------------------------------------------------------


def pdf_printer(path: Path, printer: QPrinter | None = None) -> QPrinter:
    printer = printer or QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)  # the page images stay small, so the test stays fast
    return printer


def test_printing_paints_every_page(services, tmp_path, qapp):
    _, version_id = signed_off_agreement(services)
    source = build_agreement_pdf(services.agreements.document(version_id))
    printed = tmp_path / "printed.pdf"

    assert print_pdf_bytes(None, pdf_printer(printed), source) is True

    assert len(PdfReader(printed).pages) == len(PdfReader(io.BytesIO(source)).pages) > 1


def test_print_agreement_prints_through_the_print_dialog(parent, services, tmp_path, monkeypatch):
    _, version_id = reference_agreement(services)
    printed = tmp_path / "printed.pdf"

    def accept(dialog):
        pdf_printer(printed, dialog.printer())
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    assert print_agreement(parent, services, version_id) is True
    source = build_agreement_pdf(services.agreements.document(version_id))
    assert len(PdfReader(printed).pages) == len(PdfReader(io.BytesIO(source)).pages)


def test_print_cancelled_prints_nothing(parent, services, tmp_path, monkeypatch):
    _, version_id = reference_agreement(services)
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QPrintDialog.DialogCode.Rejected)
    assert print_agreement(parent, services, version_id) is False


def test_a_damaged_document_is_not_printed(parent, tmp_path, boxes):
    printed = tmp_path / "printed.pdf"
    assert print_pdf_bytes(parent, pdf_printer(printed), b"not a pdf") is False
    assert [(b.kind, b.title) for b in boxes.shown] == [("warning", "Cannot print")]
    assert not printed.exists()


def test_pdf_names_are_built_from_the_record_safely():
    name = default_pdf_name("HMP Leyhill: group", "Joint agreement", 2, "Signed off")
    assert name == "HMP Leyhill- group - Joint agreement - version 2 (Signed off).pdf"


def test_a_name_typed_without_pdf_asks_before_replacing_that_pdf(
    parent, services, monkeypatch, tmp_path, boxes
):
    """The file dialog asks about "agreement" as typed; "agreement.pdf" is what is written, so
    that is asked about too (No goes back to the dialog; Yes replaces)."""
    _, version_id = reference_agreement(services)
    existing = tmp_path / "agreement.pdf"
    existing.write_bytes(b"the signed copy")
    answers = [str(tmp_path / "agreement"), str(tmp_path / "agreement"), ""]
    asked = []

    def ask(parent, caption, suggested, filters, *args, **kwargs):
        asked.append(suggested)
        return answers.pop(0), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    boxes.answer(QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    assert save_agreement_pdf(parent, services, version_id) is None
    assert [b.title for b in boxes.of("question")] == ["Replace the file?"] * 2
    assert "“agreement.pdf” already exists" in boxes.shown[0].text
    assert asked[1:] == [str(existing)] * 2  # back to the dialog, on the name that exists
    assert existing.read_bytes() == b"the signed copy"

    answers[:] = [str(tmp_path / "agreement")]
    boxes.answer(QMessageBox.StandardButton.Yes)
    assert save_agreement_pdf(parent, services, version_id) == existing
    assert existing.read_bytes().startswith(b"%PDF")


def test_a_failed_write_names_the_file_chosen_not_the_hidden_temporary_one(
    parent, services, save_dialog, tmp_path, boxes
):
    _, version_id = reference_agreement(services)
    (tmp_path / "a folder.pdf").mkdir()  # os.replace fails naming the temporary file
    save_dialog.answer = tmp_path / "a folder.pdf"
    assert save_agreement_pdf(parent, services, version_id) is None
    (warning,) = boxes.of("warning")
    assert f"({tmp_path / 'a folder.pdf'})" in warning.text
    assert ".tmp" not in warning.text


def test_every_save_dialog_starts_where_the_last_file_went(qtbot, tmp_path, monkeypatch):
    # Seen by the tester: the subject access export opened in the program's own folder (on
    # Windows, Program Files), other dialogs in the home folder after a folder was chosen.
    from PySide6.QtWidgets import QFileDialog, QWidget

    from collab_desktop.ui.pdf_actions import ask_where_to_save, last_folder

    parent = QWidget()
    qtbot.addWidget(parent)
    asked: list[str] = []
    chosen = tmp_path / "usb stick"
    chosen.mkdir()

    def dialog(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(chosen / "Everything about A. N. Other.pdf"), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    first = ask_where_to_save(parent, "Save", "Everything about A. N. Other.pdf", "PDF (*.pdf)")
    assert first == chosen / "Everything about A. N. Other.pdf"
    assert last_folder() == str(chosen)
    ask_where_to_save(parent, "Save", "return.csv", "CSV (*.csv)")
    assert asked[1] == str(chosen / "return.csv")
