"""One change broadcast (ui/operations.py): a write that worked is told to every page once,
with what it changed; one that failed is told to nobody (the partners page used to announce
an archive that had failed). The agreement editor's Enter saves, never clears a signature."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QPushButton

from collab_desktop.services.changes import AGREEMENTS, PARTNERS
from collab_desktop.ui.agreements.editor import AgreementEditor
from collab_desktop.ui.partners_page import PartnersPage
from tests.builders import add_partner, reference_agreement


def _heard(events) -> list:
    heard: list = []
    events.changes.connect(heard.append)
    return heard


def test_archiving_a_partner_is_told_once_with_its_id(qtbot, services, events):
    partner_id = add_partner(services, "Fine Cell Work")
    page = PartnersPage(services, events)
    qtbot.addWidget(page)
    heard = _heard(events)
    page.select_where(lambda row: row.id == partner_id)
    page.toggle_archived()
    assert len(heard) == 1
    assert heard[0].kinds == {PARTNERS}
    assert heard[0].touches_record(partner_id)
    assert page.model.rowCount() == 0  # the page heard it too: archived are hidden


def test_a_failed_archive_is_told_to_nobody(qtbot, services, events, boxes):
    partner_id = add_partner(services, "Fine Cell Work")
    page = PartnersPage(services, events)
    qtbot.addWidget(page)
    page.select_where(lambda row: row.id == partner_id)
    services.partners.delete_partner(partner_id)  # gone behind the page's back
    heard = _heard(events)
    page.toggle_archived()
    assert heard == []
    assert [box.kind for box in boxes.shown] == ["warning"]


def test_recording_a_signature_is_one_agreements_change(qtbot, services, events):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    signatory = services.agreements.get_version(version_id).signatories[0]
    heard = _heard(events)
    from collab_desktop.ui.agreements.signature_dialog import SignatureDialog

    dialog = SignatureDialog(services, [signatory], signatory.id, None, events)
    qtbot.addWidget(dialog)
    dialog.signed_on.set_value(date(2026, 3, 1))
    dialog.recorded_by.setText("Tom Rhys")
    dialog._record()
    assert len(heard) == 1 and AGREEMENTS in heard[0].kinds


def test_enter_in_the_agreement_editor_saves_and_never_clears_a_signature(qtbot, services, events):
    _, version_id = reference_agreement(services)
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    defaults = [b.objectName() for b in editor.findChildren(QPushButton) if b.isDefault()]
    assert defaults == ["agreement_save"]
    assert not editor.clear_signature_button.autoDefault()
