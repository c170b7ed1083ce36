"""The standard measures of a return, counted from sessions, registers and volunteers, agree
with services/delivery/figures.py and can be traced to the rows behind them."""

from __future__ import annotations

from datetime import date, time

from collab_desktop.services.delivery.attendance import Newcomer
from collab_desktop.services.delivery.volunteers import VolunteerData
from collab_desktop.services.returns.compute import compute, trace
from tests.delivery_builders import TODAY, needlework_activity, needlework_group, session_on

FIRST, LAST = date(2026, 2, 1), date(2026, 3, 31)


def record(services, group, day, *names, leaders=None, newcomers=(), activity=None):
    return services.attendance.save_register(
        session_on(services, activity or group.activity, day),
        [group.people[n] for n in names],
        [Newcomer(n) for n in newcomers],
        leader_ids=leaders,
        today=TODAY,
    )


def quarter(services, group):
    both = [group.volunteer, group.staff]
    record(services, group, date(2026, 1, 27), "Alan Barker", "Colin Fry", leaders=both)
    record(services, group, date(2026, 2, 3), "Alan Barker", "Peter Stone", leaders=both)
    record(
        services, group, date(2026, 2, 10), "Alan Barker", "Peter Stone", "Paul Sands",
        newcomers=["Ifan Hughes"], leaders=[group.volunteer],
    )  # fmt: skip
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 2, 17)), "lockdown"
    )
    short = session_on(services, group.activity, date(2026, 2, 24))
    services.activities.move_session(short, date(2026, 2, 25), time(10), time(11, 30))
    services.attendance.save_register(
        short, [group.people["Colin Fry"]], leader_ids=both, today=TODAY
    )


def counted(services, collaboration, first=FIRST, last=LAST):
    services.activities.plan_ahead(last, TODAY)
    with services.figures._sessions() as session:
        return compute(session, collaboration, first, last, TODAY)


def test_one_activity_agrees_with_its_figures(services):
    group = needlework_group(services)
    quarter(services, group)
    services.volunteers.save_volunteer(VolunteerData(contact_id=group.volunteer))
    figures = services.figures.figures(group.activity, FIRST, LAST, today=TODAY)
    got = counted(services, group.case.collaboration)
    assert got.value("sessions_planned") == figures.planned == 9
    assert got.value("sessions_held") == figures.held == 3
    assert got.value("sessions_cancelled") == figures.cancelled == 1
    assert got.value("sessions_cancelled", "Lock-down") == 1
    assert got.value("attendances") == figures.attendances == 7
    assert got.value("participants") == figures.participants == 5
    assert got.value("newcomers") == figures.newcomers == 3
    assert got.value("average_attendance") == figures.average
    assert got.value("facilitator_hours") == figures.facilitator_hours == 2 * 2 + 2 + 1.5 * 2
    # Margaret Ellis is the volunteer: she led all three held sessions.
    assert got.value("volunteer_hours") == 2 + 2 + 1.5
    assert got.value("sessions_not_recorded") == 0


def test_someone_at_two_groups_is_one_participant(services):
    group = needlework_group(services)
    quarter(services, group)
    knitting = needlework_activity(
        services, group.case, name="Knitting circle", weekday=3, facilitator_ids=[group.staff]
    )
    record(services, group, date(2026, 2, 5), "Peter Stone", "Derek Moss", activity=knitting)
    got = counted(services, group.case.collaboration)
    assert got.value("attendances") == 7 + 2
    assert got.value("participants") == 6  # Derek is new; Peter came to both groups
    assert got.value("newcomers") == 4


def test_each_number_traces_to_its_sessions_and_people(services):
    group = needlework_group(services)
    quarter(services, group)
    services.activities.plan_ahead(LAST, TODAY)
    with services.figures._sessions() as session:
        held = trace(session, group.case.collaboration, FIRST, LAST, "attendances", "", TODAY)
        assert [s.on for s in held.sessions] == [date(2026, 2, 3), date(2026, 2, 10),
                                                 date(2026, 2, 25)]  # fmt: skip
        assert sum(s.attended for s in held.sessions) == 7
        lockdown = trace(
            session, group.case.collaboration, FIRST, LAST, "sessions_cancelled", "Lock-down",
            TODAY,
        )  # fmt: skip
        assert [(s.on, s.reason) for s in lockdown.sessions] == [(date(2026, 2, 17), "Lock-down")]
        new = trace(session, group.case.collaboration, FIRST, LAST, "newcomers", "", TODAY)
        assert [p.name for p in new.people] == ["Ifan Hughes", "Paul Sands", "Peter Stone"]


def test_a_period_with_no_sessions_says_so(services):
    group = needlework_group(services)
    got = counted(services, group.case.collaboration, date(2025, 1, 1), date(2025, 3, 31))
    assert got.value("sessions_planned") == 0
    assert got.value("average_attendance") == 0
    assert any("No sessions" in n for n in got.notices)


def test_an_activity_ended_mid_period_is_noted(services):
    group = needlework_group(services, ends_on=date(2026, 2, 20))
    quarter_end = counted(services, group.case.collaboration)
    assert quarter_end.value("sessions_planned") == 3  # 3, 10 and 17 February
    assert any("ended on 20 February 2026" in n for n in quarter_end.notices)


def test_leavers_are_counted(services):
    group = needlework_group(services)
    data = services.participants.get_participant(group.people["Colin Fry"])
    data.left_on = date(2026, 3, 1)
    services.participants.save_participant(data, confirmed=True, today=TODAY)
    got = counted(services, group.case.collaboration)
    assert got.value("leavers") == 1


def test_a_return_counts_the_reporting_organisations_activities_only(services):
    # Seen in the three-laptop run: a whole collaboration arrives on each partner's laptop
    # with every partner's groups, and RECOOP's return counted Pact's Saturdays as planned.
    group = needlework_group(services)  # led by Fine Cell Work's and RECOOP's facilitators
    quarter(services, group)
    knitting = needlework_activity(
        services, group.case, name="Knitting circle", weekday=3, facilitator_ids=[group.staff]
    )  # RECOOP's alone
    services.activities.plan_ahead(LAST, TODAY)
    c, fcw, recoop = group.case.collaboration, group.case.fine_cell_work, group.case.recoop
    with services.figures._sessions() as session:
        everything = compute(session, c, FIRST, LAST, TODAY)
        ours = compute(session, c, FIRST, LAST, TODAY, fcw)
        theirs = compute(session, c, FIRST, LAST, TODAY, recoop)
        traced = trace(session, c, FIRST, LAST, "sessions_planned", "", TODAY, fcw)
    needlework_only = everything.value("sessions_planned") - ours.value("sessions_planned")
    assert needlework_only > 0  # the knitting circle's Thursdays are not Fine Cell Work's
    assert theirs.value("sessions_planned") == everything.value("sessions_planned")
    assert any("Knitting circle is led by RECOOP" in n for n in ours.notices)
    assert {s.activity for s in traced.sessions} == {"Needlework group"}
    # A register of it kept on this laptop: this organisation ran it, so it counts.
    record(services, group, date(2026, 2, 5), "Peter Stone", activity=knitting)
    with services.figures._sessions() as session:
        now = compute(session, c, FIRST, LAST, TODAY, fcw)
    assert now.value("sessions_planned") == everything.value("sessions_planned")
    assert now.value("attendances") == everything.value("attendances") + 1
