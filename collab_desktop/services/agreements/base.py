"""What every part of the agreements service shares: the records, the templates and the
history it writes to, loading a version, and whether a draft was ever sent."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import AgreementVersion, AuditEntry
from collab_desktop.services.agreements.templates import TemplateService
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.errors import NotFound


class AgreementsBase:
    def __init__(
        self, sessions: sessionmaker[Session], templates: TemplateService, audit: AuditLog
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._audit = audit

    def _log(
        self, session: Session, v: AgreementVersion, action: str, summary: str, **details: object
    ) -> None:
        self._audit.record(session, action, summary, v.agreement_id, v.number, details or None)

    @staticmethod
    def _load(session: Session, version_id: uuid.UUID) -> AgreementVersion:
        v = session.get(AgreementVersion, version_id)
        if v is None:
            raise NotFound("That agreement version no longer exists.")
        return v


def was_sent(session: Session, v: AgreementVersion) -> bool:
    """Whether a version was ever sent for signatures (its history says so even once it is
    back to draft)."""
    if v.sent_at is not None or v.fingerprint:
        return True
    sent = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(
            AuditEntry.agreement_id == v.agreement_id,
            AuditEntry.version_number == v.number,
            AuditEntry.action == "sent",
        )
    )
    return bool(sent)
