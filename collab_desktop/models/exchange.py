"""What exchanging packs with partners needs to remember (issue 12): our organisation's key
pair, each partner's key as learned from its first pack, the last pack seen from it (to
refuse a replayed older one), and per partner and record what was last exchanged (the base
of a three-way compare), plus the values an import set aside (kept, never lost)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from collab_desktop.models.base import Base, utcnow


class ExchangeIdentity(Base):
    """Our organisation's key pair, created once. Kept in the records themselves so that it is
    encrypted with them when they are, backed up with them, and moves with them."""

    __tablename__ = "exchange_identity"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1: one identity per data folder
    signing_private: Mapped[bytes] = mapped_column(LargeBinary)  # Ed25519, raw 32 bytes
    exchange_private: Mapped[bytes] = mapped_column(LargeBinary)  # X25519, raw 32 bytes
    fingerprint: Mapped[str] = mapped_column(String(40))
    next_seq: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangePeer(Base):
    """A partner organisation's keys, learned from the first pack it sent."""

    __tablename__ = "exchange_peer"

    organisation_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    signing_key: Mapped[bytes] = mapped_column(LargeBinary)
    exchange_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(40))
    learned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_pack_id: Mapped[str] = mapped_column(String(40), default="")


class ExchangeBase(Base):
    """The fields of one record as last exchanged with one partner (sent or imported)."""

    __tablename__ = "exchange_base"
    __table_args__ = (UniqueConstraint("peer_id", "record_key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    peer_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    record_key: Mapped[str] = mapped_column(String(80))
    fields: Mapped[str] = mapped_column(Text, default="{}")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeHistory(Base):
    """A value an import did not keep (the other side of a conflict), so nothing is lost."""

    __tablename__ = "exchange_history"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    record_key: Mapped[str] = mapped_column(String(80), index=True)
    field: Mapped[str] = mapped_column(String(60))
    kept: Mapped[str] = mapped_column(Text, default="")
    set_aside: Mapped[str] = mapped_column(Text, default="")
    whose: Mapped[str] = mapped_column(String(200), default="")  # whose value was set aside
    pack_id: Mapped[str] = mapped_column(String(40), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
