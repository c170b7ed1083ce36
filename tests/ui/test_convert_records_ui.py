"""Plain records from before encryption, encrypted through the real dialogs: offered at start
(declined with "Remind me later", or accepted), and from the File menu; afterwards nothing in
the data folder is plain SQLite or holds a recorded name, and the passphrase opens them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from collab_desktop.config import DATABASE_NAME
from collab_desktop.models.records_file import is_plain_sqlite
from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import PASSPHRASE_KIND, key_file_path, open_with_secret
from collab_desktop.ui import convert_records
from collab_desktop.ui.convert_records import offer_at_start as real_offer
from collab_desktop.ui.encryption import RecoverySheetDialog
from collab_desktop.ui.passphrase_dialog import NewPassphraseDialog
from tests.builders import add_partner
from tests.ui.test_app import run_main, welcome  # noqa: F401 (fixtures)

PASSPHRASE = "kettle orbit meadow"
NAME = b"Zebedee Quartermaine Trust"


@pytest.fixture
def plain_folder(tmp_path, new_database):
    """A data folder with plain records holding NAME and a plain backup of them."""
    data = tmp_path / "data"
    database = new_database(data / DATABASE_NAME)
    services = open_services(database, data / "backups")
    add_partner(services, NAME.decode())
    services.backups.backup_now("manual")
    services.close()
    assert is_plain_sqlite(database) and list((data / "backups").iterdir())
    return data


class Answers:
    """Answers the modal dialogs as a person would, as each appears."""

    def __init__(self, encrypt: bool = True, choice: str | None = None) -> None:
        self.encrypt = encrypt
        self.choice = choice
        self.seen: list[str] = []
        self.progress_seen = False
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self.answer)
        self.timer.start()

    def answer(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QProgressDialog):
            self.progress_seen = True
            return
        if isinstance(widget, QMessageBox):
            self.seen.append(widget.objectName() or widget.windowTitle())
            if widget.objectName() == "encrypt_offer":
                wanted = self.choice or ("&Encrypt now…" if self.encrypt else "&Remind me later")
                next(b for b in widget.buttons() if b.text() == wanted).click()
            elif widget.objectName() == "encrypt_done":
                self.done_text = widget.text()
                widget.accept()
            else:
                widget.button(QMessageBox.StandardButton.Yes).click()
        elif isinstance(widget, NewPassphraseDialog):
            self.seen.append("passphrase")
            widget.first.setText(PASSPHRASE)
            widget.second.setText(PASSPHRASE)
            widget.accept()


@pytest.fixture
def sheet_kept(monkeypatch):
    shown = []

    def kept(dialog) -> int:
        shown.append(dialog.sheet)
        dialog.kept = True
        return 1

    monkeypatch.setattr(RecoverySheetDialog, "exec", kept)
    return shown


def assert_nothing_plain(data) -> None:
    for path in data.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert b"SQLite format 3" not in content, path
            assert NAME not in content, path


def test_declined_at_start_the_records_open_plain_as_before(
    run_main,  # noqa: F811
    plain_folder,
    monkeypatch,
):
    # The real offer (tests/ui/conftest.py declines it for the other tests).
    monkeypatch.setattr(convert_records, "offer_at_start", real_offer)
    answers = Answers(encrypt=False)
    code, window = run_main("--data-dir", str(plain_folder))
    answers.timer.stop()
    assert code == 0 and answers.seen[0] == "encrypt_offer"
    assert is_plain_sqlite(plain_folder / DATABASE_NAME)
    assert not key_file_path(plain_folder / DATABASE_NAME).exists()
    assert window.encrypt_action.isEnabled()  # still offered in the File menu


def test_kept_unencrypted_by_choice_it_is_not_asked_again(
    run_main,  # noqa: F811
    plain_folder,
    monkeypatch,
):
    # A community group with no personal data: asked once, not at every start.
    monkeypatch.setattr(convert_records, "offer_at_start", real_offer)
    answers = Answers(choice="&Keep them unencrypted")
    code, _window = run_main("--data-dir", str(plain_folder))
    assert code == 0 and answers.seen == ["encrypt_offer"]
    database = plain_folder / DATABASE_NAME
    assert convert_records.plain_by_choice(database).exists() and is_plain_sqlite(database)
    assert real_offer(None, database, []) is None
    answers.timer.stop()
    assert answers.seen == ["encrypt_offer"]  # the second start asked nothing


def test_accepted_at_start_the_records_are_encrypted_and_plain_copies_gone(
    run_main,  # noqa: F811
    plain_folder,
    monkeypatch,
    sheet_kept,
):
    monkeypatch.setattr(convert_records, "offer_at_start", real_offer)
    answers = Answers(encrypt=True)
    code, window = run_main("--data-dir", str(plain_folder))
    answers.timer.stop()
    assert code == 0
    assert answers.seen[:2] == ["encrypt_offer", "passphrase"]
    assert "encrypt_done" in answers.seen and answers.progress_seen
    assert "may" in answers.done_text or "can sometimes" in answers.done_text
    assert "full-disk encryption" in answers.done_text
    assert len(sheet_kept) == 1  # the Recovery sheet, before the conversion
    assert window.lock_controller is not None
    database = plain_folder / DATABASE_NAME
    assert_nothing_plain(plain_folder)
    records = open_with_secret(database, PASSPHRASE_KIND, PASSPHRASE)
    with records.connection("ro") as connection:
        names = [n for (n,) in connection.execute("SELECT name FROM organisation")]
    assert NAME.decode() in names


def test_from_the_file_menu_while_open(qtbot, plain_folder, sheet_kept, boxes):
    from collab_desktop.ui.main_window import MainWindow

    database = plain_folder / DATABASE_NAME
    window = MainWindow(plain_folder)
    qtbot.addWidget(window)
    window.attach(open_services(database, plain_folder / "backups"))
    assert window.encrypt_action.isEnabled()
    answers = Answers()
    boxes.answer(QMessageBox.StandardButton.Yes)  # "Encrypt your records?"
    window.encrypt_action.trigger()
    answers.timer.stop()
    assert answers.seen == ["passphrase", "encrypt_done"], answers.seen
    assert window.services is not None and window.services.records_file.encrypted
    assert not window.encrypt_action.isEnabled()
    assert window.lock_controller is not None
    window.services.close()
    window.lock_controller.stop()
    assert_nothing_plain(plain_folder)
    assert open_with_secret(database, PASSPHRASE_KIND, PASSPHRASE).encrypted
