"""A long list clicked before the idle loading read it shows its first screen at once and
every row once they are read (ListPage.show_first, MainWindow._show_first, issue 17): the
count says the rest is coming, a filter typed meanwhile and the row selected meanwhile stay,
and rows read before a change are read again rather than shown or lost."""

from __future__ import annotations

from PySide6.QtCore import Qt

from collab_desktop.services.changes import PARTNERS, Changes
from collab_desktop.ui.list_page import FIRST_SCREEN
from collab_desktop.ui.main_window import PAGES, MainWindow
from tests.delivery_builders import add_person

PEOPLE = FIRST_SCREEN + 30


def _many_people(services) -> list[str]:
    # Every seventh a Rowan: the filter typed below finds some in the first screen, more after.
    names = [f"Person {n:03d}" + (" Rowan" if n % 7 == 0 else "") for n in range(PEOPLE)]
    for name in reversed(names):  # stored in no particular order
        add_person(services, name)
    return names


def _window(qtbot, services, tmp_path) -> MainWindow:
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    return window


def _names(page) -> list[str]:
    proxy = page.proxy
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def test_a_long_list_clicked_first_shows_its_first_screen_then_every_row(
    qtbot, services, tmp_path
):
    names = _many_people(services)
    window = _window(qtbot, services, tmp_path)
    assert not window.preloaded
    window.nav.setCurrentRow(PAGES.index("Participants"))  # before the idle loading gets there
    page = window.participants_page
    assert page.partial and not window.is_page_ready("participants_page")
    assert _names(page) == names[:FIRST_SCREEN]  # the first by name, as the whole list's
    assert page.count.text() == f"The first {FIRST_SCREEN} (reading the rest…)"

    assert not page.edit_button.isEnabled()  # nothing chosen yet
    # Meanwhile: a row chosen and a filter typed.
    page.table.selectRow(7)
    assert page.edit_button.isEnabled()
    chosen = page.selected().id
    qtbot.keyClicks(page.filter, "rowan")
    rowans = [name for name in names if "Rowan" in name]
    first_rowans = len([name for name in names[:FIRST_SCREEN] if "Rowan" in name])
    assert page.count.text() == f"{first_rowans} of the first {FIRST_SCREEN} (reading the rest…)"

    qtbot.waitUntil(lambda: window.is_page_ready("participants_page"), timeout=20_000)
    assert not page.partial
    assert page.model.rowCount() == PEOPLE
    assert _names(page) == rowans  # the filter applies to every row now
    assert page.count.text() == f"{len(rowans)} of {PEOPLE}"
    assert page.selected().id == chosen
    page.filter.clear()
    assert page.count.text() == str(PEOPLE)


def test_a_short_list_clicked_first_is_simply_filled(qtbot, services, tmp_path):
    for name in ("Ann", "Bob", "Cy"):
        add_person(services, name)
    window = _window(qtbot, services, tmp_path)
    window.nav.setCurrentRow(PAGES.index("Participants"))
    page = window.participants_page
    assert window.is_page_ready("participants_page") and not page.partial
    assert _names(page) == ["Ann", "Bob", "Cy"]
    assert page.count.text() == "3"


def test_rows_read_before_a_change_are_read_again_for_a_first_screen(qtbot, services, tmp_path):
    _many_people(services)
    window = _window(qtbot, services, tmp_path)
    preloader = window._preloader
    window.nav.setCurrentRow(PAGES.index("Participants"))
    page = window.participants_page
    assert page.partial
    # The idle loading reads the page; a change is announced before its rows come back.
    qtbot.waitUntil(lambda: "participants_page" in preloader._reading, timeout=10_000)
    window.events.broadcast(Changes.of(PARTNERS))  # one that leaves this page as it is
    qtbot.waitUntil(lambda: "participants_page" not in preloader._reading, timeout=10_000)
    qtbot.waitUntil(lambda: window.is_page_ready("participants_page"), timeout=20_000)
    assert page.model.rowCount() == PEOPLE


def test_enter_opens_a_row_of_the_first_screen(qtbot, services, tmp_path):
    names = _many_people(services)
    window = _window(qtbot, services, tmp_path)
    window.nav.setCurrentRow(PAGES.index("Participants"))
    page = window.participants_page
    assert page.partial
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    from PySide6.QtWidgets import QApplication, QLineEdit

    from collab_desktop.ui.delivery.participants_page import ParticipantDialog

    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, ParticipantDialog)]
    assert len(dialogs) == 1
    assert dialogs[0].findChild(QLineEdit, "participant_name").text() == names[0]
    dialogs[0].reject()


def test_records_opened_quickly_show_a_first_screen_too(qtbot, tmp_path, new_database):
    # As the app opens them (services/quick_open.py): the first screen is read without
    # SQLAlchemy, as the whole list is.
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.quick_open import open_quickly

    path = new_database(tmp_path / "data" / "collab-desktop.sqlite3")
    full = open_services(path)
    names = _many_people(full)
    full.close()
    quick = open_quickly(path)
    assert quick is not None
    window = _window(qtbot, quick, tmp_path)
    try:
        window.nav.setCurrentRow(PAGES.index("Participants"))
        page = window.participants_page
        assert page.partial and _names(page) == names[:FIRST_SCREEN]
        qtbot.waitUntil(lambda: window.is_page_ready("participants_page"), timeout=20_000)
        assert _names(page) == names
    finally:
        window.close_records()


def test_shown_again_before_the_rest_comes_the_first_screen_keeps_its_selection(
    qtbot, services, tmp_path
):
    _many_people(services)
    window = _window(qtbot, services, tmp_path)
    window.nav.setCurrentRow(PAGES.index("Participants"))
    page = window.participants_page
    assert page.partial
    page.table.selectRow(3)
    chosen = page.selected().id
    window.nav.setCurrentRow(0)  # home, and back
    window.nav.setCurrentRow(PAGES.index("Participants"))
    assert page.selected().id == chosen
    qtbot.waitUntil(lambda: window.is_page_ready("participants_page"), timeout=20_000)
    assert page.selected().id == chosen and page.model.rowCount() == PEOPLE
