"""The start-up check runs beside the first page; a damaged file is reported as soon as it is
known, with the newest good backup offered, as when a damaged file is opened."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from collab_desktop.services.open_records import open_services
from collab_desktop.ui.main_window import MainWindow
from collab_desktop.ui.opening import watch_startup_check
from tests.integration.test_startup_check import damage_the_last_pages, make_records

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def open_damaged(qtbot, tmp_path):
    db = tmp_path / "db.sqlite3"
    make_records(db)
    damage_the_last_pages(db)
    services = open_services(db, defer_check=True)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)  # the home page reads nothing that is damaged
    return db, services, window


def test_damage_found_after_the_first_page_offers_the_backup(qtbot, tmp_path, boxes):
    db, services, window = open_damaged(qtbot, tmp_path)
    boxes.answer(Yes)
    watch_startup_check(window, services)
    qtbot.waitUntil(lambda: window.services not in (None, services), timeout=10_000)
    [question] = boxes.of("question")
    assert "damaged" in question.text and "Restore the newest good backup" in question.text
    assert len(window.services.partners.list_partners()) == 300
    assert list(tmp_path.glob("db-damaged-*.sqlite3")), "the damaged file is kept aside"
    assert window.stack.currentWidget() is window.home_page
    window.services.close()


def test_declining_leaves_the_damaged_file_as_it_was(qtbot, tmp_path, boxes):
    db, services, window = open_damaged(qtbot, tmp_path)
    before = db.read_bytes()
    boxes.answer(No)
    watch_startup_check(window, services)
    qtbot.waitUntil(lambda: bool(boxes.of("question")), timeout=10_000)
    assert window.services is None
    assert window.stack.currentIndex() == 0, "the records are off the screen"
    assert db.read_bytes() == before


def test_a_sound_file_changes_nothing(qtbot, tmp_path, boxes):
    db = tmp_path / "db.sqlite3"
    make_records(db, partners=2)
    services = open_services(db, defer_check=True)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.attach(services)
    watch_startup_check(window, services)
    qtbot.waitUntil(lambda: services.startup_check.done, timeout=10_000)
    qtbot.wait(50)  # the result is delivered on the GUI thread
    assert window.services is services and not boxes.shown
    services.close()
