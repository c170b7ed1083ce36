"""The sessions of one activity: open a register, move, add or cancel a single session, and
print sheets."""

from __future__ import annotations

import uuid
from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import CANCEL_REASONS, WEEKDAYS
from collab_desktop.resources import action_icon
from collab_desktop.services.changes import SESSIONS, Changes
from collab_desktop.services.delivery.activities import SessionRow
from collab_desktop.services.delivery.schedule import time_range
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.delivery.forms import TimeField, read_dates
from collab_desktop.ui.delivery.register_dialog import open_register
from collab_desktop.ui.delivery.sheet_actions import print_sheets, save_sheets_pdf
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import ChoiceBox, DateField, FormDialog, name_widget, open_dialog
from collab_desktop.ui.operations import Operation, warn_on
from collab_desktop.ui.table_model import ROW_ROLE, Column, RowTableModel


def session_day(r: SessionRow) -> str:
    return f"{WEEKDAYS[r.on.weekday()][:3]} {r.on.day} {r.on:%b %Y}"


COLUMNS = [
    Column("Date", session_day),
    Column("Time", lambda r: time_range(r.start_time, r.end_time)),
    Column("Venue", lambda r: r.venue),
    Column("Status", lambda r: r.status_label),
    Column("Present", lambda r: r.attended if r.status == "held" else ""),
    Column(
        "Note",
        lambda r: "; ".join(
            x
            for x in (
                f"moved from {r.scheduled_on:%d/%m/%Y}" if r.moved else "",
                "added" if r.scheduled_on is None else "",
                r.note,
            )
            if x
        ),
    ),
]


class SessionsDialog(QDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        activity_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessions_dialog")
        self._services = services
        self._events = events
        self.activity_id = activity_id
        self.dialog: QDialog | None = None
        activity = services.activities.get_activity(activity_id)
        self.activity_name = activity.name
        self.setWindowTitle(f"Sessions — {activity.name}")

        # Bold through the font, not <b>: the name is shown as typed, never read as HTML.
        heading = QLabel(activity.name)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        self.model = RowTableModel(COLUMNS, self)
        self.table = name_widget(QTableView(), "sessions_table", "Sessions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.activated.connect(lambda _i: self.open_register())

        self.buttons: dict[str, QPushButton] = {}
        row1 = QHBoxLayout()
        for text, name, slot in (
            ("&Register…", "register", self.open_register),
            ("&Move…", "move", self.move_session),
            ("&Cancel session…", "cancel", self.cancel_session),
            ("R&einstate", "reinstate", self.reinstate_session),
            ("&Add a session…", "add", self.add_session),
        ):
            row1.addWidget(self._button(text, name, slot))
        row1.addStretch(1)
        row2 = QHBoxLayout()
        for text, name, slot in (
            ("&Print sheet…", "print", self.print_sheet),
            ("Save sheet as P&DF…", "save_pdf", self.save_sheet),
        ):
            row2.addWidget(self._button(text, name, slot))
        self.buttons["print"].setIcon(action_icon("print"))
        self.buttons["save_pdf"].setIcon(action_icon("pdf"))
        row2.addStretch(1)
        close = self._button("Close", "close", self.accept)
        row2.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(row1)
        layout.addLayout(row2)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)
        self.refresh(select_next=True)
        self.resize(820, 560)
        self.table.setFocus()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = name_widget(QPushButton(text), f"sessions_{name}", text.replace("&", ""))
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        self.buttons[name] = button
        return button

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(SESSIONS):
            self.refresh()

    def refresh(self, select_next: bool = False) -> None:
        selected = self.selected()
        try:
            rows = self._services.activities.sessions_of(self.activity_id)
        except ServiceError as error:
            show_problem(self, error)
            return
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if selected is not None and not select_next:
            self.select(selected.id)
        else:
            today = date.today()
            following = next((r for r in rows if r.on >= today), rows[-1] if rows else None)
            if following is not None:
                self.select(following.id)
        self._update_buttons()

    def select(self, session_id: uuid.UUID) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).id == session_id:
                self.table.selectRow(row)
                self.table.scrollTo(
                    self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter
                )
                return True
        return False

    def selected(self) -> SessionRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def _update_buttons(self) -> None:
        row = self.selected()
        cancelled = row is not None and row.status == "cancelled"
        for name in ("register", "move", "cancel", "print", "save_pdf"):
            self.buttons[name].setEnabled(row is not None and not cancelled)
        self.buttons["reinstate"].setEnabled(cancelled)

    # -- actions ---------------------------------------------------------------------------

    def open_register(self) -> None:
        row = self.selected()
        if row is not None:
            self.dialog = open_register(self, self._services, self._events, row.id)

    def move_session(self) -> SessionFormDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = SessionFormDialog(self._services, self.activity_id, row, self, self._events)
        return open_dialog(self, dialog, self._changed)

    def add_session(self) -> SessionFormDialog:
        dialog = SessionFormDialog(self._services, self.activity_id, None, self, self._events)
        return open_dialog(self, dialog, lambda: self._changed(dialog.saved_id))

    def cancel_session(self) -> CancelDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = CancelDialog(self._services, row, self, self._events)
        return open_dialog(self, dialog, self._changed)

    def reinstate_session(self) -> None:
        row = self.selected()
        if row is None:
            return
        if Operation(
            self, self._services, self._events, lambda s: s.activities.reinstate_session(row.id)
        ).run():
            self._changed(row.id)

    def _changed(self, session_id: object = None) -> None:
        """After a change (which the operation has broadcast: the list is fresh)."""
        if isinstance(session_id, uuid.UUID):
            self.select(session_id)

    def print_sheet(self) -> None:
        row = self.selected()
        if row is not None:
            print_sheets(self, self._services, [row.id])

    def save_sheet(self) -> None:
        row = self.selected()
        if row is not None:
            save_sheets_pdf(self, self._services, [row.id])


