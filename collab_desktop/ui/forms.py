"""Form helpers: a typed date field that may be left blank, error labels beside fields, the
accessible-name convention (tests and screen readers find widgets the same way), the list of a
form's fields declared once (Field, FormFields: they load the record into the form and read it
back), and FormDialog, the one base of the record dialogs (Save, Cancel, asking before losing
typing, saving through ui/operations so every page hears of the change)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ValidationError
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.style import mark_error

if TYPE_CHECKING:  # loading SQLAlchemy waits for the records' first use
    from collab_desktop.services.open_records import Services

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
    """A combo box over (stored value, label) pairs: given at once, or added later by the
    dialog (addItem(label, value)) when they come from the records. Values may be any
    Python value (a number, a UUID)."""

    def __init__(self, choices: dict | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        for value, text in (choices or {}).items():
            self.addItem(text, value)

    def value(self):
        return self.currentData()

    def set_value(self, value: object) -> None:
        select_data(self, value)  # a value not among the choices leaves the choice as it is


@dataclass(frozen=True)
class Field:
    """One field of a record's form, declared once: the attribute it reads and writes (on the
    record's data class and on the dialog), its label, and how its widget is made. The form
    loads and reads every declared field (FormFields), so none can be forgotten on one side."""

    name: str
    label: str  # with its Alt+letter: "We&bsite:"
    make: Callable[[], QWidget] = QLineEdit
    object_name: str = ""  # default "<form>_<name>"
    accessible: str = ""  # default the label without "&" and ":"


def field_value(widget: QWidget) -> object:
    """A widget's value as the record holds it. A date that is not one raises ValueError."""
    if isinstance(widget, QLineEdit) and not isinstance(widget, DateField):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QCheckBox):
        return widget.isChecked()
    if isinstance(widget, QSpinBox):
        return widget.value()
    return widget.value()  # type: ignore[attr-defined]  # DateField, ChoiceBox, TimeField


def set_field_value(widget: QWidget, value: object) -> None:
    if isinstance(widget, QLineEdit) and not isinstance(widget, DateField):
        widget.setText(str(value or ""))
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(str(value or ""))
    elif isinstance(widget, QCheckBox):
        widget.setChecked(bool(value))
    elif isinstance(widget, QSpinBox):
        widget.setValue(int(value or 0))  # type: ignore[call-overload]
    else:
        widget.set_value(value)  # type: ignore[attr-defined]


class FormFields:
    """The widgets of a form's declared fields, made once and set as attributes of `owner`
    (dialog.website), with load() and read() over all of them."""

    def __init__(
        self, owner: QWidget, form_name: str, errors: FieldErrors, fields: list[Field]
    ) -> None:
        self.errors = errors
        self.fields = {field.name: field for field in fields}
        self.widgets: dict[str, QWidget] = {}
        for field in fields:
            accessible = field.accessible or field.label.replace("&", "").rstrip(":")
            widget = name_widget(
                field.make(), field.object_name or f"{form_name}_{field.name}", accessible
            )
            self.widgets[field.name] = widget
            setattr(owner, field.name, widget)

    def add_rows(self, form: QFormLayout, *names: str) -> None:
        for name in names:
            field = self.fields[name]
            self.errors.add_row(form, field.label, name, self.widgets[name])

    def load(self, record: object) -> None:
        for name, widget in self.widgets.items():
            set_field_value(widget, getattr(record, name))

    def read(self) -> tuple[dict[str, object], dict[str, str]]:
        """Every field's value, and a message for each that cannot be read (a date typed
        wrong: its value is then None)."""
        values: dict[str, object] = {}
        problems: dict[str, str] = {}
        for name, widget in self.widgets.items():
            try:
                values[name] = field_value(widget)
            except ValueError as error:
                values[name] = None
                problems[name] = str(error)
        return values, problems

    def texts(self) -> tuple[str, ...]:
        """What is typed, as typed (a wrong date too), to tell whether anything changed."""
        return tuple(
            widget.text() if isinstance(widget, DateField) else repr(field_value(widget))
            for widget in self.widgets.values()
        )


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
        mark_error(error)
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


def error_label(name: str) -> QLabel:
    """A message line in the error style, hidden until there is something to say. Plain text:
    messages quote names as typed (`Partners <North>` is not HTML)."""
    label = QLabel()
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    mark_error(label)
    label.hide()
    return label


def show_messages(label: QLabel, messages: list[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


def short_text_edit(name: str, accessible: str, lines: int = 3) -> QPlainTextEdit:
    edit = name_widget(QPlainTextEdit(), name, accessible)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 12
    edit.setFixedHeight(height)
    return edit


def form_columns(*forms: QFormLayout) -> QHBoxLayout:
    """Forms side by side, each keeping its rows together at the top."""
    columns = QHBoxLayout()
    for number, form in enumerate(forms):
        if number:
            columns.addSpacing(16)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addStretch(1)
        columns.addLayout(column, 1)
    return columns


def plain_buttons(*buttons: QPushButton) -> None:
    """Buttons that Enter does not press: in a dialog Enter means Save."""
    for button in buttons:
        button.setAutoDefault(False)
        button.setDefault(False)


class FormDialog(QDialog):
    """A dialog with Save (Ctrl+S, and Enter) and Cancel (Escape), field errors, a general
    problem line, and a question before closing with unsaved changes. Subclasses give
    snapshot() and save()."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_dialog")
        self.errors = FieldErrors()
        self.problem = error_label(f"{name}_problem")
        # Made in the dialog (parent self), so that setDefault() below tells the dialog that
        # Save is its default: made outside it, Qt marked the button only, and the first
        # time the focus left Save (a click, then an error moving it to the field) no button
        # was default any more and Enter saved nothing.
        self.buttons = QDialogButtonBox(self)
        self.save_button: QPushButton = name_widget(
            self.buttons.addButton(QDialogButtonBox.StandardButton.Save), f"{name}_save", "Save"
        )
        self.cancel_button: QPushButton = name_widget(
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel),
            f"{name}_cancel",
            "Cancel",
        )
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self.cancel_button.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)
        self._initial: object = None
        self.saved_id: object = None  # what the last successful save returned

    def remember(self) -> None:
        """Call once the form is filled: changes are measured from here."""
        self._initial = self.snapshot()

    def snapshot(self) -> object:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def has_changes(self) -> bool:
        return self.snapshot() != self._initial

    def save_with(
        self,
        services: Services,
        events: DataEvents | None,
        op: Callable[[Services], object],
        failure: Callable[[Exception], bool | None] | None = None,
    ) -> bool:
        """Run the save (ui/operations.Operation): a ValidationError's messages go beside the
        fields, other errors are shown in plain words; on success what it returned is
        `saved_id` and the dialog closes. `failure` is asked first about any error (a
        question to confirm, a match to offer)."""

        def failed(error: Exception) -> bool:
            if failure is not None and failure(error):
                return True
            if isinstance(error, ValidationError):
                self.show_errors(error.errors)
                return True
            self.show_errors({})
            return False

        def saved(result: object) -> None:
            self.saved_id = result
            self.accept()

        return Operation(self, services, events, op).failure(failed).success(saved).run()

    def show_errors(self, errors: dict[str, str]) -> None:
        rest = self.errors.show(errors)
        show_messages(self.problem, list(rest.values()))
        for field in errors:
            if self.errors.label(field) is not None:
                widget = getattr(self, field, None)
                if isinstance(widget, QWidget):
                    widget.setFocus()
                    break

    def reject(self) -> None:
        if self.has_changes():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "What you typed here is not saved yet. Discard it and close?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
