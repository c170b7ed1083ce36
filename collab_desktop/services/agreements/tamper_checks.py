"""Signs that a version's stored record was changed outside the app: its frozen text no
longer matching its fingerprint or its rows, or its status and signatures not what its
history says happened."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy.orm import Session

from collab_desktop.models import AgreementVersion
from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.agreements.fingerprint import content_fingerprint
from collab_desktop.services.agreements.printable import frozen_context, live_document
from collab_desktop.services.agreements.snapshot import thaw
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.audit_replay import SignatureOnRecord, signing_discrepancies


def _tamper_warnings(v: AgreementVersion) -> list[str]:
    """A frozen version's stored text must still match its fingerprint, and its rows must
    still match that text. Either failing means the file was edited outside the app."""
    if not v.content:
        return []
    frozen = thaw(v.content)
    where = f"Version {v.number}"
    if content_fingerprint(frozen) != v.fingerprint:
        return [
            f"{where}'s stored text no longer matches its fingerprint {v.fingerprint}: it "
            "has been changed outside Collab Desktop since it was sent for signatures. "
            "Compare it with the signed paper copy before relying on it."
        ]
    # The names as they were when it was sent: a partner renamed since is no tampering.
    live = live_document(v, frozen_context(frozen))
    changed = [
        what
        for what, old, new in (
            ("sections", [s.body for s in frozen.sections], [s.body for s in live.sections]),
            ("responsibilities",
             [(r.area, r.what, r.how_often) for r in frozen.responsibilities],
             [(r.area, r.what, r.how_often) for r in live.responsibilities]),
            ("signatories",
             [(s.name, s.role, s.capacity, s.required) for s in frozen.signatories],
             [(s.name, s.role, s.capacity, s.required) for s in live.signatories]),
        )
        if old != new
    ]  # fmt: skip
    if changed:
        return [
            f"{where}'s {' and '.join(changed)} were changed outside Collab Desktop after "
            "it was sent for signatures. What prints is the text as it was signed."
        ]
    return []


def version_warnings(audit: AuditLog, session: Session, v: AgreementVersion) -> list[str]:
    tampered = _tamper_warnings(v)
    return tampered + _history_warnings(audit, session, v, check_text=not tampered)


def _history_warnings(
    audit: AuditLog, session: Session, v: AgreementVersion, check_text: bool = True
) -> list[str]:
    """The version's signatures, status and frozen text must be what its audit trail says
    happened (a sign-off forged in SQL has no entry; see services/audit_replay.py)."""
    entries = [e for e in audit.trail_of(session, v.agreement_id) if e.version_number == v.number]
    if not entries:
        # Versions made before the audit trail existed have none; one made since must.
        first = audit.first_entry_at(session)
        made_since = first is not None and _naive(v.created_at) > _naive(first)
        if made_since and (v.status != "draft" or any(s.signed_on for s in v.signatories)):
            return [
                f"Version {v.number} has no history at all, yet is "
                f"{label(AGREEMENT_STATUSES, v.status).lower()}: it was added or changed "
                "outside Collab Desktop. Check the signed paper copy before relying on it."
            ]
        return []
    return signing_discrepancies(
        v.number, v.status, v.content, v.fingerprint,
        [SignatureOnRecord(s.id, s.name, s.signed_on) for s in v.signatories], entries,
        check_text,
    )  # fmt: skip


def _naive(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they are all stored in UTC."""
    return (
        moment.replace(tzinfo=None)
        if moment.tzinfo is None
        else moment.astimezone(timezone.utc).replace(tzinfo=None)
    )
