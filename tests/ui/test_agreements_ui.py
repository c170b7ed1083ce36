"""The agreements UI driven through its widgets over a real database: starting an agreement,
editing a draft, the sign-off lifecycle, voiding, closing with unsaved edits, and the list.

Modal dialogs never run: the editor and the new-agreement dialog are shown, not exec()'d;
message boxes are answered by the `boxes` fixture (tests/ui/conftest.py); the signature, input
and file dialogs are replaced where a flow reaches them.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QWidget,
)

from collab_desktop.services.changes import AGREEMENTS, Changes
from collab_desktop.services.errors import StateError
from collab_desktop.ui.agreements.agreements_page import AgreementsPage, NewAgreementDialog
from collab_desktop.ui.agreements.editor import AgreementEditor
from collab_desktop.ui.agreements.responsibilities_table import R_AREA, R_OFTEN, R_PARTY, R_WHAT
from collab_desktop.ui.agreements.signatories_table import (
    S_CAPACITY,
    S_NAME,
    S_ORG,
    S_REQUIRED,
    S_ROLE,
    S_SIGNED,
)
from collab_desktop.ui.agreements.signature_dialog import SignatureDialog
from tests.builders import (
    FCW,
    FCW_SIGNER,
    LEYHILL,
    LEYHILL_SIGNER,
    RECOOP,
    RECOOP_SIGNER,
    SIGNED_ON,
    add_collaboration,
    add_partner,
    reference_agreement,
    reference_case,
    send_and_sign_all,
    signed_off_agreement,
)

Yes = QMessageBox.StandardButton.Yes
SIGNERS = [FCW_SIGNER, RECOOP_SIGNER, LEYHILL_SIGNER]


# -- helpers ------------------------------------------------------------------------------


def child(parent: QWidget, name: str, kind: type = QWidget):
    widget = parent.findChild(kind, name)
    assert widget is not None, f"no {kind.__name__} named {name}"
    return widget


def click(qtbot, parent: QWidget, name: str) -> None:
    button = child(parent, name, QPushButton)
    assert button.isVisible() and button.isEnabled(), f"{name} cannot be clicked"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def open_editor(qtbot, services, events, version_id) -> AgreementEditor:
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def shown(label: QWidget) -> str:
    """The text of a message label, which must be on screen."""
    assert label.isVisible(), f"{label.objectName()} is hidden"
    return label.text()


def resp_rows(editor: AgreementEditor) -> list[tuple[str, str, str, str]]:
    table = child(editor, "responsibilities_table")
    return [
        (
            table.cellWidget(row, R_PARTY).currentText(),
            table.cellWidget(row, R_AREA).currentText(),
            table.item(row, R_WHAT).text(),
            table.item(row, R_OFTEN).text(),
        )
        for row in range(table.rowCount())
    ]


def sig_rows(editor: AgreementEditor) -> list[tuple]:
    table = child(editor, "signatories_table")
    return [
        (
            table.cellWidget(row, S_CAPACITY).currentText(),
            table.item(row, S_NAME).text(),
            table.item(row, S_ROLE).text(),
            table.cellWidget(row, S_ORG).currentText(),
            table.cellWidget(row, S_REQUIRED).isChecked(),
            table.item(row, S_SIGNED).text(),
        )
        for row in range(table.rowCount())
    ]


def type_into_new_cell(qtbot, editor: AgreementEditor, text: str) -> None:
    """Type into the cell editor that "Add responsibility" opened, and press Enter."""
    viewport = child(editor, "responsibilities_table").viewport()
    cell_editors = [e for e in viewport.findChildren(QLineEdit) if e.isVisible()]
    assert len(cell_editors) == 1
    qtbot.keyClicks(cell_editors[0], text)
    qtbot.keyClick(cell_editors[0], Qt.Key.Key_Return)
    # The delegate commits the text on Enter through a queued call.
    table = child(editor, "responsibilities_table")
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState)


def locked(widget: QWidget) -> bool:
    """A cell's combo box or check box that a person can read but not change."""
    ignores_mouse = widget.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return not widget.isEnabled() or (
        ignores_mouse and widget.focusPolicy() == Qt.FocusPolicy.NoFocus
    )


