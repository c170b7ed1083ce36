"""Activities and their sessions: the schedule, and single sessions moved, added, cancelled."""

from __future__ import annotations

from datetime import date, time

import pytest

from collab_desktop.services.delivery.schedule import describe, schedule_dates
from collab_desktop.services.errors import InUse, StateError, ValidationError
from tests.builders import add_collaboration, reference_case, reference_partners
from tests.delivery_builders import (
    FIRST,
    TODAY,
    TUESDAY,
    needlework_activity,
    needlework_group,
    session_on,
)

# -- the schedule as dates ------------------------------------------------------------------


def test_weekly_dates_start_on_the_first_matching_weekday():
    # 1 January 2026 is a Thursday: the first Tuesday is the 6th.
    assert schedule_dates(TUESDAY, "weekly", date(2026, 1, 1), date(2026, 2, 3)) == [
        date(2026, 1, 6),
        date(2026, 1, 13),
        date(2026, 1, 20),
        date(2026, 1, 27),
        date(2026, 2, 3),
    ]


def test_fortnightly_and_four_weekly_dates():
    assert schedule_dates(TUESDAY, "fortnightly", FIRST, date(2026, 2, 28)) == [
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
        date(2026, 2, 17),
    ]
    assert schedule_dates(TUESDAY, "four_weekly", FIRST, date(2026, 3, 31)) == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 3, 31),
    ]


def test_monthly_keeps_the_week_of_the_month():
    # The second Tuesday of each month, across a year end.
    assert schedule_dates(TUESDAY, "monthly", date(2025, 11, 11), date(2026, 2, 28)) == [
        date(2025, 11, 11),
        date(2025, 12, 9),
        date(2026, 1, 13),
        date(2026, 2, 10),
    ]


def test_schedule_reads_as_a_sentence():
    assert describe(TUESDAY, "weekly", time(10), time(12)) == "Tuesdays 10:00–12:00, every week"
    assert describe(4, "fortnightly", time(14), time(15, 30)) == (
        "Fridays 14:00–15:30, every two weeks"
    )


# -- sessions generated from the schedule ---------------------------------------------------


def test_weekly_activity_generates_its_sessions(services):
    case = reference_case(services)
    activity = needlework_activity(services, case, ends_on=date(2026, 2, 24))
    rows = services.activities.sessions_of(activity, today=TODAY)
    assert [r.on for r in rows] == [date(2026, 1, 6 + 7 * i) for i in range(4)] + [
        date(2026, 2, 3),
        date(2026, 2, 10),
        date(2026, 2, 17),
        date(2026, 2, 24),
    ]
    assert {(r.start_time, r.end_time, r.venue) for r in rows} == {
        (time(10), time(12), "The Lobster Pot")
    }
    # Past sessions with no register say so; they are not silently "held".
    assert {r.status_label for r in rows} == {"Not recorded"}


def test_fortnightly_activity_generates_every_other_week(services):
    case = reference_case(services)
    activity = needlework_activity(
        services, case, frequency="fortnightly", ends_on=date(2026, 3, 31)
    )
    assert [r.on for r in services.activities.sessions_of(activity, today=TODAY)] == [
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
        date(2026, 2, 17),
        date(2026, 3, 3),
        date(2026, 3, 17),
        date(2026, 3, 31),
    ]


def test_an_open_ended_activity_is_planned_half_a_year_ahead_and_more_on_request(services):
    case = reference_case(services)
    activity = needlework_activity(services, case)
    rows = services.activities.sessions_of(activity, today=TODAY)
    assert rows[-1].on <= date(2026, 8, 31)
    later = services.activities.sessions_between(
        date(2026, 12, 1), date(2026, 12, 31), activity, today=TODAY
    )
    assert [r.on.day for r in later] == [1, 8, 15, 22, 29]


def test_a_cancelled_week_stays_on_record_and_is_not_planned_again(services):
    group = needlework_group(services, ends_on=date(2026, 3, 31))
    lockdown = session_on(services, group.activity, date(2026, 3, 10))
    services.activities.cancel_session(lockdown, "lockdown", "Whole prison locked down")

    # Saving the activity again (a new venue) must not bring the week back.
    data = services.activities.get_activity(group.activity)
    data.venue = "Chapel annexe"
    services.activities.save_activity(data, today=TODAY)

    rows = {r.on: r for r in services.activities.sessions_of(group.activity, today=TODAY)}
    assert rows[date(2026, 3, 10)].status == "cancelled"
    assert rows[date(2026, 3, 10)].status_label == "Cancelled: Lock-down"
    assert rows[date(2026, 3, 10)].note == "Whole prison locked down"
    assert len(rows) == 13
    upcoming = services.attendance.upcoming(group.activity, weeks=4, today=TODAY)
    assert [r.on for r in upcoming] == [date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 24)]