class SessionFormDialog(FormDialog):
    """Move a session (another day, time or room), or add one outside the schedule."""

    def __init__(
        self,
        services: Services,
        activity_id: uuid.UUID,
        row: SessionRow | None,
        parent: QWidget | None = None,
        events: DataEvents | None = None,
    ) -> None:
        super().__init__("session", parent)
        self._services = services
        self._events = events
        self._activity_id = activity_id
        self._row = row
        self.saved_id: uuid.UUID | None = row.id if row else None
        if row is not None:
            self.setWindowTitle(f"Move the session of {row.on:%d/%m/%Y}")
        else:
            self.setWindowTitle("Add a session")
        self.on = name_widget(DateField(), "session_on", "Date")
        self.start_time = name_widget(TimeField(), "session_start_time", "Start time")
        self.end_time = name_widget(TimeField(), "session_end_time", "End time")
        self.venue = name_widget(QLineEdit(), "session_venue", "Venue")
        self.venue.setPlaceholderText("as usual")
        self.note = name_widget(QLineEdit(), "session_note", "Note")
        self.note.setPlaceholderText("e.g. room needed for visits")
        form = QFormLayout()
        self.errors.add_row(form, "&Date:", "on", self.on)
        self.errors.add_row(form, "&Starts:", "start_time", self.start_time)
        self.errors.add_row(form, "&Ends:", "end_time", self.end_time)
        self.errors.add_row(form, "&Venue:", "venue", self.venue)
        self.errors.add_row(form, "&Note:", "note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        if row is not None:
            self.on.set_value(row.on)
            self.start_time.set_value(row.start_time)
            self.end_time.set_value(row.end_time)
            activity_venue = services.activities.get_activity(activity_id).venue
            self.venue.setText("" if row.venue == activity_venue else row.venue)
            self.note.setText(row.note)
        else:
            data = services.activities.get_activity(activity_id)
            self.start_time.set_value(data.start_time or time(10))
            self.end_time.set_value(data.end_time or time(12))
        self.remember()
        self.resize(420, 260)
        self.on.setFocus()
        self.on.selectAll()

    def snapshot(self) -> object:
        return (
            self.on.text(),
            self.start_time.value(),
            self.end_time.value(),
            self.venue.text(),
            self.note.text(),
        )

    def save(self) -> None:
        dates, problems = read_dates({"on": self.on})
        if problems:
            self.show_errors(problems)
            return
        args = (dates["on"], self.start_time.value(), self.end_time.value())
        venue, note = self.venue.text(), self.note.text()
        if self._row is not None:
            row_id = self._row.id
            self.save_with(
                self._services,
                self._events,
                lambda s: s.activities.move_session(row_id, *args, venue, note),
            )
        else:
            self.save_with(
                self._services,
                self._events,
                lambda s: s.activities.add_session(self._activity_id, *args, venue, note),
            )


class CancelDialog(FormDialog):
    """Cancel one session, with the reason (the record must show why it did not happen)."""

    def __init__(
        self,
        services: Services,
        row: SessionRow,
        parent: QWidget | None = None,
        events: DataEvents | None = None,
    ) -> None:
        super().__init__("cancel", parent)
        self._services = services
        self._events = events
        self._row = row
        self.setWindowTitle(f"Cancel the session of {row.on:%d/%m/%Y}")
        self.save_button.setText("Cancel the session")
        self.cancel_button.setText("Keep it")
        self.reason = name_widget(
            ChoiceBox({"": "(choose)", **CANCEL_REASONS}), "cancel_reason", "Reason"
        )
        self.note = name_widget(QLineEdit(), "cancel_note", "Note")
        self.note.setPlaceholderText("e.g. whole prison locked down")
        form = QFormLayout()
        intro = QLabel(
            f"{row.activity}, {session_day(row)}, {time_range(row.start_time, row.end_time)}. "
            "It stays on record as cancelled, with the reason."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.errors.add_row(form, "&Reason:", "reason", self.reason)
        self.errors.add_row(form, "&Note:", "note", self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.remember()
        self.resize(440, 200)
        self.reason.setFocus()

    def snapshot(self) -> object:
        return self.reason.value(), self.note.text()

    def save(self) -> None:
        row_id, reason, note = self._row.id, self.reason.value(), self.note.text()
        self.save_with(
            self._services,
            self._events,
            lambda s: s.activities.cancel_session(row_id, reason, note),
            # Its messages beside the fields; any other refusal under this title.
            failure=lambda error: (
                not isinstance(error, ValidationError)
                and warn_on(ServiceError, self, "Cannot cancel this session")(error)
            ),
        )