def make_active(qtbot, window: QWidget) -> None:
    """Keyboard shortcuts reach only the active window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def type_at_end(qtbot, edit: QWidget, text: str) -> None:
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, text)


def tab(editor: AgreementEditor, index: int) -> None:
    """Show a tab (0 text, 1 responsibilities, 2 signatures), as a person would before
    using its buttons (they are not visible until then)."""
    child(editor, "agreement_tabs").setCurrentIndex(index)


def state(editor: AgreementEditor) -> str:
    return child(editor, "agreement_state").text()


def fingerprint_shown(editor: AgreementEditor) -> str:
    found = re.search(r"Fingerprint ([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})", state(editor))
    assert found, state(editor)
    return found.group(1)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages)


class Signing:
    """Stands in for SignatureDialog.exec: shows the dialog, fills it in as a person would,
    clicks "Record signature" and returns the dialog's result."""

    def __init__(self, qtbot, monkeypatch) -> None:
        self.qtbot = qtbot
        self.offered: list[list[str]] = []  # the names offered, each time the dialog opens
        self.errors: list[str] = []
        self.signed_on = SIGNED_ON
        self.who: str | None = None  # a name to choose; None keeps the dialog's own choice
        monkeypatch.setattr(SignatureDialog, "exec", lambda dialog: self.run(dialog))

    def run(self, dialog: SignatureDialog) -> int:
        dialog.show()
        who = child(dialog, "signature_who", QComboBox)
        self.offered.append([who.itemText(i).split(",")[0] for i in range(who.count())])
        if self.who is not None:
            who.setCurrentIndex(who.findText(self.who, Qt.MatchFlag.MatchStartsWith))
        date_field = child(dialog, "signature_date", QLineEdit)
        date_field.clear()
        self.qtbot.keyClicks(date_field, self.signed_on.strftime("%d/%m/%Y"))
        child(dialog, "signature_method", QComboBox).setCurrentIndex(1)  # typed name
        recorded_by = child(dialog, "signature_recorded_by", QLineEdit)
        recorded_by.clear()
        self.qtbot.keyClicks(recorded_by, "Amir Khan")
        click(self.qtbot, dialog, "signature_ok")
        if dialog.result() != QDialog.DialogCode.Accepted:
            self.errors.append(shown(child(dialog, "signature_error")))
            dialog.reject()
        return dialog.result()


@pytest.fixture
def signing(qtbot, monkeypatch) -> Signing:
    return Signing(qtbot, monkeypatch)


def send(qtbot, editor: AgreementEditor, boxes) -> None:
    boxes.answer(Yes)
    click(qtbot, editor, "agreement_send")


# -- starting an agreement ----------------------------------------------------------------


def test_new_agreement_dialog_offers_the_templates_and_blank(qtbot, services):
    case = reference_case(services)
    # Listed first by name, so the dialog has to choose the collaboration it was given.
    add_collaboration(
        services, "Art club at HMP Leyhill", [(case.leyhill, "host"), (case.recoop, "lead")]
    )
    dialog = NewAgreementDialog(services, collaboration_id=case.collaboration)
    qtbot.addWidget(dialog)
    dialog.show()

    templates = child(dialog, "new_agreement_template", QListWidget)
    names = [templates.item(i).text() for i in range(templates.count())]
    assert names == [
        "Two charities delivering in a prison",
        "Lead partner with subcontractors",
        "Several agencies in one centre",
        "Partnership board for system change",
        "Blank agreement",
    ]
    assert templates.currentRow() == 0
    description = child(dialog, "new_agreement_description").text()
    assert "prison signs the agreement off" in description
    templates.setCurrentRow(4)
    assert "Every section empty" in child(dialog, "new_agreement_description").text()
    collaboration = child(dialog, "new_agreement_collaboration", QComboBox)
    assert collaboration.count() == 2
    assert collaboration.currentText() == "Needlework group at HMP Leyhill"
    assert child(dialog, "new_agreement_error").isHidden()


def test_creating_from_the_prison_template_gives_recoop_its_duties_and_three_signers(
    qtbot, services, events
):
    case = reference_case(services)
    dialog = NewAgreementDialog(services, collaboration_id=case.collaboration)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog, "new_agreement_create")

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [r.version_id for r in services.agreements.list_versions()] == [dialog.version_id]
    editor = open_editor(qtbot, services, events, dialog.version_id)
    assert state(editor).startswith("Version 1 · Draft")
    assert child(editor, "agreement_title", QLineEdit).text() == "Joint agreement"

    recoop = [(area, what) for who, area, what, _ in resp_rows(editor) if who == RECOOP]
    assert [area for area, _ in recoop] == ["Materials", "Attendance", "Volunteers"]
    assert "kits" in recoop[0][1]
    assert "attendance" in recoop[1][1].lower()
    assert "volunteers" in recoop[2][1] and "risk assessments" in recoop[2][1]
    assert {who for who, *_ in resp_rows(editor)} == {FCW, RECOOP, LEYHILL, "Joint (all parties)"}

    assert [row[:5] for row in sig_rows(editor)] == [
        # Each person's own job title as recorded, not the template's guess.
        ("Party", FCW_SIGNER, "Head of Prison Programmes", FCW, True),
        ("Party", RECOOP_SIGNER, "Regional Coordinator", RECOOP, True),
        ("Host's approver", LEYHILL_SIGNER, "Governor", LEYHILL, True),
    ]
    assert {row[5] for row in sig_rows(editor)} == {"Not yet signed"}


