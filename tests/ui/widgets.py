"""Helpers that act on widgets as a person would: find them by objectName, type, click."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)

from collab_desktop.ui.list_page import ListPage


def names(page: ListPage) -> list[str]:
    """The first column of a list page, as shown (filtered and sorted)."""
    return column(page, page.model.headerData(0, Qt.Orientation.Horizontal))


def column(page: ListPage, title: str) -> list[str]:
    titles = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    col = titles.index(title)
    return [page.proxy.index(r, col).data() for r in range(page.proxy.rowCount())]


def cell(page: ListPage, name: str, title: str) -> str:
    return column(page, title)[names(page).index(name)]


def select(page: ListPage, name: str) -> None:
    assert page.select_where(lambda row: row.name == name), name


def click(qtbot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QAbstractButton, name)
    assert button is not None, name
    assert button.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def field(parent: QWidget, name: str):
    widget = parent.findChild(QWidget, name)
    assert isinstance(widget, (QLineEdit, QPlainTextEdit, QComboBox, QTableWidget)), name
    return widget


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Key presses for each character. QTest aborts on letters outside Latin-1 (Welsh Ŵ),
    so those arrive as key events carrying the text, as an input method would send them."""
    for char in text:
        if char == "\n":
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        elif ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
                QApplication.sendEvent(widget, event)


def type_into(qtbot, parent: QWidget, name: str, text: str) -> None:
    """Replace what a field holds with `text`, typed."""
    widget = field(parent, name)
    if isinstance(widget, QLineEdit):
        widget.selectAll()
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def choose(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered by {combo.objectName()}"
    combo.setCurrentIndex(index)


def error_text(parent: QWidget, name: str) -> str:
    """The message in an error label, or "" if it is not on screen."""
    label = parent.findChild(QLabel, name)
    assert label is not None, name
    return label.text() if label.isVisible() else ""


def type_cell(qtbot, table: QTableWidget, row: int, col: int, text: str) -> None:
    """Open the cell's editor (as a double-click would) and type; the editor stays open."""
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editor = table.indexWidget(table.model().index(row, col))
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text(qtbot, editor, text)
