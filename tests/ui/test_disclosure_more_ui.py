"""Issue 10, the rest of what leaves the records: minutes saved and printed, a subject access
export, an exchange pack saved to a file, and figures copied each leave an audit entry (who,
what, when, where); a cancelled one leaves none."""

from __future__ import annotations

import json
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QFileDialog
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models.audit import AuditEntry
from collab_desktop.ui.delivery.figures_dialog import COPIED, FiguresDialog
from collab_desktop.ui.exchange.export_dialog import SAVED_PACK, ExportDialog
from collab_desktop.ui.meetings.minutes_actions import print_minutes, save_minutes_pdf
from collab_desktop.ui.pdf_actions import PRINTED, SAVED_PDF
from collab_desktop.ui.privacy.dialogs import SubjectAccessDialog
from tests.builders import reference_agreement
from tests.delivery_builders import needlework_group
from tests.meeting_builders import board_meeting, golden_key_board
from tests.ui.test_pdf_actions import save_dialog  # noqa: F401 (fixture)
from tests.ui.test_printing_ui import dialog, parent  # noqa: F401 (fixtures)
from tests.unit.test_figures_and_volunteers import record

TODAY = date(2026, 2, 10)
NAME = "Gareth Ŵyn Jones"
DISCLOSURES = (SAVED_PDF, PRINTED, SAVED_PACK, COPIED)


def disclosures(services) -> list[AuditEntry]:
    with Session(services.engine) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.in_(DISCLOSURES))
                .order_by(AuditEntry.seq)
            )
        )


def test_minutes_saved_and_printed_are_recorded_with_the_names_on_them(
    parent,  # noqa: F811
    services,
    dialog,  # noqa: F811
    print_queues,
    save_dialog,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    board = golden_key_board(services)
    meeting_id = board_meeting(services, board, date(2026, 1, 20), today=TODAY)
    services.audit.user = "Sam Worker"
    save_dialog.answer = ""
    assert save_minutes_pdf(parent, services, meeting_id) is None
    assert disclosures(services) == [], "a cancelled save lets nothing out"

    save_dialog.answer = tmp_path / "minutes.pdf"
    assert save_minutes_pdf(parent, services, meeting_id) == save_dialog.answer
    assert print_minutes(parent, services, meeting_id) is True

    saved, printed = disclosures(services)
    assert saved.action == SAVED_PDF and saved.user == "Sam Worker" and saved.at is not None
    assert str(save_dialog.answer) in saved.summary and "minutes" in saved.summary
    names = json.loads(saved.details)["names"]
    assert board.strategic and names, "the people on the minutes are named"
    assert json.loads(saved.details)["meeting_id"] == str(meeting_id)
    assert printed.action == PRINTED and "minutes" in printed.summary
    monkeypatch.setattr(QPrintDialog, "exec", lambda d: QPrintDialog.DialogCode.Rejected)
    assert print_minutes(parent, services, meeting_id) is False
    assert len(disclosures(services)) == 2
    assert services.audit.verify() == []


def test_a_subject_access_export_is_recorded_by_record_and_folder_not_name(
    qtbot, services, tmp_path
):
    group = needlework_group(services)
    record(services, group, date(2026, 1, 6), NAME, leaders=[group.volunteer])
    services.audit.user = "Sam Worker"
    shown = SubjectAccessDialog(services, NAME)
    qtbot.addWidget(shown)
    shown.ask_for_file = lambda suggested: str(tmp_path / suggested)
    shown.tell = lambda title, text: None
    qtbot.mouseClick(shown.save_button, Qt.MouseButton.LeftButton)
    assert shown.saved is not None

    [entry] = disclosures(services)
    assert entry.action == SAVED_PDF and entry.user == "Sam Worker"
    assert str(tmp_path) in entry.summary
    details = json.loads(entry.details)
    assert details["folder"] == str(tmp_path) and details["record"]
    assert NAME not in entry.summary + entry.details, "never by name: erasure needs it so"


def test_an_exchange_pack_saved_to_a_file_is_recorded(
    qtbot, services, tmp_path, boxes, monkeypatch
):
    case, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    services.audit.user = "Sam Worker"
    target = tmp_path / "sent.collabpack"
    answer = [""]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (answer[0], ""))
    )
    shown = ExportDialog(services, case.fine_cell_work, tmp_path)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.mouseClick(shown.save_button, Qt.MouseButton.LeftButton)
    assert disclosures(services) == [], "cancelled in the file shown: nothing left"

    answer[0] = str(target)
    qtbot.mouseClick(shown.save_button, Qt.MouseButton.LeftButton)

    assert shown.saved_to == target
    [entry] = disclosures(services)
    assert entry.action == SAVED_PACK and entry.user == "Sam Worker"
    assert str(target) in entry.summary
    details = json.loads(entry.details)
    assert details["file"] == str(target) and details["kind"] == "agreement_version"


def test_figures_copied_are_recorded_as_copied(qtbot, services):
    group = needlework_group(services)
    record(services, group, date(2026, 2, 3), NAME, leaders=[group.volunteer])
    services.audit.user = "Sam Worker"
    shown = FiguresDialog(services, group.activity, today=TODAY)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)

    copied = QGuiApplication.clipboard().text()
    [entry] = disclosures(services)
    assert entry.action == COPIED and entry.user == "Sam Worker" and entry.at is not None
    assert "Copied the figures of" in entry.summary
    assert json.loads(entry.details)["text"] == copied
