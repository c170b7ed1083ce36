"""What the user sees of the audit trail and of tamper evidence."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QInputDialog, QLabel, QTableWidget

from collab_desktop.ui.agreements.agreements_page import AgreementsPage
from collab_desktop.ui.agreements.editor import AgreementEditor
from tests.builders import edit_draft, reference_agreement, send_and_sign_all
from tests.ui.widgets import click


def open_editor(qtbot, services, events, version_id) -> AgreementEditor:
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def history(editor: AgreementEditor) -> list[tuple[str, str, str]]:
    table = editor.findChild(QTableWidget, "history_table")
    return [
        tuple(table.item(row, column).text() for column in (1, 2, 3))
        for row in range(table.rowCount())
    ]


def test_history_tab_lists_each_change_newest_first_with_who(qtbot, services, events):
    services.audit.user = "Siân Prichard"
    _case, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"purpose": "A weekly stitching group."})
    editor = open_editor(qtbot, services, events, version_id)
    rows = history(editor)
    assert [who for who, _, _ in rows] == ["Siân Prichard", "Siân Prichard"]
    assert "Purpose" in rows[0][2] and rows[1][2].startswith("Agreement started from")
    chain = editor.findChild(QLabel, "history_chain")
    qtbot.waitUntil(lambda: "cannot be edited" in chain.text())  # checked in the background


def test_a_tampered_signed_version_shows_a_warning(qtbot, services, events):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    connection = sqlite3.connect(services.path)
    connection.execute("UPDATE responsibility SET what = 'Nothing at all'")
    connection.commit()
    connection.close()
    editor = open_editor(qtbot, services, events, version_id)
    banner = editor.findChild(QLabel, "agreement_tampered")
    assert banner.isVisible()
    assert "outside Collab Desktop" in banner.text()


def test_an_untampered_version_shows_no_warning(qtbot, services, events):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    editor = open_editor(qtbot, services, events, version_id)
    assert not editor.findChild(QLabel, "agreement_tampered").isVisible()


def test_verify_a_printed_copy_names_the_version(qtbot, services, events, boxes, monkeypatch):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    fingerprint = services.agreements.get_version(version_id).fingerprint
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.refresh()

    typed = fingerprint.lower().replace("-", " ")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (typed, True)))
    click(qtbot, page, "agreements_verify")
    [matched] = boxes.of("information")
    assert "version 1" in matched.text and "signed off" in matched.text
    assert page.selected().version_id == version_id

    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("0000-0000-0000", True))
    )
    click(qtbot, page, "agreements_verify")
    [missing] = boxes.of("warning")
    assert "No agreement version has the fingerprint" in missing.text


def test_an_agreement_saved_as_a_template_is_offered_for_new_agreements(
    qtbot, services, events, monkeypatch
):
    from collab_desktop.ui.agreements.agreements_page import NewAgreementDialog

    _case, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: ("Prison group, our way", True))
    )
    click(qtbot, editor, "agreement_template")
    assert "Prison group, our way" in editor.findChild(QLabel, "agreement_notice").text()
    dialog = NewAgreementDialog(services)
    qtbot.addWidget(dialog)
    offered = [dialog.templates.item(i).text() for i in range(dialog.templates.count())]
    assert "Prison group, our way (your template)" in offered


def test_a_sign_off_forged_in_sql_shows_the_tamper_warning(qtbot, services, events):
    _case, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    connection = sqlite3.connect(services.path)
    connection.execute("UPDATE signatory SET signed_on = '2025-03-10', method = 'wet_ink'")
    connection.execute("UPDATE agreement_version SET status = 'signed_off'")
    connection.commit()
    connection.close()
    editor = open_editor(qtbot, services, events, version_id)
    banner = editor.findChild(QLabel, "agreement_tampered")
    assert banner.isVisible()
    assert "never recorded" in banner.text() and "outside Collab Desktop" in banner.text()


def test_the_newest_history_removed_in_sql_shows_above_the_tabs(qtbot, services, events):
    _case, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"purpose": "Changed once"})
    edit_draft(services, version_id, sections={"purpose": "Changed twice"})
    connection = sqlite3.connect(services.path)
    connection.execute("DROP TRIGGER audit_entry_no_delete")
    connection.execute("DELETE FROM audit_entry WHERE seq = 3")
    connection.commit()
    connection.close()
    editor = open_editor(qtbot, services, events, version_id)
    chain = editor.findChild(QLabel, "history_chain")
    qtbot.waitUntil(lambda: "Warning" in chain.text())  # checked in the background
    banner = editor.findChild(QLabel, "agreement_tampered")
    assert (
        banner.isVisible() and "newest entry of the history (entry 3) was removed" in banner.text()
    )