def test_blank_agreement_with_a_title_lists_the_partners_as_signatories(qtbot, services):
    case = reference_case(services)
    dialog = NewAgreementDialog(services, collaboration_id=case.collaboration)
    qtbot.addWidget(dialog)
    dialog.show()
    child(dialog, "new_agreement_template", QListWidget).setCurrentRow(4)
    qtbot.keyClicks(child(dialog, "new_agreement_title", QLineEdit), "Needlework agreement")
    click(qtbot, dialog, "new_agreement_create")

    v = services.agreements.get_version(dialog.version_id)
    assert v.title == "Needlework agreement"
    assert v.responsibilities == []
    assert [(s.name, s.capacity) for s in v.signatories] == [
        (FCW_SIGNER, "party"),
        (RECOOP_SIGNER, "party"),
        (LEYHILL_SIGNER, "host_approver"),
    ]


def test_a_collaboration_of_one_gets_a_plain_message_and_no_agreement(qtbot, services):
    fcw = add_partner(services, FCW)
    solo = add_collaboration(services, "Fine Cell Work on its own", [(fcw, "lead")])
    dialog = NewAgreementDialog(services, collaboration_id=solo)
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog, "new_agreement_create")

    message = shown(child(dialog, "new_agreement_error"))
    assert "fewer than two partners" in message
    assert "Fine Cell Work on its own" in message
    assert "Error" not in message and "Traceback" not in message  # plain words only
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.version_id is None
    assert services.agreements.list_versions() == []


def test_with_no_collaborations_the_dialog_says_what_to_do_first(qtbot, services):
    dialog = NewAgreementDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "no collaborations yet" in shown(child(dialog, "new_agreement_error"))
    click(qtbot, dialog, "new_agreement_create")
    assert shown(child(dialog, "new_agreement_error")) == "Choose a collaboration first."
    assert services.agreements.list_versions() == []


# -- editing a draft ----------------------------------------------------------------------


def test_editing_a_draft_saves_text_and_responsibilities_in_order(qtbot, services, events):
    _, version_id = reference_agreement(services)
    original = [r.what for r in services.agreements.get_version(version_id).responsibilities]
    editor = open_editor(qtbot, services, events, version_id)
    save = child(editor, "agreement_save", QPushButton)
    assert save.isVisible() and not save.isEnabled()  # nothing to save yet

    purpose = child(editor, "section_purpose")
    purpose.clear()
    qtbot.keyClicks(purpose, "A weekly needlework group.")
    assert save.isEnabled()

    table = child(editor, "responsibilities_table")
    tab(editor, 1)
    click(qtbot, editor, "responsibility_add")
    assert table.rowCount() == 11 and table.currentRow() == 10
    type_into_new_cell(qtbot, editor, "Share photos of finished work")
    click(qtbot, editor, "responsibility_up")
    click(qtbot, editor, "responsibility_up")
    click(qtbot, editor, "responsibility_down")
    assert table.currentRow() == 9
    table.setCurrentCell(0, R_WHAT)
    click(qtbot, editor, "responsibility_remove")
    expected = [*original[1:9], "Share photos of finished work", original[9]]
    assert [row[2] for row in resp_rows(editor)] == expected

    with qtbot.waitSignal(events.changes) as changed:
        click(qtbot, editor, "agreement_save")
    assert changed.args[0].kinds == {AGREEMENTS}
    assert not save.isEnabled()
    assert child(editor, "agreement_problem").isHidden()

    saved = services.agreements.get_version(version_id)
    assert saved.sections["purpose"] == "A weekly needlework group."
    assert [r.what for r in saved.responsibilities] == expected
    new = saved.responsibilities[8]
    assert (new.organisation_id, new.contact_id, new.area) == (None, None, "other")  # joint
    # What the editor shows after saving is what was stored.
    assert [row[2] for row in resp_rows(editor)] == expected
    assert child(editor, "section_purpose").toPlainText() == "A weekly needlework group."


