"""Who a privacy request is about, as the pages name them: with no SQLAlchemy, so that the
participant and volunteer pages are built and filled without it (issue 17, ui/preload.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

PARTICIPANT = "participant"
CONTACT = "contact"


@dataclass(frozen=True)
class PersonRef:
    kind: str  # PARTICIPANT or CONTACT
    id: uuid.UUID
