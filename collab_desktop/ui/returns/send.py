"""What File → Export pack… offers to send of the returns (issue 13): the lead's templates,
and the returns that can travel (signed off or sent by a partner, received or queried by the
lead to send back with its question). Drafts are never offered: the pack would be refused."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from collab_desktop.services.open_records import Services
from collab_desktop.services.returns.drafting import STATUSES
from collab_desktop.services.returns.packs import SENDABLE

_SENDABLE_LABELS = {STATUSES[s] for s in SENDABLE}


def fill_return_items(services: Services, kind: str, combo: QComboBox) -> None:
    if kind == "return_template":
        for c in services.collaborations.list_collaborations():
            for t in services.returns.templates_of(c.id):
                combo.addItem(f"{c.name} — {t.name}, version {t.version}", str(t.id))
        return
    for r in services.returns.list_returns():
        if r.status not in _SENDABLE_LABELS:
            continue
        combo.addItem(
            f"{r.collaboration} — {r.organisation}, {r.period}, version {r.version} "
            f"({r.status.lower()})",
            str(r.id),
        )
