"""Whether a volunteer's clearances cover a site on a day: plain rules over clearances already
read, shared by the services and by the home page at start-up (services/quick_open.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

__all__ = ["Cleared", "same_site", "warnings_for"]


def same_site(a: str, b: str) -> bool:
    """'HMP Leyhill' and 'Leyhill' are the same site; blank means any."""
    a, b = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return not a or not b or a == b or a in b or b in a


@dataclass(frozen=True)
class Cleared:
    site: str
    expires_on: date | None


def warnings_for(
    volunteers: dict[uuid.UUID, tuple[str, list[Cleared]]],
    contact_ids: list[uuid.UUID],
    site: str,
    first: date,
    last: date,
) -> list[str]:
    """clearance_warnings() over clearances already read (volunteer_clearances)."""
    warnings = []
    where = f" for {site}" if site.strip() else ""
    for contact_id in contact_ids:
        if contact_id not in volunteers:
            continue
        name, clearances = volunteers[contact_id]
        relevant = [c for c in clearances if same_site(c.site, site)]
        if not relevant:
            warnings.append(f"{name} has no clearance recorded{where}.")
            continue
        if any(c.expires_on is None for c in relevant):
            continue
        expires = max(c.expires_on for c in relevant if c.expires_on)
        if expires < first:
            warnings.append(f"{name}'s clearance{where} expired on {expires:%d/%m/%Y}.")
        elif expires < last:
            when = (
                f"the session on {last:%d/%m/%Y}"
                if first == last
                else f"the last planned session ({last:%d/%m/%Y})"
            )
            warnings.append(
                f"{name}'s clearance{where} expires on {expires:%d/%m/%Y}, before {when}."
            )
    return warnings
