"""Dates of a recurring activity, and how to say them. Plain functions of dates: no database.

"Monthly" means the same week of the month as the first session (the 2nd Tuesday, say), the
way groups in prisons are booked; a first session on the 29th or later counts as the 4th week.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time, timedelta

from collab_desktop.models.enums import FREQUENCIES, WEEKDAYS

_STEP_DAYS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}


def first_date(weekday: int, starts_on: date) -> date:
    """The first day on or after `starts_on` that falls on `weekday`."""
    return starts_on + timedelta(days=(weekday - starts_on.weekday()) % 7)


def week_of_month(day: date) -> int:
    return min((day.day - 1) // 7 + 1, 4)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    return first_date(weekday, date(year, month, 1)) + timedelta(weeks=nth - 1)


def _dates(weekday: int, frequency: str, starts_on: date) -> Iterator[date]:
    first = first_date(weekday, starts_on)
    if frequency == "monthly":
        nth = week_of_month(first)
        year, month = first.year, first.month
        while True:
            yield _nth_weekday(year, month, weekday, nth)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    step = timedelta(days=_STEP_DAYS.get(frequency, 7))
    day = first
    while True:
        yield day
        day += step


def schedule_dates(
    weekday: int, frequency: str, starts_on: date, until: date, since: date | None = None
) -> list[date]:
    """Every scheduled date from `starts_on` to `until` inclusive (from `since`, if given)."""
    dates = []
    for day in _dates(weekday, frequency, starts_on):
        if day > until:
            break
        if since is None or day >= since:
            dates.append(day)
    return dates


def clock(value: time | None) -> str:
    return f"{value:%H:%M}" if value else ""


def time_range(start: time | None, end: time | None) -> str:
    return f"{clock(start)}–{clock(end)}" if start and end else clock(start)


def describe(weekday: int, frequency: str, start: time | None, end: time | None) -> str:
    """'Tuesdays 10:00–12:00, every week'."""
    day = WEEKDAYS[weekday]
    how = FREQUENCIES.get(frequency, frequency)
    if frequency == "monthly":
        how = "once a month"
    return f"{day}s {time_range(start, end)}, {how[0].lower()}{how[1:]}"


def hours_between(start: time, end: time) -> float:
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(minutes, 0) / 60


def sheets_window(today: date, weeks: int, next_session: date | None = None) -> tuple[date, date]:
    """The days of "the next `weeks` weeks' sheets": from today, or from the next session
    when it falls within the coming week (today's has finished, the next is a week on), so a
    weekly group gets `weeks` sheets, not one fewer."""
    start = today
    if next_session is not None and today <= next_session <= today + timedelta(days=7):
        start = next_session
    return start, start + timedelta(days=7 * weeks - 1)
