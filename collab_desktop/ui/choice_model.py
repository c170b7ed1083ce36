"""A combo box's choices as one Python list of (value, text), for long lists of choices.

A QComboBox's own model makes a QStandardItem of each choice, with a copy of its text and
its value wrapped for Qt: about 400 bytes each. The Returns page offers every collaboration
(2,000 at ten years' scale) and is read ahead while the app is idle, so that came to
0.8 MiB of the idle app's memory (issue 17's budget); here the choices are the list the
page read. It also finds a value by equality: QComboBox.findData compares Python values by
identity, so a value read again (a new UUID for the same record) was never found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox


class ChoiceModel(QAbstractListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._choices: list[tuple[Any, str]] = []

    def set_choices(self, choices: Sequence[tuple[Any, str]]) -> None:
        self.beginResetModel()
        self._choices = list(choices)
        self.endResetModel()

    def row_of(self, value: Any) -> int:
        """The row of the first choice whose value equals `value`, or -1."""
        if value is None:
            return -1
        return next((row for row, (v, _) in enumerate(self._choices) if v == value), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._choices)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._choices):
            return None
        value, text = self._choices[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None


def use_choices(combo: QComboBox) -> ChoiceModel:
    """Give `combo` a ChoiceModel (its own, a child of it) and return it."""
    model = ChoiceModel(combo)
    combo.setModel(model)
    return model
