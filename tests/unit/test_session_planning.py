"""How far sessions are planned (Activity.planned_until): looking at the calendar again does
no work, time moving on plans only the new weeks, and every edit that can change which
sessions should exist makes the next look plan from scratch, with the same result."""

from __future__ import annotations

from datetime import date, timedelta

from collab_desktop.models import Activity
from collab_desktop.models.database import make_session_factory
from collab_desktop.services.delivery.activities import HORIZON
from tests.builders import reference_case
from tests.delivery_builders import TODAY, needlework_activity, needlework_group, session_on


def planned_until(services, activity) -> date | None:
    with make_session_factory(services.engine)() as session:
        return session.get(Activity, activity).planned_until


def dates(services, activity, today=TODAY) -> list[date]:
    return [r.on for r in services.activities.sessions_of(activity, today=today)]


def test_the_plan_is_remembered_and_a_new_week_adds_only_its_session(services):
    activity = needlework_activity(services, reference_case(services))
    assert planned_until(services, activity) == TODAY + HORIZON
    before = dates(services, activity)
    assert before[-1] <= TODAY + HORIZON < before[-1] + timedelta(weeks=1)

    week_later = TODAY + timedelta(weeks=1)
    after = dates(services, activity, today=week_later)
    assert after == [*before, before[-1] + timedelta(weeks=1)]
    assert planned_until(services, activity) == week_later + HORIZON


def test_looking_far_ahead_then_changing_the_weekday_plans_the_far_weeks_again(services):
    group = needlework_group(services)  # Tuesdays, open-ended
    far = TODAY + HORIZON + timedelta(weeks=10)
    services.activities.sessions_between(far - timedelta(weeks=4), far, group.activity, TODAY)
    assert planned_until(services, group.activity) == far

    data = services.activities.get_activity(group.activity)
    data.weekday = 3  # Thursdays from now on
    data.starts_on = TODAY
    services.activities.save_activity(data, today=TODAY)
    rows = services.activities.sessions_between(TODAY, far, group.activity, TODAY)

    # Beyond the usual half year too, the untouched Tuesdays went and Thursdays came.
    assert {r.on.weekday() for r in rows} == {3}
    assert [r.on for r in rows] == [
        TODAY + timedelta(days=3) + timedelta(weeks=n)
        for n in range((far - TODAY).days // 7 + 1)
        if TODAY + timedelta(days=3) + timedelta(weeks=n) <= far
    ]


def test_a_collaboration_ending_earlier_or_later_moves_the_last_session(services):
    case = reference_case(services)
    activity = needlework_activity(services, case)
    assert dates(services, activity)[-1] > date(2026, 4, 30)

    data = services.collaborations.get_collaboration(case.collaboration)
    data.end_date = date(2026, 4, 30)
    services.collaborations.save_collaboration(data)
    assert planned_until(services, activity) is None
    assert dates(services, activity)[-1] == date(2026, 4, 28)

    data.end_date = date(2026, 5, 31)
    services.collaborations.save_collaboration(data)
    assert dates(services, activity)[-1] == date(2026, 5, 26)


def test_editing_a_single_session_makes_the_next_look_plan_afresh(services):
    group = needlework_group(services)
    extra = services.activities.add_session(
        group.activity, date(2026, 3, 5), *_times(services, group.activity)
    )
    assert planned_until(services, group.activity) is None
    dates(services, group.activity)
    assert planned_until(services, group.activity) == TODAY + HORIZON

    services.activities.delete_session(extra)
    assert planned_until(services, group.activity) is None
    tuesday = session_on(services, group.activity, date(2026, 3, 10))
    services.activities.cancel_session(tuesday, "lockdown")
    assert planned_until(services, group.activity) is None
    dates(services, group.activity)
    services.activities.reinstate_session(tuesday)
    assert planned_until(services, group.activity) is None
    assert date(2026, 3, 10) in dates(services, group.activity)


def test_the_week_on_the_home_page_plans_every_activity_once(services):
    group = needlework_group(services)
    other = needlework_activity(services, group.case, name="Reading group", weekday=3)
    services.attendance.plan_and_list_week(TODAY)
    assert planned_until(services, group.activity) == TODAY + HORIZON
    assert planned_until(services, other) == TODAY + HORIZON
    week = services.attendance.plan_and_list_week(TODAY)
    assert [(r.activity, r.on) for r in week] == [
        ("Needlework group", date(2026, 3, 3)),
        ("Reading group", date(2026, 3, 5)),
    ]


def _times(services, activity):
    data = services.activities.get_activity(activity)
    return data.start_time, data.end_time


def test_the_next_four_weeks_sheets_of_a_weekly_group_are_four_after_todays_session(services):
    # Seen by the tester: on the group's own day, after its session, "the next 4 weeks"
    # gave 3 sheets (the window ended 28 days after today; the next session was in 7).
    from datetime import time, timedelta

    from tests.delivery_builders import TODAY, needlework_group

    group = needlework_group(services)
    tuesday = TODAY + timedelta(days=1)  # the group's day; its session ends at noon
    after = services.attendance.upcoming(group.activity, 4, tuesday, time(15, 0))
    assert [r.on for r in after] == [tuesday + timedelta(weeks=n) for n in range(1, 5)]
    before = services.attendance.upcoming(group.activity, 4, tuesday, time(9, 0))
    assert [r.on for r in before] == [tuesday + timedelta(weeks=n) for n in range(4)]
    # A day before the group's day: the window starts tomorrow, four sessions.
    monday = services.attendance.upcoming(group.activity, 4, TODAY, time(9, 0))
    assert len(monday) == 4
