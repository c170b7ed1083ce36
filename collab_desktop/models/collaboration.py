from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps
from collab_desktop.models.organisation import Organisation


class Collaboration(UuidKeyAndStamps, Base):
    __tablename__ = "collaboration"

    name: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    setting: Mapped[str] = mapped_column(String(20), default="custody")
    site: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(20), default="planning")
    funding_type: Mapped[str] = mapped_column(String(20), default="unfunded")
    funder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), default=None
    )
    funding_from: Mapped[date | None] = mapped_column(Date, default=None)
    funding_until: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Why the records are kept (issue 15): the lawful basis (enums.LAWFUL_BASES), for custody
    # work the condition for criminal-offence data (enums.OFFENCE_CONDITIONS), and whether an
    # appropriate policy document exists ("yes", "no", "" not said) and where it is kept.
    lawful_basis: Mapped[str] = mapped_column(String(40), default="", server_default="")
    offence_condition: Mapped[str] = mapped_column(String(60), default="", server_default="")
    policy_document: Mapped[str] = mapped_column(String(10), default="", server_default="")
    policy_document_where: Mapped[str] = mapped_column(
        String(300), default="", server_default=""
    )

    members: Mapped[list[Member]] = relationship(
        back_populates="collaboration", cascade="all, delete-orphan", order_by="Member.position"
    )
    funder: Mapped[Organisation | None] = relationship()


class Member(UuidKeyAndStamps, Base):
    """An organisation taking part in a collaboration, in one role."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("collaboration_id", "organisation_id"),)

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(20), default="partner")
    position: Mapped[int] = mapped_column(default=0)

    collaboration: Mapped[Collaboration] = relationship(back_populates="members")
    organisation: Mapped[Organisation] = relationship()
