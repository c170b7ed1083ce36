from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from collab_desktop.models.base import Base, utcnow


class AuditEntry(Base):
    """One change to an agreement, its responsibilities or its signatures.

    Append-only: the app only ever inserts (database triggers refuse UPDATE and DELETE), and
    each entry carries a hash of the one before, so an entry edited or removed behind the
    app's back breaks the chain where it happened. Entries are also sealed with a key kept
    outside the database, so a chain recomputed whole shows too.
    """

    __tablename__ = "audit_entry"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user: Mapped[str] = mapped_column(String(200), default="")
    agreement_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True, default=None)
    version_number: Mapped[int | None] = mapped_column(default=None)
    action: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")
    # HMAC-SHA256 of `hash` under the key kept beside the database (services/audit_anchor.py);
    # empty in entries made before revision 0006.
    mac: Mapped[str] = mapped_column(String(64), default="", server_default="")
