"""The retention rules themselves, apart from applying them (retention.py): the home page's
"needs attention" list counts what is due before SQLAlchemy is loaded, so this module imports
nothing heavier than the errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from collab_desktop.services.errors import ValidationError


@dataclass(frozen=True)
class RetentionRules:
    """How long each kind of record is kept after it ends. 0 turns a rule off."""

    participants_years: int = 3  # participants who left more than this long ago
    clearance_months: int = 6  # volunteers' clearance details after they stop
    register_years: int = 6  # registers (who came to a session) after the session

    def check(self) -> None:
        for field_, value, most in (
            ("participants_years", self.participants_years, 50),
            ("clearance_months", self.clearance_months, 600),
            ("register_years", self.register_years, 50),
        ):
            if not 0 <= value <= most:
                raise ValidationError.single(field_, f"Choose a period from 0 to {most}.")


DEFAULT_RULES = RetentionRules()


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, 28))


def years_before(day: date, years: int) -> date:
    return months_before(day, 12 * years)
