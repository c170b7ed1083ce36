"""A read-only table model over plain row objects, with a filter proxy for instant search.

Models never query the database: pages fetch rows from a service and call set_rows().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    searchable: bool = True


def display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def sort_key(value: Any) -> Any:
    # Dates sort by date, text without regard to case, and blanks last.
    if value is None or value == "":
        return "\uffff"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.casefold()
    return value


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._text: list[str] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        # Pre-computed once per refresh so that filtering a keystroke is a substring test.
        self._text = [
            " ".join(display(c.value(r)) for c in self._columns if c.searchable).casefold()
            for r in self._rows
        ]
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self._text[row]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(self._columns[index.column()].value(row))
        if role == SORT_ROLE:
            return sort_key(self._columns[index.column()].value(row))
        if role == ROW_ROLE:
            return row
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None


class FilterProxy(QSortFilterProxyModel):
    """Keeps rows containing every word typed, in any searchable column, ignoring case."""

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)

    def set_filter_text(self, text: str) -> None:
        # Qt 6.10 deprecated invalidateRowsFilter() for begin/endFilterChange(); the project
        # still supports PySide6 6.7, which has only the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            self._words = text.casefold().split()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = text.casefold().split()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # noqa: N802
        if not self._words:
            return True
        text = self.sourceModel().search_text(source_row)
        return all(word in text for word in self._words)

    def lessThan(self, left: QModelIndex, right: QModelIndex) -> bool:  # noqa: N802
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        try:
            return a < b
        except TypeError:
            return str(a) < str(b)
