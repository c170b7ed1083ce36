"""The figures of an activity over a period, and volunteers' clearances and hours."""

from __future__ import annotations

from datetime import date, time

import pytest

from collab_desktop.services.delivery.attendance import Newcomer
from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.errors import ValidationError
from tests.delivery_builders import TODAY, needlework_group, session_on


def record(services, group, day: date, *names: str, leaders=None, newcomers=()):
    return services.attendance.save_register(
        session_on(services, group.activity, day),
        [group.people[n] for n in names],
        [Newcomer(n) for n in newcomers],
        leader_ids=leaders,
        today=TODAY,
    )


def test_figures_for_a_quarter(services):
    group = needlework_group(services)
    both = [group.volunteer, group.staff]
    # Before the period: Alan and Colin already came in January.
    record(services, group, date(2026, 1, 27), "Alan Barker", "Colin Fry", leaders=both)
    # In the period (February and March 2026):
    record(services, group, date(2026, 2, 3), "Alan Barker", "Peter Stone", leaders=both)
    record(
        services,
        group,
        date(2026, 2, 10),
        "Alan Barker",
        "Peter Stone",
        "Paul Sands",
        newcomers=["Ifan Hughes"],
        leaders=[group.volunteer],
    )
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 2, 17)), "lockdown"
    )
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 3, 10)), "lockdown"
    )
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 3, 24)), "staff_shortage"
    )
    # A shorter session (90 minutes), moved to the Wednesday.
    short = session_on(services, group.activity, date(2026, 2, 24))
    services.activities.move_session(short, date(2026, 2, 25), time(10), time(11, 30))
    services.attendance.save_register(
        short, [group.people["Colin Fry"]], leader_ids=both, today=TODAY
    )

    figures = services.figures.figures(
        group.activity, date(2026, 2, 1), date(2026, 3, 31), today=TODAY
    )
    assert figures.planned == 9  # 3, 10, 17, 24 Feb; 3, 10, 17, 24, 31 Mar
    assert figures.held == 3
    assert figures.cancelled == 3
    assert figures.cancelled_by_reason == {"Lock-down": 2, "Staff shortage": 1}
    assert figures.not_recorded == 0
    assert figures.to_come == 3  # 3 (tomorrow), 17 and 31 March
    assert figures.attendances == 2 + 4 + 1
    assert figures.participants == 5  # Alan, Peter, Paul, Ifan, Colin
    assert figures.newcomers == 3  # Peter, Paul, Ifan: Alan and Colin came in January
    assert figures.average == 2.3
    assert figures.session_hours == 2 + 2 + 1.5
    assert figures.facilitator_hours == 2 * 2 + 2 * 1 + 1.5 * 2
    lines = dict(figures.lines())
    assert lines["Sessions cancelled"] == "3 (2 × Lock-down, 1 × Staff shortage)"
    assert lines["Facilitator hours"] == "9"


def test_figures_of_an_empty_period_are_zero(services):
    group = needlework_group(services)
    figures = services.figures.figures(
        group.activity, date(2025, 1, 1), date(2025, 12, 31), today=TODAY
    )
    assert (figures.planned, figures.held, figures.attendances, figures.average) == (0, 0, 0, 0)


def test_figures_need_a_period_the_right_way_round(services):
    group = needlework_group(services)
    with pytest.raises(ValidationError) as caught:
        services.figures.figures(group.activity, date(2026, 3, 31), date(2026, 1, 1))
    assert "before" in caught.value.errors["last"]


def test_past_sessions_without_a_register_are_counted_as_not_recorded(services):
    group = needlework_group(services)
    figures = services.figures.figures(
        group.activity, date(2026, 1, 1), date(2026, 1, 31), today=TODAY
    )
    assert (figures.planned, figures.held, figures.not_recorded) == (4, 0, 4)


# -- volunteers -----------------------------------------------------------------------------


def vetting(expires: date | None, site: str = "HMP Leyhill") -> ClearanceData:
    return ClearanceData("prison_vetting", site, "PV-20931", date(2023, 5, 2), expires)