def test_cancelling_needs_a_reason(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 3, 3))
    with pytest.raises(ValidationError) as caught:
        services.activities.cancel_session(session, "", "")
    assert "why" in caught.value.errors["reason"]
    with pytest.raises(ValidationError) as caught:
        services.activities.cancel_session(session, "other", "  ")
    assert "note" in caught.value.errors


def test_a_reinstated_session_is_planned_again(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 3, 3))
    services.activities.cancel_session(session, "staff_shortage")
    services.activities.reinstate_session(session)
    assert services.activities.get_session(session, TODAY).status == "planned"


def test_a_moved_session_keeps_its_week_and_the_schedule_stays(services):
    group = needlework_group(services, ends_on=date(2026, 3, 31))
    moved = session_on(services, group.activity, date(2026, 3, 17))
    services.activities.move_session(
        moved, date(2026, 3, 19), time(14), time(16), "Visits hall", "Room needed for visits"
    )
    data = services.activities.get_activity(group.activity)
    services.activities.save_activity(data, today=TODAY)

    rows = services.activities.sessions_of(group.activity, today=TODAY)
    march = [(r.on, r.start_time, r.venue) for r in rows if r.on.month == 3]
    assert march == [
        (date(2026, 3, 3), time(10), "The Lobster Pot"),
        (date(2026, 3, 10), time(10), "The Lobster Pot"),
        (date(2026, 3, 19), time(14), "Visits hall"),
        (date(2026, 3, 24), time(10), "The Lobster Pot"),
        (date(2026, 3, 31), time(10), "The Lobster Pot"),
    ]
    row = next(r for r in rows if r.on == date(2026, 3, 19))
    assert row.moved and row.scheduled_on == date(2026, 3, 17)
    assert row.weekday == "Thursday"


def test_a_new_time_moves_future_untouched_sessions_only(services):
    group = needlework_group(services, ends_on=date(2026, 3, 31))
    held = session_on(services, group.activity, date(2026, 2, 24))
    services.attendance.save_register(held, [group.people["Colin Fry"]], today=TODAY)
    moved = session_on(services, group.activity, date(2026, 3, 24))
    services.activities.move_session(moved, date(2026, 3, 24), time(9), time(11))

    data = services.activities.get_activity(group.activity)
    data.start_time, data.end_time = time(13, 30), time(15, 30)
    services.activities.save_activity(data, today=TODAY)
    rows = {r.on: r for r in services.activities.sessions_of(group.activity, today=TODAY)}
    assert rows[date(2026, 2, 24)].start_time == time(10)  # held: its record stands
    assert rows[date(2026, 3, 3)].start_time == time(13, 30)
    assert rows[date(2026, 3, 24)].start_time == time(9)  # moved by hand: left alone


def test_a_new_weekday_replaces_future_planned_sessions(services):
    group = needlework_group(services, ends_on=date(2026, 3, 31))
    data = services.activities.get_activity(group.activity)
    data.weekday = 3  # Thursdays from now on
    data.starts_on = date(2026, 3, 2)
    services.activities.save_activity(data, today=TODAY)
    rows = services.activities.sessions_of(group.activity, today=TODAY)
    assert [r.on for r in rows if r.on >= TODAY] == [
        date(2026, 3, 5),
        date(2026, 3, 12),
        date(2026, 3, 19),
        date(2026, 3, 26),
    ]
    # The past ones stay: they may yet have a register recorded.
    assert date(2026, 2, 24) in [r.on for r in rows]


def test_an_extra_session_can_be_added_and_removed(services):
    group = needlework_group(services)
    extra = services.activities.add_session(
        group.activity, date(2026, 3, 5), time(10), time(12), note="Exhibition day"
    )
    row = services.activities.get_session(extra, TODAY)
    assert row.scheduled_on is None and row.note == "Exhibition day"
    services.activities.delete_session(extra)
    with pytest.raises(StateError):
        services.activities.delete_session(session_on(services, group.activity, FIRST))


# -- bad input ------------------------------------------------------------------------------


