"""Participants, enrolments, the register of a session, and the figures of an activity."""

from __future__ import annotations

from datetime import date, time

import pytest

from collab_desktop.services.delivery.attendance import Newcomer
from collab_desktop.services.delivery.participants import (
    NameMatches,
    ParticipantData,
    printed_name,
    printed_names,
)
from collab_desktop.services.errors import InUse, StateError, ValidationError
from tests.delivery_builders import (
    FIRST,
    TODAY,
    add_person,
    needlework_activity,
    needlework_group,
    session_on,
)

# -- how names print ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("full", "Gareth Ŵyn Jones"),
        ("first_initial", "Gareth J."),
        ("initials", "G. Ŵ. J."),
    ],
)
def test_printed_name(mode, expected):
    assert printed_name("  Gareth   Ŵyn Jones ", mode) == expected


def test_printed_names_are_alphabetical_and_shared_initials_are_numbered():
    names = ["Peter Stone", "Alan Barker", "Paul Sands", "Ŵyn Owen"]
    assert printed_names(names, "initials") == ["A. B.", "P. S. (1)", "P. S. (2)", "Ŵ. O."]
    assert printed_names(names, "first_initial") == [
        "Alan B.",
        "Paul S.",
        "Peter S.",
        "Ŵyn O.",
    ]
    assert printed_name("Madonna", "first_initial") == "Madonna"


# -- participants ---------------------------------------------------------------------------


def test_a_name_like_an_existing_participant_offers_the_existing_one(services):
    group = needlework_group(services)
    with pytest.raises(NameMatches) as caught:
        services.participants.save_participant(ParticipantData(display_name="peter  stone"))
    [match] = caught.value.matches
    assert match.id == group.people["Peter Stone"]
    assert match.label == "Peter Stone (Needlework group)"
    assert "looks like someone already recorded" in caught.value.message
    # The same reference number is the same person, whatever the name.
    services.participants.save_participant(
        ParticipantData(
            id=group.people["Derek Moss"], display_name="Derek Moss", reference="A1234BC"
        )
    )
    with pytest.raises(NameMatches) as caught:
        services.participants.save_participant(
            ParticipantData(display_name="D. M.", reference="a1234bc")
        )
    assert [m.name for m in caught.value.matches] == ["Derek Moss"]
    # Told it is someone else, it records them.
    other = services.participants.save_participant(
        ParticipantData(display_name="Peter Stone"), confirmed=True
    )
    assert other not in group.people.values()


def test_enrolling_twice_is_refused(services):
    group = needlework_group(services)
    with pytest.raises(ValidationError) as caught:
        services.participants.enrol(group.people["Colin Fry"], group.activity, TODAY)
    assert caught.value.errors["activity_ids"] == (
        "Colin Fry is already enrolled in Needlework group (since 06/01/2026)."
    )
    assert len(services.participants.enrolled(group.activity, TODAY)) == 6


def test_someone_who_left_is_not_expected_afterwards(services):
    group = needlework_group(services)
    services.participants.leave_activity(
        group.people["Colin Fry"], group.activity, date(2026, 2, 1)
    )
    before = services.participants.enrolled(group.activity, date(2026, 1, 27))
    after = services.participants.enrolled(group.activity, date(2026, 2, 3))
    assert "Colin Fry" in [c.name for c in before]
    assert "Colin Fry" not in [c.name for c in after]
    # And back again later: enrolling works once more.
    services.participants.enrol(group.people["Colin Fry"], group.activity, date(2026, 3, 1))
    assert "Colin Fry" in [c.name for c in services.participants.enrolled(group.activity)]


def test_participant_with_attendance_cannot_be_deleted(services):
    group = needlework_group(services)
    services.attendance.save_register(
        session_on(services, group.activity, FIRST), [group.people["Alan Barker"]], today=TODAY
    )
    with pytest.raises(InUse):
        services.participants.delete_participant(group.people["Alan Barker"])
    services.participants.delete_participant(group.people["Derek Moss"])
    rows = services.participants.list_participants()
    assert "Derek Moss" not in [r.name for r in rows]
    alan = next(r for r in rows if r.name == "Alan Barker")
    assert (alan.attendances, alan.activities) == (1, "Needlework group")


def test_left_date_before_joined_date_is_refused(services):
    with pytest.raises(ValidationError) as caught:
        services.participants.save_participant(
            ParticipantData(
                display_name="A. N.", joined_on=date(2026, 2, 1), left_on=date(2026, 1, 1)
            )
        )
    assert "before" in caught.value.errors["left_on"]


# -- the register ---------------------------------------------------------------------------


def test_register_lists_the_expected_people_alphabetically(services):
    group = needlework_group(services)
    outsider = add_person(services, "Zac Other")  # recorded, but not in this group
    register = services.attendance.register(session_on(services, group.activity, FIRST))
    expected = [line.name for line in register.lines if line.expected]
    assert expected == sorted(expected, key=str.casefold) and len(expected) == 6
    assert all(line.expected for line in register.lines)
    # Everyone else is found by typing, read separately (ten years bring thousands).
    session = session_on(services, group.activity, FIRST)
    assert [p.participant_id for p in services.attendance.findable(session)] == [outsider]
    paul = next(line for line in register.lines if line.name == "Paul Sands")
    assert paul.on_sheet_as == "P. S. (1)"
    assert [(lead.name, lead.led) for lead in register.leaders] == [
        ("Margaret Ellis", True),
        ("Amir Khan", True),
    ]