def test_a_volunteer_is_recorded_without_a_copy_of_any_certificate(services):
    group = needlework_group(services)
    data = VolunteerData(
        contact_id=group.volunteer,
        since=date(2019, 9, 1),
        induction_on=date(2019, 9, 12),
        training="Prison induction; key training",
        training_on=date(2024, 2, 1),
        risk_assessed_on=date(2025, 6, 1),
        risk_reviewer="Darren Pike (RECOOP)",
        risk_review_due=date(2026, 6, 1),
        clearances=[
            ClearanceData("dbs_enhanced", "", "001234567890", date(2023, 4, 1), None),
            vetting(date(2026, 5, 1)),
        ],
    )
    services.volunteers.save_volunteer(data)
    loaded = services.volunteers.get_volunteer(group.volunteer)
    assert loaded.clearances == data.clearances
    assert (loaded.name, loaded.organisation) == ("Margaret Ellis", "Fine Cell Work")
    [row] = services.volunteers.list_volunteers(today=TODAY)
    assert row.clearances == "Enhanced DBS; Prison security vetting (HMP Leyhill)"
    assert row.next_expiry == date(2026, 5, 1)
    assert row.attention == ""
    assert "Margaret Ellis" not in [c.name for c in services.volunteers.contacts_to_add()]


def test_clearance_that_expired_or_runs_out_before_the_sessions_warns(services):
    group = needlework_group(services, ends_on=date(2026, 6, 30))
    volunteer = VolunteerData(contact_id=group.volunteer, clearances=[vetting(date(2026, 2, 1))])
    services.volunteers.save_volunteer(volunteer)
    data = services.activities.get_activity(group.activity)
    assert services.activities.facilitator_warnings(data, today=TODAY) == [
        "Margaret Ellis's clearance for HMP Leyhill expired on 01/02/2026."
    ]

    volunteer.clearances = [vetting(date(2026, 4, 30))]
    services.volunteers.save_volunteer(volunteer)
    assert services.activities.facilitator_warnings(data, today=TODAY) == [
        "Margaret Ellis's clearance for HMP Leyhill expires on 30/04/2026, before the last "
        "planned session (30/06/2026)."
    ]

    # A clearance for another prison does not count; staff who are not volunteers are not
    # checked.
    volunteer.clearances = [vetting(date(2027, 1, 1), site="HMP Eastwood Park")]
    services.volunteers.save_volunteer(volunteer)
    assert services.activities.facilitator_warnings(data, today=TODAY) == [
        "Margaret Ellis has no clearance recorded for HMP Leyhill."
    ]
    volunteer.clearances = [vetting(date(2027, 1, 1), site="Leyhill")]
    services.volunteers.save_volunteer(volunteer)
    assert services.activities.facilitator_warnings(data, today=TODAY) == []
    # One session: "before the session".
    assert services.volunteers.warnings(
        [group.volunteer], "HMP Leyhill", date(2027, 2, 2), date(2027, 2, 2)
    ) == ["Margaret Ellis's clearance for HMP Leyhill expired on 01/01/2027."]


def test_volunteer_hours_come_from_the_sessions_they_led(services):
    group = needlework_group(services)
    services.volunteers.save_volunteer(VolunteerData(contact_id=group.volunteer))
    record(services, group, date(2026, 2, 3), "Alan Barker", leaders=[group.volunteer])
    record(services, group, date(2026, 2, 10), "Alan Barker", leaders=[group.staff])
    record(services, group, date(2026, 2, 17), "Alan Barker", leaders=[group.volunteer])
    [row] = services.volunteers.list_volunteers(today=TODAY)
    assert row.hours == 4
    assert row.attention == "No clearance recorded"


def test_clearance_seen_after_it_expires_is_refused(services):
    group = needlework_group(services)
    with pytest.raises(ValidationError) as caught:
        services.volunteers.save_volunteer(
            VolunteerData(
                contact_id=group.volunteer,
                clearances=[
                    ClearanceData("dbs_enhanced", "", "1", date(2026, 1, 1), date(2025, 1, 1))
                ],
            )
        )
    assert "clearances.0.expires_on" in caught.value.errors
