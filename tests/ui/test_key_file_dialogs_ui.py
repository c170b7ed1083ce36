"""Putting back a lost or damaged key file at start, and a new recovery code from
Preferences (ui/key_file_dialogs.py), through the real dialogs over real encrypted files."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from collab_desktop import app
from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import (
    PASSPHRASE_KIND,
    RECOVERY_CODE_KIND,
    WrongRecoveryCode,
    create_encrypted,
    key_file_path,
    open_with_secret,
)
from collab_desktop.ui.encryption import RecoverySheetDialog
from collab_desktop.ui.key_file_dialogs import PutBackKeyDialog, make_new_recovery_code
from collab_desktop.ui.preferences import PreferencesDialog
from tests.builders import add_partner
from tests.ui.test_pdf_actions import save_dialog  # noqa: F401 (fixture)

Yes = QMessageBox.StandardButton.Yes
FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
PASSPHRASE = "kettle orbit meadow"


@pytest.fixture
def encrypted(tmp_path):
    database = tmp_path / "enc" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    records, new = create_encrypted(database, PASSPHRASE, kdf=dict(FAST))
    services = open_services(records)
    add_partner(services, "Kept Trust")
    services.backups.backup_now("manual")
    services.close()
    return records, new


def _unlock_in(dialog: PutBackKeyDialog, qtbot, secret: str, kind: str = PASSPHRASE_KIND):
    panel = dialog.panel
    if kind != panel.kind:
        qtbot.mouseClick(panel.switch, Qt.MouseButton.LeftButton)
    field = panel.field()
    field.selectAll()
    qtbot.keyClicks(field, secret)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)


def test_a_lost_key_file_is_put_back_from_a_backups_copy(qtbot, encrypted):
    records, _ = encrypted
    key_file_path(records.path).unlink()
    dialog = PutBackKeyDialog(records.path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Copies found: 1" in dialog.found.text()

    _unlock_in(dialog, qtbot, "not the passphrase")
    assert "opens none of the key file copies" in dialog.panel.errors.label("passphrase").text()
    assert not key_file_path(records.path).exists(), "nothing put back, nothing made"
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _unlock_in(dialog, qtbot, PASSPHRASE)

    assert dialog.records == records
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records


def test_the_recovery_code_and_a_copy_chosen_from_a_usb_stick(qtbot, encrypted, tmp_path):
    records, new = encrypted
    key_file_path(records.path).unlink()
    # The backups are only on the stick now.
    stick = tmp_path / "stick"
    (records.path.parent / "backups").rename(stick)
    dialog = PutBackKeyDialog(records.path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "No copy was found" in dialog.found.text()
    [copy] = stick.glob("*.key")
    dialog.ask_for_copy = lambda: str(copy)
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert copy.name in dialog.found.text()

    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _unlock_in(dialog, qtbot, new.recovery_code, RECOVERY_CODE_KIND)
    assert dialog.records == records


def test_at_start_records_without_their_key_file_ask_to_put_it_back(qtbot, encrypted, boxes):
    records, _ = encrypted
    key_file_path(records.path).unlink()

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PutBackKeyDialog):
            QTimer.singleShot(20, drive)
            return
        _unlock_in(dialog, qtbot, PASSPHRASE)

    QTimer.singleShot(0, drive)
    opened, new_key = app._records_to_open(records.path, False, None, None)

    assert opened == records and new_key is None
    assert "put back" in boxes.of("information")[-1].text


def test_at_start_a_damaged_key_file_is_put_back_too(qtbot, encrypted, boxes):
    records, _ = encrypted
    key_file_path(records.path).write_text('{"format": "collab-desktop-records-key"')
    seen = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, PutBackKeyDialog):
            QTimer.singleShot(20, drive)
            return
        seen.append(dialog.windowTitle())
        _unlock_in(dialog, qtbot, PASSPHRASE)

    QTimer.singleShot(0, drive)
    opened, _ = app._records_to_open(records.path, False, None, None)
    assert seen and opened == records


def _pdf_text(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def test_a_new_recovery_code_is_saved_on_a_new_sheet_and_the_old_stops_working(
    qtbot,
    encrypted,
    boxes,
    save_dialog,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    records, old = encrypted
    shown: list[str] = []

    def save_then_close(dialog) -> int:
        shown.append(dialog.sheet.recovery_code)
        dialog.save_sheet()
        dialog.accept()
        return 1

    monkeypatch.setattr(RecoverySheetDialog, "exec", save_then_close)
    save_dialog.answer = tmp_path / "sheet.pdf"
    boxes.answer(Yes)

    assert make_new_recovery_code(None, records) is True

    [code] = shown
    assert code != old.recovery_code
    sheet = _pdf_text(save_dialog.answer)
    assert all(group in sheet for group in code.split("-")), "the new code is on the sheet"
    assert open_with_secret(records.path, RECOVERY_CODE_KIND, code) == records
    with pytest.raises(WrongRecoveryCode):
        open_with_secret(records.path, RECOVERY_CODE_KIND, old.recovery_code)
    [backup] = (records.path.parent / "backups").glob("*.sqlite3")
    with pytest.raises(WrongRecoveryCode):
        open_with_secret(backup, RECOVERY_CODE_KIND, old.recovery_code)
    assert open_with_secret(records.path, PASSPHRASE_KIND, PASSPHRASE) == records
    assert "old one no longer" in boxes.of("information")[-1].text


def test_a_new_sheet_neither_printed_nor_saved_changes_nothing(
    qtbot, encrypted, boxes, monkeypatch
):
    records, old = encrypted
    monkeypatch.setattr(RecoverySheetDialog, "confirm_unkept", lambda self: True)

    def close_unkept(dialog) -> int:
        dialog.reject()
        return 0

    monkeypatch.setattr(RecoverySheetDialog, "exec", close_unkept)
    boxes.answer(Yes)

    assert make_new_recovery_code(None, records) is False

    assert open_with_secret(records.path, RECOVERY_CODE_KIND, old.recovery_code) == records
    assert "old one still works" in boxes.of("information")[-1].text


def test_preferences_offer_a_new_recovery_code_for_encrypted_records_only(
    qtbot, encrypted, services
):
    records, _ = encrypted
    plain = PreferencesDialog(services)
    qtbot.addWidget(plain)
    assert plain.findChild(QPushButton, "preferences_new_recovery_code") is None
    opened = open_services(records)
    try:
        dialog = PreferencesDialog(opened)
        qtbot.addWidget(dialog)
        assert dialog.findChild(QPushButton, "preferences_new_recovery_code") is not None
    finally:
        opened.close()
