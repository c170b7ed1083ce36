"""The home page's "Sheets for the weeks ahead" (quick_open.activities_ahead): the groups that
meet next, read with a bound, so the first page reads as much for ten years of records as for
one (issue 17); the same activities and next sessions as the services' full list."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from benchmarks.generate import COUNTS, generate
from collab_desktop.models.records_file import RecordsFile
from collab_desktop.services.open_records import open_services
from collab_desktop.services.quick_open import activities_ahead
from collab_desktop.ui import home_page as home_page_module
from collab_desktop.ui.home_page import HomePage
from tests.delivery_builders import TODAY

SMALL = {name: count // 50 for name, count in COUNTS.items()}  # forty groups


@pytest.fixture(scope="module")
def generated_records(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("ahead") / "db.sqlite3"
    generate(path, today=TODAY, log=lambda *_: None, counts=SMALL)
    return path


def soonest(rows):
    return sorted(
        (a for a in rows if a.next_session is not None),
        key=lambda a: (a.next_session, a.name.casefold()),
    )


@pytest.mark.parametrize("now", [None, time(13, 0)])
def test_the_groups_that_meet_next_as_the_services_list_them(generated_records, now):
    services = open_services(generated_records)
    try:
        for day in (TODAY, TODAY + timedelta(days=3), TODAY - timedelta(weeks=52)):
            full = {a.id: a for a in services.activities.list_activities(day, now)}
            expected = soonest(full.values())
            got, any_activity = activities_ahead(RecordsFile(generated_records), day, now, 5)
            assert any_activity
            # Five, and none of them later than any group left out.
            assert len(got) == 5
            assert [a.next_session for a in got] == [a.next_session for a in expected[:5]]
            for row in got:
                same = full[row.id]
                assert (row.name, row.when, row.collaboration, row.next_session) == (
                    same.name, same.when, same.collaboration, same.next_session,
                )  # fmt: skip
                assert row.name_printing == same.name_printing
    finally:
        services.close()


def test_no_activity_at_all_is_told_apart_from_none_to_come(tmp_path, new_database):
    path = new_database(tmp_path / "db.sqlite3")
    assert activities_ahead(RecordsFile(path), TODAY) == ([], False)
    assert activities_ahead(RecordsFile(path), date(2099, 1, 1)) == ([], False)


def test_the_home_page_lists_a_bounded_few_and_says_where_the_rest_are(
    qtbot, generated_records, events, monkeypatch
):
    monkeypatch.setattr(home_page_module, "ACTIVITIES_AHEAD", 3)
    services = open_services(generated_records)
    try:
        page = HomePage(services, events, today=lambda: TODAY)
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        assert page.activities.count() == 3
        assert page.ahead_more.isVisible()
        assert "under Activities" in page.ahead_more.text()
    finally:
        services.close()


def test_a_few_clearance_warnings_are_listed_and_the_rest_counted(
    qtbot, generated_records, events, monkeypatch
):
    monkeypatch.setattr(home_page_module, "WARNINGS_SHOWN", 2)
    services = open_services(generated_records)
    try:
        every = []
        for weeks in range(-10, 10):
            day = TODAY + timedelta(weeks=weeks)
            week = services.attendance.plan_and_list_week(day)
            every = services.attendance.clearance_warnings([r.id for r in week])
            if len(every) > 2:
                break
        assert len(every) > 2, "the generated records lapse some clearances"
        page = HomePage(services, events, today=lambda: day)
        qtbot.addWidget(page)
        page.show()
        page.refresh()
        lines = page.warnings.text().splitlines()
        assert lines[:2] == [f"⚠ {w}" for w in every[:2]]
        assert lines[2] == (
            f"… and {len(every) - 2} more this week: each volunteer's clearances are under "
            "Volunteers (Ctrl+6)."
        )
    finally:
        services.close()
