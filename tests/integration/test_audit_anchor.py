"""The audit trail pinned from outside the database (issue 9, item 8): the newest entries
removed, a sign-off forged in SQL, the text, rows and fingerprint rewritten consistently with
the app's own hash, and restores that must not look like any of these."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace as dc_replace
from datetime import date

from collab_desktop.services.agreements.fingerprint import content_fingerprint
from collab_desktop.services.agreements.snapshot import freeze, thaw
from collab_desktop.services.audit import _entry_hash
from collab_desktop.services.audit_anchor import anchor_path, key_path
from collab_desktop.services.backups import BackupService
from collab_desktop.services.open_records import open_services
from tests.builders import edit_draft, reference_agreement, send_and_sign_all


def _sql(path, *statements: str, params: tuple = ()) -> None:
    """Edit the file as someone with the sqlite3 shell would, triggers dropped first."""
    connection = sqlite3.connect(path)
    connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_update")
    connection.execute("DROP TRIGGER IF EXISTS audit_entry_no_delete")
    for statement in statements:
        connection.execute(statement, params if "?" in statement else ())
    connection.commit()
    connection.close()


def _three_edits(services):
    _case, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"purpose": "Changed once"})
    edit_draft(services, version_id, sections={"purpose": "Changed twice"})
    return version_id


def test_the_key_and_anchor_live_beside_the_database_not_in_it(services):
    _three_edits(services)
    assert key_path(services.path).parent == services.path.parent
    assert key_path(services.path).is_file() and anchor_path(services.path).is_file()
    anchor = json.loads(anchor_path(services.path).read_text())
    assert anchor["seq"] == 3
    with sqlite3.connect(services.path) as db:
        macs = [m for (m,) in db.execute("SELECT mac FROM audit_entry ORDER BY seq")]
    db.close()
    assert len(macs) == 3 and all(len(m) == 64 for m in macs)
    assert services.audit.check().sound


def test_deleting_the_newest_entries_is_detected(services):
    _three_edits(services)
    _sql(services.path, "DELETE FROM audit_entry WHERE seq >= 2")
    result = services.audit.check()
    assert result.broken == [2, 3]
    assert any("newest 2 entries" in p and "removed" in p for p in result.problems)


def test_entries_removed_stay_reported_after_the_app_writes_more(services):
    version_id = _three_edits(services)
    _sql(services.path, "DELETE FROM audit_entry WHERE seq = 3")
    edit_draft(services, version_id, sections={"purpose": "Changed again"})
    edit_draft(services, version_id, sections={"purpose": "And again"})
    # The new entries take the numbers of the removed one; the anchor does not follow them.
    assert services.audit.verify() != []


def test_a_chain_recomputed_with_the_apps_own_hash_is_detected(services):
    _three_edits(services)
    connection = sqlite3.connect(services.path)
    connection.row_factory = sqlite3.Row
    connection.execute("DROP TRIGGER audit_entry_no_update")
    connection.execute("UPDATE audit_entry SET user = 'Nobody' WHERE seq = 2")
    previous = ""
    from collab_desktop.models import AuditEntry

    columns = [c.key for c in AuditEntry.__table__.columns]
    for row in connection.execute("SELECT * FROM audit_entry ORDER BY seq").fetchall():
        entry = AuditEntry(**{c: row[c] for c in columns})
        entry.at = _parse(row["at"])
        entry.agreement_id = _uuid(row["agreement_id"])
        entry.id = _uuid(row["id"])
        entry.prev_hash = previous
        entry.hash = _entry_hash(entry)
        connection.execute(
            "UPDATE audit_entry SET prev_hash = ?, hash = ? WHERE seq = ?",
            (entry.prev_hash, entry.hash, row["seq"]),
        )
        previous = entry.hash
    connection.commit()
    connection.close()
    result = services.audit.check()
    assert 2 in result.broken and 3 in result.broken
    assert any("changed outside Collab Desktop" in p for p in result.problems)


def test_an_entry_added_in_sql_without_the_key_is_detected(services):
    _three_edits(services)
    with sqlite3.connect(services.path) as db:
        row = db.execute("SELECT * FROM audit_entry WHERE seq = 3").fetchone()
    db.close()
    from collab_desktop.models import AuditEntry

    names = [c.key for c in AuditEntry.__table__.columns]
    values = dict(zip(names, row, strict=True))
    forged = AuditEntry(**values)
    forged.seq, forged.id, forged.summary = 4, uuid.uuid4(), "Nothing happened"
    forged.at, forged.agreement_id = _parse(values["at"]), _uuid(values["agreement_id"])
    forged.prev_hash = values["hash"]
    forged.hash = _entry_hash(forged)  # the app's own, unkeyed, hash: the chain is whole
    _sql(
        services.path,
        "INSERT INTO audit_entry (seq, id, at, user, agreement_id, version_number, action, "
        "summary, details, prev_hash, hash, mac) VALUES (4, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '')",
        params=(forged.id.hex, values["at"], values["user"], values["agreement_id"],
                values["version_number"], values["action"], forged.summary, values["details"],
                forged.prev_hash, forged.hash),
    )  # fmt: skip
    assert services.audit.verify() == [4]


def test_a_sign_off_forged_in_sql_is_flagged(services):
    _case, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    _sql(
        services.path,
        "UPDATE signatory SET signed_on = '2025-03-10', method = 'wet_ink', "
        "recorded_by = 'Tom Rhys', recorded_at = '2025-03-10 10:00:00'",
        "UPDATE agreement_version SET status = 'signed_off', signed_off_on = '2025-03-10'",
    )
    data = services.agreements.get_version(version_id)
    assert data.status == "signed_off"
    text = " ".join(data.warnings)
    assert "never recorded" in text and "outside Collab Desktop" in text
    assert "its history says it is “Awaiting signatures”" in text


def test_a_signature_date_changed_in_sql_is_flagged(services):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id, signed_on=date(2025, 3, 10))
    _sql(services.path, "UPDATE signatory SET signed_on = '2024-01-01' WHERE position = 0")
    [warning] = services.agreements.get_version(version_id).warnings
    assert "signature dates" in warning and "changed outside Collab Desktop" in warning


def test_a_consistent_rewrite_of_text_rows_and_fingerprint_is_flagged(services):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    with sqlite3.connect(services.path) as db:
        content, fingerprint = db.execute(
            "SELECT content, fingerprint FROM agreement_version"
        ).fetchone()
    db.close()
    signed = thaw(content)
    doc = dc_replace(
        signed,
        responsibilities=[
            dc_replace(r, what=r.what.replace("kits", "cakes")) for r in signed.responsibilities
        ],
    )
    assert doc != signed
    forged = content_fingerprint(doc)
    assert forged != fingerprint
    _sql(
        services.path,
        "UPDATE responsibility SET what = replace(what, 'kits', 'cakes')",
        "UPDATE agreement_version SET content = ?, fingerprint = ?",
        params=(freeze(doc), forged),
    )  # fmt: skip
    # Consistent with the app's own checks of text against rows and fingerprint...
    data = services.agreements.get_version(version_id)
    assert data.fingerprint == forged
    # ...but not with what the history sealed when it was sent.
    [warning] = data.warnings
    assert "rewritten outside Collab Desktop" in warning and fingerprint in warning


def test_a_restore_of_an_older_backup_is_not_reported_as_tampering(tmp_path):
    path = tmp_path / "data" / "collab-desktop.sqlite3"
    services = open_services(path)
    version_id = _three_edits(services)
    older = services.backups.backup_now("manual")
    edit_draft(services, version_id, sections={"purpose": "After the backup"})
    services.close()
    BackupService(path, tmp_path / "data" / "backups").restore(older.path)

    services = open_services(path)
    try:
        assert services.audit.check().sound
        edit_draft(services, version_id, sections={"purpose": "After the restore"})
        assert services.audit.check().sound
        # The protection still holds after a restore.
        _sql(path, "DELETE FROM audit_entry WHERE seq = 4")
        assert services.audit.verify() == [4]
    finally:
        services.close()


def test_a_backup_from_another_computer_restores_without_warnings(tmp_path):
    elsewhere = open_services(tmp_path / "other" / "collab-desktop.sqlite3")
    _case, version_id = reference_agreement(elsewhere)
    send_and_sign_all(elsewhere, version_id)
    backup = elsewhere.backups.backup_now("manual")
    elsewhere.close()

    here = tmp_path / "here" / "collab-desktop.sqlite3"
    here.parent.mkdir()
    BackupService(here, tmp_path / "here" / "backups").restore(backup.path)
    services = open_services(here)
    try:
        assert services.audit.check().sound
        assert services.agreements.get_version(version_id).warnings == []
        v2 = services.agreements.new_version(version_id)
        assert services.audit.check().sound and services.agreements.get_version(v2).warnings == []
    finally:
        services.close()


def test_entries_committed_just_before_a_kill_are_not_called_forged(services):
    version_id = _three_edits(services)
    anchor = anchor_path(services.path).read_bytes()
    edit_draft(services, version_id, sections={"purpose": "Committed, anchor not written"})
    anchor_path(services.path).write_bytes(anchor)  # as if killed between the two
    assert services.audit.check().sound
    edit_draft(services, version_id, sections={"purpose": "Next change"})
    assert json.loads(anchor_path(services.path).read_text())["seq"] == 5
    assert services.audit.check().sound


def test_a_missing_key_is_reported_not_silently_replaced(services):
    _three_edits(services)
    key_path(services.path).unlink()
    result = services.audit.check()
    assert any("key that seals the history" in p for p in result.problems)
    assert not key_path(services.path).exists()


def _parse(text: str):
    from datetime import datetime

    return datetime.fromisoformat(text)


def _uuid(text: str | None):
    return uuid.UUID(text) if text else None
