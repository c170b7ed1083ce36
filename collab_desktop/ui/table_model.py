"""A read-only table model over plain row objects, with a filter proxy for instant search.

Models never query the database: pages fetch rows from a service and call set_rows().

Lists run to tens of thousands of rows (ten years of participants), so nothing here asks
Python a question per row per keystroke: the search text and sort keys are worked out once per
list (and only when first needed), and filtering or sorting is one list operation. That keeps
a keystroke within a frame and a fill within a few milliseconds (benchmarks/run.py).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

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
    def __init__(self, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[Any] = []
        self._text: list[str] | None = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._text = None  # worked out on the first search
        self.endResetModel()

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    def search_text(self, row: int) -> str:
        return self.search_texts()[row]

    def search_texts(self) -> list[str]:
        """Each row's searchable columns as one case-folded string, so that filtering a
        keystroke is a substring test."""
        if self._text is None:
            searchable = [c for c in self._columns if c.searchable]
            self._text = [
                " ".join(display(c.value(r)) for c in searchable).casefold() for r in self._rows
            ]
        return self._text

    def sort_keys(self, column: int) -> list[Any]:
        # Made for each sort, not kept: a list is sorted again only when its rows change or
        # a header is clicked, and keeping every sorted column's keys of every page read
        # ahead held some 3 MiB at ten years' scale (issue 17's memory budget).
        value = self._columns[column].value
        return [sort_key(value(r)) for r in self._rows]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # An invalid index has row -1, and a list's [-1] is its last item: not that row's data.
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int) -> Any:
        # The view asks for a dozen roles per cell; answer the ones not served at once.
        if role == Qt.ItemDataRole.DisplayRole:
            return display(self._columns[column].value(self._rows[row]))
        if role == ROW_ROLE:
            return self._rows[row]
        if role == SORT_ROLE:
            return sort_key(self._columns[column].value(self._rows[row]))
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].title
        return None


class FilterProxy(QAbstractTableModel):
    """The rows of a RowTableModel containing every word typed (in any searchable column,
    ignoring case), in the order of the column the view sorts by.

    Not a QSortFilterProxyModel: that calls back into Python for every row on each keystroke
    and about n·log n times to sort (seconds at 20,000 rows). Here the shown rows are a list
    of source rows, rebuilt by one comprehension or one sort.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._source: RowTableModel | None = None
        self._words: list[str] = []
        self._column = -1
        self._order = Qt.SortOrder.AscendingOrder
        # Every source row, in sort order, and the sorted rows the filter keeps: a range or a
        # packed array, not a list of ints (36 bytes a row, a megabyte and a half for the
        # pages read ahead at ten years' scale: issue 17's memory budget), unless filtered.
        self._sorted: Sequence[int] = range(0)
        self._shown: Sequence[int] = range(0)

    def setSourceModel(self, model: RowTableModel) -> None:
        self.beginResetModel()
        self._source = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        self._rebuild()
        self.endResetModel()

    def sourceModel(self) -> RowTableModel | None:
        return self._source

    def _source_reset(self) -> None:
        self._rebuild()
        self.endResetModel()

    def _rebuild(self) -> None:
        self._sorted = self._sort_order()
        self._apply_filter()

    def _sort_order(self) -> Sequence[int]:
        n = self._source.rowCount() if self._source is not None else 0
        if self._column < 0 or self._source is None or n == 0:
            return range(n)
        keys = self._source.sort_keys(self._column)
        descending = self._order == Qt.SortOrder.DescendingOrder
        try:
            order = sorted(range(n), key=keys.__getitem__, reverse=descending)
        except TypeError:  # a column mixing kinds of value: compare them as text
            order = sorted(range(n), key=lambda i: str(keys[i]), reverse=descending)
        return array("l", order)

    def _apply_filter(self) -> None:
        if not self._words or self._source is None:
            self._shown = self._sorted
            return
        texts = self._source.search_texts()
        words = self._words
        if len(words) == 1:
            word = words[0]
            self._shown = [i for i in self._sorted if word in texts[i]]
        else:
            self._shown = [i for i in self._sorted if all(w in texts[i] for w in words)]

    def set_filter_text(self, text: str) -> None:
        words = text.casefold().split()
        if words == self._words:
            return
        self.beginResetModel()
        self._words = words
        self._apply_filter()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Called by the view when a header is clicked. The selection stays on its rows."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        rows = [self._shown[i.row()] if i.isValid() else -1 for i in persistent]
        self._column, self._order = column, order
        self._rebuild()
        position = {source: row for row, source in enumerate(self._shown)}
        self.changePersistentIndexList(
            persistent,
            [
                self.index(position[r], i.column()) if r in position else QModelIndex()
                for r, i in zip(rows, persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def source_row(self, row: int) -> int:
        return self._shown[row]

    def row_of(self, item: Any) -> int:
        """The shown row holding this row object, or -1."""
        if self._source is None:
            return -1
        for row, source in enumerate(self._shown):
            if self._source.row_at(source) is item:
                return row
        return -1

    def mapToSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not index.isValid() or self._source is None:
            return QModelIndex()
        return self._source.index(self._shown[index.row()], index.column())

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._source is None:
            return 0
        return self._source.columnCount()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._source is None:  # row -1 would be the last shown row
            return None
        return self._source.cell(self._shown[index.row()], index.column(), role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self._source is None:
            return None
        return self._source.headerData(section, orientation, role)
