"""Revision 0006 (audit entries sealed with a key kept beside the database) on a database made
by the release before it, with a signed-off agreement and its history in it."""

from __future__ import annotations

import sqlite3

from alembic import command

from collab_desktop.migrations import alembic_config, current_revision
from collab_desktop.models.database import make_engine
from collab_desktop.services.audit_anchor import anchor_path, key_path
from collab_desktop.services.open_records import known_revisions, open_services, stored_revision
from tests.builders import edit_draft, signed_off_agreement


def make_0005_database(path):
    """A signed-off agreement and its history, taken back to revision 0005 by the revision's
    own downgrade, with no key or anchor beside it (that release made none)."""
    services = open_services(path)
    _case, version_id = signed_off_agreement(services)
    history = [(r.seq, r.action, r.summary) for r in services.audit.history(
        services.agreements.get_version(version_id).agreement_id)]  # fmt: skip
    services.close()
    engine = make_engine(path)
    command.downgrade(alembic_config(engine), "0005")
    assert current_revision(engine) == "0005"
    engine.dispose()
    key_path(path).unlink()
    anchor_path(path).unlink()
    return version_id, history


def _triggers(path) -> set[str]:
    with sqlite3.connect(path) as db:
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    db.close()
    return names


def test_a_0005_database_upgrades_keeps_its_history_and_seals_what_follows(tmp_path):
    path = tmp_path / "release-5.sqlite3"
    version_id, history = make_0005_database(path)
    assert stored_revision(path) == "0005"

    services = open_services(path)
    try:
        assert stored_revision(path) == known_revisions()[-1]
        assert {"audit_entry_no_update", "audit_entry_no_delete"} <= _triggers(path)
        agreement_id = services.agreements.get_version(version_id).agreement_id
        assert [(r.seq, r.action, r.summary) for r in services.audit.history(agreement_id)] == (
            history
        )
        # The old entries are checked on their chain, as before: no warnings.
        assert services.audit.check().sound
        assert services.agreements.get_version(version_id).warnings == []

        v2 = services.agreements.new_version(version_id)
        edit_draft(services, v2, sections={"purpose": "Sealed from now on"})
        with sqlite3.connect(path) as db:
            macs = [m for (m,) in db.execute("SELECT mac FROM audit_entry ORDER BY seq")]
        db.close()
        old, new = macs[: len(history)], macs[len(history) :]
        assert set(old) == {""} and len(new) == 2 and all(new)
        assert services.audit.check().sound

        # The legacy entries are pinned too: editing one now shows.
        with sqlite3.connect(path) as db:
            db.execute("DROP TRIGGER audit_entry_no_update")
            db.execute("UPDATE audit_entry SET summary = 'Nothing' WHERE seq = 2")
        db.close()
        assert services.audit.verify() == [2]
    finally:
        services.close()
