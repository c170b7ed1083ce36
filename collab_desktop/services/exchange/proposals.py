"""A different text for a version that is frozen here becomes a new draft version, proposed by
the sender, instead of being refused or, worse, changing what was signed.

The incoming version (and its responsibilities and signatories) is rewritten before the
record set is planned: it gets a new UUID derived from the original one and a digest of the
incoming text, so importing the same pack twice finds the same draft ("already here") rather
than proposing it again, and a second, different text makes a second draft."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collab_desktop.models import AgreementVersion, Responsibility, Signatory
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.exchange.recordset import (
    FROZEN,
    SIGNATORY_MAY_CHANGE,
    VERSION_MAY_CHANGE,
    local_fields,
)

_NAMESPACE = uuid.UUID("6f1d2c1e-5a43-4c51-9d6b-2f3c8e0a7b11")
# Of a version: what is not its text (the record of sending and signing it).
_NOT_TEXT = VERSION_MAY_CHANGE | {"fingerprint", "content", "sent_at", "number"}
_BLANK_VERSION = {
    "status": "draft", "fingerprint": "", "content": "", "sent_at": None,
    "signed_off_on": None, "superseded_by_id": None, "void_reason": "", "voided_at": None,
}  # fmt: skip
_REWRITTEN = ("agreement_version", "responsibility", "signatory")
_UNSIGNED = {"signed_on": None, "method": "", "recorded_by": "", "recorded_at": None}


@dataclass(frozen=True)
class Proposal:
    """A new draft made from a different text for a frozen version."""

    draft_id: str
    number: int
    instead_of: int  # the number of the frozen version here
    instead_of_status: str


def _text(fields: dict, leave_out: set[str]) -> dict:
    return {k: v for k, v in fields.items() if k not in leave_out and k != "version_id"}


def _children(rows: list[dict], version_id: str, leave_out: set[str]) -> dict[str, dict]:
    return {
        r["id"]: _text(r["fields"], leave_out)
        for r in rows
        if r["fields"].get("version_id") == version_id
    }


def _local_children(session: Session, model, version_id: str, leave_out: set[str]) -> dict:
    ids = [str(i) for i in session.scalars(
        select(model.id).where(model.version_id == uuid.UUID(version_id))
    )]  # fmt: skip
    return {i: _text(f, leave_out) for i, f in local_fields(session, model, ids).items()}


def divert(
    session: Session, records: dict[str, list[dict]]
) -> tuple[dict[str, list[dict]], dict[str, Proposal]]:
    """`records` with each version whose text differs from a frozen version here rewritten
    into a new draft (the pack's own data is left as it was), and the drafts by their id."""
    versions = records.get("agreement_version", [])
    if not versions:
        return records, {}
    records = {name: [dict(r) for r in rows] if name in _REWRITTEN else rows
               for name, rows in records.items()}  # fmt: skip
    versions = records["agreement_version"]
    here = local_fields(session, AgreementVersion, [r["id"] for r in versions])
    proposals: dict[str, Proposal] = {}
    taken_numbers: dict[str, int] = {}
    for r in versions:
        rid = r["id"]
        ours = here.get(rid)
        if ours is None or ours.get("status") not in FROZEN:
            continue
        theirs_text = {
            "version": _text(r["fields"], _NOT_TEXT),
            "responsibility": _children(records.get("responsibility", []), rid, set()),
            "signatory": _children(records.get("signatory", []), rid, SIGNATORY_MAY_CHANGE),
        }
        ours_text = {
            "version": _text(ours, _NOT_TEXT),
            "responsibility": _local_children(session, Responsibility, rid, set()),
            "signatory": _local_children(session, Signatory, rid, SIGNATORY_MAY_CHANGE),
        }
        if theirs_text == ours_text:
            continue  # the same text: only its signing may move on (recordset decides)
        digest = hashlib.sha256(
            json.dumps(theirs_text, sort_keys=True, default=str).encode()
        ).hexdigest()
        draft_id = str(uuid.uuid5(_NAMESPACE, f"{rid}/{digest}"))
        agreement_id = str(r["fields"]["agreement_id"])
        number = _number_for(session, draft_id, agreement_id, taken_numbers)
        proposals[draft_id] = Proposal(draft_id, number, int(ours["number"]), str(ours["status"]))
        r["id"] = draft_id
        r["fields"] = {**r["fields"], **_BLANK_VERSION, "number": number}
        for tablename, blank in (("responsibility", {}), ("signatory", _UNSIGNED)):
            for child in records.get(tablename, []):
                if child["fields"].get("version_id") == rid:
                    child["id"] = str(uuid.uuid5(_NAMESPACE, f"{child['id']}/{draft_id}"))
                    child["fields"] = {**child["fields"], **blank, "version_id": draft_id}
    return records, proposals


def _number_for(session: Session, draft_id: str, agreement_id: str, taken: dict[str, int]) -> int:
    """The draft's number: its own if it came before, else the next after every version of the
    agreement here (and after any other draft proposed by the same pack)."""
    existing = session.scalar(
        select(AgreementVersion.number).where(AgreementVersion.id == uuid.UUID(draft_id))
    )
    if existing is not None:
        return int(existing)
    highest = session.scalar(
        select(func.max(AgreementVersion.number)).where(
            AgreementVersion.agreement_id == uuid.UUID(agreement_id)
        )
    )
    number = max(int(highest or 0), taken.get(agreement_id, 0)) + 1
    taken[agreement_id] = number
    return number


def note(proposal: Proposal, sender_name: str) -> str:
    status = proposal.instead_of_status.replace("_", " ")
    return (
        f"{sender_name} sent a different text for version {proposal.instead_of}, which is "
        f"{status} here: it is not changed. The new text is added as draft version "
        f"{proposal.number}, proposed by {sender_name}, for you to review."
    )


def reason(proposal: Proposal, sender_name: str) -> str:
    return (
        f"A new draft proposed by {sender_name}: a different text for version "
        f"{proposal.instead_of}, which stays as it is."
    )


def record_proposed(
    audit: AuditLog, session: Session, proposal: Proposal, sender_name: str, via: str
) -> None:
    v = session.get(AgreementVersion, uuid.UUID(proposal.draft_id))
    if v is None:
        return
    audit.record(
        session, "created",
        f"Version {v.number} proposed by {sender_name}: a different text for version "
        f"{proposal.instead_of}, which stays {proposal.instead_of_status.replace('_', ' ')} "
        f"({via})",
        v.agreement_id, v.number,
        {"proposed_by": sender_name, "instead_of_version": proposal.instead_of, "via": via},
    )  # fmt: skip