def test_an_empty_responsibility_is_reported_and_nothing_typed_is_lost(qtbot, services, events):
    _, version_id = reference_agreement(services)
    before = services.agreements.get_version(version_id)
    editor = open_editor(qtbot, services, events, version_id)
    type_at_end(qtbot, child(editor, "section_money"), " Kits cost about £40 each.")
    qtbot.keyClicks(child(editor, "review_frequency", QLineEdit), ", or sooner")
    tab(editor, 1)
    click(qtbot, editor, "responsibility_add")  # left empty
    child(editor, "responsibility_add", QPushButton).setFocus()  # close the cell editor

    click(qtbot, editor, "agreement_save")

    assert shown(child(editor, "agreement_problem")) == "Please enter what responsibility 11 is."
    assert child(editor, "agreement_tabs").currentIndex() == 1
    assert child(editor, "responsibilities_table").currentRow() == 10
    assert child(editor, "section_money").toPlainText().endswith("Kits cost about £40 each.")
    assert child(editor, "review_frequency", QLineEdit).text() == "Every three months, or sooner"
    assert len(resp_rows(editor)) == 11
    assert child(editor, "agreement_save").isEnabled()  # still unsaved
    assert services.agreements.get_version(version_id) == before


def test_an_impossible_review_date_is_reported_and_nothing_is_lost(qtbot, services, events):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    tab(editor, 2)
    qtbot.keyClicks(child(editor, "reviewers", QLineEdit), " Also the governor.")
    qtbot.keyClicks(child(editor, "next_review", QLineEdit), "31/02/2026")

    click(qtbot, editor, "agreement_save")

    message = shown(child(editor, "agreement_problem"))
    assert message.startswith("Next review:") and "31/02/2026" in message
    assert "day/month/year" in message
    assert child(editor, "agreement_tabs").currentIndex() == 0
    assert child(editor, "next_review", QLineEdit).text() == "31/02/2026"
    assert child(editor, "reviewers", QLineEdit).text().endswith("Also the governor.")
    assert services.agreements.get_version(version_id).next_review is None

    field = child(editor, "next_review", QLineEdit)
    field.clear()
    qtbot.keyClicks(field, "01/07/2026")
    click(qtbot, editor, "agreement_save")
    assert child(editor, "agreement_problem").isHidden()
    saved = services.agreements.get_version(version_id)
    assert saved.next_review == date(2026, 7, 1)
    assert saved.reviewers.endswith("Also the governor.")


