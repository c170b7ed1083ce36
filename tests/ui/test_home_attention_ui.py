"""The home page's "needs attention" items of issues 13 and 15 are each one Enter from where
they are dealt with: the retention review (applying it clears the item), and the partner's
return for that period on the Returns page."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox

from collab_desktop.services.meetings.attention import RETENTION, ReturnRef
from collab_desktop.services.returns.periods import period_containing
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.home_page import HomePage
from collab_desktop.ui.privacy.dialogs import RetentionDialog
from tests.delivery_builders import add_person, needlework_group
from tests.returns_builders import some_registers, template
from tests.ui.test_main_window_ui import make_window

TODAY = date(2026, 3, 2)
RETENTION_TEXT = "12 participants are due for anonymising under your retention rules"


def _leavers(services) -> None:
    for i in range(12):
        add_person(services, f"Leaver Number{i}", joined_on=date(2019, 1, 1),
                   left_on=date(2022, 6, 30))  # fmt: skip


def _texts(page: HomePage) -> list[str]:
    return [page.attention.item(row).text() for row in range(page.attention.count())]


def test_the_retention_item_opens_the_review(qtbot, services):
    needlework_group(services)
    _leavers(services)
    page = HomePage(services, DataEvents(), today=lambda: TODAY)
    qtbot.addWidget(page)
    page.refresh()
    qtbot.waitUntil(lambda: not page.retention_pending)  # counted off the GUI thread
    assert RETENTION_TEXT in _texts(page)
    row = _texts(page).index(RETENTION_TEXT)
    with qtbot.waitSignal(page.open_target) as opened:
        page.attention.setCurrentRow(row)
        page.attention.itemActivated.emit(page.attention.item(row))
    assert opened.args == [RETENTION, None]


def test_the_window_opens_the_review_and_applying_it_clears_the_item(
    qtbot, services, tmp_path, boxes
):
    needlework_group(services)
    _leavers(services)
    window = make_window(qtbot, services, tmp_path, show=False)
    qtbot.waitUntil(lambda: not window.home_page.retention_pending)
    assert RETENTION_TEXT in _texts(window.home_page)
    window.open_target(RETENTION, None)
    dialog = window.retention_dialog
    assert isinstance(dialog, RetentionDialog) and dialog.isVisible()
    assert len(dialog.due) == 12
    boxes.answer(QMessageBox.StandardButton.Yes)
    dialog.apply()
    assert dialog.applied == 12
    qtbot.waitUntil(lambda: not window.home_page.retention_pending)
    assert RETENTION_TEXT not in _texts(window.home_page)  # the change was heard


def test_a_return_item_opens_that_partners_return_for_the_period(qtbot, services, tmp_path):
    group = needlework_group(services)
    some_registers(services, group)
    template(services, group)
    case = group.case
    first, last = period_containing("quarter", date(2026, 1, 1))
    return_id = services.returns.draft(case.collaboration, case.recoop, first, last,
                                       today=date(2026, 5, 5), confirmed=True)  # fmt: skip
    window = make_window(qtbot, services, tmp_path, show=False)
    window.open_target("return", ReturnRef(case.collaboration, case.recoop, first, return_id))
    page = window.returns_page
    assert window.stack.currentWidget() is page
    assert page.collaboration.currentData() == case.collaboration
    assert page.organisation.currentData() == case.recoop
    assert (page.year.value(), page.quarter.currentIndex()) == (2026, 0)
    assert page.return_id == return_id and "RECOOP" in page.status.text()
