"""Encryption at rest in the app as a person meets it: the welcome's passphrase makes
encrypted records and shows the Recovery sheet once; the lock is installed; --check asks for
the passphrase (here from the environment)."""

from __future__ import annotations

from collab_desktop import app
from collab_desktop.config import DATABASE_NAME
from collab_desktop.models.records_file import is_plain_sqlite
from collab_desktop.services.records_key import PASSPHRASE_ENV, key_file_path
from collab_desktop.ui.encryption import RecoverySheetDialog
from collab_desktop.ui.welcome import WelcomeDialog
from tests.ui.test_app import run_main, welcome  # noqa: F401 (fixtures)

PASSPHRASE = "kettle orbit meadow"


def test_a_new_data_folder_is_encrypted_with_the_chosen_passphrase(
    run_main,  # noqa: F811
    welcome,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    monkeypatch.setattr(WelcomeDialog, "ask_passphrase", lambda dialog: (True, PASSPHRASE))
    sheets = []

    def shown(dialog) -> int:
        sheets.append(dialog.sheet)
        dialog.kept = True
        return 1

    monkeypatch.setattr(RecoverySheetDialog, "exec", shown)

    def named(dialog) -> None:
        dialog.user_name.setText("Siân Llewellyn")
        dialog.organisation.setText("Pwythau'r Dyfodol")
        dialog.start_button.click()

    welcome.answer = named
    data = tmp_path / "data"
    code, window = run_main("--data-dir", str(data))
    assert code == 0
    # The sheet names whose records these are (it printed "(not given)" before).
    assert sheets[0].organisation == "Pwythau'r Dyfodol"
    assert sheets[0].made_by == "Siân Llewellyn"
    database = data / DATABASE_NAME
    assert key_file_path(database).exists() and not is_plain_sqlite(database)
    assert len(sheets) == 1 and sheets[0].recovery_code.count("-") == 7
    assert window.lock_controller is not None
    assert window.lock_controller.action in window.file_menu.actions()
    # Every file left in the data folder is encrypted (or holds no records at all).
    for path in data.rglob("*"):
        if path.is_file():
            assert b"SQLite format 3" not in path.read_bytes(), path

    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    assert app.main(["--check", "--data-dir", str(data)]) == 0
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase at all")
    assert app.main(["--check", "--data-dir", str(data)]) == 2


def test_opening_with_the_recovery_code_asks_for_a_new_passphrase(qtbot, tmp_path, monkeypatch):
    # Step 3 of the Recovery sheet ("choose a new passphrase"): nothing asked before, so the
    # code had to come out of the safe at every start.
    from PySide6.QtWidgets import QDialog

    from collab_desktop.services.records_key import (
        PASSPHRASE_KIND,
        create_encrypted,
        open_with_secret,
    )
    from collab_desktop.ui import encryption
    from collab_desktop.ui.passphrase_dialog import (
        RECOVERY_CODE,
        NewPassphraseDialog,
        UnlockDialog,
    )

    database = tmp_path / DATABASE_NAME
    records, new = create_encrypted(database, PASSPHRASE)
    with records.connection("rwc") as connection:
        connection.execute("CREATE TABLE t (x)")

    def unlocked_with_the_code(dialog) -> int:
        dialog.result_value = dialog.panel._unlock(RECOVERY_CODE, new.recovery_code)
        return QDialog.DialogCode.Accepted

    asked = []

    def choose(dialog) -> int:
        asked.append(dialog.findChild(object, "passphrase_intro").text())
        dialog.first.setText("lantern quarry biscuit")
        dialog.second.setText("lantern quarry biscuit")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(UnlockDialog, "exec", unlocked_with_the_code)
    monkeypatch.setattr(NewPassphraseDialog, "exec", choose)
    assert encryption.unlock_at_start(None, database) is not None
    assert len(asked) == 1 and "recovery code" in asked[0]
    reopened = open_with_secret(database, PASSPHRASE_KIND, "lantern quarry biscuit")
    with reopened.connection("ro") as c:
        assert c.execute("SELECT count(*) FROM t").fetchone() == (0,)
    # With the passphrase, nothing more is asked.
    monkeypatch.setattr(UnlockDialog, "exec", lambda d: (
        setattr(d, "result_value", d.panel._unlock(PASSPHRASE_KIND, "lantern quarry biscuit"))
        or QDialog.DialogCode.Accepted))  # fmt: skip
    assert encryption.unlock_at_start(None, database) is not None
    assert len(asked) == 1

