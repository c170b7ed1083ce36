"""The Backups page with encrypted records (issue 10): a backup of these records restores
with their own key, and a backup made with another key (another laptop's, or from before
the key was replaced) asks for that backup's passphrase or recovery code, opens with what
was typed, and is restored (the current records kept as a backup first), re-encrypted with
this laptop's key. A wrong passphrase says so plainly and grows a wait."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import (
    PASSPHRASE_KIND,
    create_encrypted,
    key_file_path,
    open_with_secret,
)
from collab_desktop.services.unlock_delay import FailureDelay
from collab_desktop.ui import encryption
from collab_desktop.ui.main_window import PAGES, MainWindow
from collab_desktop.ui.passphrase_dialog import UnlockDialog
from tests.builders import add_partner

Yes = QMessageBox.StandardButton.Yes
FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}
OURS = "kettle orbit meadow"
THEIRS = "lantern pebble river"


def _encrypted_records(folder, passphrase, partner):
    database = folder / "collab-desktop.sqlite3"
    folder.mkdir(parents=True)
    records, new = create_encrypted(database, passphrase, kdf=dict(FAST))
    services = open_services(records)
    add_partner(services, partner)
    return records, new, services


def _window(qtbot, tmp_path, services):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    window.nav.setCurrentRow(PAGES.index("Backups"))
    return window


def _partners(window) -> list[str]:
    return sorted(p.name for p in window.services.partners.list_partners())


def test_a_backup_of_these_encrypted_records_restores_from_the_list(qtbot, tmp_path, boxes):
    records, _, services = _encrypted_records(tmp_path / "ours", OURS, "Kept Trust")
    services.backups.backup_now("manual")
    add_partner(services, "Added Later Trust")
    window = _window(qtbot, tmp_path, services)
    page = window.backups_page
    page.refresh()
    page.table.selectRow(0)
    boxes.answer(Yes)

    page.restore_selected()

    assert boxes.of("warning") == [], [b.text for b in boxes.of("warning")]
    assert _partners(window) == ["Kept Trust"]
    window.services.close()


def _type_into_unlock(qtbot, attempts: list[str], seen: list[str]) -> None:
    """When the unlock dialog comes up (modal), type each attempt in turn; what the dialog
    said after each wrong one goes into `seen`."""

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, UnlockDialog):
            QTimer.singleShot(20, drive)
            return
        seen.append(dialog.intro.text())
        panel = dialog.panel
        for attempt in attempts:
            panel.passphrase.selectAll()
            qtbot.keyClicks(panel.passphrase, attempt)
            qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: not panel.busy, timeout=10_000)
            if dialog.isVisible():
                seen.append(panel.errors.label("passphrase").text())
        if dialog.isVisible():
            dialog.reject()

    QTimer.singleShot(0, drive)


def test_a_backup_from_another_laptop_asks_for_its_passphrase_then_restores(
    qtbot, tmp_path, boxes, monkeypatch
):
    theirs, _, their_services = _encrypted_records(tmp_path / "theirs", THEIRS, "Their Trust")
    their_backup = their_services.backups.backup_now("manual").path
    their_services.close()
    # Copied to a USB stick and on to this laptop: the backup and its key file.
    stick = tmp_path / "stick"
    stick.mkdir()
    copied = stick / their_backup.name
    copied.write_bytes(their_backup.read_bytes())
    key_file_path(copied).write_bytes(key_file_path(their_backup).read_bytes())

    records, _, services = _encrypted_records(tmp_path / "ours", OURS, "Our Trust")
    window = _window(qtbot, tmp_path, services)
    page = window.backups_page
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(copied), ""))
    monkeypatch.setattr(encryption, "_DELAY", FailureDelay())
    seen: list[str] = []
    _type_into_unlock(qtbot, ["not the passphrase", THEIRS], seen)
    boxes.answer(Yes)

    page.restore_from_file()

    intro, wrong = seen
    assert "its own key" in intro and "recovery code" in intro
    assert "does not open" in wrong
    [question] = boxes.of("question")
    assert "backed up first" in question.text and "this laptop's key" in question.text
    assert boxes.of("warning") == [], [b.text for b in boxes.of("warning")]
    assert _partners(window) == ["Their Trust"]
    # Re-encrypted with this laptop's key: our passphrase opens the restored records.
    assert open_with_secret(records.path, PASSPHRASE_KIND, OURS).key == records.key
    # Our records as they were are kept, as a backup made before the restore.
    [safety] = [b for b in window.services.backups.list_backups() if b.reason == "before-restore"]
    kept = open_services(window.services.backups.records_for(safety.path))
    assert [p.name for p in kept.partners.list_partners()] == ["Our Trust"]
    kept.close()
    window.services.close()


def test_a_cancelled_passphrase_restores_nothing(qtbot, tmp_path, boxes, monkeypatch):
    _, _, their_services = _encrypted_records(tmp_path / "theirs", THEIRS, "Their Trust")
    their_backup = their_services.backups.backup_now("manual").path
    their_services.close()
    _, _, services = _encrypted_records(tmp_path / "ours", OURS, "Our Trust")
    window = _window(qtbot, tmp_path, services)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(their_backup), ""))
    seen: list[str] = []
    _type_into_unlock(qtbot, ["still not it"], seen)

    window.backups_page.restore_from_file()

    assert boxes.of("question") == []
    assert window.services is services
    assert _partners(window) == ["Our Trust"]
    services.close()


def test_an_encrypted_backup_into_plain_records_says_encrypt_first(
    qtbot, tmp_path, boxes, monkeypatch, services
):
    _, _, their_services = _encrypted_records(tmp_path / "theirs", THEIRS, "Their Trust")
    their_backup = their_services.backups.backup_now("manual").path
    their_services.close()
    window = _window(qtbot, tmp_path, services)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(their_backup), ""))

    window.backups_page.restore_from_file()

    [warning] = boxes.of("warning")
    assert "encrypt these records first" in warning.text
    assert boxes.of("question") == []
    assert window.services is services
