"""The home page: a double-click opens one register, and "the next 4 weeks" starts after a
session that has already finished today."""

from __future__ import annotations

from datetime import date, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from collab_desktop.ui.delivery.register_dialog import RegisterDialog
from collab_desktop.ui.home_page import HomePage
from tests.delivery_builders import needlework_group
from tests.ui.conftest import OFFSCREEN_SIZE_HINTS

TUESDAY = date(2026, 3, 3)  # the group meets on Tuesdays, 10:00 to 12:00


def home_page(qtbot, services, events, now: time) -> HomePage:
    page = HomePage(services, events, today=lambda: TUESDAY, now=lambda: now)
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.show()
    page.refresh()
    return page


def registers() -> list[RegisterDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, RegisterDialog)]


# Bringing the open register forward asks the window system to raise it; offscreen has none.
@pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS, "This plugin does not support raise")
def test_a_double_click_on_a_session_opens_one_register(qtbot, services, events):
    needlework_group(services)
    page = home_page(qtbot, services, events, time(9, 0))
    rect = page.table.visualRect(page.model.index(0, 0))
    # As a mouse sends it: a click, then the double-click (a second press).
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    opened = [r for r in registers() if r.isVisible()]
    assert len(opened) == 1
    # Asked again while it is open (Enter, the button), the same register comes forward.
    page.open_register()
    assert [r for r in registers() if r.isVisible()] == opened
    opened[0].reject()


def test_the_weeks_ahead_leave_out_a_session_that_finished_today(qtbot, services, events):
    group = needlework_group(services)
    # At 9:00 today's session is still to come: its sheet is the first of four.
    before = home_page(qtbot, services, events, time(9, 0))
    assert [r.on.day for r in services.attendance.upcoming(group.activity, 4, TUESDAY)] == [
        3, 10, 17, 24,
    ]  # fmt: skip
    assert "(next: Tue 3 Mar)" in before.activities.item(0).text()
    assert len(before._ahead_ids()) == 4
    # At 15:00 it finished three hours ago: the sheets start next week, and there are still
    # four of them (the four weeks run from the next session, not from today).
    after = home_page(qtbot, services, events, time(15, 0))
    assert "(next: Tue 10 Mar)" in after.activities.item(0).text()
    ahead = services.attendance.upcoming(group.activity, 4, TUESDAY, time(15, 0))
    assert [r.on.day for r in ahead] == [10, 17, 24, 31]
    assert len(after._ahead_ids()) == 4
    assert "from 10 March 2026 to 6 April 2026" in after.ahead_note.text()


def test_the_real_clock_gives_the_time_of_day(qtbot, services, events):
    from datetime import datetime

    page = HomePage(services, events)  # as the main window makes it
    qtbot.addWidget(page)
    before = datetime.now().time()
    assert page.now() >= before  # the time now, not the start of the day


def test_the_weeks_sessions_keep_three_rows_when_the_page_is_crowded(qtbot, services, events):
    # On a 768-pixel screen, with "Needs attention" and a week of clearance warnings shown,
    # an equal share of the room left the week's sessions under two rows.
    needlework_group(services)
    page = home_page(qtbot, services, events, time(9, 0))
    page.warnings.setText("\n".join(f"⚠ Warning {n}" for n in range(6)))
    page.warnings.show()
    page.resize(1000, 560)
    qtbot.waitUntil(lambda: page.table.height() < 1000)
    QApplication.processEvents()
    rows = page.table.verticalHeader().defaultSectionSize()
    assert page.table.viewport().height() >= 3 * rows
    assert page.table.height() > page.activities.height()
