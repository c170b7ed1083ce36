"""Revision 0005 (how far each activity's sessions are planned) on a database made by the
release before it, with a group, its sessions and a register in it."""

from __future__ import annotations

import sqlite3
from datetime import date

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.delivery.activities import HORIZON
from collab_desktop.services.open_records import known_revisions, open_services, stored_revision
from tests.delivery_builders import TODAY, needlework_group, session_on


def make_0004_database(path):
    """A database with rows in every delivery table, taken back to revision 0004 by the
    revision's own downgrade."""
    services = open_services(path)
    group = needlework_group(services)
    held = session_on(services, group.activity, date(2026, 2, 24))
    services.attendance.save_register(held, list(group.people.values())[:3], today=TODAY)
    sessions = [(r.id, r.on, r.status) for r in services.activities.sessions_of(group.activity)]
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0004")
    assert current_revision(engine) == "0004"
    engine.dispose()
    return group, held, sessions


def test_a_0004_database_with_rows_upgrades_and_keeps_them(tmp_path):
    path = tmp_path / "release-4.sqlite3"
    group, held, sessions = make_0004_database(path)
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(activity)")]
    db.close()
    assert "planned_until" not in columns
    assert stored_revision(path) == "0004"

    services = open_services(path)
    try:
        # The newest revision (later ones may follow 0005).
        assert stored_revision(path) == known_revisions()[-1]
        [activity] = services.activities.list_activities(today=TODAY)
        assert (activity.id, activity.name, activity.enrolled) == (
            group.activity,
            "Needlework group",
            len(group.people),
        )
        # Every session is still there, with its id, date and state; the register too.
        assert [
            (r.id, r.on, r.status)
            for r in services.activities.sessions_of(group.activity, today=TODAY)
            if r.on <= sessions[-1][1]
        ] == sessions
        assert services.attendance.attendance_count(held) == 3
        # The first look plans the schedule afresh and remembers how far.
        with sqlite3.connect(path) as db:
            [(planned,)] = db.execute("SELECT planned_until FROM activity").fetchall()
        db.close()
        assert planned == (TODAY + HORIZON).isoformat()
    finally:
        services.close()
