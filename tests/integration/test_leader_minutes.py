"""The minutes of held sessions each contact led, kept by the database's triggers (migration
0012, issue 17): after every kind of write the kept totals equal a fresh count from the
sessions, made here in Python with schedule.hours_between as the figures make theirs."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import date, time

from alembic import command
from sqlalchemy import select

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models import ActivitySession, SessionLeader
from collab_desktop.models.database import make_engine, make_session_factory
from collab_desktop.services.delivery.schedule import hours_between
from collab_desktop.services.delivery.volunteers import VolunteerData
from collab_desktop.services.open_records import open_services
from tests.delivery_builders import TODAY, needlework_group, session_on
from tests.exchange_helpers import two_laptops

TRIGGERS = {
    "leader_minutes_leader_added",
    "leader_minutes_leader_removed",
    "leader_minutes_leader_changed",
    "leader_minutes_session_changed",
    "leader_minutes_session_removed",
}


def kept(services) -> dict[uuid.UUID, int]:
    """The kept totals; a row at 0 is as good as no row."""
    with services.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT contact_id, minutes FROM leader_minutes")
        return {uuid.UUID(hex=c): m for c, m in rows if m != 0}


def fresh(services) -> dict[uuid.UUID, int]:
    totals: dict[uuid.UUID, int] = {}
    with make_session_factory(services.engine)() as session:
        for contact_id, start, end in session.execute(
            select(SessionLeader.contact_id, ActivitySession.start_time, ActivitySession.end_time)
            .join(ActivitySession, SessionLeader.session_id == ActivitySession.id)
            .where(ActivitySession.status == "held")
        ):
            minutes = round(hours_between(start, end) * 60)
            totals[contact_id] = totals.get(contact_id, 0) + minutes
    return {c: m for c, m in totals.items() if m != 0}


def consistent(services) -> dict[uuid.UUID, int]:
    found = kept(services)
    assert found == fresh(services)
    return found


def register(services, group, day: date, *names: str, leaders: list[uuid.UUID]) -> uuid.UUID:
    session_id = session_on(services, group.activity, day)
    services.attendance.save_register(
        session_id, [group.people[n] for n in names], leader_ids=leaders, today=TODAY
    )
    return session_id


def sql(services, statement: str, *parameters: object) -> None:
    with services.engine.begin() as connection:  # foreign keys on, as the app's
        connection.exec_driver_sql(statement, parameters)


def test_registers_times_and_cancelling_keep_the_totals(services):
    group = needlework_group(services)
    vol, staff = group.volunteer, group.staff
    first = register(services, group, date(2026, 2, 3), "Alan Barker", leaders=[vol, staff])
    assert consistent(services) == {vol: 120, staff: 120}

    # A shorter session (moved before its register), then a held one given other times.
    short = session_on(services, group.activity, date(2026, 2, 10))
    services.activities.move_session(short, date(2026, 2, 10), time(10), time(11, 30))
    register(services, group, date(2026, 2, 10), "Alan Barker", leaders=[vol])
    services.activities.move_session(first, date(2026, 2, 3), time(9, 45), time(13))
    assert consistent(services) == {vol: 195 + 90, staff: 195}

    # A leader taken off a register, another put on.
    services.attendance.save_register(first, [group.people["Alan Barker"]], leader_ids=[vol])
    services.attendance.save_register(short, [group.people["Alan Barker"]], leader_ids=[staff])
    assert consistent(services) == {vol: 195, staff: 90}

    # Held with its leaders only, cancelled, reinstated (held again: it was recorded).
    third = register(services, group, date(2026, 2, 17), leaders=[vol, staff])
    assert consistent(services) == {vol: 195 + 120, staff: 90 + 120}
    services.activities.cancel_session(third, "lockdown")
    assert consistent(services) == {vol: 195, staff: 90}
    services.activities.reinstate_session(third)
    assert consistent(services) == {vol: 195 + 120, staff: 90 + 120}

    services.volunteers.save_volunteer(VolunteerData(contact_id=vol))
    [row] = services.volunteers.list_volunteers(today=TODAY)
    assert row.hours == 5.25


def test_deleting_sessions_and_leaders_keeps_the_totals(services):
    group = needlework_group(services)
    vol, staff = group.volunteer, group.staff
    days = [date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 20), date(2026, 1, 27)]
    ids = [register(services, group, d, "Colin Fry", leaders=[vol, staff]) for d in days]
    assert consistent(services) == {vol: 480, staff: 480}

    # Through the ORM: its cascade deletes the leaders first, then the session.
    with make_session_factory(services.engine).begin() as session:
        session.delete(session.get(ActivitySession, ids[0]))
    assert consistent(services) == {vol: 360, staff: 360}

    # In SQL: the database's cascade deletes the leaders after the session's own trigger.
    sql(services, "DELETE FROM activity_session WHERE id = ?", ids[1].hex)
    assert consistent(services) == {vol: 240, staff: 240}

    # A leader row deleted, then one moved to another person and another session.
    sql(services, "DELETE FROM session_leader WHERE session_id = ? AND contact_id = ?",
        ids[2].hex, staff.hex)  # fmt: skip
    assert consistent(services) == {vol: 240, staff: 120}
    other = services.partners.get_partner(group.case.recoop).contacts
    someone = next(c.id for c in other if c.id not in (vol, staff))
    sql(services, "UPDATE session_leader SET contact_id = ?, session_id = ?"
        " WHERE session_id = ? AND contact_id = ?",
        someone.hex, ids[3].hex, ids[2].hex, vol.hex)  # fmt: skip
    assert consistent(services) == {vol: 120, staff: 120, someone: 120}

    # A session not held, with leaders, becomes held in SQL: the totals gain it.
    planned = session_on(services, group.activity, date(2026, 2, 3))
    sql(services, "INSERT INTO session_leader (id, session_id, contact_id, created_at,"
        " updated_at) VALUES (?, ?, ?, '2026-02-03', '2026-02-03')",
        uuid.uuid4().hex, planned.hex, staff.hex)  # fmt: skip
    assert consistent(services) == {vol: 120, staff: 120, someone: 120}
    sql(services, "UPDATE activity_session SET status = 'held' WHERE id = ?", planned.hex)
    assert consistent(services) == {vol: 120, staff: 240, someone: 120}


def test_the_triggers_are_in_a_new_database(services):
    """A later migration that rebuilds activity_session or session_leader (batch mode's
    recreate) drops their triggers with the old table: it must create them again."""
    with sqlite3.connect(services.path) as db:
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    db.close()
    assert names >= TRIGGERS


def test_a_0011_database_with_registers_gets_its_totals_on_upgrade(tmp_path):
    path = tmp_path / "release-11.sqlite3"
    services = open_services(path)
    group = needlework_group(services)
    register(services, group, date(2026, 1, 6), "Alan Barker", leaders=[group.volunteer])
    register(services, group, date(2026, 1, 13), "Alan Barker", leaders=[group.volunteer,
                                                                          group.staff])  # fmt: skip
    cancelled = register(services, group, date(2026, 1, 20), leaders=[group.staff])
    services.activities.cancel_session(cancelled, "staff_shortage")
    services.volunteers.save_volunteer(VolunteerData(contact_id=group.volunteer))
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0011")
    assert current_revision(engine) == "0011"
    engine.dispose()
    with sqlite3.connect(path) as db:
        left = db.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE 'leader_minutes%'"
        ).fetchall()
    db.close()
    assert left == []

    services = open_services(path)
    try:
        assert current_revision(services.engine) not in ("0011", None)
        assert consistent(services) == {group.volunteer: 240, group.staff: 120}
        [row] = services.volunteers.list_volunteers(today=TODAY)
        assert row.hours == 4
        # And kept from then on.
        register(services, group, date(2026, 1, 27), leaders=[group.volunteer])
        assert consistent(services) == {group.volunteer: 360, group.staff: 120}
    finally:
        services.close()


def test_an_exchange_pack_brings_sessions_and_their_totals_follow(tmp_path, new_database):
    """The totals do not travel (they are not records): each laptop's triggers keep its own."""
    with two_laptops(tmp_path, new_database) as (a, b):
        group = needlework_group(a)
        vol, staff = group.volunteer, group.staff
        first = register(a, group, date(2026, 1, 6), "Alan Barker", leaders=[vol, staff])
        register(a, group, date(2026, 1, 13), "Alan Barker", leaders=[vol])
        request = {"collaboration_id": str(group.case.collaboration), "participants": True}

        def send() -> None:
            out = a.exchange.export_pack("collaboration", request, group.case.fine_cell_work,
                                         passphrase="correct horse battery")  # fmt: skip
            opened = b.exchange.read_pack(out.data, None, "correct horse battery")
            assert "leader_minutes" not in json.dumps(opened.data)
            b.exchange.preview(opened)
            assert b.exchange.apply(opened, None, None).changed

        send()
        assert consistent(b) == consistent(a) == {vol: 240, staff: 120}
        # An update arrives: a held session's new times.
        a.activities.move_session(first, date(2026, 1, 6), time(10), time(11))
        send()
        assert consistent(b) == consistent(a) == {vol: 180, staff: 60}
