"""Issue 10: personal data leaving the app (a saved PDF, a print) leaves an audit entry
saying who, what and when; a cancelled save or print leaves none."""

from __future__ import annotations

import json

from PySide6.QtPrintSupport import QPrintDialog
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models.audit import AuditEntry
from collab_desktop.ui.delivery.sheet_actions import print_sheets, save_sheets_pdf
from collab_desktop.ui.pdf_actions import PRINTED, SAVED_PDF, print_agreement, save_agreement_pdf
from tests.builders import FCW, reference_agreement
from tests.ui.test_pdf_actions import save_dialog  # noqa: F401 (fixture)
from tests.ui.test_printing_ui import dialog, parent, sheet_ids  # noqa: F401 (fixtures)


def disclosures(services) -> list[AuditEntry]:
    with Session(services.engine) as session:
        return list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action.in_([SAVED_PDF, PRINTED]))
                .order_by(AuditEntry.seq)
            )
        )


def test_saving_an_agreement_as_pdf_is_recorded_with_who_and_where(
    parent,  # noqa: F811
    services,
    save_dialog,  # noqa: F811
    tmp_path,
):
    _, version_id = reference_agreement(services)
    agreement_id = services.agreements.get_version(version_id).agreement_id
    services.audit.user = "Sam Worker"
    save_dialog.answer = tmp_path / "agreement.pdf"

    assert save_agreement_pdf(parent, services, version_id) == save_dialog.answer

    [entry] = disclosures(services)
    assert entry.action == SAVED_PDF and entry.user == "Sam Worker"
    assert entry.agreement_id == agreement_id and entry.version_number == 1
    assert str(save_dialog.answer) in entry.summary
    assert FCW in json.loads(entry.details)["names"]
    assert entry.at is not None
    # It is in the agreement's history, and the chain of the trail still holds.
    assert SAVED_PDF in [row.action for row in services.audit.history(agreement_id)]
    assert services.audit.verify() == []


def test_a_cancelled_save_records_nothing(parent, services, save_dialog):  # noqa: F811
    _, version_id = reference_agreement(services)
    save_dialog.answer = ""
    assert save_agreement_pdf(parent, services, version_id) is None
    assert disclosures(services) == []


def test_printing_an_agreement_and_sheets_and_saving_sheets_are_recorded(
    parent,  # noqa: F811
    services,
    dialog,  # noqa: F811
    print_queues,
    save_dialog,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    ids = sheet_ids(services)
    version_id = services.agreements.create_agreement(
        services.collaborations.list_collaborations()[0].id, "two_charity_prison"
    )
    assert print_agreement(parent, services, version_id) is True
    assert print_sheets(parent, services, ids) is True
    save_dialog.answer = tmp_path / "sheets.pdf"
    assert save_sheets_pdf(parent, services, ids) == save_dialog.answer

    agreement, sheets, saved = disclosures(services)
    assert agreement.action == PRINTED and "Joint agreement" in agreement.summary
    assert sheets.action == PRINTED and "Attendance sheets: Needlework group" in sheets.summary
    details = json.loads(sheets.details)
    assert details["sheets"] == len(ids) and details["names_printed"] > 0
    assert saved.action == SAVED_PDF and str(save_dialog.answer) in saved.summary

    # A print cancelled in the dialog lets nothing out, and records nothing.
    monkeypatch.setattr(QPrintDialog, "exec", lambda d: QPrintDialog.DialogCode.Rejected)
    assert print_sheets(parent, services, ids) is False
    assert len(disclosures(services)) == 3
