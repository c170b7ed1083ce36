"""Pieces shared by the delivery dialogs (activities, sessions, participants, volunteers): a
time field, and the reading of typed dates into values and messages. Their form base is
ui/forms.FormDialog."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QTimeEdit,
    QWidget,
)

from collab_desktop.ui.forms import DateField


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
