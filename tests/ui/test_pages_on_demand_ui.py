"""The main window builds and fills a page the first time it is wanted, and only that page:
opening ten years of records costs no more than opening an empty file."""

from __future__ import annotations

from PySide6.QtCore import Qt

from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.main_window import PAGES, MainWindow
from collab_desktop.ui.pages import LATER_PAGES
from tests.builders import reference_case


def built(window: MainWindow) -> set[str]:
    return {
        window.stack.widget(i).objectName()
        for i in range(2, window.stack.count())
        if isinstance(window.stack.widget(i), ListPage)
    }


def test_only_the_page_shown_is_built_and_filled(qtbot, services, tmp_path):
    reference_case(services)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    assert built(window) == set()
    assert window.stack.count() == len(PAGES) + 1

    window.nav.setCurrentRow(PAGES.index("Partners"))
    assert built(window) == {"partners_page"}
    assert window.stack.currentWidget() is window.partners_page
    assert window.partners_page.model.rowCount() == 3
    assert window.partners_page.table.tabKeyNavigation() is False

    # Asked for by name, a page is built without being shown.
    assert window.collaborations_page.model.rowCount() == 1
    assert built(window) == {"partners_page", "collaborations_page"}
    assert window.stack.currentWidget() is window.partners_page
    assert window.stack.indexOf(window.collaborations_page) == PAGES.index("Collaborations") + 1


def test_the_pages_keep_their_places_and_shortcuts(qtbot, services, tmp_path):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    with qtbot.waitActive(window):
        window.activateWindow()
    for row, (name, _module, _class) in enumerate(reversed(LATER_PAGES)):
        key = Qt.Key(Qt.Key.Key_0 + len(PAGES) - 1 - row)
        qtbot.keyClick(window, key, Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is getattr(window, name)
        assert window.stack.currentIndex() == len(PAGES) - row
