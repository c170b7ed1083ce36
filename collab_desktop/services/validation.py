"""Small checks shared by the services. They add to an errors dict, so a form can show every
problem at once rather than one per attempt."""

from __future__ import annotations

import re
from datetime import date

from collab_desktop.services.errors import ValidationError

# Deliberately simple: one @, something either side, a dot in the domain, no spaces. Stricter
# patterns reject real addresses; the aim is to catch typing slips, not to prove deliverability.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")

MAX_NAME = 200
MAX_TEXT = 20_000


class Checker:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def required(self, field: str, value: str, what: str) -> None:
        if not value.strip():
            self.add(field, f"Please enter {what}.")

    def max_length(self, field: str, value: str, limit: int, what: str) -> None:
        if len(value) > limit:
            self.add(field, f"{what} is too long ({len(value)} characters; at most {limit}).")

    def email(self, field: str, value: str) -> None:
        if value.strip() and not _EMAIL.match(value.strip()):
            self.add(field, f"“{value.strip()}” is not an e-mail address (like name@example.org).")

    def choice(self, field: str, value: str, choices: dict[str, str], what: str) -> None:
        if value not in choices:
            self.add(field, f"Please choose {what}.")

    def date_order(
        self, field: str, start: date | None, end: date | None, start_what: str, end_what: str
    ) -> None:
        if start and end and end < start:
            self.add(
                field,
                f"The {end_what} ({end:%d/%m/%Y}) is before the {start_what} ({start:%d/%m/%Y}).",
            )

    def plausible_date(self, field: str, value: date | None, what: str) -> None:
        # Catches a mistyped year (0202, 20224) without forbidding old or far-off records.
        if value and not (1900 <= value.year <= 2200):
            self.add(field, f"The {what} ({value:%d/%m/%Y}) does not look right: check the year.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def clean(text: str | None) -> str:
    """Trim surrounding white space; keep inner text exactly as typed."""
    return (text or "").strip()
