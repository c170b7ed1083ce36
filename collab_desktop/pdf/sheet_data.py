"""The plain data an attendance sheet is built from. Names arrive already cut down to what
the activity's setting allows (full, first name and initial, or initials), so a sheet can
never print more of a name than the setting says. No ReportLab import: services build these
without loading it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True)
class SessionSheet:
    activity: str
    collaboration: str
    on: date
    start_time: time
    end_time: time
    venue: str
    facilitators: list[str]
    names: list[str]  # as they are to be printed, in order
    spare_rows: int = 6
    site: str = ""
    printed_on: date | None = None
