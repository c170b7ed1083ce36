"""What the agreement editor's two tables (responsibilities, signatories) share: one row per
item, rebuilt from the items when they move; the Add / Remove / Move up / Move down buttons
under the table; and locking the cells of a version that cannot be edited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QPushButton, QWidget

from collab_desktop.ui.editable_table import EditableTable
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.style import mark_read_only

Item = TypeVar("Item")


def lock(widget: QWidget, locked: bool) -> None:
    """Make a cell's combo or checkbox read-only while keeping it readable: a disabled widget
    greys its text out, which is hard to read on a signed-off version."""
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, locked)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus if locked else Qt.FocusPolicy.StrongFocus)
    mark_read_only(widget, locked)  # no arrow: it looks as it behaves


class AgreementTable(EditableTable, Generic[Item]):
    """Subclasses say how one item becomes a row (add_row) and a row an item (read)."""

    # The column the cursor goes to in a moved row.
    MAIN_COLUMN = 0

    def __init__(self, headers: list[str], changed: Callable[..., None]) -> None:
        super().__init__(headers)
        self.changed = changed
        self.loading = False  # True while rows are rebuilt: no change to report
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.itemChanged.connect(self._item_changed)

    def _item_changed(self, *_args) -> None:
        if not self.loading:
            self.changed()

    def add_row(self, item: Item | None = None) -> None:
        raise NotImplementedError

    def read(self) -> list[Item]:
        raise NotImplementedError

    def fill(self, items: list[Item]) -> None:
        self.loading = True
        try:
            self.setRowCount(0)
            for item in items:
                self.add_row(item)
        finally:
            self.loading = False

    def row_buttons(self, name: str, before_move: Callable[[], None]) -> QHBoxLayout:
        """Add, Remove, Move up, Move down. `before_move` puts typing still in a cell into
        the table first (the rows are rebuilt)."""
        row = QHBoxLayout()
        for key, text, slot in (
            ("add", f"&Add {name}", lambda: self.add_row()),
            ("remove", "Re&move", self.remove_current),
            ("up", "Move &up", lambda: (before_move(), self.move_current(-1))),
            ("down", "Move do&wn", lambda: (before_move(), self.move_current(1))),
        ):
            button = name_widget(QPushButton(text), f"{name}_{key}", text.replace("&", ""))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        self.buttons = row
        return row

    def remove_current(self) -> None:
        row = self.currentRow()
        if row < 0:
            return
        self.removeRow(row)
        self.changed()

    def move_current(self, step: int) -> None:
        row = self.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.rowCount():
            return
        items = self.read()
        items[row], items[target] = items[target], items[row]
        self.fill(items)
        self.setCurrentCell(target, self.MAIN_COLUMN)
        self.changed()

    def set_editable(self, editable: bool) -> None:
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        for row in range(self.rowCount()):
            for column in range(self.columnCount()):
                widget = self.cellWidget(row, column)
                if widget is not None:
                    lock(widget, not editable)
        buttons = getattr(self, "buttons", None)
        if buttons is not None:
            for i in range(buttons.count()):
                widget = buttons.itemAt(i).widget()
                if widget is not None:
                    widget.setVisible(editable)
