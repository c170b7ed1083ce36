"""Revision 0011 (monitoring returns) on a database made by the release before it, with a
group and its registers: nothing is lost, and a return can be drafted from those registers."""

from __future__ import annotations

import sqlite3

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.open_records import open_services, stored_revision
from tests.delivery_builders import needlework_group
from tests.returns_builders import AFTER_Q1, Q1, some_registers

TABLES = {"return_template", "template_indicator", "monitoring_return", "return_figure",
          "return_query"}  # fmt: skip


def tables(path):
    with sqlite3.connect(path) as db:
        found = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    db.close()
    return found


def test_a_0007_database_with_registers_upgrades_and_drafts_a_return(tmp_path):
    path = tmp_path / "release-7.sqlite3"
    services = open_services(path)
    group = needlework_group(services)
    some_registers(services, group)
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0007")
    assert current_revision(engine) == "0007"
    engine.dispose()
    assert not tables(path) & TABLES

    services = open_services(path)
    try:
        assert stored_revision(path) not in ("0007", None)
        assert tables(path) >= TABLES
        rid = services.returns.draft(group.case.collaboration, group.case.recoop, *Q1,
                                     today=AFTER_Q1)  # fmt: skip
        assert services.returns.get(rid).value("attendances") == 6
    finally:
        services.close()
