"""The audit trail of agreements, and tamper evidence on signed versions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date

import pytest

from collab_desktop.services.agreements.version_data import ResponsibilityData
from collab_desktop.services.errors import ValidationError
from tests.builders import edit_draft, reference_agreement, send_and_sign_all


def actions(services, version_id) -> list[tuple[str, str]]:
    agreement_id = services.agreements.get_version(version_id).agreement_id
    return [(row.action, row.summary) for row in services.audit.history(agreement_id)]


def test_every_change_to_an_agreement_is_recorded_with_who_did_it(services):
    services.audit.user = "Gwenllian Rhŷs"
    case, version_id = reference_agreement(services)
    data = services.agreements.get_version(version_id)
    data.sections["purpose"] = "A weekly stitching group."
    data.responsibilities.append(
        ResponsibilityData(what="Count needles in and out", area="risk_assessment")
    )
    services.agreements.save_draft(data)
    send_and_sign_all(services, version_id)
    v2 = services.agreements.new_version(version_id)
    services.agreements.void(v2, "Drafted by mistake")

    kinds = [kind for kind, _ in actions(services, version_id)]
    assert kinds == ["created", "edited", "sent", "signed", "signed", "signed", "signed_off",
                     "new_version", "voided"]  # fmt: skip
    summaries = dict(actions(services, version_id))
    assert "Purpose" in summaries["edited"] and "1 responsibilities added" in summaries["edited"]
    assert "Two charities delivering in a prison" in summaries["created"]
    assert "Drafted by mistake" in summaries["voided"]
    history = services.audit.history(services.agreements.get_version(version_id).agreement_id)
    assert {row.user for row in history} == {"Gwenllian Rhŷs"}
    assert services.audit.verify() == []


def test_a_refused_change_leaves_no_entry(services):
    _case, version_id = reference_agreement(services)
    before = actions(services, version_id)
    data = services.agreements.get_version(version_id)
    data.responsibilities[0] = replace(data.responsibilities[0], what="")
    with pytest.raises(ValidationError):
        services.agreements.save_draft(data)
    assert actions(services, version_id) == before


def test_the_database_refuses_to_change_or_remove_entries(services):
    reference_agreement(services)
    connection = sqlite3.connect(services.path)
    with pytest.raises(sqlite3.IntegrityError, match="never changed or removed"):
        connection.execute("UPDATE audit_entry SET user = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="never changed or removed"):
        connection.execute("DELETE FROM audit_entry")
    connection.close()


def _behind_the_apps_back(services, sql: str) -> None:
    connection = sqlite3.connect(services.path)
    connection.execute("DROP TRIGGER audit_entry_no_update")
    connection.execute("DROP TRIGGER audit_entry_no_delete")
    connection.execute(sql)
    connection.commit()
    connection.close()


def test_an_entry_edited_outside_the_app_is_detected(services):
    _case, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"purpose": "Changed once"})
    edit_draft(services, version_id, sections={"purpose": "Changed twice"})
    _behind_the_apps_back(services, "UPDATE audit_entry SET user = 'Nobody' WHERE seq = 2")
    assert services.audit.verify() == [2]


def test_an_entry_removed_outside_the_app_is_detected(services):
    _case, version_id = reference_agreement(services)
    edit_draft(services, version_id, sections={"purpose": "Changed once"})
    edit_draft(services, version_id, sections={"purpose": "Changed twice"})
    _behind_the_apps_back(services, "DELETE FROM audit_entry WHERE seq = 2")
    assert services.audit.verify() == [3]


def test_an_untouched_signed_version_has_no_warnings(services):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    assert services.agreements.get_version(version_id).warnings == []


def test_a_signed_version_edited_outside_the_app_is_flagged(services):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    connection = sqlite3.connect(services.path)
    connection.execute("UPDATE responsibility SET what = 'Nothing at all'")
    connection.commit()
    connection.close()
    [warning] = services.agreements.get_version(version_id).warnings
    assert "responsibilities" in warning and "outside Collab Desktop" in warning
    # What prints is still what was signed.
    whats = [r.what for r in services.agreements.document(version_id).responsibilities]
    assert "Nothing at all" not in whats


def test_frozen_text_edited_outside_the_app_no_longer_matches_its_fingerprint(services):
    _case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    connection = sqlite3.connect(services.path)
    connection.execute("UPDATE agreement_version SET content = replace(content, 'kits', 'cakes')")
    connection.commit()
    connection.close()
    [warning] = services.agreements.get_version(version_id).warnings
    assert "no longer matches its fingerprint" in warning


def test_a_printed_copy_is_matched_by_its_fingerprint_as_typed(services):
    _case, version_id = reference_agreement(services)
    draft_print = services.agreements.document(version_id).fingerprint
    assert [r.version_id for r in services.agreements.find_by_fingerprint(draft_print)] == [
        version_id
    ]
    send_and_sign_all(services, version_id, signed_on=date(2025, 3, 10))
    fingerprint = services.agreements.get_version(version_id).fingerprint
    typed = fingerprint.lower().replace("-", " ")
    [match] = services.agreements.find_by_fingerprint(typed)
    assert match.version_id == version_id and match.status == "signed_off"
    assert services.agreements.find_by_fingerprint("0000-0000-0000") == []
    assert services.agreements.find_by_fingerprint("12") == []
