"""Form helpers: a typed date field that may be left blank, error labels beside fields, and
the accessible-name convention (tests and screen readers find widgets the same way)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d.%m.%Y")


def name_widget(widget: QWidget, name: str, accessible: str) -> QWidget:
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def select_data(combo: QComboBox, value: object) -> bool:
    """Select the item whose data equals `value`, compared in Python: QComboBox.findData()
    cannot match Python objects such as UUIDs or tuples. Returns whether one was found."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return True
    return False


def parse_date(text: str) -> date | None:
    """A date as people type it in the UK (day first). Blank is None; nonsense is ValueError."""
    text = " ".join(text.split())
    if not text:
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date. Type it as day/month/year, like 01/03/2026.")


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class DateField(QLineEdit):
    """A date typed as dd/mm/yyyy, or left blank. Invalid text is kept (never wiped) and
    reported by value() raising ValueError, so the form can show the message beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd/mm/yyyy")
        self.setMaximumWidth(130)

    def value(self) -> date | None:
        return parse_date(self.text())

    def set_value(self, value: date | None) -> None:
        self.setText(format_date(value))

    def set_qdate(self, value: QDate) -> None:
        self.set_value(value.toPython())


class ChoiceBox(QComboBox):
    """A combo box over (stored value, label) pairs."""

    def __init__(self, choices: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, text in choices.items():
            self.addItem(text, value)

    def value(self) -> str:
        return self.currentData()

    def set_value(self, value: str) -> None:
        index = self.findData(value)
        if index >= 0:
            self.setCurrentIndex(index)


class FieldErrors:
    """Error messages shown in red under the fields of a QFormLayout, by field name."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> None:
        # The message sits under the field in the same cell: a separate form row for it left
        # a gap under every field while hidden, and pushed the rows apart unevenly when shown.
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{field}")
        error.setStyleSheet("color: #b00020;")
        error.setWordWrap(True)
        error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        error.hide()
        layout.addWidget(error)
        # The label's mnemonic (Alt+letter) and a screen reader's "label for" reach the field
        # itself: QLabel gives focus only to a buddy that accepts focus, which the holder
        # does not.
        holder.setFocusProxy(widget)
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, holder)
        self._labels[field] = error
        # Once the user changes the field, its old message no longer applies.
        for signal_name in ("textChanged", "currentIndexChanged"):
            signal = getattr(widget, signal_name, None)
            if signal is not None:
                signal.connect(error.hide)
                break

    def label(self, field: str) -> QLabel | None:
        return self._labels.get(field)

    def clear(self) -> None:
        for error in self._labels.values():
            error.clear()
            error.hide()

    def show(self, errors: dict[str, str]) -> dict[str, str]:
        """Show what belongs to a known field; return the rest for a general message."""
        self.clear()
        rest = {}
        for field, message in errors.items():
            error = self._labels.get(field)
            if error is None:
                rest[field] = message
                continue
            error.setText(message)
            error.show()
        return rest


def reactivate(owner: QWidget) -> None:
    """Make the window that `owner` is in the active one again, after a dialog of its closed.
    A window manager need not do it: closed straight after a question of its own ("Unsaved
    changes" → Discard), a dialog left no window active under openbox, and the main window's
    shortcuts did nothing until it was clicked. Qt puts the focus back where it was."""
    top = owner.window()
    if top.isVisible():
        top.activateWindow()


def open_dialog(owner: QWidget, dialog: QDialog, on_accept: Callable[[], object]) -> QDialog:
    """open(), not exec(): no nested event loop, and tests can drive the dialog."""
    owner.dialog = dialog
    dialog.accepted.connect(on_accept)

    def closed() -> None:
        dialog.deleteLater()
        if getattr(owner, "dialog", None) is dialog:
            owner.dialog = None
        reactivate(owner)

    dialog.finished.connect(closed)
    dialog.open()
    return dialog
