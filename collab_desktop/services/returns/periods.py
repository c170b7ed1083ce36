"""Reporting periods: quarters by default, months or years, or any first and last day."""

from __future__ import annotations

from datetime import date, timedelta

PERIOD_KINDS: dict[str, str] = {"quarter": "Quarterly", "month": "Monthly", "year": "Yearly"}


def _month_end(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def period_containing(kind: str, day: date) -> tuple[date, date]:
    """The period of `kind` that `day` falls in (calendar quarters, months, years)."""
    if kind == "month":
        return date(day.year, day.month, 1), _month_end(day.year, day.month)
    if kind == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    first_month = (day.month - 1) // 3 * 3 + 1
    return date(day.year, first_month, 1), _month_end(day.year, first_month + 2)


def periods_of_year(kind: str, year: int) -> list[tuple[date, date]]:
    if kind == "year":
        return [period_containing(kind, date(year, 1, 1))]
    step = 1 if kind == "month" else 3
    return [period_containing(kind, date(year, m, 1)) for m in range(1, 13, step)]


def previous_period(first: date, last: date) -> tuple[date, date]:
    """The period of the same kind just before: for a quarter the quarter before; for any
    other span, the same number of days before."""
    for kind in ("quarter", "month", "year"):
        if period_containing(kind, first) == (first, last):
            return period_containing(kind, first - timedelta(days=1))
    length = last - first
    return first - length - timedelta(days=1), first - timedelta(days=1)


def period_name(first: date, last: date) -> str:
    """ "Q1 2026", "March 2026", "2026", or "1 Feb 2026 to 15 Mar 2026"."""
    if period_containing("quarter", first) == (first, last):
        return f"Q{(first.month - 1) // 3 + 1} {first.year}"
    if period_containing("month", first) == (first, last):
        return f"{first:%B %Y}"
    if period_containing("year", first) == (first, last):
        return str(first.year)
    return f"{first:%-d %b %Y} to {last:%-d %b %Y}"
