"""Issue 11: what people typed is shown as typed in the agreement editor and its dialogs,
never read as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from collab_desktop.ui.agreements.editor import AgreementEditor
from tests.builders import add_collaboration, add_partner

ODD = 'Partners <North> & "South"'


def test_editor_heading_shows_names_with_angle_brackets_as_typed(qtbot, services, events):
    north = add_partner(services, "North <Trust>")
    south = add_partner(services, "South & Co")
    collaboration = add_collaboration(services, ODD, [(north, "lead"), (south, "partner")])
    version_id = services.agreements.create_agreement(collaboration, None, "<b>Deal</b>")
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    heading = editor.findChild(QLabel, "agreement_heading")
    assert heading.textFormat() == Qt.TextFormat.PlainText
    assert heading.text() == f"<b>Deal</b> — {ODD}"


def test_new_agreement_shows_who_plays_each_part_and_drafts_the_choice(qtbot, services):
    from PySide6.QtWidgets import QComboBox, QPushButton, QTableWidget

    from collab_desktop.ui.agreements.agreements_page import NewAgreementDialog
    from tests.builders import FCW, RECOOP, reference_partners

    fcw, recoop, leyhill = reference_partners(services)
    add_collaboration(
        services, "Needlework", [(fcw, "partner"), (recoop, "partner"), (leyhill, "host")]
    )
    dialog = NewAgreementDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.findChild(QTableWidget, "parts_table")
    assert table.isVisible()
    rows = {
        table.item(r, 0).text(): table.cellWidget(r, 2).currentText()
        for r in range(table.rowCount())
    }
    assert rows == {FCW: "Lead partner", RECOOP: "Partner", "HMP Leyhill": "Host"}
    notes = dialog.findChild(QLabel, "parts_notes")
    assert notes.isVisible()
    assert f"{FCW} is recorded as partner but plays the lead partner" in notes.text()

    # The user makes RECOOP the lead instead: both combos, as a person would.
    boxes = [table.cellWidget(r, 2) for r in range(table.rowCount())]
    assert all(isinstance(b, QComboBox) for b in boxes)
    boxes[0].setCurrentIndex(boxes[0].findText("Partner"))
    assert "Nobody plays the lead partner" in notes.text()
    boxes[1].setCurrentIndex(boxes[1].findText("Lead partner"))
    assert "Nobody plays" not in notes.text()
    qtbot.mouseClick(
        dialog.findChild(QPushButton, "new_agreement_create"), Qt.MouseButton.LeftButton
    )
    assert dialog.version_id is not None
    v = services.agreements.get_version(dialog.version_id)
    assert v.sections["purpose"].startswith(f"This agreement sets out how {RECOOP} and {FCW}")


def test_editor_changes_who_plays_which_part(qtbot, services, events, monkeypatch):
    from PySide6.QtWidgets import QPushButton

    from collab_desktop.ui.agreements.parts_picker import PartsDialog
    from tests.builders import FCW, RECOOP, reference_agreement

    case, version_id = reference_agreement(services)
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()

    def swap(dialog: PartsDialog) -> int:
        dialog.show()
        table = dialog.picker.table
        for row in range(table.rowCount()):
            box = table.cellWidget(row, 2)
            name = table.item(row, 0).text()
            if name in (FCW, RECOOP):
                box.setCurrentIndex(box.findText("Partner" if name == FCW else "Lead partner"))
        return PartsDialog.DialogCode.Accepted

    monkeypatch.setattr(PartsDialog, "exec", swap)
    qtbot.mouseClick(editor.findChild(QPushButton, "agreement_parts"), Qt.MouseButton.LeftButton)
    purpose = editor.sections["purpose"].toPlainText()
    assert purpose.startswith(f"This agreement sets out how {RECOOP} and {FCW}")


def test_delete_draft_asks_first_then_deletes(qtbot, services, events, boxes):
    from PySide6.QtWidgets import QMessageBox, QPushButton

    from tests.builders import reference_agreement

    _, version_id = reference_agreement(services)
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    button = editor.findChild(QPushButton, "agreement_delete")
    assert button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # answered No
    assert len(services.agreements.list_versions()) == 1
    boxes.answer(QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [b.title for b in boxes.of("question")] == ["Delete this draft"] * 2
    assert services.agreements.list_versions() == []
    assert not editor.isVisible()


def test_editor_says_which_characters_cannot_be_printed(qtbot, services, events):
    from tests.builders import edit_draft, reference_agreement

    _, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"term": "With love \U00013000 and 王小明 😀."})
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    label = editor.findChild(QLabel, "agreement_unprintable")
    qtbot.waitUntil(label.isVisible)  # checked in the background
    assert "\U00013000 (egyptian hieroglyph a001)" in label.text()
    assert "😀" not in label.text()  # emoji print: Noto Emoji is shipped
    assert "王" not in label.text()  # Chinese prints: the app ships a font for it


def test_a_witness_can_be_recorded_from_the_editor_after_sign_off(qtbot, services, events):
    from PySide6.QtWidgets import QPushButton

    from collab_desktop.services.agreements.version_data import SignatoryData
    from tests.builders import reference_agreement, send_and_sign_all

    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.signatories.append(
        SignatoryData(name="Rhian Morgan", organisation_id=case.leyhill, capacity="witness",
                      required=False)
    )  # fmt: skip
    services.agreements.save_draft(v)
    send_and_sign_all(services, version_id)
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    editor.tabs.setCurrentIndex(2)
    assert editor.data.status == "signed_off"
    assert editor.findChild(QPushButton, "agreement_record").isVisible()
