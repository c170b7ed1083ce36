"""The first start after an upgrade that must plan every activity's sessions (seconds at ten
years' scale): the first page shows the week as stored at once, the sessions are planned in
the background with the window usable, and the week fills in when that is done (issue 17)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

from collab_desktop.services.open_records import open_services
from collab_desktop.services.quick_open import open_quickly
from collab_desktop.ui.main_window import PAGES, MainWindow
from tests.delivery_builders import needlework_group


def upgraded_records(path):
    """A weekly group planned half a year ahead of March 2026 (not up to this week), whose
    plans an upgrade then forgot, as migration 0005 did."""
    services = open_services(path)
    group = needlework_group(services)
    services.close()
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE activity SET planned_until = NULL")
    connection.close()
    return group


def this_weeks_tuesday() -> date:
    monday = date.today() - timedelta(days=date.today().weekday())
    return monday + timedelta(days=1)


def test_sessions_are_planned_in_the_background_and_the_week_fills_in(
    qtbot, tmp_path, new_database
):
    path = new_database(tmp_path / "data" / "collab-desktop.sqlite3")
    upgraded_records(path)
    quick = open_quickly(path)
    assert quick is not None
    window = MainWindow(tmp_path / "data")
    qtbot.addWidget(window)
    window.show()
    try:
        window.attach(quick)
        # The first page at once, without planning: this week's session is not a row yet.
        assert quick.planning_due and not quick.loaded
        assert window.home_page.model.rowCount() == 0
        # Usable meanwhile: another page opens.
        window.nav.setCurrentRow(PAGES.index("Partners"))
        assert window.stack.currentWidget() is window.partners_page
        window.nav.setCurrentRow(0)
        qtbot.waitUntil(lambda: window.preloaded, timeout=30_000)
        assert not quick.planning_due
        assert [r.on for r in window.home_page._week] == [this_weeks_tuesday()]
        assert window.statusBar().currentMessage() == ""
    finally:
        window.close_records()
        quick.close()
    connection = sqlite3.connect(path)
    [(unplanned,)] = connection.execute(
        "SELECT count(*) FROM activity WHERE planned_until IS NULL"
    ).fetchall()
    connection.close()
    assert unplanned == 0


def test_planning_in_steps_makes_the_sessions_the_reads_would(tmp_path, new_database):
    first = new_database(tmp_path / "a.sqlite3")
    second = new_database(tmp_path / "b.sqlite3")
    groups = [upgraded_records(path) for path in (first, second)]
    today = date.today()
    stepwise = open_services(first)
    try:
        assert stepwise.activities.planning_due(today)
        # Steps of one activity each (no time allowed for more).
        assert stepwise.activities.plan_due(today, step_seconds=0, pause=0) >= 1
        assert not stepwise.activities.planning_due(today)
        planned = [(r.on, r.status) for r in stepwise.activities.sessions_of(groups[0].activity)]
    finally:
        stepwise.close()
    at_once = open_services(second)
    try:
        expected = [(r.on, r.status) for r in at_once.activities.sessions_of(groups[1].activity)]
    finally:
        at_once.close()
    assert planned == expected and this_weeks_tuesday() in [on for on, _ in planned]
