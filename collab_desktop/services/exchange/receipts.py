"""An acknowledgement: the answer to a pack, which its sender imports to see that the
partner has it (which versions, in which state, with what counts). It changes no records;
its import is written to the audit trail."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from collab_desktop.services.exchange.kinds import (
    Applied,
    Choices,
    PackKind,
    Preview,
    RecordLine,
    Sender,
    register_kind,
)


def export_receipt(session: Session, request: dict) -> dict:
    return {
        "answers_pack": request["pack_id"],
        "answers_kind": request.get("kind", ""),
        "summary": request.get("summary", ""),
        "counts": request.get("counts", {}),
        "versions": request.get("versions", []),
    }


def _line(data: dict, sender: Sender) -> RecordLine:
    held = "; ".join(
        f"“{v.get('title')}” version {v.get('number')} ({str(v.get('status')).replace('_', ' ')})"
        for v in data.get("versions", [])
    )
    counts = ", ".join(f"{n} {s}" for s, n in data.get("counts", {}).items() if n)
    reason = f"{sender.name} imported your pack: {data.get('summary', '')}"
    if counts:
        reason += f" ({counts})"
    if held:
        reason += f". They now have {held}."
    return RecordLine(f"receipt:{data.get('answers_pack')}", "Receipt", sender.name, "new", reason)


def preview_receipt(session: Session, data: dict, sender: Sender) -> Preview:
    return Preview([_line(data, sender)])


def apply_receipt(session: Session, data: dict, sender: Sender, choices: Choices) -> Applied:
    audit = session.info.get("audit")
    if audit is not None:
        for v in data.get("versions", []) or [{}]:
            agreement_id = v.get("agreement_id")
            audit.record(
                session, "receipt", _line(data, sender).reason,
                uuid.UUID(agreement_id) if agreement_id else None, v.get("number"),
                {"from": sender.name, "pack": data.get("answers_pack")},
            )  # fmt: skip
    return Applied({"new": 1})


register_kind(PackKind(
    name="receipt", label="Acknowledgement", personal=False,
    export=export_receipt, preview=preview_receipt, apply=apply_receipt,
    describe=lambda data: f"Acknowledgement of pack {data.get('answers_pack')}",
))  # fmt: skip
