"""An editable table of rows inside a form (a partner's contacts, a collaboration's members):
rows are added and removed with buttons, some cells are combo boxes.

Two things a plain QTableWidget gets wrong in a form: clicking into a combo box in a cell does
not make its row the current one (so "Remove" would remove the wrong row), and text typed into
a cell that is still being edited is not in the model yet when Save is pressed by shortcut.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QWidget,
)


class EditableTable(QTableWidget):
    def __init__(self, headers: list[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(headers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Tab moves on to the next control (the combo boxes in the cells, then the buttons);
        # arrow keys move between cells. Otherwise keyboard users cannot reach the combos.
        self.setTabKeyNavigation(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setHighlightSections(False)

    def set_row_widget(self, row: int, column: int, widget: QWidget) -> None:
        self.setCellWidget(row, column, widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            row = self.row_of(watched)
            if row >= 0 and row != self.currentRow():
                self.setCurrentCell(row, self.column_of(watched))
        return super().eventFilter(watched, event)

    def order_tabs(self, next_widget: QWidget) -> None:
        """Tab from the table through its cell widgets, row by row, then to `next_widget`.
        Cell widgets join the end of the window's tab chain when they are added, which would
        put them after the dialog's Save and Cancel."""
        previous: QWidget = self
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                widget = self.cellWidget(row, column)
                if widget is not None:
                    QWidget.setTabOrder(previous, widget)
                    previous = widget
        QWidget.setTabOrder(previous, next_widget)

    def row_of(self, widget: QWidget) -> int:
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                if self.cellWidget(row, column) is widget:
                    return row
        return -1

    def column_of(self, widget: QWidget) -> int:
        row = self.row_of(widget)
        for column in range(self.columnCount()):
            if row >= 0 and self.cellWidget(row, column) is widget:
                return column
        return 0

    def text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def commit_edits(self) -> None:
        """Put text still in an open cell editor into the table (Ctrl+S does not take focus
        from the editor, so without this the last word typed would be missed)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def remove_current_row(self) -> int:
        """Remove the current row; return its index, or -1 if there was none."""
        row = self.currentRow()
        if row < 0:
            return -1
        for column in range(self.columnCount()):
            widget = self.cellWidget(row, column)
            if widget is not None:
                # Deleted later, not now: without its name it cannot be mistaken for the
                # widget that takes its row's name.
                widget.setObjectName("")
        self.removeRow(row)
        if self.rowCount():
            self.setCurrentCell(min(row, self.rowCount() - 1), 0)
        return row
