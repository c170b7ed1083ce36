"""What a version's status allows comes with the version (VersionData.allowed), so the
agreement editor only displays it."""

from __future__ import annotations

from tests.builders import reference_agreement, send_and_sign_all


def test_each_status_allows_its_own_actions(services):
    _, version_id = reference_agreement(services)
    draft = services.agreements.get_version(version_id)
    assert draft.allowed == {"save", "send", "parts", "void", "delete"}

    services.agreements.send_for_signatures(version_id)
    awaiting = services.agreements.get_version(version_id)
    assert awaiting.allowed == {"record", "clear_signature", "to_draft", "void"}

    services.agreements.return_to_draft(version_id)
    send_and_sign_all(services, version_id)
    signed = services.agreements.get_version(version_id)
    assert "save" not in signed.allowed and "to_draft" not in signed.allowed
    assert {"new_version", "void"} <= signed.allowed

    services.agreements.void(version_id, "Replaced by a new arrangement.")
    void = services.agreements.get_version(version_id)
    assert "void" not in void.allowed and "save" not in void.allowed
