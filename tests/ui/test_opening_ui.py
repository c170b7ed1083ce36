"""What the user sees when the records cannot simply be opened."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from collab_desktop.services.open_records import open_services
from collab_desktop.ui.opening import open_with_dialogs
from tests.builders import add_partner
from tests.integration.test_opening import _damage

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def make_damaged(tmp_path):
    db = tmp_path / "db.sqlite3"
    services = open_services(db)
    for i in range(200):
        add_partner(services, f"Partner {i:03d} with a longish name to fill pages")
    services.backups.backup_now("manual")
    services.close()
    _damage(db)
    return db


def test_damaged_file_offers_the_newest_good_backup_and_restores_it(qtbot, tmp_path, boxes):
    db = make_damaged(tmp_path)
    parent = QWidget()
    qtbot.addWidget(parent)
    boxes.answer(Yes)
    services = open_with_dialogs(parent, db)
    [question] = boxes.of("question")
    assert "damaged" in question.text and "Restore the newest good backup" in question.text
    assert services is not None
    assert len(services.partners.list_partners()) == 200
    assert list(tmp_path.glob("db-damaged-*.sqlite3")), "the damaged file is kept aside"
    services.close()


def test_declining_the_restore_changes_nothing(qtbot, tmp_path, boxes):
    db = make_damaged(tmp_path)
    before = db.read_bytes()
    parent = QWidget()
    qtbot.addWidget(parent)
    boxes.answer(No)
    assert open_with_dialogs(parent, db) is None
    assert db.read_bytes() == before


def test_damaged_file_without_backups_says_so(qtbot, tmp_path, boxes):
    db = make_damaged(tmp_path)
    for backup in (tmp_path / "backups").iterdir():
        backup.unlink()
    parent = QWidget()
    qtbot.addWidget(parent)
    assert open_with_dialogs(parent, db) is None
    [box] = boxes.of("critical")
    assert "no backup" in box.text


def test_a_second_window_on_the_same_records_is_told_plainly(qtbot, tmp_path, boxes):
    first = open_services(tmp_path / "db.sqlite3")
    parent = QWidget()
    qtbot.addWidget(parent)
    assert open_with_dialogs(parent, tmp_path / "db.sqlite3") is None
    [box] = boxes.of("critical")
    assert "already open" in box.text
    # The copy in the way may be one just closed, still making its closing backup with no
    # window left to show: the message says so, and that waiting helps.
    assert "closing backup" in box.text and "wait a moment" in box.text
    first.close()