def test_saving_the_same_register_twice_changes_nothing(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 2, 3))
    came = [group.people["Alan Barker"], group.people["Colin Fry"]]
    first = services.attendance.save_register(session, came, leader_ids=[group.volunteer])
    again = services.attendance.save_register(session, came, leader_ids=[group.volunteer])
    assert first.changed and not again.changed
    assert services.attendance.attendance_count(session) == 2
    register = services.attendance.register(session)
    assert register.recorded
    assert {line.name for line in register.lines if line.attended} == {"Alan Barker", "Colin Fry"}
    assert [(lead.name, lead.led) for lead in register.leaders] == [
        ("Margaret Ellis", True),
        ("Amir Khan", False),
    ]
    # Unticking someone removes them.
    services.attendance.save_register(session, came[:1])
    assert services.attendance.attendance_count(session) == 1
    assert services.activities.get_session(session, TODAY).status_label == "Held"


def test_a_newcomer_is_recorded_enrolled_and_ticked(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 2, 10))
    saved = services.attendance.save_register(
        session, [group.people["Alan Barker"]], [Newcomer(" Ifan  Hughes ", "A9999ZZ")]
    )
    [new_id] = saved.new_participants
    person = services.participants.get_participant(new_id)
    assert (person.display_name, person.reference, person.joined_on) == (
        "Ifan  Hughes",
        "A9999ZZ",
        date(2026, 2, 10),
    )
    assert person.activity_ids == [group.activity]
    assert saved.attended == 2
    # Expected at the next session, not at the one before.
    names_next = [c.name for c in services.participants.enrolled(group.activity, TODAY)]
    names_before = [
        c.name for c in services.participants.enrolled(group.activity, date(2026, 2, 3))
    ]
    assert "Ifan  Hughes" in names_next and "Ifan  Hughes" not in names_before


def test_a_cancelled_session_has_no_register(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 2, 17))
    services.activities.cancel_session(session, "lockdown")
    with pytest.raises(StateError) as caught:
        services.attendance.register(session)
    assert caught.value.message == (
        "The session on 17/02/2026 was cancelled (lock-down), so it has no register. "
        "If it went ahead after all, reinstate it first."
    )
    with pytest.raises(StateError):
        services.attendance.save_register(session, [group.people["Colin Fry"]])


def test_a_held_session_cannot_be_cancelled(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 2, 17))
    services.attendance.save_register(session, [group.people["Colin Fry"]], today=TODAY)
    with pytest.raises(StateError):
        services.activities.cancel_session(session, "lockdown")


def test_a_register_for_a_session_still_to_come_is_refused(services):
    group = needlework_group(services)
    session = session_on(services, group.activity, date(2026, 3, 10))
    with pytest.raises(ValidationError) as caught:
        services.attendance.save_register(session, [], today=TODAY)
    assert "has not come yet" in caught.value.errors["on"]


# -- sheets ---------------------------------------------------------------------------------


def test_sheets_carry_only_what_the_setting_allows(services):
    group = needlework_group(services)
    upcoming = services.attendance.upcoming(group.activity, weeks=4, today=TODAY)
    services.activities.cancel_session(upcoming[1].id, "lockdown")
    sheets = services.attendance.sheets([r.id for r in upcoming], printed_on=TODAY)
    assert [s.on for s in sheets] == [date(2026, 3, 3), date(2026, 3, 17), date(2026, 3, 24)]
    sheet = sheets[0]
    assert sheet.names == ["A. B.", "C. F.", "D. M.", "G. Ŵ. J.", "P. S. (1)", "P. S. (2)"]
    assert sheet.facilitators == ["Margaret Ellis", "Amir Khan"]
    assert (sheet.activity, sheet.collaboration, sheet.venue) == (
        "Needlework group",
        "Needlework group at HMP Leyhill",
        "The Lobster Pot",
    )
    assert (sheet.start_time, sheet.end_time) == (time(10), time(12))

    data = services.activities.get_activity(group.activity)
    data.name_printing = "full"
    services.activities.save_activity(data, today=TODAY)
    [sheet] = services.attendance.sheets([upcoming[0].id], printed_on=TODAY)
    assert sheet.names[0] == "Alan Barker"


def test_this_week_holds_every_activity_from_monday_to_sunday(services):
    group = needlework_group(services)
    other = needlework_activity(services, group.case, name="Art club", weekday=4)
    rows = services.attendance.plan_and_list_week(today=date(2026, 3, 4))
    assert [(r.activity, r.on) for r in rows] == [
        ("Needlework group", date(2026, 3, 3)),
        ("Art club", date(2026, 3, 6)),
    ]
    assert other in {r.activity_id for r in rows}
