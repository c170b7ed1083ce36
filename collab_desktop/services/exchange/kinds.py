"""The registry of pack kinds: what a pack can carry, and how each kind is exported,
previewed and applied. Another part of the app (monitoring returns) plugs its own kinds in
with register_kind; see /docs/exchange-packs.md."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

STATES = ("new", "update", "same", "conflict", "refused")
STATE_LABELS = {
    "new": "New",
    "update": "Update",
    "same": "Already here",
    "conflict": "Conflict",
    "refused": "Refused",
}


@dataclass(frozen=True)
class Sender:
    organisation_id: uuid.UUID
    name: str
    fingerprint: str
    pack_id: str = ""


@dataclass
class FieldLine:
    name: str
    label: str
    ours: Any
    theirs: Any
    base: Any = None
    state: str = "same"  # same | update (take theirs) | ours (keep ours) | conflict


@dataclass
class RecordLine:
    key: str
    what: str
    label: str
    state: str
    reason: str = ""
    fields: list[FieldLine] = field(default_factory=list)
    # First contact matched by name (services/exchange/matching.py): the partner here it is
    # taken to be, and the key under which the choice "new" says it is a different one.
    match: str = ""
    link_key: str = ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Preview:
    lines: list[RecordLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "signs off version 2"

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(line.state for line in self.lines)
        return {state: found.get(state, 0) for state in STATES}

    @property
    def changes_anything(self) -> bool:
        counts = self.counts
        return bool(counts["new"] or counts["update"] or counts["conflict"])

    def counts_text(self) -> str:
        counts = self.counts
        return ", ".join(_counted(counts[s], s) for s in STATES if counts[s])


def _counted(n: int, state: str) -> str:
    word = STATE_LABELS[state].lower()
    if state in ("update", "conflict") and n != 1:
        word += "s"
    return f"{n} {word}"


@dataclass
class Applied:
    """What a kind's apply did: how many records, by state. (What it changed, for the pages to
    refresh, is reported by the session itself: house's ChangeRecorder.)"""

    counts: dict[str, int] = field(default_factory=dict)


Choices = dict[str, dict[str, str]]  # record key -> field -> "ours" | "theirs"


@dataclass(frozen=True)
class PackKind:
    name: str
    label: str
    personal: bool
    export: Callable[[Session, dict], dict]
    preview: Callable[[Session, dict, Sender], Preview]
    apply: Callable[[Session, dict, Sender, Choices], Applied]
    describe: Callable[[dict], str]
    # Whether the data can carry personal data even when `personal` is False (e.g. a
    # collaboration with its participants ticked): decided from the export request.
    personal_if: Callable[[dict], bool] | None = None


_KINDS: dict[str, PackKind] = {}


def register_kind(kind: PackKind) -> None:
    _KINDS[kind.name] = kind


def get_kind(name: str) -> PackKind | None:
    return _KINDS.get(name)


def kind_names() -> list[str]:
    return sorted(_KINDS)
