"""The welcome of a first start, driven from the keyboard, and what it refuses to restore.
(What each choice leads to, through app.main, is in test_app.py.)"""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog

from collab_desktop.config import DATABASE_NAME
from collab_desktop.services.open_records import open_services
from collab_desktop.ui.welcome import EMPTY, RESTORE, WelcomeDialog, is_first_run


@pytest.fixture
def welcome(qtbot, tmp_path):
    dialog = WelcomeDialog(tmp_path / "data" / DATABASE_NAME)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_first_run_is_a_folder_without_records(tmp_path):
    database = tmp_path / DATABASE_NAME
    assert is_first_run(database)
    database.write_bytes(b"")  # left by a start interrupted before the first table
    assert is_first_run(database)
    opened = open_services(database)
    opened.close()
    assert not is_first_run(database)


def test_name_organisation_and_start_from_the_keyboard(qtbot, welcome):
    assert welcome.focusWidget() is welcome.user_name
    qtbot.keyClicks(welcome.user_name, "Ffion Evans")
    qtbot.keyClick(welcome.user_name, Qt.Key.Key_Tab)
    assert welcome.focusWidget() is welcome.organisation
    qtbot.keyClicks(welcome.organisation, "Stitching Futures")
    # Tab then reaches the three ways to begin, in order.
    order = []
    for _ in range(3):
        qtbot.keyClick(welcome.focusWidget(), Qt.Key.Key_Tab)
        order.append(welcome.focusWidget())
    assert order == [welcome.start_button, welcome.example_button, welcome.restore_button]
    # Enter in a field begins empty (the default), as most people will.
    welcome.organisation.setFocus()
    qtbot.keyClick(welcome.organisation, Qt.Key.Key_Return)
    assert welcome.result() == QDialog.DialogCode.Accepted
    assert welcome.choice == EMPTY
    assert QSettings().value("user/name") is None, "kept once the records have opened"
    welcome.remember_identity()
    assert QSettings().value("user/name") == "Ffion Evans"
    assert QSettings().value("user/organisation") == "Stitching Futures"


def test_each_way_to_begin_has_a_mnemonic(welcome):
    for button in (welcome.start_button, welcome.example_button, welcome.restore_button):
        assert "&" in button.text()
        assert button.accessibleName() and button.accessibleDescription()


def test_a_name_given_before_is_offered_again(qtbot, tmp_path):
    QSettings().setValue("user/name", "Ffion Evans")
    dialog = WelcomeDialog(tmp_path / DATABASE_NAME)
    qtbot.addWidget(dialog)
    assert dialog.user_name.text() == "Ffion Evans"


def _not_ours(folder):
    path = folder / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE songs (title TEXT)")
    db.commit()
    db.close()
    return path


def _newer(folder):
    path = folder / "newer.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    db.execute("INSERT INTO alembic_version VALUES ('9999')")
    db.commit()
    db.close()
    return path


def _text(folder):
    path = folder / "notes.sqlite3"
    path.write_text("not a database")
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_text, "not a database file"),
        (_not_ours, "holds no records of ours"),
        (_newer, "newer version"),
    ],
    ids=["text", "another program's", "newer"],
)
def test_a_file_that_cannot_be_restored_is_refused_and_the_welcome_stays(
    welcome, tmp_path, make, expected
):
    bad = make(tmp_path)
    welcome.ask_for_backup = lambda: str(bad)
    welcome.restore_button.click()
    assert welcome.isVisible() and welcome.choice is None
    assert welcome.error.isVisible()
    assert expected in welcome.error.text()
    assert "Choose another file" in welcome.error.text()
    assert not welcome.database.exists()


def test_cancelling_the_file_choice_changes_nothing(welcome):
    welcome.ask_for_backup = lambda: ""
    welcome.restore_button.click()
    assert welcome.isVisible() and not welcome.error.isVisible()


def test_a_backup_is_restored_into_the_data_folder(welcome, tmp_path):
    source = open_services(tmp_path / "old" / DATABASE_NAME)
    made = source.backups.backup_now("manual")
    source.close()
    welcome.ask_for_backup = lambda: str(made.path)
    welcome.restore_button.click()
    assert welcome.choice == RESTORE
    assert welcome.restored_from == made.path
    assert welcome.database.exists() and not is_first_run(welcome.database)


def test_the_file_choice_opens_where_backups_are(qtbot, tmp_path):
    data = tmp_path / "data"
    dialog = WelcomeDialog(data / DATABASE_NAME)
    qtbot.addWidget(dialog)
    assert dialog.backup_start_folder() != data / "backups"
    # The records were lost, their backups were not: look there first.
    (data / "backups").mkdir(parents=True)
    (data / "backups" / "collab-desktop-20260301-120000-000000-close.sqlite3").write_bytes(b"")
    assert dialog.backup_start_folder() == data / "backups"
