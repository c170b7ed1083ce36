"""The list of activities: add or change one, open its sessions, print its sheets, see its
figures."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from collab_desktop.services.changes import (
    ACTIVITIES,
    COLLABORATIONS,
    PARTICIPANTS,
    PARTNERS,
    SESSIONS,
    VOLUNTEERS,
    Changes,
)
from collab_desktop.services.errors import InUse, ServiceError
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import open_dialog
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.operations import Operation, warn_on
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.delivery.rows import ActivityRow
    from collab_desktop.services.open_records import Services
    from collab_desktop.ui.delivery.activity_dialog import ActivityDialog
    from collab_desktop.ui.delivery.figures_dialog import FiguresDialog
    from collab_desktop.ui.delivery.sessions_dialog import SessionsDialog

COLUMNS = [
    Column("Activity", lambda r: r.name),
    Column("Collaboration", lambda r: r.collaboration),
    Column("When", lambda r: r.when),
    Column("Venue", lambda r: r.venue),
    Column("Facilitators", lambda r: r.facilitators),
    Column("Enrolled", lambda r: r.enrolled, searchable=False),
    Column("Next session", lambda r: r.next_session, searchable=False),
    Column("Names print as", lambda r: r.name_printing),
]
REFRESH_ON = {ACTIVITIES, SESSIONS, PARTICIPANTS, VOLUNTEERS, COLLABORATIONS, PARTNERS}


class ActivitiesPage(ListPage):
    def __init__(self, services: Services, events: DataEvents, parent: QWidget | None = None):
        super().__init__("activities", "Activities", COLUMNS, parent)
        self._services = services
        self._events = events
        self.dialog = None
        self.new_button = self.add_button("&New activity…", "new", self.new_activity, "Ctrl+N")
        self.edit_button = self.add_button("Ed&it…", "edit", self.edit_activity)
        self.sessions_button = self.add_button(
            "&Sessions and registers…", "sessions", self.open_sessions
        )
        self.figures_button = self.add_button("Figu&res…", "figures", self.open_figures)
        self.delete_button = self.add_button("&Delete", "delete", self.delete_activity)
        self.table.setWordWrap(False)
        self.activated.connect(lambda _row: self.open_sessions())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*REFRESH_ON):
            self.refresh()

    def reader(self):
        activities = self._services.activities
        # The time of day too: a session that finished this morning is not the next.
        return lambda: activities.list_activities(now=datetime.now().time())

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows):
            return
        if self.selected() is None and self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected() is not None
        for button in (
            self.edit_button,
            self.sessions_button,
            self.figures_button,
            self.delete_button,
        ):
            button.setEnabled(selected)

    def new_activity(self) -> ActivityDialog | None:
        from collab_desktop.ui.delivery.activity_dialog import ActivityDialog

        if not self._services.collaborations.list_collaborations():
            QMessageBox.information(
                self,
                "New activity",
                "An activity belongs to a collaboration. Record the collaboration first, "
                "under Collaborations (Ctrl+2).",
            )
            return None
        dialog = ActivityDialog(self._services, self._events, parent=self)
        return open_dialog(self, dialog, lambda: self._select(dialog.saved_id))

    def edit_activity(self) -> ActivityDialog | None:
        from collab_desktop.ui.delivery.activity_dialog import ActivityDialog

        row: ActivityRow | None = self.selected()
        if row is None:
            return None
        try:
            dialog = ActivityDialog(self._services, self._events, row.id, parent=self)
        except ServiceError as error:
            show_problem(self, error)
            self.refresh()
            return None
        return open_dialog(self, dialog, lambda: self._select(row.id))

    def _select(self, activity_id) -> None:
        if activity_id is not None:
            self.select_where(lambda r: r.id == activity_id)

    def open_sessions(self) -> SessionsDialog | None:
        from collab_desktop.ui.delivery.sessions_dialog import SessionsDialog

        row: ActivityRow | None = self.selected()
        if row is None:
            return None
        try:
            dialog = SessionsDialog(self._services, self._events, row.id, parent=self)
        except ServiceError as error:
            show_problem(self, error)
            return None
        return open_dialog(self, dialog, lambda: None)

    def open_figures(self) -> FiguresDialog | None:
        from collab_desktop.ui.delivery.figures_dialog import FiguresDialog

        row: ActivityRow | None = self.selected()
        dialog = FiguresDialog(self._services, row.id if row else None, parent=self)
        return open_dialog(self, dialog, lambda: None)

    def delete_activity(self) -> None:
        row: ActivityRow | None = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete activity",
            f"Delete “{row.name}” and its planned sessions? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Operation(
            self, self._services, self._events, lambda s: s.activities.delete_activity(row.id)
        ).failure(warn_on(InUse, self, "Cannot delete this activity")).run()
