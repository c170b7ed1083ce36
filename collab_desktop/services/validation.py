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
            # Worded so it reads right for "The name" and "The notes" alike.
            self.add(field, f"{what}: too long, {len(value):,} characters (at most {limit:,}).")

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


# Characters that print as boxes, break a page header or a file name, and that nobody types
# on purpose: C0 controls (BEL, NUL, ESC…), DEL, C1 controls, and the bidirectional embeddings,
# overrides and isolates (RLO can make "exe.txt" read as "txt.exe"). The marks a right-to-left
# writer does use (LRM, RLM, ALM) are kept: they only nudge the order, never hide text.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def clean(text: str | None) -> str:
    """Trim surrounding white space and drop control characters; keep line breaks, tabs and
    the rest of the text exactly as typed (for notes, addresses and agreement text)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE.sub("", text).strip()


def clean_line(text: str | None) -> str:
    """A single-line value (a name, a title, a place): line breaks and tabs pasted into it
    become one space, other control characters are dropped, the ends are trimmed."""
    text = _LINE_BREAKS.sub(" ", text or "")
    return _INVISIBLE.sub("", text).strip()
