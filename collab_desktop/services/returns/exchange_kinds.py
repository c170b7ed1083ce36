"""Registers the two returns kinds with the exchange (issue 12): importing this module
(services/exchange/__init__.py does) registers them.

This module is the only one of the returns part that knows the exchange's classes, so that
packs.py stays testable with plain dicts."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from sqlalchemy.orm import Session

from collab_desktop.services.exchange import kinds as _kinds
from collab_desktop.services.returns import packs


def _preview(lines: list[packs.PackLine]) -> Any:
    return _kinds.Preview(
        lines=[
            _kinds.RecordLine(
                key=line.key, what=line.what, label=line.label, state=line.state,
                reason=line.reason, fields=[],
            )
            for line in lines
        ]
    )  # fmt: skip


def _changes(applied: packs.Applied) -> _kinds.Applied:
    return _kinds.Applied(counts=applied.counts)


def _as_here(session: Session, data: dict, sender: Any) -> tuple[dict, Any]:
    """The pack in this laptop's UUIDs. A partner that typed its own name at the welcome has
    its own UUID for itself, linked to ours only by name (exchange/matching.py): seen in the
    three-laptop run, RECOOP's return was refused on the lead's laptop as "not a member".
    The sender is linked as the exchange would link it after the import (in a preview the
    session is never committed, so nothing is kept), and the organisations the payload names
    are mapped through the links."""
    from collab_desktop.services.exchange import matching

    matching.link_sender(session, sender)

    def here(value: str | None) -> str | None:
        return None if value is None else str(matching.here_id(session, uuid.UUID(value)))

    data = copy.deepcopy(data)
    if isinstance(data.get("return"), dict) and "organisation_id" in data["return"]:
        data["return"]["organisation_id"] = here(data["return"]["organisation_id"])
    if isinstance(data.get("template"), dict) and "lead_id" in data["template"]:
        data["template"]["lead_id"] = here(data["template"]["lead_id"])
    return data, matching.here_id(session, sender.organisation_id)


def _kind(name: str, label: str, export: Any, preview: Any, apply: Any) -> None:
    def preview_fn(session: Session, data: dict, sender: Any) -> Any:
        return _preview(preview(session, *_as_here(session, data, sender)))

    def apply_fn(session: Session, data: dict, sender: Any, choices: dict) -> Any:
        return _changes(apply(session, *_as_here(session, data, sender)))

    _kinds.register_kind(
        _kinds.PackKind(
            name=name, label=label, personal=False, export=export, preview=preview_fn,
            apply=apply_fn, describe=packs.describe,
        )
    )  # fmt: skip


_kind(
    packs.TEMPLATE_KIND, "Return template", packs.export_template, packs.preview_template,
    packs.apply_template,
)  # fmt: skip
_kind(
    packs.RETURN_KIND, "Monitoring return", packs.export_return, packs.preview_return,
    packs.apply_return,
)  # fmt: skip
