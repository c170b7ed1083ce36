"""Requests to erase or forget a person (issue 15), kept as the record that each request was
answered: who asked, when, and what was done. Never what was erased: a row here names no one,
or the log would keep what the request asked to remove."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from collab_desktop.models.base import Base, UuidKeyAndStamps


class ErasureRequest(UuidKeyAndStamps, Base):
    __tablename__ = "erasure_request"

    # Who asked, in words that identify no one erased: "the person", "their solicitor",
    # "retention rule" for an anonymisation the retention rules made.
    asked_by: Mapped[str] = mapped_column(String(200), default="")
    asked_on: Mapped[date | None] = mapped_column(Date, default=None)
    # What kind of record: "participant", "contact", "volunteer_clearances".
    kind: Mapped[str] = mapped_column(String(30), default="participant")
    # What was done: "anonymised", "erased", "signed_record_kept", "clearances_removed".
    outcome: Mapped[str] = mapped_column(String(30), default="anonymised")
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    done_by: Mapped[str] = mapped_column(String(200), default="")
    # What the app said (e.g. "2 signed agreements kept as legal records"), never a name.
    note: Mapped[str] = mapped_column(Text, default="")
