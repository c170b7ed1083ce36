from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps


class Organisation(UuidKeyAndStamps, Base):
    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="charity")
    charity_number: Mapped[str] = mapped_column(String(40), default="")
    company_number: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Archived partners drop out of pick lists but stay on every agreement that names them.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Contact.name"
    )


class Contact(UuidKeyAndStamps, Base):
    __tablename__ = "contact"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    level: Mapped[str] = mapped_column(String(20), default="operational")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Issue 15: how the person wishes to be written to (e.g. Welsh), and what they agreed to.
    preferred_language: Mapped[str] = mapped_column(String(60), default="", server_default="")
    consent_notes: Mapped[str] = mapped_column(Text, default="", server_default="")

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
