"""Revision 0010 (exchange packs: our key, partners' keys, bases, set-aside values) on a
database made by the release before it, with a signed-off agreement in it."""

from __future__ import annotations

import sqlite3

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.open_records import open_services
from tests.builders import signed_off_agreement

TABLES = {"exchange_identity", "exchange_peer", "exchange_base", "exchange_history"}


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    return names


def test_a_0007_database_upgrades_keeps_its_agreement_and_gets_a_key(tmp_path):
    path = tmp_path / "release-7.sqlite3"
    services = open_services(path)
    _, version_id = signed_off_agreement(services)
    before = services.agreements.document(version_id)
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0007")
    assert current_revision(engine) == "0007"
    engine.dispose()
    assert not TABLES & _tables(path)

    services = open_services(path)
    try:
        assert _tables(path) >= TABLES
        v = services.agreements.get_version(version_id)
        assert (v.status, v.warnings) == ("signed_off", [])
        assert services.agreements.document(version_id) == before
        first = services.exchange.identity().fingerprint
        assert services.exchange.identity().fingerprint == first  # made once, then kept
    finally:
        services.close()
