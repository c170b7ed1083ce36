"""The Backups page: list, back up now (off the GUI thread), restore after confirming."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from collab_desktop.models.records_file import RecordsFile
from collab_desktop.ui.backups_page import BackupsPage, human_size
from collab_desktop.ui.opening import restore_into_running_app
from tests.builders import add_partner
from tests.ui.widgets import click

Yes = QMessageBox.StandardButton.Yes
No = QMessageBox.StandardButton.No


def test_back_up_now_adds_a_row_with_date_reason_and_size(qtbot, services):
    restored: list[Path] = []
    page = BackupsPage(services, restored.append)
    qtbot.addWidget(page)
    page.refresh()
    assert page.model.rowCount() == 0
    click(qtbot, page, "backups_now")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    row = page.model.row_at(0)
    assert row.reason_label == "Backed up by hand"
    assert page.proxy.index(0, 3).data() == human_size(row.size)
    assert page.selected() == row


def test_restore_asks_first_and_hands_over_the_chosen_backup(qtbot, services, boxes):
    services.backups.backup_now("manual")
    restored: list[RecordsFile] = []
    page = BackupsPage(services, restored.append)
    qtbot.addWidget(page)
    page.refresh()
    page.table.selectRow(0)
    boxes.answer(No)
    click(qtbot, page, "backups_restore")
    assert restored == []
    boxes.answer(Yes)
    click(qtbot, page, "backups_restore")
    assert [r.path for r in restored] == [services.backups.list_backups()[0].path]
    assert "backed up first" in boxes.of("question")[-1].text


def test_restoring_into_the_running_app_brings_back_the_old_records(qtbot, services, boxes):
    add_partner(services, "Kept Trust")
    backup = services.backups.backup_now("manual")
    add_partner(services, "Added Later Trust")
    page = BackupsPage(services, lambda _path: None)
    qtbot.addWidget(page)
    reopened, restored = restore_into_running_app(page, services, backup.path)
    assert reopened is not None and restored
    assert [r.name for r in reopened.partners.list_partners()] == ["Kept Trust"]
    reasons = [b.reason for b in reopened.backups.list_backups()]
    assert "before-restore" in reasons, "the records as they were are kept too"
    reopened.close()


def test_sizes_read_like_a_file_manager():
    assert human_size(900) == "900 bytes"
    assert human_size(2048) == "2.0 KB"
    assert human_size(5 * 1024 * 1024) == "5.0 MB"


def test_the_window_restores_and_rebuilds_its_pages(qtbot, tmp_path, boxes):
    from collab_desktop.services.open_records import open_services
    from collab_desktop.ui.main_window import PAGES, MainWindow

    services = open_services(tmp_path / "db.sqlite3")
    add_partner(services, "Kept Trust")
    backup = services.backups.backup_now("manual")
    add_partner(services, "Added Later Trust")
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    assert window.partners_page.model.rowCount() == 2

    window.restore_backup(backup.path)

    assert window.services is not services
    assert window.stack.count() == len(PAGES) + 1, "old pages removed, not doubled"
    assert window.stack.currentWidget() is window.backups_page
    assert [r.name for r in window.services.partners.list_partners()] == ["Kept Trust"]
    assert window.partners_page.model.rowCount() == 1
    window.services.close()
