"""Monitoring returns (issue 13): the lead's return templates and their indicators, and each
organisation's returns, figure by figure, with every version kept.

A template and a return keep the same UUID on every laptop they travel to (in an exchange
pack), so the lead's copy of a partner's return, and the partner's copy of the lead's
template, are the same rows on both sides."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps


class ReturnTemplate(UuidKeyAndStamps, Base):
    """What a lead asks every partner of a collaboration to report, and by when.

    `version` goes up each time the lead changes the indicators or due dates, so a return
    drafted from an older version is known as such."""

    __tablename__ = "return_template"

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    lead_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    period_kind: Mapped[str] = mapped_column(String(20), default="quarter")  # quarter/month/year
    # A return is due this many days after its period ends, unless `due_dates` names a day.
    due_days: Mapped[int] = mapped_column(default=30)
    # Lines "period start=due date" (ISO dates), for the periods the lead dated by hand.
    due_dates: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    notes: Mapped[str] = mapped_column(Text, default="")

    indicators: Mapped[list[TemplateIndicator]] = relationship(
        back_populates="template", cascade="all, delete-orphan",
        order_by="TemplateIndicator.position",
    )  # fmt: skip


class TemplateIndicator(UuidKeyAndStamps, Base):
    """One figure a template asks for: a standard measure counted from the records
    (`measure` names it) or a figure the partner types; optionally broken down (e.g. by age
    band, where the partner records it)."""

    __tablename__ = "template_indicator"
    __table_args__ = (UniqueConstraint("template_id", "code"),)

    template_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("return_template.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(60))  # short and stable: the CSV's key
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(20), default="typed")  # counted / typed
    measure: Mapped[str] = mapped_column(String(60), default="")  # counted: compute.MEASURES
    breakdowns: Mapped[str] = mapped_column(Text, default="")  # one category a line
    required: Mapped[bool] = mapped_column(Boolean, default=False)

    template: Mapped[ReturnTemplate] = relationship(back_populates="indicators")


class MonitoringReturn(UuidKeyAndStamps, Base):
    """One organisation's return for one collaboration and period: one row per version.

    A signed-off version is never changed: a correction is a new version, and the lead keeps
    every version it received (`origin` "received")."""

    __tablename__ = "monitoring_return"
    __table_args__ = (
        UniqueConstraint("collaboration_id", "organisation_id", "period_start", "version"),
    )

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    template_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("return_template.id", ondelete="SET NULL"), default=None, index=True
    )
    template_version: Mapped[int] = mapped_column(default=0)
    period_start: Mapped[date] = mapped_column(Date, index=True)
    period_end: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(default=1)
    # draft / signed_off / sent / received / queried (enums would be overkill: five words)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    origin: Mapped[str] = mapped_column(String(20), default="own")  # own / received
    signed_off_by: Mapped[str] = mapped_column(String(200), default="")
    signed_off_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    went_well: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    case_study: Mapped[str] = mapped_column(Text, default="")
    # What the records said when the figures were counted: notes on the period (no sessions,
    # an activity that ended), one a line, shown with the return.
    notices: Mapped[str] = mapped_column(Text, default="")

    figures: Mapped[list[ReturnFigure]] = relationship(
        back_populates="monitoring_return", cascade="all, delete-orphan",
        order_by="ReturnFigure.position",
    )  # fmt: skip
    queries: Mapped[list[ReturnQuery]] = relationship(
        back_populates="monitoring_return", cascade="all, delete-orphan",
        order_by="ReturnQuery.asked_at",
    )  # fmt: skip


class ReturnFigure(UuidKeyAndStamps, Base):
    """One number of a return: a measure or indicator (`code`), overall (`breakdown` "") or
    for one category. `value` None: not given (a typed indicator left empty)."""

    __tablename__ = "return_figure"
    __table_args__ = (UniqueConstraint("return_id", "code", "breakdown"),)

    return_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("monitoring_return.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(String(60))
    breakdown: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(20), default="counted")  # counted / typed
    value: Mapped[float | None] = mapped_column(Float, default=None)

    monitoring_return: Mapped[MonitoringReturn] = relationship(back_populates="figures")


class ReturnQuery(UuidKeyAndStamps, Base):
    """A question the lead sent back about a return, and the partner's answer."""

    __tablename__ = "return_query"

    return_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("monitoring_return.id", ondelete="CASCADE"), index=True
    )
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    asked_by: Mapped[str] = mapped_column(String(200), default="")
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    monitoring_return: Mapped[MonitoringReturn] = relationship(back_populates="queries")
