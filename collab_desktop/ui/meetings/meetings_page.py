"""The Meetings page (issue 14): every meeting of every collaboration, newest first; new
meetings (every member invited), the minutes as PDF, deleting (asks first when there are
decisions or actions), and each collaboration's engagement in plain words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from collab_desktop.services.changes import COLLABORATIONS, MEETINGS, Changes
from collab_desktop.services.errors import NeedsConfirmation, ServiceError
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services

COLUMNS = [
    Column("Date", lambda r: r.held_on),
    Column("Collaboration", lambda r: r.collaboration),
    Column("Kind", lambda r: r.kind),
    Column("Status", lambda r: r.status),
    Column("Attendance", lambda r: r.organisations),
    Column("Open actions", lambda r: r.open_actions or ""),
]


class MeetingsPage(ListPage):
    def __init__(self, services: Services, events: DataEvents, parent=None) -> None:
        super().__init__("meetings", "Meetings", COLUMNS, parent)
        self._services = services
        self._events = events
        self.new_button = self.add_button("&New meeting…", "new", self.new_meeting)
        self.pdf_button = self.add_button("Save &minutes as PDF…", "minutes", self.save_minutes)
        self.print_button = self.add_button("&Print minutes…", "print_minutes", self.print_minutes)
        self.approve_button = self.add_button(
            "&Approve previous minutes…", "approve_minutes", self.approve_previous_minutes
        )
        self.review_button = self.add_button("Re&view agreement…", "review", self.review)
        self.engagement_button = self.add_button("Engagemen&t…", "engagement", self.engagement)
        self.delete_button = self.add_button("&Delete…", "delete", self.delete)
        self.activated.connect(lambda row: self.open_meeting(row.id))
        # Newest first: the meeting just held, or the next one, is the one wanted.
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        events.changes.connect(self._on_changes)
        # What needs a meeting is greyed out until one is chosen: a click that does nothing
        # would look broken.
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        for button in (
            self.pdf_button, self.print_button, self.approve_button, self.review_button,
            self.delete_button,
        ):  # fmt: skip
            button.setEnabled(chosen)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(MEETINGS, COLLABORATIONS):
            self.refresh()

    def reader(self):
        # Read ahead on a worker while the app is idle, by the quick services' stand-in
        # before the services are loaded (services/list_rows.meeting_rows, issue 17).
        meetings = self._services.meetings
        return lambda: meetings.list_meetings()

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows):
            return
        self._update_buttons()

    def _choose_collaboration(self, title: str):
        rows = self._services.collaborations.list_collaborations()
        if not rows:
            QMessageBox.information(self, title, "Add a collaboration first.")
            return None
        selected = self.selected()
        names = [r.name for r in rows]
        current = 0
        if selected is not None and selected.collaboration in names:
            current = names.index(selected.collaboration)
        name, ok = QInputDialog.getItem(self, title, "Collaboration:", names, current, False)
        return rows[names.index(name)].id if ok else None

    def new_meeting(self) -> None:
        from collab_desktop.ui.meetings.meeting_dialog import MeetingDialog

        collaboration_id = self._choose_collaboration("New meeting")
        if collaboration_id is None:
            return
        dialog = MeetingDialog(self._services, self._events, collaboration_id, parent=self)
        self.open_dialog(dialog)

    def open_meeting(self, meeting_id) -> None:
        from collab_desktop.ui.meetings.meeting_dialog import MeetingDialog

        self.select_where(lambda r: r.id == meeting_id)
        dialog = MeetingDialog(self._services, self._events, meeting_id=meeting_id, parent=self)
        self.open_dialog(dialog)

    def save_minutes(self) -> None:
        from collab_desktop.ui.meetings.minutes_actions import save_minutes_pdf

        row = self.selected()
        if row is not None:
            save_minutes_pdf(self, self._services, row.id)

    def print_minutes(self) -> None:
        from collab_desktop.ui.meetings.minutes_actions import print_minutes

        row = self.selected()
        if row is not None:
            print_minutes(self, self._services, row.id)

    def approve_previous_minutes(self) -> None:
        """The selected meeting approves the minutes of the meeting before it."""
        from collab_desktop.ui.operations import Operation

        row = self.selected()
        if row is None:
            return
        try:
            previous = self._services.meetings.previous_meeting(row.id)
        except ServiceError as error:
            show_problem(self, error)
            return
        if previous is None:
            QMessageBox.information(
                self, "Approve minutes", "There is no earlier meeting whose minutes to approve."
            )
            return
        name, ok = QInputDialog.getText(
            self, "Approve minutes",
            f"The meeting of {row.held_on:%d/%m/%Y} approves the minutes of "
            f"{previous.held_on:%d/%m/%Y}.\n\nApproved by (for example the chair):",
        )  # fmt: skip
        if not ok:
            return
        done = Operation(
            self, self._services, self._events,
            lambda s: s.meetings.approve_previous_minutes(row.id, name),
        ).run()  # fmt: skip
        window = self.window()
        if done and hasattr(window, "statusBar"):
            window.statusBar().showMessage(
                f"The minutes of {previous.held_on:%d/%m/%Y} are approved.", 8000
            )

    def review(self) -> None:
        """The selected (held) meeting reviewed the collaboration's agreement."""
        from collab_desktop.ui.meetings.review_dialog import ReviewDialog

        row = self.selected()
        if row is None:
            return
        dialog = ReviewDialog(self._services, self._events, row.id, self)
        if dialog.exec() and dialog.new_version_id is not None:
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(
                    "A new draft version of the agreement was started: change it and send it "
                    "for signature on the Agreements page.", 10000,
                )  # fmt: skip

    def engagement(self) -> None:
        from collab_desktop.ui.meetings.engagement_view import EngagementDialog

        row = self.selected()
        collaboration_id = row.collaboration_id if row else self._choose_collaboration("Engagement")
        if collaboration_id is None:
            return
        try:
            data = self._services.engagement.engagement(collaboration_id)
        except ServiceError as error:
            show_problem(self, error)
            return
        self.engagement_dialog = EngagementDialog(data, self)
        self.engagement_dialog.open()

    def delete(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Delete meeting", f"Delete the meeting of {row.held_on:%d/%m/%Y}?"
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.meetings.delete_meeting(row.id)
        except NeedsConfirmation as question:
            again = QMessageBox.question(self, "Delete meeting", question.message)
            if again != QMessageBox.StandardButton.Yes:
                return
            self._services.meetings.delete_meeting(row.id, confirmed=True)
        except ServiceError as error:
            show_problem(self, error)
            return
        self._events.broadcast(Changes.of(MEETINGS, row.id))
