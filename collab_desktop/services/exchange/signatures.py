"""Signatures back: a party records on its own laptop who signed and when, and returns them.
They apply only to the exact version they were given for (the same content fingerprint,
services/agreements/fingerprint.py); the last required one signs the version off, with the
same audit entries and the same superseding of the version signed off before as signing here
(AgreementService.record_signature)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from collab_desktop.models import AgreementVersion, Signatory
from collab_desktop.services.errors import NotFound
from collab_desktop.services.exchange import agreement_history
from collab_desktop.services.exchange.kinds import (
    Applied,
    Choices,
    FieldLine,
    PackKind,
    Preview,
    RecordLine,
    Sender,
    register_kind,
)
from collab_desktop.services.exchange.records import record_key


def export_signatures(session: Session, request: dict) -> dict:
    v = session.get(AgreementVersion, uuid.UUID(request["version_id"]))
    if v is None:
        raise NotFound("That agreement version is no longer in the records.")
    return {
        "version_id": str(v.id),
        "agreement_id": str(v.agreement_id),
        "title": v.agreement.title,
        "number": v.number,
        "fingerprint": v.fingerprint,
        "signatures": [
            {
                "id": str(s.id), "name": s.name, "signed_on": s.signed_on.isoformat(),
                "method": s.method, "recorded_by": s.recorded_by,
                "recorded_at": s.recorded_at.isoformat() if s.recorded_at else None,
            }
            for s in v.signatories if s.signed_on is not None
        ],
    }  # fmt: skip


def _check_version(session: Session, data: dict) -> tuple[AgreementVersion | None, str]:
    v = session.get(AgreementVersion, uuid.UUID(data["version_id"]))
    where = f"version {data.get('number')} of “{data.get('title')}”"
    if v is None:
        return None, (
            f"These signatures are for {where}, which is not in these records. Import the "
            "agreement itself first."
        )
    if not v.fingerprint or v.fingerprint != data.get("fingerprint"):
        return None, (
            f"These signatures were given to a different text of {where} (fingerprint "
            f"{data.get('fingerprint') or 'none'}; here it is {v.fingerprint or 'not frozen'}), "
            "so they were not recorded. Send the partner the current version to sign."
        )
    if v.status not in ("awaiting_signatures", "signed_off"):
        return None, (
            f"{where.capitalize()} is {v.status.replace('_', ' ')} here, so no signature can "
            "be added to it."
        )
    return v, ""


def preview_signatures(session: Session, data: dict, sender: Sender) -> Preview:
    preview = Preview()
    v, refusal = _check_version(session, data)
    for item in data.get("signatures", []):
        key = record_key("signatory", item["id"])
        line = RecordLine(key, "Signature", item["name"], "new")
        s = session.get(Signatory, uuid.UUID(item["id"])) if v is not None else None
        theirs = item["signed_on"]
        if v is None:
            line.state, line.reason = "refused", refusal
        elif s is None or s.version_id != v.id:
            line.state = "refused"
            line.reason = f"{item['name']} is not among the signatories of this version here."
        elif s.signed_on is None:
            if v.status == "signed_off" and s.required:
                line.state, line.reason = "refused", "The version is already signed off."
            else:
                line.state = "update"
                line.reason = f"Signed on {date.fromisoformat(theirs):%d/%m/%Y}: to be recorded."
                line.fields = [FieldLine("signed_on", "Signed on", None, theirs, None, "update")]
        elif s.signed_on.isoformat() == theirs:
            line.state, line.reason = "same", "Already recorded here."
        else:
            line.state = "refused"
            line.reason = (
                f"Already recorded here as signed on {s.signed_on:%d/%m/%Y}; the pack says "
                f"{date.fromisoformat(theirs):%d/%m/%Y}. Nothing was changed: check with the "
                "partner which is right."
            )
        preview.lines.append(line)
    if v is not None:
        pending = {line.key for line in preview.lines if line.state == "update"}
        unsigned = [s for s in v.signatories if s.required and s.signed_on is None
                    and record_key("signatory", s.id) not in pending]  # fmt: skip
        if pending and not unsigned and v.status == "awaiting_signatures":
            preview.notes.append(
                f"With these, every required signature of version {v.number} is in: it "
                "will be signed off."
            )
    return preview


def apply_signatures(session: Session, data: dict, sender: Sender, choices: Choices) -> Applied:
    preview = preview_signatures(session, data, sender)
    v, _ = _check_version(session, data)
    counts = {"update": 0}
    if v is None:
        return Applied(counts)
    audit = session.info.get("audit")
    via = f"from {sender.name}'s exchange pack"
    wanted = {line.key for line in preview.lines if line.state == "update"}
    for item in data.get("signatures", []):
        if record_key("signatory", item["id"]) not in wanted:
            continue
        s = session.get(Signatory, uuid.UUID(item["id"]))
        assert s is not None
        s.signed_on = date.fromisoformat(item["signed_on"])
        s.method = item.get("method") or "wet_ink"
        s.recorded_by = f"{item.get('recorded_by', '')} ({sender.name})".strip()
        s.recorded_at = (
            datetime.fromisoformat(item["recorded_at"]) if item.get("recorded_at") else None
        )
        counts["update"] += 1
        if audit is not None:
            agreement_history.signed_entry(audit, session, v, s, via)
    if v.status == "awaiting_signatures" and all(o.signed_on for o in v.signatories if o.required):
        v.status = "signed_off"
        v.signed_off_on = max(o.signed_on for o in v.signatories if o.required and o.signed_on)
        if audit is not None:
            audit.record(session, "signed_off", "Signed off by every required signatory",
                         v.agreement_id, v.number)  # fmt: skip
        for older in v.agreement.versions:
            if older is not v and older.status == "signed_off":
                older.status = "superseded"
                older.superseded_by_id = v.id
                if audit is not None:
                    audit.record(session, "superseded", f"Superseded by version {v.number}",
                                 older.agreement_id, older.number)  # fmt: skip
    return Applied(counts)


def _describe(data: dict) -> str:
    return (
        f"{len(data.get('signatures', []))} signature(s) for “{data.get('title')}”, "
        f"version {data.get('number')} (fingerprint {data.get('fingerprint')})"
    )


register_kind(PackKind(
    name="signatures", label="Signatures back", personal=False,
    export=export_signatures, preview=preview_signatures, apply=apply_signatures,
    describe=_describe,
))  # fmt: skip
