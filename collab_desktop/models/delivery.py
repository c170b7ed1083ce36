"""Delivery: the recurring activities of a collaboration, their dated sessions, the people who
take part and who came. Times are local wall-clock times (a session at 10:00 in the prison is
at 10:00 whatever the laptop's time zone), so they are stored without a zone."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps
from collab_desktop.models.collaboration import Collaboration
from collab_desktop.models.organisation import Contact


class Activity(UuidKeyAndStamps, Base):
    """A recurring activity, e.g. a weekly needlework group. Its sessions are generated from
    the schedule (weekday, times, how often, from and until) and then kept as rows, so that a
    single one can be moved or cancelled and the record shows it."""

    __tablename__ = "activity"

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    weekday: Mapped[int] = mapped_column(default=0)  # Monday is 0, as date.weekday()
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    frequency: Mapped[str] = mapped_column(String(20), default="weekly")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    # How much of a name its attendance sheets print (enums.NAME_PRINTING).
    name_printing: Mapped[str] = mapped_column(String(20), default="initials")
    spare_rows: Mapped[int] = mapped_column(default=6)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Sessions are kept as rows up to this date: the schedule was last planned this far ahead
    # and nothing that changes it has been edited since. None: plan it from scratch next time.
    # It spares every look at the calendar from checking each activity's whole schedule.
    planned_until: Mapped[date | None] = mapped_column(Date, default=None)

    collaboration: Mapped[Collaboration] = relationship()
    facilitators: Mapped[list[Facilitator]] = relationship(
        back_populates="activity", cascade="all, delete-orphan", order_by="Facilitator.position"
    )
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="activity", order_by="ActivitySession.on"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(back_populates="activity")


class Facilitator(UuidKeyAndStamps, Base):
    """A contact (staff or volunteer of a member organisation) who leads an activity."""

    __tablename__ = "facilitator"
    __table_args__ = (UniqueConstraint("activity_id", "contact_id"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[Activity] = relationship(back_populates="facilitators")
    contact: Mapped[Contact] = relationship()


class ActivitySession(UuidKeyAndStamps, Base):
    """One dated session. `scheduled_on` is the date the schedule gave it (None for a session
    added by hand), so a moved session is still known as that week's session."""

    __tablename__ = "activity_session"
    __table_args__ = (
        UniqueConstraint("activity_id", "on"),
        # "Needs attention" counts the planned sessions of the last weeks with no register
        # from this alone (migration 0015), not by reading every session of those weeks.
        # Partial: an index of every session by status misled SQLite in the figures' query
        # (each attendance's earlier sessions found by status and date: minutes at scale),
        # and one with a WHERE is only used where the query says `status = 'planned'`.
        Index("ix_activity_session_planned_on", "on", sqlite_where=text("status = 'planned'")),
    )

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activity.id", ondelete="RESTRICT"), index=True
    )
    on: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    scheduled_on: Mapped[date | None] = mapped_column(Date, default=None)
    venue: Mapped[str] = mapped_column(String(200), default="")  # blank: the activity's
    status: Mapped[str] = mapped_column(String(20), default="planned")
    cancel_reason: Mapped[str] = mapped_column(String(30), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    activity: Mapped[Activity] = relationship(back_populates="sessions")
    attendances: Mapped[list[Attendance]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    leaders: Mapped[list[SessionLeader]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class SessionLeader(UuidKeyAndStamps, Base):
    """Who actually led a held session (recorded with the register), for facilitator hours."""

    __tablename__ = "session_leader"
    __table_args__ = (UniqueConstraint("session_id", "contact_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activity_session.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="RESTRICT"), index=True
    )

    session: Mapped[ActivitySession] = relationship(back_populates="leaders")
    contact: Mapped[Contact] = relationship()


class LeaderMinutes(Base):
    """Derived: each contact's minutes of held sessions led, over all time (the Volunteers
    page's hours, issue 17). Kept by triggers (migration 0012) on every write to sessions and
    their leaders; the app only reads it. Not a record: it travels in no pack or export."""

    __tablename__ = "leader_minutes"

    contact_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True
    )
    minutes: Mapped[int] = mapped_column()


class Participant(UuidKeyAndStamps, Base):
    """Someone taking part, with as little personal data as serves."""

    __tablename__ = "participant"

    display_name: Mapped[str] = mapped_column(String(200), index=True)
    reference: Mapped[str] = mapped_column(String(60), default="")  # e.g. a prison number
    joined_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Issue 15: the language they wish to be addressed in, and what they agreed to.
    preferred_language: Mapped[str] = mapped_column(String(60), default="", server_default="")
    consent_notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Set when the person was anonymised (services/privacy/erasure.py): the row stays so
    # that figures keep their counts, but nothing in it names them any more.
    anonymised_on: Mapped[date | None] = mapped_column(Date, default=None)

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="participant", cascade="all, delete-orphan"
    )


# The participants by name as their list sorts them: its first screen is read from here
# (services/list_rows.participant_rows, migration 0014).
Index("ix_participant_name_order", func.lower(Participant.display_name))


class Enrolment(UuidKeyAndStamps, Base):
    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("activity_id", "participant_id"),)

    activity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activity.id", ondelete="RESTRICT"), index=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    enrolled_on: Mapped[date | None] = mapped_column(Date, default=None)
    left_on: Mapped[date | None] = mapped_column(Date, default=None)

    activity: Mapped[Activity] = relationship(back_populates="enrolments")
    participant: Mapped[Participant] = relationship(back_populates="enrolments")


class Attendance(UuidKeyAndStamps, Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "participant_id"),)

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("activity_session.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("participant.id", ondelete="RESTRICT"), index=True
    )

    session: Mapped[ActivitySession] = relationship(back_populates="attendances")
    participant: Mapped[Participant] = relationship()
