"""Meetings of a collaboration (issue 14): reviews, boards and the rest, who was asked and who
came, what was decided and who is to do what.

Attendance is kept by person *and* by the organisation they came for at the time: a person
who later moves to another organisation keeps their past attendance with the old one, which
is what an engagement count by organisation needs.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab_desktop.models.base import Base, UuidKeyAndStamps
from collab_desktop.models.collaboration import Collaboration


class Meeting(UuidKeyAndStamps, Base):
    __tablename__ = "meeting"
    __table_args__ = (Index("ix_meeting_collaboration_on", "collaboration_id", "held_on"),)

    collaboration_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("collaboration.id", ondelete="RESTRICT")
    )
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(20), default="review")  # enums MEETING_KINDS
    status: Mapped[str] = mapped_column(String(20), default="planned")  # planned / held
    title: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The agreement version a review meeting looked at, and what it concluded ("" until it
    # did: "no_change" or "new_version", see services/meetings/reviews.py).
    agreement_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("agreement_version.id", ondelete="SET NULL"), default=None, index=True
    )
    review_outcome: Mapped[str] = mapped_column(String(20), default="")
    # After "reviewed, no change": when the agreement is to be looked at again (a signed-off
    # version is never edited, so its own next review date stays as it was signed).
    next_review_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The minutes are approved at a later meeting: by whom and when.
    minutes_approved_by: Mapped[str] = mapped_column(String(200), default="")
    minutes_approved_on: Mapped[date | None] = mapped_column(Date, default=None)

    collaboration: Mapped[Collaboration] = relationship()
    attendees: Mapped[list[MeetingAttendee]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAttendee.position"
    )
    decisions: Mapped[list[MeetingDecision]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDecision.position"
    )
    actions: Mapped[list[MeetingAction]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingAction.position"
    )


class MeetingAttendee(UuidKeyAndStamps, Base):
    """One invitation: an organisation, and the person who was asked (or came) for it."""

    __tablename__ = "meeting_attendee"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    # The organisation the person came for on the day (not the contact's organisation now).
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), default=None, index=True
    )
    # The person's name as it was, so the minutes read the same if the contact goes.
    name: Mapped[str] = mapped_column(String(200), default="")
    response: Mapped[str] = mapped_column(String(20), default="invited")  # enums ATTENDANCE
    substitute_for: Mapped[str] = mapped_column(String(200), default="")
    can_decide: Mapped[bool] = mapped_column(default=True)

    meeting: Mapped[Meeting] = relationship(back_populates="attendees")


class MeetingDecision(UuidKeyAndStamps, Base):
    __tablename__ = "meeting_decision"

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    look_again_on: Mapped[date | None] = mapped_column(Date, default=None)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")


class MeetingAction(UuidKeyAndStamps, Base):
    __tablename__ = "meeting_action"
    # The home page asks for the actions not done whose due date has passed: one range scan.
    __table_args__ = (Index("ix_meeting_action_open_due", "done_on", "due_on"),)

    meeting_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(Text, default="")
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), default=None, index=True
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), default=None
    )
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, default=None)
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    # The agreement's responsibility this action is about, if any.
    responsibility_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("responsibility.id", ondelete="SET NULL"), default=None
    )

    meeting: Mapped[Meeting] = relationship(back_populates="actions")
