"""Edit → Preferences: who you are (in the audit trail at once), your own organisation (a
partner, offered in each new collaboration), how names print on new activities' sheets, the
paper every PDF is laid out for, and where backups go from the next start."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from reportlab.lib.pagesizes import A4, LETTER

from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.partners import PartnerData
from collab_desktop.ui.collaboration_dialog import CollaborationDialog
from collab_desktop.ui.main_window import MainWindow
from collab_desktop.ui.preferences import (
    PreferencesDialog,
    apply_preferences,
    backup_folder,
    load_preferences,
    own_organisation_id,
)
from tests.ui.widgets import choose, type_into

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, services, tmp_path):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.attach(services)
    return window


def open_preferences(qtbot, window) -> PreferencesDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_Comma, CTRL)
    dialog = window.preferences_dialog
    assert dialog.isVisible()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def custody_collaboration(services) -> object:
    prison = services.partners.save_partner(PartnerData(name="HMP Leyhill", kind="prison"))
    return services.collaborations.save_collaboration(
        CollaborationData(
            name="Needlework group", setting="custody", members=[MemberData(prison, "host")]
        )
    )


def test_your_name_goes_into_the_audit_trail_at_once(qtbot, window, services):
    dialog = open_preferences(qtbot, window)
    assert QApplication.focusWidget() is dialog.user_name
    type_into(qtbot, dialog, "preferences_user_name", "Ffion Evans")
    qtbot.keyClick(dialog.user_name, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert services.audit.user == "Ffion Evans"
    assert QSettings().value("user/name") == "Ffion Evans"


def test_your_organisation_becomes_a_partner_and_joins_new_collaborations(
    qtbot, window, services, events
):
    dialog = open_preferences(qtbot, window)
    type_into(qtbot, dialog, "preferences_user_name", "Ffion Evans")
    dialog.organisation.setCurrentText("Stitching Futures")
    dialog.save_button.click()
    [row] = services.partners.list_partners()
    assert row.name == "Stitching Futures"
    assert window.partners_page.model.rowCount() == 1, "the partners list knows at once"
    assert own_organisation_id(services) == row.id
    assert services.audit.user == "Ffion Evans (Stitching Futures)"

    collaboration = CollaborationDialog(services, events)
    qtbot.addWidget(collaboration)
    assert [m.organisation_id for m in collaboration.member_rows()] == [row.id]

    # Choosing it again (in other words) adds no second partner.
    dialog = open_preferences(qtbot, window)
    assert dialog.organisation.currentText() == "Stitching Futures"
    dialog.organisation.setCurrentText("stitching futures ltd")
    dialog.save_button.click()
    assert [p.name for p in services.partners.list_partners()] == ["Stitching Futures"]


def test_an_existing_partner_can_be_chosen_from_the_list(qtbot, window, services):
    chosen = services.partners.save_partner(PartnerData(name="RECOOP"))
    services.partners.save_partner(PartnerData(name="Fine Cell Work"))
    dialog = open_preferences(qtbot, window)
    choose(dialog.organisation, "RECOOP")
    dialog.save_button.click()
    assert own_organisation_id(services) == chosen
    assert len(services.partners.list_partners()) == 2


def test_new_activities_print_names_as_chosen(qtbot, window, services):
    collaboration = custody_collaboration(services)
    assert services.activities.new_activity(collaboration).name_printing == "initials"
    dialog = open_preferences(qtbot, window)
    choose(dialog.name_printing, "First name and initial")
    dialog.save_button.click()
    assert services.activities.new_activity(collaboration).name_printing == "first_initial"
    # Back to "as the setting suggests": initials again in custody.
    dialog = open_preferences(qtbot, window)
    dialog.name_printing.setCurrentIndex(0)
    dialog.save_button.click()
    assert services.activities.new_activity(collaboration).name_printing == "initials"


def test_the_choice_is_applied_to_records_opened_later(services):
    QSettings().setValue("print/name_printing", "full")
    QSettings().setValue("user/name", "Ffion Evans")
    apply_preferences(services)
    assert services.activities.name_printing_default == "full"
    assert services.audit.user == "Ffion Evans"


def _mediabox(path) -> tuple[float, float]:
    page = PdfReader(io.BytesIO(path.read_bytes())).pages[0]
    return float(page.mediabox.width), float(page.mediabox.height)


def test_both_pdfs_use_the_paper_chosen(qtbot, window, services, monkeypatch, tmp_path):
    from collab_desktop.ui.delivery.sheet_actions import save_sheets_pdf
    from collab_desktop.ui.pdf_actions import save_agreement_pdf
    from tests.delivery_builders import needlework_group

    group = needlework_group(services)
    version_id = services.agreements.create_agreement(group.case.collaboration, None)
    [first, *_] = services.activities.sessions_of(group.activity)
    targets = iter([tmp_path / "a4.pdf", tmp_path / "letter.pdf", tmp_path / "sheet.pdf"])
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(next(targets)), ""))
    )
    save_agreement_pdf(window, services, version_id)
    assert _mediabox(tmp_path / "a4.pdf") == pytest.approx(A4, abs=0.1)

    dialog = open_preferences(qtbot, window)
    choose(dialog.paper, "US Letter (8½ × 11 in)")
    dialog.save_button.click()
    assert load_preferences().paper == "Letter"
    save_agreement_pdf(window, services, version_id)
    assert _mediabox(tmp_path / "letter.pdf") == pytest.approx(LETTER, abs=0.1)
    save_sheets_pdf(window, services, [first.id])
    assert _mediabox(tmp_path / "sheet.pdf") == pytest.approx(LETTER, abs=0.1)


def test_backup_folder_applies_from_the_next_start(qtbot, window, services, tmp_path):
    dialog = open_preferences(qtbot, window)
    assert str(services.backups.folder) in dialog.backup_folder.placeholderText()
    assert (
        "next time Collab Desktop starts"
        in dialog.findChild(type(dialog.error), "preferences_backup_folder_note").text()
    )
    chosen = tmp_path / "usb stick"
    dialog.ask_for_folder = lambda start: str(chosen)
    dialog.findChild(type(dialog.save_button), "preferences_choose_backup_folder").click()
    assert dialog.backup_folder.text() == str(chosen)
    dialog.save_button.click()
    assert backup_folder() == chosen
    assert services.backups.folder != chosen, "the records open now keep their folder"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("backups here", "full path"), ("{file}", "is a file, not a folder")],
)
def test_a_backup_folder_that_cannot_be_used_is_refused(qtbot, window, tmp_path, typed, expected):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    dialog = open_preferences(qtbot, window)
    type_into(qtbot, dialog, "preferences_user_name", "Ffion Evans")
    dialog.backup_folder.setText(typed.format(file=a_file))
    dialog.save_button.click()
    assert dialog.isVisible() and expected in dialog.error.text()
    assert dialog.user_name.text() == "Ffion Evans", "nothing typed is lost"
    assert QSettings().value("user/name") in (None, "")


def test_with_the_example_open_your_organisation_is_left_alone(qtbot, services, tmp_path):
    QSettings().setValue("user/organisation", "Stitching Futures")
    window = MainWindow(tmp_path, demo=True)
    qtbot.addWidget(window)
    window.attach(services)
    dialog = window.open_preferences()
    assert not dialog.organisation.isEnabled()
    type_into(qtbot, dialog, "preferences_user_name", "Ffion Evans")
    dialog.save_button.click()
    assert services.partners.list_partners() == []
    assert load_preferences().organisation == "Stitching Futures"
    assert services.audit.user == "Ffion Evans (Stitching Futures)"


def test_cancel_changes_nothing(qtbot, window, services):
    dialog = open_preferences(qtbot, window)
    type_into(qtbot, dialog, "preferences_user_name", "Somebody Else")
    qtbot.keyClick(dialog.user_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert QSettings().value("user/name") in (None, "")
    assert services.audit.user == ""


def test_every_note_in_preferences_shows_whole_on_a_small_laptop_screen(qtbot, services):
    # Seen by the tester at 1366×768: each note under a field cut to half a line.
    from PySide6.QtWidgets import QLabel


    dialog = PreferencesDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    notes = [n for n in dialog.findChildren(QLabel) if n.objectName().endswith("_note")]
    assert len(notes) >= 5
    for note in notes:
        assert note.height() >= note.heightForWidth(note.width()), note.text()
    assert dialog.height() <= 728  # 768 less a taskbar
