"""What a version of an agreement allows in each status, said once. The editor shows the
actions a version allows (VersionData.allowed, from allowed_actions) and the service refuses
the others with the same rule (refuse_unless, signature_may_change, may_void,
may_start_version), so the two cannot disagree.

Lifecycle: draft -> awaiting_signatures (text frozen, fingerprint stored) -> signed_off (every
required signatory recorded) -> superseded (a newer version signed off) or ended; any version
not yet superseded can be made void, with a reason. A version past draft is never edited: a
change is a new draft version copied from it.
"""

from __future__ import annotations

from collections.abc import Iterable

from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.errors import StateError

# The actions a version can offer, by the names the editor's buttons have.
ACTIONS = (
    "save",  # edit the draft
    "send",  # send for signatures
    "parts",  # change who plays which part
    "record",  # record a signature
    "clear_signature",
    "to_draft",  # back to draft
    "new_version",
    "void",
    "delete",  # a draft never sent
    "end",  # the collaboration stopped (no button: the demo and the service's callers)
)

# Versions still being worked on: while one is, no other version may be started.
OPEN_STATUSES = ("draft", "awaiting_signatures")
# Versions that are over already: there is nothing left to make void.
CLOSED_STATUSES = ("void", "superseded")

# The one status in which each of these actions may be taken.
STATUS_FOR = {
    "save": "draft",
    "send": "draft",
    "parts": "draft",
    "delete": "draft",  # and never sent for signatures
    "to_draft": "awaiting_signatures",
    "end": "signed_off",
}


def signature_may_change(status: str, required: bool) -> bool:
    """Whether a signature may be recorded or cleared now: while the version awaits
    signatures; after sign-off only a witness's, who may sign after the last party (the
    version stays signed off)."""
    return status == "awaiting_signatures" or (status == "signed_off" and not required)


def may_void(status: str) -> bool:
    return status not in CLOSED_STATUSES


def may_start_version(statuses: Iterable[str]) -> bool:
    """A new version may be started unless one of the agreement's is still open."""
    return not any(status in OPEN_STATUSES for status in statuses)


def allowed_actions(
    status: str,
    signatories: Iterable[tuple[bool, bool]],
    version_statuses: Iterable[str],
    never_sent: bool,
) -> frozenset[str]:
    """What a version allows now. `signatories` are (required, signed) pairs; `version_statuses`
    those of every version of the agreement, this one too; `never_sent` says a draft was never
    sent for signatures (so it may be deleted outright)."""
    allowed = {action for action, needed in STATUS_FOR.items() if needed == status}
    if "delete" in allowed and not never_sent:
        allowed.discard("delete")
    signers = list(signatories)
    if status == "awaiting_signatures":
        # The signature dialog lists whoever has not signed; clearing needs a signed row.
        allowed |= {"record", "clear_signature"}
    elif any(signature_may_change(status, required) for required, _ in signers):
        if any(signature_may_change(status, req) and not signed for req, signed in signers):
            allowed.add("record")
        if any(signature_may_change(status, req) and signed for req, signed in signers):
            allowed.add("clear_signature")
    if may_start_version(version_statuses):
        allowed.add("new_version")
    if may_void(status):
        allowed.add("void")
    return frozenset(allowed)


def not_in_status(number: int, status: str, needed: str, doing: str) -> StateError:
    """The refusal of an action that needs another status: "Version 2 is signed off, so it
    cannot be edited. Use “New version” to make a changed copy."."""
    now = label(AGREEMENT_STATUSES, status).lower()
    hint = " Use “New version” to make a changed copy." if needed == "draft" else ""
    return StateError(f"Version {number} is {now}, so it cannot be {doing}.{hint}")


def refuse_unless(number: int, status: str, action: str, doing: str) -> None:
    """Raise StateError unless a version in `status` allows `action` (one of STATUS_FOR's)."""
    needed = STATUS_FOR[action]
    if status != needed:
        raise not_in_status(number, status, needed, doing)
