"""Issue 11: a draft that was never sent can be deleted (the history keeps a record of it);
one that was sent, even if brought back to draft, stays on record and can only be voided."""

from __future__ import annotations

import pytest

from collab_desktop.services.errors import StateError
from tests.builders import reference_agreement, send_and_sign_all


def test_a_never_sent_draft_is_deleted_and_the_history_keeps_its_text(services):
    _, version_id = reference_agreement(services)
    agreement_id = services.agreements.get_version(version_id).agreement_id
    assert services.agreements.get_version(version_id).never_sent
    assert services.agreements.delete_draft(version_id) is None
    assert services.agreements.list_versions() == []
    history = services.audit.history(agreement_id)
    assert [e.action for e in history][-1] == "deleted"
    assert "never sent" in history[-1].summary
    assert services.audit.verify() == []


def test_a_new_version_draft_is_deleted_and_the_signed_one_stays(services):
    _, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    draft = services.agreements.new_version(version_id)
    assert services.agreements.delete_draft(draft) == version_id
    assert [r.number for r in services.agreements.list_versions()] == [1]


def test_a_draft_that_was_sent_once_cannot_be_deleted(services):
    _, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    services.agreements.return_to_draft(version_id)
    assert not services.agreements.get_version(version_id).never_sent
    with pytest.raises(StateError, match="make it void instead"):
        services.agreements.delete_draft(version_id)
    with pytest.raises(StateError):
        send_and_sign_all(services, version_id)
        services.agreements.delete_draft(version_id)
