"""Registers the two returns kinds with the exchange (issue 12): importing this module
(services/exchange/__init__.py does) registers them.

This module is the only one of the returns part that knows the exchange's classes, so that
packs.py stays testable with plain dicts."""

from __future__ import annotations

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


def _kind(name: str, label: str, export: Any, preview: Any, apply: Any) -> None:
    def preview_fn(session: Session, data: dict, sender: Any) -> Any:
        return _preview(preview(session, data, sender.organisation_id))

    def apply_fn(session: Session, data: dict, sender: Any, choices: dict) -> Any:
        return _changes(apply(session, data, sender.organisation_id))

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
