"""The quorum field of the agreement editor (issue 14): how many member organisations a
meeting needs, each with someone present able to decide. It is part of the agreement
version (a draft takes it; a signed-off version keeps its own), set through
services/meetings/reviews.py, which records the change in the agreement's history. Kept here
so the editor itself only gains a row."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtWidgets import QSpinBox, QWidget

from collab_desktop.services.errors import ValidationError
from collab_desktop.ui.operations import Operation

NONE_TEXT = "None set"


class QuorumField(QSpinBox):
    def __init__(self, changed: Callable[..., None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("agreement_quorum")
        self.setAccessibleName("Quorum: member organisations a meeting needs")
        self.setRange(0, 999)
        self.setSpecialValueText(NONE_TEXT)  # 0 shows as "None set"
        self.setSuffix(" organisations able to decide")
        self.setMaximumWidth(320)
        self._stored: int | None = None
        self.valueChanged.connect(changed)

    def load(self, services, version_id: uuid.UUID) -> None:
        self._stored = services.reviews.quorum_of(version_id)
        self.blockSignals(True)
        self.setValue(self._stored or 0)
        self.blockSignals(False)

    def chosen(self) -> int | None:
        return self.value() or None

    def save(self, parent: QWidget, services, events, version_id: uuid.UUID) -> bool:
        """After the draft itself is saved: the quorum, if it changed. False (and said
        where) if it is refused, e.g. more than the collaboration has members."""
        wanted = self.chosen()
        if wanted == self._stored:
            return True

        def refused(error: Exception) -> bool:
            if isinstance(error, ValidationError) and hasattr(parent, "_show_problem"):
                parent._show_problem(f"Quorum: {error}")
                self.setFocus()
                return True
            return False

        op = Operation(parent, services, events,
                       lambda s: s.reviews.set_quorum(version_id, wanted))  # fmt: skip
        if not op.failure(refused).run():
            return False
        self._stored = wanted
        return True


def quorum_field(changed: Callable[..., None]) -> QuorumField:
    return QuorumField(changed)
