"""A page with a title, an instant filter, a sortable table and a row of actions: the shape
shared by the partners, collaborations and agreements lists."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.read_turns import foreground
from collab_desktop.ui.column_fit import fit_columns
from collab_desktop.ui.forms import name_widget, open_dialog
from collab_desktop.ui.table_model import ROW_ROLE, Column, FilterProxy, RowTableModel

MAX_COLUMN_WIDTH = 260
SIZE_FROM_ROWS = 60

# A long list clicked before its rows were read ahead shows this many first, at once, and the
# rest when they are read (show_first): more than a screen holds, on any screen.
FIRST_SCREEN = 100


class ListPage(QWidget):
    activated = Signal(object)  # the row object double-clicked or opened with Enter

    def __init__(self, name: str, title: str, columns: Sequence[Column], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_page")
        self.model = RowTableModel(columns, self)
        self.proxy = FilterProxy(self)
        self.proxy.setSourceModel(self.model)

        heading = QLabel(title)
        heading.setObjectName(f"{name}_heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        self.filter = name_widget(QLineEdit(), f"{name}_filter", f"Filter {title.lower()}")
        self.filter.setPlaceholderText("Type to filter…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)

        self.table = name_widget(QTableView(), f"{name}_table", title)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The first column (the name) takes the spare width, not a narrow last column.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Fit columns to the first rows, not to a thousand (Qt's default): each row measured
        # is a dozen calls into Python per cell.
        header.setResizeContentsPrecision(SIZE_FROM_ROWS)
        # A cell too narrow is cut with "…", never wrapped onto a second line that the row
        # has no room for (a fingerprint split in two).
        self.table.setWordWrap(False)
        # The app fits the columns to the width (column_fit) until the user sets one.
        self._fitting = False
        self._auto_fit = False
        header.sectionResized.connect(self._section_resized)
        self.table.viewport().installEventFilter(self)
        # `activated` alone: it fires on double-click and on Enter; also listening to
        # doubleClicked would open every dialog twice.
        self.table.activated.connect(lambda _index: self._activate())

        self.count = QLabel()
        self.count.setObjectName(f"{name}_count")
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

        self.buttons = QHBoxLayout()
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.filter, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addLayout(self.buttons)
        bottom.addStretch(1)
        bottom.addWidget(self.count)
        layout.addLayout(bottom)
        self._name = name
        self.dialog: QDialog | None = None  # a record's dialog open now, if any
        self.filled = False  # set_rows() has been called (ui/main_window.is_page_ready)
        self.partial = False  # showing its first screen only (show_first)

    def reader(self) -> Callable[[], Sequence[Any]] | None:
        """What refresh() reads, as a call that may run off the GUI thread (no widgets): the
        main window reads the rows with it while the app is idle, then gives them to
        refresh(rows). None: this page is filled by refresh() alone."""
        return None

    def first_reader(self) -> Callable[[], Sequence[Any]] | None:
        """A read of the list's first FIRST_SCREEN rows in its first order, quick however
        long the list: a page clicked before its rows were read ahead shows those at once,
        and the rest follows from the idle loading (show_first). None: not offered (the
        page is filled at once, as read)."""
        return None

    def read_first(self, read: Callable[[], Sequence[Any]]) -> Sequence[Any] | None:
        """The rows of first_reader()'s `read`, read now (someone waits: reads in the
        background step aside); None if it failed (the full read meets it again and says
        what it is)."""
        from collab_desktop.services.errors import ServiceError

        try:
            with foreground():
                return read()
        except ServiceError:
            return None

    def show_first(self, rows: Sequence[Any]) -> None:
        """Show a long list's first rows while the rest is read: the count says so, and the
        page stays unfilled until set_rows() brings every row (kept selection included)."""
        self.partial = True
        self.model.set_rows(rows)
        self._fit_once(rows)
        self._update_count()

    def add_button(
        self, text: str, name: str, slot: Callable[[], Any], shortcut: str | None = None
    ) -> QPushButton:
        button = name_widget(QPushButton(text), f"{self._name}_{name}", text.replace("&", ""))
        button.clicked.connect(slot)
        if shortcut:
            button.setShortcut(QKeySequence(shortcut))
            button.setToolTip(f"{text.replace('&', '')} ({shortcut})")
        self.buttons.addWidget(button)
        return button

    def set_rows(self, rows: Sequence[Any], keep: Callable[[Any], Any] | None = None) -> None:
        """Replace the rows, keeping the selection on the same record (by `keep` key)."""
        current = self.selected()
        self.filled = True
        self.partial = False
        self.model.set_rows(rows)
        self._fit_once(rows)
        if current is not None and keep is not None:
            wanted = keep(current)
            self.select_where(lambda row: keep(row) == wanted)

    def _fit_once(self, rows: Sequence[Any]) -> None:
        # Fit the columns to the first rows there are (not to an empty first list, or a new
        # user's columns would stay the width of their titles).
        if rows and not self.table.property("sized"):
            self._auto_fit = True
            self.fit_columns()
            self.table.setProperty("sized", True)

    def fit_columns(self) -> None:
        """Columns as wide as their contents, within the list's width (column_fit); one long
        name never pushes the other columns off screen."""
        self._fitting = True
        try:
            fit_columns(self.table, MAX_COLUMN_WIDTH)
        finally:
            self._fitting = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        # The user dragged a column's edge: their widths stay, also when the window changes
        # size. (The stretching first column is resized by Qt, not by the user.)
        if not self._fitting and column != 0:
            self._auto_fit = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table.viewport()
            and event.type() == QEvent.Type.Resize
            and self._auto_fit
        ):
            self.fit_columns()
        return super().eventFilter(watched, event)

    def open_dialog(self, dialog: QDialog) -> QDialog:
        """Open a record's dialog (forms.open_dialog); what it saved (its `saved_id`) is
        selected, and on closing the focus is back on the list."""
        dialog.finished.connect(lambda _result: self.table.setFocus())
        return open_dialog(
            self, dialog, lambda: self._select_saved(getattr(dialog, "saved_id", None))
        )

    def edit_selected(
        self, row: Any, row_type: type, make_dialog: Callable[[Any], QDialog]
    ) -> QDialog | None:
        """Open the dialog of `row` (from `activated`) or else of the selected row. A record
        gone since the list was filled is said so in plain words, and the list refreshed."""
        from collab_desktop.services.errors import ServiceError
        from collab_desktop.ui.errors import show_problem

        row = row if isinstance(row, row_type) else self.selected()
        if row is None:
            return None
        try:
            dialog = make_dialog(row)
        except ServiceError as error:
            show_problem(self, error)
            self.refresh()
            return None
        return self.open_dialog(dialog)

    def refresh(self) -> None:
        """Fill the list again (each page gives its own)."""

    def fill_from_reader(
        self, rows: Sequence[Any] | None = None, keep: Callable[[Any], Any] = lambda r: r.id
    ) -> bool:
        """set_rows() with `rows` (read ahead while the app was idle), else with what
        reader() reads now, keeping the selection by `keep`. False, after saying why, when
        the read failed: the list keeps what it showed."""
        from collab_desktop.services.errors import ServiceError
        from collab_desktop.ui.errors import show_problem

        try:
            if rows is None:
                reader = self.reader()
                # Someone waits for this read: one in the background steps aside meanwhile.
                with foreground():
                    rows = reader() if reader is not None else []
        except ServiceError as error:
            show_problem(self, error)
            return False
        self.set_rows(rows, keep=keep)
        return True

    def _select_saved(self, record_id: object) -> None:
        if record_id is not None:
            self.select_where(lambda row: row.id == record_id)

    def selected(self) -> Any:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for r in range(self.proxy.rowCount()):
            if predicate(self.model.row_at(self.proxy.source_row(r))):
                self.table.selectRow(r)
                self.table.scrollTo(self.proxy.index(r, 0))
                return True
        return False

    def _filter(self, text: str) -> None:
        """Filter as typed; a selected row that still matches stays selected."""
        current = self.selected()
        self.proxy.set_filter_text(text)
        if current is not None:
            row = self.proxy.row_of(current)
            if row >= 0:
                self.table.selectRow(row)

    def _activate(self) -> None:
        row = self.selected()
        if row is None and self.table.currentIndex().isValid():
            # Enter on the row Tab landed on: it is current but not yet selected.
            self.table.selectRow(self.table.currentIndex().row())
            row = self.selected()
        if row is not None:
            self.activated.emit(row)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if self.partial:
            of = f"{shown} of the first {total}" if shown != total else f"The first {total}"
            self.count.setText(f"{of} (reading the rest…)")
            return
        self.count.setText(f"{shown} of {total}" if shown != total else f"{total}")
