"""The three-way compare of one record: ours (here), theirs (in the pack) and the base (what
was last exchanged with that partner). Field by field, never by clock time: a field changed
only there is an update, changed only here stays ours, changed on both sides differently is
a conflict the user settles."""

from __future__ import annotations

from typing import Any

from collab_desktop.services.exchange.kinds import FieldLine


def three_way(
    ours: dict[str, Any] | None,
    theirs: dict[str, Any],
    base: dict[str, Any] | None,
    labels: dict[str, str] | None = None,
) -> tuple[str, list[FieldLine]]:
    """(state, fields): state is new | same | update | conflict; "update" when at least one
    field takes their value and none conflicts; "same" when nothing would change (their
    changes already here, or only ours changed)."""
    labels = labels or {}
    if ours is None:
        return "new", [
            FieldLine(k, labels.get(k, k), None, v, None, "update") for k, v in theirs.items()
        ]
    lines = []
    for name, their_value in theirs.items():
        our_value = ours.get(name)
        base_value = base.get(name) if base is not None else None
        if our_value == their_value:
            state = "same"
        elif base is not None and name in base and base_value == our_value:
            state = "update"  # changed only there
        elif base is not None and name in base and base_value == their_value:
            state = "ours"  # changed only here: ours stays
        else:
            state = "conflict"  # both changed since they last matched (or never matched)
        lines.append(FieldLine(name, labels.get(name, name), our_value, their_value, base_value,
                               state))  # fmt: skip
    states = {line.state for line in lines}
    if "conflict" in states:
        return "conflict", lines
    if "update" in states:
        return "update", lines
    return "same", lines
