"""Revision 0009 (privacy, issue 15) on a database made by the release before it: its people
and collaborations are kept, and the new fields read "not recorded yet"."""

from __future__ import annotations

import sqlite3

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.open_records import open_services
from tests.delivery_builders import needlework_group


def test_a_0007_database_upgrades_and_keeps_its_people(tmp_path):
    path = tmp_path / "release-7.sqlite3"
    services = open_services(path)
    group = needlework_group(services)
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0007")
    assert current_revision(engine) == "0007"
    engine.dispose()
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        columns = [row[1] for row in db.execute("PRAGMA table_info(participant)")]
    db.close()
    assert "erasure_request" not in tables and "anonymised_on" not in columns

    services = open_services(path)
    try:
        names = {r.name for r in services.participants.list_participants()}
        assert set(group.people) == names
        with sqlite3.connect(path) as db:
            assert db.execute(
                "SELECT DISTINCT preferred_language, consent_notes FROM participant"
            ).fetchall() == [("", "")]
            assert db.execute("SELECT lawful_basis FROM collaboration").fetchall() == [("",)]
            assert db.execute("SELECT count(*) FROM erasure_request").fetchone() == (0,)
        db.close()
        assert services.audit.verify() == []
    finally:
        services.close()
