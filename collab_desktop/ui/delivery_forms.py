"""Pieces shared by the delivery dialogs (activities, sessions, participants, volunteers): a
time field, a form dialog with Save and Cancel that asks before losing typing, and the
reading of typed dates into values and messages."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTimeEdit,
    QWidget,
)

from collab_desktop.ui.forms import DateField, FieldErrors, name_widget
from collab_desktop.ui.partner_dialog import error_label, show_messages


class TimeField(QTimeEdit):
    """A wall-clock time typed as HH:MM (24-hour), in steps of five minutes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("HH:mm")
        self.setMaximumWidth(90)

    def value(self) -> time:
        return self.time().toPython()

    def set_value(self, value: time | None) -> None:
        if value is not None:
            self.setTime(QTime(value.hour, value.minute))


def read_dates(fields: dict[str, DateField]) -> tuple[dict[str, date | None], dict[str, str]]:
    """The typed dates, and a message for each one that is not a date."""
    values: dict[str, date | None] = {}
    problems: dict[str, str] = {}
    for name, widget in fields.items():
        try:
            values[name] = widget.value()
        except ValueError as error:
            values[name] = None
            problems[name] = str(error)
    return values, problems


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

    def remember(self) -> None:
        """Call once the form is filled: changes are measured from here."""
        self._initial = self.snapshot()

    def snapshot(self) -> object:
        raise NotImplementedError

    def save(self) -> None:
        raise NotImplementedError

    def has_changes(self) -> bool:
        return self.snapshot() != self._initial

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
                "Discard your changes?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
