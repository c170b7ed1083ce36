"""Records opened quickly (services/quick_open.py): idle after start, the pages are read ahead
and the services stay unloaded (issue 17's memory); the person's first key press or click
loads them in the background (ui/main_window.MainWindow.eventFilter), so that what they do
next does not wait for them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from collab_desktop.services.open_records import open_services
from collab_desktop.services.quick_open import open_quickly
from collab_desktop.ui.main_window import MainWindow
from tests.builders import reference_case


def quick_window(qtbot, tmp_path, new_database):
    path = new_database(tmp_path / "data" / "collab-desktop.sqlite3")
    full = open_services(path)
    reference_case(full)
    full.close()
    quick = open_quickly(path)
    assert quick is not None
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(quick)
    qtbot.waitUntil(lambda: window.preloaded, timeout=30_000)
    return window, quick


def test_idle_leaves_the_services_unloaded_and_a_key_press_loads_them(
    qtbot, tmp_path, new_database
):
    window, quick = quick_window(qtbot, tmp_path, new_database)
    try:
        assert window.partners_page.model.rowCount() == 3  # read ahead all the same
        qtbot.wait(700)  # longer than the services wait after an input (SERVICES_AFTER_MS)
        assert not quick.loaded
        QTest.keyClick(window.home_page, Qt.Key.Key_Down)
        qtbot.waitUntil(lambda: quick.loaded, timeout=30_000)
    finally:
        window.close_records()


def test_a_click_loads_them_too(qtbot, tmp_path, new_database):
    window, quick = quick_window(qtbot, tmp_path, new_database)
    try:
        QTest.mouseClick(window.home_page, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: quick.loaded, timeout=30_000)
    finally:
        window.close_records()
