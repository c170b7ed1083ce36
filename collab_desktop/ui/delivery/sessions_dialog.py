"""The sessions of one activity: open a register, move, add or cancel a single session, and
print sheets."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, time
from types import SimpleNamespace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from collab_desktop.ui.delivery.forms import TimeField
from collab_desktop.ui.delivery.register_dialog import open_register
from collab_desktop.ui.delivery.sheet_actions import print_sheets, save_sheets_pdf
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    Field,
    FormDialog,
    FormFields,
    name_widget,
    open_dialog,
)
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


# The fields of moving or adding a session, each declared once: named as move_session's and
# add_session's arguments (and SessionRow's attributes, which the form loads from);
# tests/ui/test_form_round_trip_ui.py checks both and round-trips every one.
SESSION_FIELDS = [
    Field("on", "&Date:", DateField),
    Field("start_time", "&Starts:", TimeField, accessible="Start time"),
    Field("end_time", "&Ends:", TimeField, accessible="End time"),
    Field("venue", "&Venue:"),
    Field("note", "&Note:"),
]
# Cancelling a session: cancel_session's arguments after the session.
CANCEL_FIELDS = [
    Field("reason", "&Reason:", lambda: ChoiceBox({"": "(choose)", **CANCEL_REASONS})),
    Field("note", "&Note:"),
]


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
        self.fields = FormFields(self, "session", self.errors, SESSION_FIELDS)
        self.venue.setPlaceholderText("as usual")
        self.note.setPlaceholderText("e.g. room needed for visits")
        form = QFormLayout()
        self.fields.add_rows(form, *(f.name for f in SESSION_FIELDS))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        activity = services.activities.get_activity(activity_id)
        if row is not None:
            # The activity's own venue shows as "as usual" (blank), so a later change of the
            # activity's venue moves this session too.
            self.fields.load(replace(row, venue="" if row.venue == activity.venue else row.venue))
        else:
            self.fields.load(
                SimpleNamespace(
                    on=None,
                    start_time=activity.start_time or time(10),
                    end_time=activity.end_time or time(12),
                    venue="",
                    note="",
                )
            )
        self.remember()
        self.resize(420, 260)
        self.on.setFocus()
        self.on.selectAll()

    def snapshot(self) -> object:
        return self.fields.texts()

    def save(self) -> None:
        values, problems = self.fields.read()
        if problems:
            self.show_errors(problems)
            return
        if self._row is not None:
            row_id = self._row.id
            self.save_with(
                self._services, self._events, lambda s: s.activities.move_session(row_id, **values)
            )
        else:
            activity_id = self._activity_id
            self.save_with(
                self._services,
                self._events,
                lambda s: s.activities.add_session(activity_id, **values),
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
        self.fields = FormFields(self, "cancel", self.errors, CANCEL_FIELDS)
        self.note.setPlaceholderText("e.g. whole prison locked down")
        form = QFormLayout()
        intro = QLabel(
            f"{row.activity}, {session_day(row)}, {time_range(row.start_time, row.end_time)}. "
            "It stays on record as cancelled, with the reason."
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        self.fields.add_rows(form, *(f.name for f in CANCEL_FIELDS))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.remember()
        self.resize(440, 200)
        self.reason.setFocus()

    def snapshot(self) -> object:
        return self.fields.texts()

    def save(self) -> None:
        values, _ = self.fields.read()  # no dates: nothing it cannot read
        row_id = self._row.id
        self.save_with(
            self._services,
            self._events,
            lambda s: s.activities.cancel_session(row_id, **values),
            # Its messages beside the fields; any other refusal under this title.
            failure=lambda error: (
                not isinstance(error, ValidationError)
                and warn_on(ServiceError, self, "Cannot cancel this session")(error)
            ),
        )
