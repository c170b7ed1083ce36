"""Revision 0003 (activities, sessions, participants, attendance, volunteers) on a database
made by the release before it, with rows in it."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import date, time

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision, upgrade_to
from collab_desktop.models.database import make_engine
from collab_desktop.services.delivery.activities import ActivityData
from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.open_records import open_services, stored_revision

STAMP = "2025-06-01 09:00:00.000000"


def make_0002_database(path) -> dict[str, uuid.UUID]:
    engine = make_engine(path)
    upgrade_to(engine, "0002")
    engine.dispose()
    ids = {k: uuid.uuid4() for k in ("org", "contact", "collab", "member", "agreement")}
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO organisation (id, name, kind, charity_number, company_number, address,"
            " town, postcode, phone, email, website, notes, archived_at, created_at, updated_at)"
            " VALUES (?, 'Fine Cell Work', 'social_enterprise', '', '', '', 'London', '', '', '',"
            " '', '', NULL, ?, ?)",
            (ids["org"].hex, STAMP, STAMP),
        )
        db.execute(
            "INSERT INTO contact (id, organisation_id, name, job_title, email, phone, level,"
            " notes, created_at, updated_at) VALUES (?, ?, 'Margaret Tull', 'Volunteer', '', '',"
            " 'operational', '', ?, ?)",
            (ids["contact"].hex, ids["org"].hex, STAMP, STAMP),
        )
        db.execute(
            "INSERT INTO collaboration (id, name, purpose, setting, site, start_date, end_date,"
            " status, funding_type, funder_id, funding_from, funding_until, notes, created_at,"
            " updated_at) VALUES (?, 'Needlework group at HMP Leyhill', '', 'custody',"
            " 'HMP Leyhill', '2014-03-01', NULL, 'active', 'unfunded', NULL, NULL, NULL, '',"
            " ?, ?)",
            (ids["collab"].hex, STAMP, STAMP),
        )
        db.execute(
            "INSERT INTO member (id, collaboration_id, organisation_id, role, position,"
            " created_at, updated_at) VALUES (?, ?, ?, 'lead', 0, ?, ?)",
            (ids["member"].hex, ids["collab"].hex, ids["org"].hex, STAMP, STAMP),
        )
        db.execute(
            "INSERT INTO agreement (id, collaboration_id, title, created_at, updated_at)"
            " VALUES (?, ?, 'Joint agreement', ?, ?)",
            (ids["agreement"].hex, ids["collab"].hex, STAMP, STAMP),
        )
    db.close()
    return ids


def test_a_0002_database_with_rows_upgrades_and_keeps_them(tmp_path):
    path = tmp_path / "release-2.sqlite3"
    ids = make_0002_database(path)
    assert stored_revision(path) == "0002"

    services = open_services(path)
    try:
        assert stored_revision(path) >= "0003"
        [collab] = services.collaborations.list_collaborations()
        assert (collab.id, collab.name, collab.members, collab.agreements) == (
            ids["collab"],
            "Needlework group at HMP Leyhill",
            "Fine Cell Work (Lead partner)",
            1,
        )
        [contact] = services.partners.get_partner(ids["org"]).contacts
        assert (contact.id, contact.name) == (ids["contact"], "Margaret Tull")

        # The old collaboration takes an activity with the old contact leading it.
        activity = services.activities.save_activity(
            ActivityData(
                collaboration_id=ids["collab"],
                name="Needlework group",
                weekday=1,
                start_time=time(10),
                end_time=time(12),
                starts_on=date(2026, 1, 6),
                ends_on=date(2026, 1, 27),
                facilitator_ids=[ids["contact"]],
            ),
            today=date(2026, 1, 1),
        )
        person = services.participants.save_participant(
            ParticipantData(display_name="Ŵyn Owen", activity_ids=[activity])
        )
        [first, *_] = services.activities.sessions_of(activity, today=date(2026, 1, 1))
        services.attendance.save_register(first.id, [person], today=date(2026, 1, 6))
        assert services.attendance.attendance_count(first.id) == 1
    finally:
        services.close()


def test_0003_downgrades_to_0002_keeping_the_older_rows(tmp_path):
    path = tmp_path / "down.sqlite3"
    ids = make_0002_database(path)
    engine = make_engine(path)
    upgrade_to(engine, "0003")
    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    engine.dispose()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        names = [r[0] for r in db.execute("SELECT name FROM collaboration")]
    db.close()
    assert "activity" not in tables and "attendance" not in tables
    assert names == ["Needlework group at HMP Leyhill"]
    assert ids
