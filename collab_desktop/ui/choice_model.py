"""Long lists of choices as one Python list of (value, text): a combo box's (ChoiceModel)
and a list to tick (TickModel).

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
from PySide6.QtWidgets import QComboBox, QListView


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

    def choice_at(self, index: QModelIndex | QPersistentModelIndex) -> tuple[Any, str] | None:
        """The (value, text) at `index`, or None for an index that is not a choice's."""
        if not index.isValid() or not 0 <= index.row() < len(self._choices):
            return None
        return self._choices[index.row()]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        choice = self.choice_at(index)
        if choice is None:
            return None
        value, text = choice
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.UserRole:
            return value
        return None


def use_choices(combo: QComboBox, width_in_letters: int = 30) -> ChoiceModel:
    """Give `combo` a ChoiceModel (its own, a child of it) and return it. The box is as wide
    as `width_in_letters` (or as its layout makes it), not as its longest choice: finding
    that asks the model for every choice's text, a call into Python each, which took 180 ms
    for 8,000 collaborations when the box was first shown; and its list measures one line
    for all."""
    model = ChoiceModel(combo)
    combo.setModel(model)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(width_in_letters)
    view = combo.view()
    if isinstance(view, QListView):
        view.setUniformItemSizes(True)
    return model


class TickModel(ChoiceModel):
    """Choices to tick in a list view, as one Python list of (value, text) and the set of
    values ticked. A QListWidget made an item of each in Python (a participant's dialog lists
    every activity: 2,000 at ten years' scale, 8,000 at four times that), so opening the
    dialog grew with the records; here it costs the same for any number (issue 17), and the
    view asks only for the lines on the screen. Space or a click ticks, as in a QListWidget
    (the view's delegate sets Qt's CheckStateRole)."""

    def __init__(self, choices: Sequence[tuple[Any, str]], parent=None) -> None:
        super().__init__(parent)
        self._choices = list(choices)
        self._ticked: set[Any] = set()

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.CheckStateRole:
            return super().data(index, role)
        choice = self.choice_at(index)
        if choice is None:
            return None
        return Qt.CheckState.Checked if choice[0] in self._ticked else Qt.CheckState.Unchecked

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        found = self.choice_at(index)
        if role != Qt.ItemDataRole.CheckStateRole or found is None:
            return False
        choice = found[0]
        # The delegate gives the state as a Qt.CheckState or as its number.
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        if checked:
            self._ticked.add(choice)
        else:
            self._ticked.discard(choice)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def tick(self, values: set[Any]) -> None:
        """Tick these values (those not among the choices are left out), as well."""
        self._ticked |= set(values) & self.values()
        if self._choices:
            self.dataChanged.emit(
                self.index(0), self.index(len(self._choices) - 1),
                [Qt.ItemDataRole.CheckStateRole],
            )  # fmt: skip

    def ticked_values(self) -> set[Any]:
        """Every value ticked, also one no longer among the choices (set_choices keeps it)."""
        return set(self._ticked)

    def values(self) -> set[Any]:
        return {value for value, _ in self._choices}

    def ticked(self) -> list[Any]:
        """The ticked values, in the order of the list."""
        return [value for value, _ in self._choices if value in self._ticked]

    def text_of(self, row: int) -> str:
        return self._choices[row][1]
