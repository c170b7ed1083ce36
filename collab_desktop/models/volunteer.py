"""Volunteers: a contact who volunteers, their vetting and clearances, training and risk
assessment. A clearance records which check, for which site, the certificate number and the
date it was seen: never a copy of the certificate."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps
from collab_desktop.models.organisation import Contact


class Volunteer(UuidKeyAndStamps, Base):
    __tablename__ = "volunteer"

    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), unique=True
    )
    since: Mapped[date | None] = mapped_column(Date, default=None)
    induction_on: Mapped[date | None] = mapped_column(Date, default=None)
    training: Mapped[str] = mapped_column(Text, default="")
    training_on: Mapped[date | None] = mapped_column(Date, default=None)
    risk_assessed_on: Mapped[date | None] = mapped_column(Date, default=None)
    risk_reviewer: Mapped[str] = mapped_column(String(200), default="")
    risk_review_due: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # When they stopped volunteering: their clearance details are kept for a while after it
    # (services/privacy/retention.py), then removed.
    stopped_on: Mapped[date | None] = mapped_column(Date, default=None)

    contact: Mapped[Contact] = relationship()
    clearances: Mapped[list[Clearance]] = relationship(
        back_populates="volunteer", cascade="all, delete-orphan", order_by="Clearance.position"
    )


class Clearance(UuidKeyAndStamps, Base):
    __tablename__ = "clearance"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(30), default="dbs_enhanced")  # enums.CHECKS
    site: Mapped[str] = mapped_column(String(200), default="")  # blank: valid anywhere
    certificate_number: Mapped[str] = mapped_column(String(60), default="")
    seen_on: Mapped[date | None] = mapped_column(Date, default=None)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)

    volunteer: Mapped[Volunteer] = relationship(back_populates="clearances")
