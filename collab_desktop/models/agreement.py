from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps
from collab_desktop.models.collaboration import Collaboration
from collab_desktop.models.organisation import Contact, Organisation


class Agreement(UuidKeyAndStamps, Base):
    """A joint agreement of one collaboration; its text lives in numbered versions."""

    __tablename__ = "agreement"

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="RESTRICT"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))

    collaboration: Mapped[Collaboration] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number"
    )


class AgreementVersion(UuidKeyAndStamps, Base):
    __tablename__ = "agreement_version"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        # All that "Needs attention" reads of a version (reviews due, signatures awaited), so
        # it never reads the rows themselves: they hold the frozen text, four pages or so
        # each, every one decrypted in encrypted records (migration 0013).
        Index(
            "ix_agreement_version_review", "status", "next_review", "agreement_id", "number", "id"
        ),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agreement.id", ondelete="RESTRICT"), index=True
    )
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(30), default="draft")
    template_key: Mapped[str] = mapped_column(String(60), default="")

    # The written sections (keys in enums.AGREEMENT_SECTIONS).
    purpose: Mapped[str] = mapped_column(Text, default="")
    oversight: Mapped[str] = mapped_column(Text, default="")
    information_sharing: Mapped[str] = mapped_column(Text, default="")
    safeguarding: Mapped[str] = mapped_column(Text, default="")
    monitoring: Mapped[str] = mapped_column(Text, default="")
    money: Mapped[str] = mapped_column(Text, default="")
    disputes: Mapped[str] = mapped_column(Text, default="")
    changes_ending: Mapped[str] = mapped_column(Text, default="")
    term: Mapped[str] = mapped_column(Text, default="")

    # Which members play the parts the template's text names, as JSON {"lead": ["<org id>"],
    # …}; empty for a blank agreement or one made before parts were kept (members' own roles).
    role_map: Mapped[str] = mapped_column(Text, default="", server_default="")

    review_frequency: Mapped[str] = mapped_column(String(200), default="")
    reviewers: Mapped[str] = mapped_column(Text, default="")
    next_review: Mapped[date | None] = mapped_column(Date, default=None)
    # How many member organisations must be represented, by someone able to take decisions,
    # for a meeting under this agreement to decide (None: the agreement sets no quorum).
    quorum: Mapped[int | None] = mapped_column(default=None)

    # Set when the text is frozen for signatures, so paper and record can be matched later.
    fingerprint: Mapped[str] = mapped_column(String(20), default="")
    # The printable document as JSON, frozen at the same moment
    # (see services/agreements/snapshot.py).
    content: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    signed_off_on: Mapped[date | None] = mapped_column(Date, default=None)
    superseded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="SET NULL"), default=None
    )
    void_reason: Mapped[str] = mapped_column(Text, default="")
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    responsibilities: Mapped[list[Responsibility]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Responsibility.position"
    )
    signatories: Mapped[list[Signatory]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Signatory.position"
    )


class Responsibility(UuidKeyAndStamps, Base):
    __tablename__ = "responsibility"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    # Who: an organisation, a named contact (whose organisation is then implied), or neither
    # for a joint duty.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), default=None, index=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="RESTRICT"), default=None
    )
    area: Mapped[str] = mapped_column(String(30), default="other")
    what: Mapped[str] = mapped_column(Text, default="")
    how_often: Mapped[str] = mapped_column(String(200), default="")
    since: Mapped[date | None] = mapped_column(Date, default=None)

    version: Mapped[AgreementVersion] = relationship(back_populates="responsibilities")
    organisation: Mapped[Organisation | None] = relationship()
    contact: Mapped[Contact | None] = relationship()


class Signatory(UuidKeyAndStamps, Base):
    __tablename__ = "signatory"

    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), default=None, index=True
    )
    capacity: Mapped[str] = mapped_column(String(20), default="party")
    required: Mapped[bool] = mapped_column(default=True)
    signed_on: Mapped[date | None] = mapped_column(Date, default=None)
    method: Mapped[str] = mapped_column(String(20), default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    version: Mapped[AgreementVersion] = relationship(back_populates="signatories")
    organisation: Mapped[Organisation | None] = relationship()


class Template(UuidKeyAndStamps, Base):
    """An agreement the user saved as a starting point. Built-in ones ship in resources/."""

    __tablename__ = "template"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # The same JSON shape as the built-in files in resources/templates.
    body: Mapped[str] = mapped_column(Text, default="{}")