def test_ctrl_s_while_typing_in_a_cell_saves_what_was_typed(qtbot, services, events):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    make_active(qtbot, editor)
    type_at_end(qtbot, child(editor, "section_money"), " Kits cost about £40 each.")
    tab(editor, 1)
    table = child(editor, "responsibilities_table")
    table.setCurrentCell(0, R_WHAT)
    table.editItem(table.item(0, R_WHAT))
    cell = QApplication.focusWidget()
    assert isinstance(cell, QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "Receive the kits and keep them locked away.")

    with qtbot.waitSignal(events.changes):
        qtbot.keyClick(cell, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    saved = services.agreements.get_version(version_id)
    assert saved.responsibilities[0].what == "Receive the kits and keep them locked away."
    assert saved.sections["money"].endswith("Kits cost about £40 each.")
    assert resp_rows(editor)[0][2] == "Receive the kits and keep them locked away."


def test_moving_a_row_from_the_keyboard_keeps_the_text_being_typed(qtbot, services, events):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    make_active(qtbot, editor)
    tab(editor, 1)
    table = child(editor, "responsibilities_table")
    table.setCurrentCell(1, R_WHAT)
    table.editItem(table.item(1, R_WHAT))
    cell = QApplication.focusWidget()
    cell.selectAll()
    qtbot.keyClicks(cell, "Keep the attendance sheet.")

    qtbot.keyClick(cell, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)  # "Move &up"
    qtbot.waitUntil(lambda: resp_rows(editor)[0][2] == "Keep the attendance sheet.")

    assert table.currentRow() == 0
    assert child(editor, "agreement_save").isEnabled()


def test_closing_while_typing_in_a_cell_asks_about_the_typed_text(qtbot, services, events, boxes):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    tab(editor, 1)
    table = child(editor, "responsibilities_table")
    table.setCurrentCell(1, R_OFTEN)
    table.editItem(table.item(1, R_OFTEN))
    qtbot.keyClick(table.focusWidget(), Qt.Key.Key_End)
    qtbot.keyClicks(table.focusWidget(), " and at weekends")
    boxes.answer(QMessageBox.StandardButton.Save)

    editor.close()  # as the window's close button does: the cell keeps the focus

    assert [b.title for b in boxes.of("question")] == ["Unsaved changes"]
    assert not editor.isVisible()
    saved = services.agreements.get_version(version_id).responsibilities[1]
    assert saved.how_often == "Every session and at weekends"


# -- sign-off ------------------------------------------------------------------------------


def test_send_freezes_the_text_and_three_signatures_sign_it_off(
    qtbot, services, events, boxes, signing
):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    draft_fingerprint = fingerprint_shown(editor)
    assert "Draft" in state(editor)
    assert not child(editor, "agreement_record").isVisible()

    send(qtbot, editor, boxes)

    assert [b.title for b in boxes.of("question")] == ["Send for signatures"]
    assert "Awaiting signatures" in state(editor)
    stored = services.agreements.get_version(version_id).fingerprint
    assert fingerprint_shown(editor) == stored == draft_fingerprint
    assert child(editor, "agreement_tabs").currentIndex() == 2
    for name in ("section_purpose", "section_money", "agreement_title", "next_review"):
        assert child(editor, name).isReadOnly(), name
    for name in ("agreement_save", "agreement_send", "responsibility_add", "signatory_add"):
        assert not child(editor, name).isVisible(), name
    table = child(editor, "responsibilities_table")
    assert table.editTriggers() == table.EditTrigger.NoEditTriggers
    assert locked(table.cellWidget(0, R_PARTY)) and locked(table.cellWidget(0, R_AREA))
    assert locked(child(editor, "signatories_table").cellWidget(0, S_REQUIRED))
    assert child(editor, "agreement_to_draft").isVisible()

    for done in range(3):
        child(editor, "signatories_table").setCurrentCell(done, S_NAME)
        click(qtbot, editor, "agreement_record")
        signed = [row[1] for row in sig_rows(editor) if row[5] != "Not yet signed"]
        assert signed == SIGNERS[: done + 1]
        if done < 2:
            assert "Awaiting signatures" in state(editor)
            assert not boxes.of("information")

    assert signing.offered == [SIGNERS, SIGNERS[1:], SIGNERS[2:]]
    assert "Signed off" in state(editor)
    assert "Signed off 10/03/2025" in state(editor)
    assert fingerprint_shown(editor) == stored
    assert [b.title for b in boxes.of("information")] == ["Signed off"]
    assert "version 1 is signed off" in boxes.of("information")[0].text
    assert sig_rows(editor)[0][5] == "Signed 10/03/2025 (typed name), recorded by Amir Khan"
    v = services.agreements.get_version(version_id)
    assert (v.status, v.signed_off_on) == ("signed_off", SIGNED_ON)
    assert {(s.method, s.recorded_by) for s in v.signatories} == {("typed", "Amir Khan")}
    assert QSettings().value("user/name") == "Amir Khan"  # offered next time
    assert not child(editor, "agreement_record").isVisible()
    assert child(editor, "agreement_new_version").isVisible()


def test_a_signature_dated_in_the_future_is_refused_and_nothing_recorded(
    qtbot, services, events, boxes, signing
):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    send(qtbot, editor, boxes)
    signing.signed_on = date.today() + timedelta(days=1)

    click(qtbot, editor, "agreement_record")

    assert signing.errors == ["The date signed cannot be in the future."]
    v = services.agreements.get_version(version_id)
    assert v.status == "awaiting_signatures"
    assert not any(s.signed for s in v.signatories)
    assert {row[5] for row in sig_rows(editor)} == {"Not yet signed"}


def test_the_signature_dialog_keeps_a_bad_date_and_says_why(qtbot, services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    unsigned = services.agreements.get_version(version_id).signatories
    dialog = SignatureDialog(services, unsigned, unsigned[2].id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert child(dialog, "signature_who", QComboBox).currentText() == "Helen Price, Governor"
    assert child(dialog, "signature_date", QLineEdit).text() == date.today().strftime("%d/%m/%Y")

    for typed, message in (("31/02/2025", "is not a date"), ("", "enter the date")):
        field = child(dialog, "signature_date", QLineEdit)
        field.clear()
        qtbot.keyClicks(field, typed)
        click(qtbot, dialog, "signature_ok")
        assert message in shown(child(dialog, "signature_error"))
        assert field.text() == typed
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert not any(s.signed for s in services.agreements.get_version(version_id).signatories)


def test_a_person_cannot_sign_twice(qtbot, services, events, boxes, signing):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    send(qtbot, editor, boxes)
    signing.who = RECOOP_SIGNER
    click(qtbot, editor, "agreement_record")
    signing.who = None
    child(editor, "signatories_table").setCurrentCell(1, S_NAME)  # Tom Rhys, already signed
    click(qtbot, editor, "agreement_record")

    assert signing.offered == [SIGNERS, [FCW_SIGNER, LEYHILL_SIGNER]]
    assert [row[1] for row in sig_rows(editor) if row[5] != "Not yet signed"] == [
        FCW_SIGNER,
        RECOOP_SIGNER,
    ]

    # Forced: a dialog offering the signed person anyway, and the service itself.
    everyone = services.agreements.get_version(version_id).signatories
    tom = everyone[1]
    dialog = SignatureDialog(services, everyone, tom.id)
    qtbot.addWidget(dialog)
    dialog.show()
    child(dialog, "signature_date", QLineEdit).setText("11/03/2025")
    click(qtbot, dialog, "signature_ok")
    assert "cannot be recorded twice" in shown(child(dialog, "signature_error"))
    with pytest.raises(StateError, match="cannot be recorded twice"):
        services.agreements.record_signature(tom.id, date(2025, 3, 11), "typed", "Someone else")
    after = services.agreements.get_version(version_id).signatories[1]
    assert (after.signed_on, after.recorded_by) == (SIGNED_ON, "Amir Khan")


def test_back_to_draft_clears_the_signatures_recorded(qtbot, services, events, boxes, signing):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    send(qtbot, editor, boxes)
    click(qtbot, editor, "agreement_record")
    assert sig_rows(editor)[0][5].startswith("Signed")

    boxes.answer(Yes)
    click(qtbot, editor, "agreement_to_draft")

    question = boxes.of("question")[-1]
    assert question.title == "Back to draft"
    assert FCW_SIGNER in question.text and "will be cleared" in question.text
    assert state(editor).startswith("Version 1 · Draft")
    assert {row[5] for row in sig_rows(editor)} == {"Not yet signed"}
    assert not child(editor, "section_purpose").isReadOnly()
    assert child(editor, "agreement_send").isVisible()
    v = services.agreements.get_version(version_id)
    assert v.status == "draft"
    assert not any(s.signed or s.recorded_by for s in v.signatories)


def test_back_to_draft_answered_no_changes_nothing(qtbot, services, events, boxes):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    send(qtbot, editor, boxes)
    click(qtbot, editor, "agreement_to_draft")  # the default answer is No
    assert "Awaiting signatures" in state(editor)
    assert services.agreements.get_version(version_id).status == "awaiting_signatures"


# -- versions and voiding -----------------------------------------------------------------


def test_a_new_version_signed_off_supersedes_the_first(qtbot, services, events, boxes):
    _, v1 = signed_off_agreement(services)
    editor = open_editor(qtbot, services, events, v1)
    assert "Signed off" in state(editor)

    click(qtbot, editor, "agreement_new_version")

    assert state(editor).startswith("Version 2 · Draft")
    assert editor.windowTitle() == "Joint agreement — version 2"
    v2 = editor.version_id
    versions = child(editor, "agreement_versions", QComboBox)
    assert [versions.itemText(i) for i in range(versions.count())] == [
        "1 (Signed off)",
        "2 (Draft)",
    ]
    assert versions.currentText() == "2 (Draft)"
    assert not child(editor, "section_purpose").isReadOnly()
    assert [row[1] for row in sig_rows(editor)] == SIGNERS
    assert {row[5] for row in sig_rows(editor)} == {"Not yet signed"}
    assert not child(editor, "agreement_new_version").isVisible()  # one open version at a time

    # Reading the first version again from the combo, then back.
    versions.setCurrentIndex(0)
    versions.activated.emit(0)
    assert state(editor).startswith("Version 1 · Signed off")
    assert child(editor, "section_purpose").isReadOnly()
    versions.setCurrentIndex(1)
    versions.activated.emit(1)
    assert editor.version_id == v2

    # Choosing another version with unsaved edits asks; Cancel stays on the edited draft.
    type_at_end(qtbot, child(editor, "section_term"), " Renewed each April.")
    boxes.answer(QMessageBox.StandardButton.Cancel)
    versions.setCurrentIndex(0)
    versions.activated.emit(0)
    assert boxes.of("question")[-1].title == "Unsaved changes"
    assert editor.version_id == v2
    assert versions.currentText() == "2 (Draft)"
    assert child(editor, "section_term").toPlainText().endswith("Renewed each April.")
    boxes.answer(QMessageBox.StandardButton.Discard)
    versions.setCurrentIndex(0)
    versions.activated.emit(0)
    assert editor.version_id == v1
    assert versions.currentText() == "1 (Signed off)"

    send_and_sign_all(services, v2)
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.refresh()
    assert [(row.number, row.status_label) for row in page_rows(page)] == [
        (1, "Superseded"),
        (2, "Signed off"),
    ]
    assert [page.proxy.index(r, 3).data() for r in range(page.proxy.rowCount())] == [
        "Superseded",
        "Signed off",
    ]


def test_void_needs_a_reason_then_marks_the_version_and_its_pdf(
    qtbot, services, events, monkeypatch, tmp_path
):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    answers = [("   ", True), ("The prison asked for a different room.", True)]
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: answers.pop(0)))

    click(qtbot, editor, "agreement_void")
    assert shown(child(editor, "agreement_problem")) == "Please say why this version is void."
    assert state(editor).startswith("Version 1 · Draft")
    assert services.agreements.get_version(version_id).status == "draft"

    click(qtbot, editor, "agreement_void")
    assert "Void" in state(editor)
    assert "Void: The prison asked for a different room." in state(editor)
    assert child(editor, "agreement_problem").isHidden()
    assert not child(editor, "agreement_void").isVisible()
    assert child(editor, "section_purpose").isReadOnly()

    target = tmp_path / "void.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), ""))
    )
    click(qtbot, editor, "agreement_pdf")
    text = pdf_text(target.read_bytes())
    assert "VOID" in text
    assert "The prison asked for a different room." in text
    assert "Not signed: this version is void." in text