def test_end_time_before_start_time_is_refused(services):
    case = reference_case(services)
    with pytest.raises(ValidationError) as caught:
        needlework_activity(services, case, start_time=time(12), end_time=time(10))
    assert caught.value.errors["end_time"] == (
        "The end time (10:00) is not after the start time (12:00)."
    )
    group_activity = needlework_activity(services, case)
    session = session_on(services, group_activity, FIRST)
    with pytest.raises(ValidationError) as caught:
        services.activities.move_session(session, FIRST, time(11), time(11))
    assert "end_time" in caught.value.errors


def test_sessions_outside_the_collaboration_dates_are_refused(services):
    fcw, recoop, leyhill = reference_partners(services)
    collaboration = add_collaboration(
        services,
        "Spring course",
        [(fcw, "lead"), (leyhill, "host")],
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
    )
    from collab_desktop.services.delivery.activities import ActivityData

    data = ActivityData(
        collaboration_id=collaboration,
        name="Course",
        weekday=TUESDAY,
        start_time=time(10),
        end_time=time(12),
        starts_on=date(2025, 12, 2),
        ends_on=date(2026, 4, 28),
    )
    with pytest.raises(ValidationError) as caught:
        services.activities.save_activity(data, today=TODAY)
    assert caught.value.errors["starts_on"] == (
        "The first session (02/12/2025) is before the collaboration starts (01/01/2026)."
    )
    assert "after the collaboration ends (31/03/2026)" in caught.value.errors["ends_on"]

    # Open-ended, the sessions stop at the collaboration's end.
    data.starts_on, data.ends_on = date(2026, 1, 6), None
    activity = services.activities.save_activity(data, today=TODAY)
    assert services.activities.sessions_of(activity, today=TODAY)[-1].on == date(2026, 3, 31)
    last = session_on(services, activity, date(2026, 3, 31))
    with pytest.raises(ValidationError) as caught:
        services.activities.move_session(last, date(2026, 4, 2), time(10), time(12))
    assert "after the collaboration ends" in caught.value.errors["on"]
    with pytest.raises(ValidationError):
        services.activities.add_session(activity, date(2025, 12, 30), time(10), time(12))


def test_two_sessions_of_one_activity_on_one_day_are_refused(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 3, 3))
    with pytest.raises(ValidationError) as caught:
        services.activities.move_session(session, date(2026, 3, 10), time(10), time(12))
    assert "already has a session on 10/03/2026" in caught.value.errors["on"]


def test_required_fields(services):
    from collab_desktop.services.delivery.activities import ActivityData

    with pytest.raises(ValidationError) as caught:
        services.activities.save_activity(ActivityData(), today=TODAY)
    assert {"collaboration_id", "name", "start_time", "end_time", "starts_on"} <= set(
        caught.value.errors
    )


def test_names_print_as_initials_by_default_in_custody_and_in_full_in_the_community(services):
    fcw, recoop, leyhill = reference_partners(services)
    custody = add_collaboration(services, "Inside", [(fcw, "lead")], setting="custody")
    community = add_collaboration(services, "Outside", [(fcw, "lead")], setting="community")
    assert services.activities.new_activity(custody).name_printing == "initials"
    assert services.activities.new_activity(community).name_printing == "full"


def test_facilitators_are_the_members_staff_and_volunteers(services):
    group = needlework_group(services)
    services.volunteers.save_volunteer(
        services.volunteers.get_volunteer(group.volunteer)
    )  # marked as a volunteer with nothing else recorded
    choices = services.activities.facilitator_choices(group.case.collaboration)
    names = [c.name for c in choices]
    assert "Margaret Ellis" in names and "Helen Price" in names
    margaret = next(c for c in choices if c.name == "Margaret Ellis")
    assert margaret.label == "Margaret Ellis (Fine Cell Work, volunteer)"
    rows = services.activities.list_activities(today=TODAY)
    assert rows[0].facilitators == "Margaret Ellis, Amir Khan"
    assert rows[0].enrolled == 6
    assert rows[0].next_session == date(2026, 3, 3)
    assert rows[0].when == "Tuesdays 10:00–12:00, every week"


def test_an_activity_with_a_history_cannot_be_deleted(services):
    group = needlework_group(services)
    services.attendance.save_register(
        session_on(services, group.activity, FIRST), [group.people["Colin Fry"]], today=TODAY
    )
    with pytest.raises(InUse):
        services.activities.delete_activity(group.activity)
    case = group.case
    fresh = needlework_activity(services, case, name="Knitting")
    services.activities.delete_activity(fresh)
    assert [r.name for r in services.activities.list_activities(TODAY)] == ["Needlework group"]
