"""The list of collaborations: find, add, edit and delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from collab_desktop.services.changes import AGREEMENTS, COLLABORATIONS, PARTNERS, Changes
from collab_desktop.services.errors import InUse, ServiceError
from collab_desktop.services.list_rows import CollaborationRow
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.operations import Operation, warn_on
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services
    from collab_desktop.ui.collaboration_dialog import CollaborationDialog

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Setting", lambda r: r.setting),
    Column("Site", lambda r: r.site),
    Column("Status", lambda r: r.status),
    Column("Members", lambda r: r.members),
    Column("Start", lambda r: r.start_date, searchable=False),
    Column("End", lambda r: r.end_date, searchable=False),
    Column("Agreements", lambda r: r.agreements, searchable=False),
]
MEMBERS_COLUMN = 4
MEMBERS_WIDTH = 230  # a long members list would otherwise push the dates off the screen

# Partner names appear in the members column; agreements are counted.
REFRESH_ON = {COLLABORATIONS, PARTNERS, AGREEMENTS}


class CollaborationsPage(ListPage):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        parent: QWidget | None = None,
        fill: bool = True,
    ):
        super().__init__("collaborations", "Collaborations", COLUMNS, parent)
        self._services = services
        self._events = events
        self.dialog: CollaborationDialog | None = None  # the dialog open now, if any

        self.new_button = self.add_button(
            "&New collaboration", "new", self.new_collaboration, "Ctrl+N"
        )
        self.edit_button = self.add_button("Ed&it", "edit", self.edit_collaboration)
        self.delete_button = self.add_button("&Delete", "delete", self.delete_collaboration)

        # One line a row: a long members list ends in "…" rather than wrapping half a word.
        self.table.setWordWrap(False)
        self.activated.connect(self.edit_collaboration)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)
        self._members_capped = False
        if fill:  # the main window fills it when it is first shown
            self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*REFRESH_ON):
            self.refresh()

    def reader(self):
        return self._services.collaborations.list_collaborations

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows):
            return
        if not self._members_capped and self.table.property("sized"):
            # Once, when the columns are first fitted to their contents: after that the
            # width is the user's to choose.
            self._members_capped = True
            if self.table.columnWidth(MEMBERS_COLUMN) > MEMBERS_WIDTH:
                self.table.setColumnWidth(MEMBERS_COLUMN, MEMBERS_WIDTH)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)

    # -- actions ---------------------------------------------------------------------------

    def new_collaboration(self) -> CollaborationDialog | None:
        from collab_desktop.ui.collaboration_dialog import CollaborationDialog

        try:
            dialog = CollaborationDialog(self._services, self._events, parent=self)
        except ServiceError as error:
            show_problem(self, error)
            return None
        return self.open_dialog(dialog)

    def edit_collaboration(self, row: CollaborationRow | None = None) -> CollaborationDialog | None:
        from collab_desktop.ui.collaboration_dialog import CollaborationDialog

        return self.edit_selected(
            row,
            CollaborationRow,
            lambda chosen: CollaborationDialog(
                self._services, self._events, chosen.id, parent=self
            ),
        )

    def delete_collaboration(self) -> None:
        row: CollaborationRow | None = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete collaboration",
            f"Delete “{row.name}” and its list of members? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Operation(
            self,
            self._services,
            self._events,
            lambda s: s.collaborations.delete_collaboration(row.id),
        ).failure(warn_on(InUse, self, "Cannot delete this collaboration")).run()