def test_void_cancelled_changes_nothing(qtbot, services, events, monkeypatch):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Why", False)))
    click(qtbot, editor, "agreement_void")
    assert services.agreements.get_version(version_id).status == "draft"
    assert child(editor, "agreement_problem").isHidden()


# -- closing with unsaved edits -----------------------------------------------------------


def test_closing_with_unsaved_edits_asks_first(qtbot, services, events, boxes):
    _, version_id = reference_agreement(services)
    stored = services.agreements.get_version(version_id).sections["money"]
    editor = open_editor(qtbot, services, events, version_id)
    money = child(editor, "section_money")
    type_at_end(qtbot, money, " Not yet agreed.")

    boxes.answer(QMessageBox.StandardButton.Cancel)
    click(qtbot, editor, "agreement_close")
    assert editor.isVisible()
    assert money.toPlainText() == stored + " Not yet agreed."
    assert boxes.of("question")[-1].title == "Unsaved changes"

    boxes.answer(QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Escape asks too
    assert editor.isVisible()
    assert len(boxes.of("question")) == 2

    boxes.answer(QMessageBox.StandardButton.Discard)
    click(qtbot, editor, "agreement_close")
    assert not editor.isVisible()
    assert services.agreements.get_version(version_id).sections["money"] == stored


def test_closing_and_choosing_save_keeps_the_edits(qtbot, services, events, boxes):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    type_at_end(qtbot, child(editor, "section_disputes"), " Or ask a mediator.")
    boxes.answer(QMessageBox.StandardButton.Save)
    click(qtbot, editor, "agreement_close")
    assert not editor.isVisible()
    saved = services.agreements.get_version(version_id).sections["disputes"]
    assert saved.endswith("Or ask a mediator.")


def test_closing_an_unchanged_draft_asks_nothing(qtbot, services, events, boxes):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    click(qtbot, editor, "agreement_close")
    assert not editor.isVisible()
    assert boxes.shown == []


# -- the list page ------------------------------------------------------------------------


def page_rows(page: AgreementsPage) -> list:
    from collab_desktop.ui.table_model import ROW_ROLE

    return [page.proxy.index(r, 0).data(ROW_ROLE) for r in range(page.proxy.rowCount())]


def test_the_list_shows_every_version_and_filters_by_collaboration(qtbot, services, events):
    case, v1 = signed_off_agreement(services)
    v2 = services.agreements.new_version(v1)
    add_collaboration(
        services,
        "Sewing circle in Bristol",
        [(case.fine_cell_work, "lead"), (case.recoop, "partner")],
    )
    bristol = services.collaborations.list_collaborations()[1].id
    services.agreements.create_agreement(bristol, None, "Circle agreement")

    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    events.broadcast(Changes.of(AGREEMENTS))  # pages refresh on the shared signal
    rows = [(r.collaboration, r.number, r.status_label, r.signatures) for r in page_rows(page)]
    assert rows == [
        ("Needlework group at HMP Leyhill", 1, "Signed off", "3 of 3"),
        ("Needlework group at HMP Leyhill", 2, "Draft", "0 of 3"),
        ("Sewing circle in Bristol", 1, "Draft", "0 of 2"),
    ]
    assert child(page, "agreements_count").text() == "3"

    qtbot.keyClicks(child(page, "agreements_filter", QLineEdit), "needlework")
    assert [r.version_id for r in page_rows(page)] == [v1, v2]
    assert child(page, "agreements_count").text() == "2 of 3"
    child(page, "agreements_filter", QLineEdit).clear()
    qtbot.keyClicks(child(page, "agreements_filter", QLineEdit), "BRISTOL circle")
    assert [r.title for r in page_rows(page)] == ["Circle agreement"]


def test_open_with_nothing_chosen_says_so(qtbot, services, events, boxes):
    reference_agreement(services)
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    click(qtbot, page, "agreements_open")
    assert [b.text for b in boxes.of("information")] == ["Choose an agreement in the list first."]


def test_opening_a_row_shows_that_version_in_the_editor(qtbot, services, events, monkeypatch):
    _, version_id = reference_agreement(services)
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    opened = []

    def fake_exec(editor):
        opened.append((editor.version_id, editor.parent() is page, state(editor)))
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(AgreementEditor, "exec", fake_exec)
    page.select_where(lambda r: r.version_id == version_id)
    click(qtbot, page, "agreements_open")
    assert opened == [(version_id, True, opened[0][2])]
    assert opened[0][2].startswith("Version 1 · Draft")


def test_ctrl_n_creates_a_draft_selects_it_and_opens_it(qtbot, services, events, monkeypatch):
    reference_case(services)
    page = AgreementsPage(services, events)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    opened = []

    def fake_new(dialog):
        dialog.show()
        click(qtbot, dialog, "new_agreement_create")
        return dialog.result()

    def fake_editor(editor):
        opened.append(editor.version_id)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(NewAgreementDialog, "exec", fake_new)
    monkeypatch.setattr(AgreementEditor, "exec", fake_editor)
    assert child(page, "agreements_new", QPushButton).shortcut().toString() == "Ctrl+N"
    make_active(qtbot, page)
    qtbot.keyClick(
        child(page, "agreements_filter"), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: bool(opened))  # a shortcut "animates" the button's click

    (row,) = page_rows(page)
    assert opened == [row.version_id]
    assert page.selected() == row
    assert row.status_label == "Draft"


def test_a_signatory_added_in_the_editor_must_sign_unless_unticked(qtbot, services, events):
    _, version_id = reference_agreement(services)
    editor = open_editor(qtbot, services, events, version_id)
    tab(editor, 2)
    click(qtbot, editor, "signatory_add")
    table = child(editor, "signatories_table")
    assert table.rowCount() == 4
    assert isinstance(table.cellWidget(3, S_REQUIRED), QCheckBox)
    assert table.cellWidget(3, S_REQUIRED).isChecked()


def test_on_a_partners_laptop_the_signature_dialog_starts_on_its_own_signatory(
    qtbot, services, events, boxes, monkeypatch
):
    # Seen by the tester: on RECOOP's laptop "Record signature…" offered the lead's chief
    # executive first, and one Enter recorded the wrong person's signature.
    from collab_desktop.ui.preferences import remember_own_organisation

    case, version_id = reference_agreement(services)
    remember_own_organisation(services, "RECOOP")
    editor = open_editor(qtbot, services, events, version_id)
    send(qtbot, editor, boxes)
    editor.sig_table.clearSelection()
    offered: list[str] = []

    def look(dialog) -> int:
        offered.append(child(dialog, "signature_who", QComboBox).currentData())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(SignatureDialog, "exec", look)
    click(qtbot, editor, "agreement_record")
    signatories = {s.id: s for s in services.agreements.get_version(version_id).signatories}
    assert signatories[offered[0]].organisation_id == case.recoop
    # A row the user picks still wins.
    lead_row = next(i for i, s in enumerate(editor.data.signatories)
                    if s.organisation_id == case.fine_cell_work)  # fmt: skip
    editor.sig_table.selectRow(lead_row)
    click(qtbot, editor, "agreement_record")
    assert signatories[offered[1]].organisation_id == case.fine_cell_work
