"""Revision 0007 (which member plays each part of an agreement's template) on a database
made by the release before it, with a signed-off agreement in it."""

from __future__ import annotations

import sqlite3

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.open_records import open_services, stored_revision
from tests.builders import FCW, signed_off_agreement


def test_a_0005_database_with_an_agreement_upgrades_and_keeps_it(tmp_path):
    path = tmp_path / "release-5.sqlite3"
    services = open_services(path)
    _, version_id = signed_off_agreement(services)
    before = services.agreements.document(version_id)
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0005")
    assert current_revision(engine) == "0005"
    engine.dispose()
    with sqlite3.connect(path) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(agreement_version)")]
    db.close()
    assert "role_map" not in columns

    services = open_services(path)
    try:
        assert stored_revision(path) not in ("0005", None)
        v = services.agreements.get_version(version_id)
        assert (v.status, v.warnings) == ("signed_off", [])
        assert services.agreements.document(version_id) == before
        assert FCW in v.sections["purpose"]
        # A new draft of an old version falls back to the members' own roles for its parts.
        with sqlite3.connect(path) as db:
            [(role_map,)] = db.execute("SELECT role_map FROM agreement_version").fetchall()
        db.close()
        assert role_map == ""
        new_id = services.agreements.new_version(version_id)
        assert FCW in services.agreements.get_version(new_id).sections["purpose"]
    finally:
        services.close()
