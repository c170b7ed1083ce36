"""The rows the calendar and the activities list hand the UI, and how a row is made from the
columns read. Plain Python: the home page imports these (and services/quick_open.py makes
them at start-up) before SQLAlchemy is loaded."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

from collab_desktop.models.enums import CANCEL_REASONS, NAME_PRINTING, SESSION_STATUSES, WEEKDAYS
from collab_desktop.models.enums import label as choice_label
from collab_desktop.services.delivery.schedule import describe


@dataclass(frozen=True, slots=True)  # no __dict__ each: thousands are kept
class ActivityRow:
    id: uuid.UUID
    name: str
    collaboration_id: uuid.UUID
    collaboration: str
    when: str  # "Tuesdays 10:00–12:00, every week"
    venue: str
    facilitators: str
    enrolled: int
    next_session: date | None
    name_printing: str  # label


@dataclass(frozen=True)
class SessionRow:
    id: uuid.UUID
    activity_id: uuid.UUID
    activity: str
    collaboration: str
    on: date
    start_time: time
    end_time: time
    venue: str
    status: str  # machine value
    status_label: str  # "Held", "Cancelled: Lock-down", "Not recorded", "Planned"
    cancel_reason: str  # machine value
    note: str
    attended: int
    scheduled_on: date | None  # None: added by hand

    @property
    def moved(self) -> bool:
        return self.scheduled_on is not None and self.scheduled_on != self.on

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.on.weekday()]


# The columns a SessionRow is made from, in this order (after the session's id).
SESSION_COLUMNS = (
    "activity_id", "activity", "collaboration", "on", "start_time", "end_time", "venue",
    "activity_venue", "status", "cancel_reason", "note", "scheduled_on",
)  # fmt: skip


def session_row(values: tuple, attended: int, today: date) -> SessionRow:
    """A row from (id, *SESSION_COLUMNS) values."""
    (
        id_, activity_id, activity, collaboration, on, start_time, end_time, venue,
        activity_venue, status, cancel_reason, note, scheduled_on,
    ) = values  # fmt: skip
    if status == "cancelled":
        status_label = f"Cancelled: {choice_label(CANCEL_REASONS, cancel_reason)}"
    elif status == "planned" and on < today:
        status_label = "Not recorded"
    else:
        status_label = choice_label(SESSION_STATUSES, status)
    return SessionRow(
        id=id_,
        activity_id=activity_id,
        activity=activity,
        collaboration=collaboration,
        on=on,
        start_time=start_time,
        end_time=end_time,
        venue=venue or activity_venue,
        status=status,
        status_label=status_label,
        cancel_reason=cancel_reason,
        note=note,
        attended=attended,
        scheduled_on=scheduled_on,
    )


# The columns an ActivityRow is made from, in this order.
ACTIVITY_COLUMNS = (
    "id", "name", "collaboration_id", "collaboration", "weekday", "frequency", "start_time",
    "end_time", "venue", "name_printing",
)  # fmt: skip


@lru_cache(maxsize=512)
def _when(weekday: int, frequency: str, start: time | None, end: time | None) -> str:
    # A few schedules are shared by thousands of activities: say each once.
    return describe(weekday, frequency, start, end)


def activity_row(
    values: tuple,
    facilitators: dict[uuid.UUID, list[str]],
    enrolled: dict[uuid.UUID, int],
    next_sessions: dict[uuid.UUID, date],
) -> ActivityRow:
    """A row from ACTIVITY_COLUMNS values and the activity's facilitators (names, in order),
    current enrolments and next session, each looked up by the activity's id."""
    (
        id_, name, collaboration_id, collaboration, weekday, frequency, start_time, end_time,
        venue, name_printing,
    ) = values  # fmt: skip
    return ActivityRow(
        id=id_,
        name=name,
        collaboration_id=collaboration_id,
        collaboration=collaboration,
        when=_when(weekday, frequency, start_time, end_time),
        venue=venue,
        facilitators=", ".join(facilitators.get(id_, ())),
        enrolled=enrolled.get(id_, 0),
        next_session=next_sessions.get(id_),
        name_printing=choice_label(NAME_PRINTING, name_printing),
    )
