"""The audit trail: who changed what in an agreement, and when.

Entries are written in the same transaction as the change they describe, so one never exists
without the other. Each entry's hash covers its content and the previous entry's hash: edit
or remove an entry behind the app's back and verify() finds where the chain breaks.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import AuditEntry

# Who is at the keyboard, as set in the app's preferences; entries before that say so.
UNKNOWN_USER = "(name not set)"


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    user: str
    version_number: int | None
    action: str
    summary: str


def _entry_hash(entry: AuditEntry | Row[Any]) -> str:  # a row of its columns, in verify()
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=timezone.utc)
    content = [
        entry.prev_hash,
        str(entry.id),
        at.astimezone(timezone.utc).isoformat(),
        entry.user,
        str(entry.agreement_id or ""),
        entry.version_number,
        entry.action,
        entry.summary,
        entry.details,
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(self, sessions: sessionmaker[Session], user: str = "") -> None:
        self._sessions = sessions
        self.user = user

    def record(
        self,
        session: Session,
        action: str,
        summary: str,
        agreement_id: uuid.UUID | None = None,
        version_number: int | None = None,
        details: dict | None = None,
    ) -> None:
        """Append an entry inside the caller's transaction (so it commits, or not, with the
        change itself)."""
        last = session.execute(
            select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).scalar()
        entry = AuditEntry(
            id=uuid.uuid4(),
            at=datetime.now(timezone.utc).replace(microsecond=0),
            user=self.user.strip() or UNKNOWN_USER,
            agreement_id=agreement_id,
            version_number=version_number,
            action=action,
            summary=summary,
            details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
            prev_hash=last or "",
        )
        entry.hash = _entry_hash(entry)
        session.add(entry)

    def history(self, agreement_id: uuid.UUID) -> list[AuditRow]:
        with self._sessions() as session:
            entries = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.agreement_id == agreement_id)
                .order_by(AuditEntry.seq)
            ).all()
            return [
                AuditRow(e.seq, e.at, e.user, e.version_number, e.action, e.summary)
                for e in entries
            ]

    def verify(self) -> list[int]:
        """The seq numbers where the chain is broken: an entry whose content no longer
        matches its hash, or that does not follow on from the entry before it."""
        broken = []
        previous = ""
        # Columns, not ORM objects: after some years the chain is tens of thousands long.
        columns = [getattr(AuditEntry, c.key) for c in AuditEntry.__table__.columns]
        with self._sessions() as session:
            for entry in session.execute(select(*columns).order_by(AuditEntry.seq)):
                if entry.prev_hash != previous or _entry_hash(entry) != entry.hash:
                    broken.append(entry.seq)
                previous = entry.hash
        return broken
