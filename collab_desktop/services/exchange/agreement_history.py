"""Audit entries for what an import did to agreements, written in the import's transaction.

Each version's status and signatures must be accounted for by its history
(services/audit_replay.py): an imported version that arrives sent, signed or signed off gets
the same entries here as if those steps had been taken on this laptop, each saying it came
from the partner's pack. Signatures that arrive for a version here go through the same
sign-off rule as signing here (signatures.py)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models import AgreementVersion, Signatory
from collab_desktop.models.enums import SIGNATORY_CAPACITIES, SIGNATURE_METHODS, label
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.audit_replay import content_digest

_STATUS_ACTION = {
    "signed_off": ("signed_off", "Signed off by every required signatory"),
    "superseded": ("superseded", "Superseded by a newer version"),
    "void": ("voided", "Made void"),
    "ended": ("ended", "Marked as ended"),
}


def signed_entry(
    audit: AuditLog, session: Session, v: AgreementVersion, s: Signatory, via: str
) -> None:
    assert s.signed_on is not None
    audit.record(
        session, "signed",
        f"Signature recorded: {s.name} ({label(SIGNATORY_CAPACITIES, s.capacity)}), "
        f"signed {s.signed_on:%d/%m/%Y}, {label(SIGNATURE_METHODS, s.method).lower()} ({via})",
        v.agreement_id, v.number,
        {"recorded_by": s.recorded_by, "signatory_id": str(s.id),
         "signed_on": s.signed_on.isoformat(), "via": via},
    )  # fmt: skip


def new_version(audit: AuditLog, session: Session, version_id: uuid.UUID, via: str) -> None:
    """Entries for a version that arrived whole, in the state it arrived in."""
    v = session.get(AgreementVersion, version_id)
    if v is None:
        return
    audit.record(
        session, "created", f"Version {v.number} received ({via})", v.agreement_id, v.number
    )
    if v.status == "draft" or not v.fingerprint:
        return
    audit.record(
        session, "sent",
        f"Received for signatures; text frozen (fingerprint {v.fingerprint}) ({via})",
        v.agreement_id, v.number,
        {"fingerprint": v.fingerprint, "content_sha256": content_digest(v.content)},
    )  # fmt: skip
    for s in v.signatories:
        if s.signed_on is not None:
            signed_entry(audit, session, v, s, via)
    status_change(audit, session, v, "awaiting_signatures", via)


def status_change(
    audit: AuditLog, session: Session, v: AgreementVersion, before: str, via: str
) -> None:
    if v.status == before:
        return
    if v.status == "superseded" and before == "awaiting_signatures":
        audit.record(session, "signed_off", f"Signed off ({via})", v.agreement_id, v.number)
    if v.status in _STATUS_ACTION:
        action, summary = _STATUS_ACTION[v.status]
        audit.record(session, action, f"{summary} ({via})", v.agreement_id, v.number)


def signatures_arrived(
    audit: AuditLog,
    session: Session,
    before: dict[uuid.UUID, date | None],
    version_before: dict[uuid.UUID, str],
    via: str,
) -> None:
    """After a record-set import: entries for signatures and statuses that changed."""
    for signatory_id, was in before.items():
        s = session.get(Signatory, signatory_id)
        if s is not None and was is None and s.signed_on is not None:
            signed_entry(audit, session, s.version, s, via)
    for version_id, was in version_before.items():
        v = session.get(AgreementVersion, version_id)
        if v is not None:
            status_change(audit, session, v, was, via)


def signing_state(session: Session, version_ids: list[uuid.UUID]) -> tuple[dict, dict]:
    signatures = {
        row[0]: row[1]
        for row in session.execute(
            select(Signatory.id, Signatory.signed_on).where(Signatory.version_id.in_(version_ids))
        )
    }
    statuses = {
        row[0]: row[1]
        for row in session.execute(
            select(AgreementVersion.id, AgreementVersion.status).where(
                AgreementVersion.id.in_(version_ids)
            )
        )
    }
    return signatures, statuses
