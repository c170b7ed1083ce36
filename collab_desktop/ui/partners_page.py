"""The list of partners: find, add, edit, archive and delete."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from collab_desktop.services.changes import PARTNERS, Changes
from collab_desktop.services.errors import InUse
from collab_desktop.services.list_rows import PartnerRow
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.operations import Operation, warn_on
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services
    from collab_desktop.ui.partner_dialog import PartnerDialog

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Kind", lambda r: r.kind),
    Column("Town", lambda r: r.town),
    Column("Contacts", lambda r: r.contacts, searchable=False),
    Column("Archived", lambda r: "yes" if r.archived else "", searchable=False),
]


class PartnersPage(ListPage):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        parent: QWidget | None = None,
        fill: bool = True,
    ):
        super().__init__("partners", "Partners", COLUMNS, parent)
        self._services = services
        self._events = events
        self.dialog: PartnerDialog | None = None  # the dialog open now, if any

        self.new_button = self.add_button("&New partner", "new", self.new_partner, "Ctrl+N")
        self.edit_button = self.add_button("Ed&it", "edit", self.edit_partner)
        self.archive_button = self.add_button("&Archive", "archive", self.toggle_archived)
        self.delete_button = self.add_button("&Delete", "delete", self.delete_partner)
        self.show_archived = name_widget(
            QCheckBox("Sho&w archived"), "partners_show_archived", "Show archived partners"
        )
        self.show_archived.toggled.connect(lambda _checked: self.refresh())
        self.buttons.addSpacing(16)
        self.buttons.addWidget(self.show_archived)

        self.activated.connect(self.edit_partner)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)
        if fill:  # the main window fills it when it is first shown
            self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(PARTNERS):
            self.refresh()

    def reader(self):
        partners, archived = self._services.partners, self.show_archived.isChecked()
        return lambda: partners.list_partners(archived)

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows):
            return
        self._update_buttons()

    def _update_buttons(self) -> None:
        row: PartnerRow | None = self.selected()
        for button in (self.edit_button, self.archive_button, self.delete_button):
            button.setEnabled(row is not None)
        text = "Rest&ore" if row is not None and row.archived else "&Archive"
        self.archive_button.setText(text)
        self.archive_button.setAccessibleName(text.replace("&", ""))

    # -- actions ---------------------------------------------------------------------------

    def new_partner(self) -> PartnerDialog:
        from collab_desktop.ui.partner_dialog import PartnerDialog

        return self.open_dialog(PartnerDialog(self._services, self._events, parent=self))

    def edit_partner(self, row: PartnerRow | None = None) -> PartnerDialog | None:
        from collab_desktop.ui.partner_dialog import PartnerDialog

        return self.edit_selected(
            row,
            PartnerRow,
            lambda chosen: PartnerDialog(self._services, self._events, chosen.id, parent=self),
        )

    def toggle_archived(self) -> None:
        row: PartnerRow | None = self.selected()
        if row is None:
            return
        # Told only on success: announcing after a failure refreshed the list as if it had
        # worked.
        Operation(
            self,
            self._services,
            self._events,
            lambda s: s.partners.set_archived(row.id, not row.archived),
        ).run()

    def delete_partner(self) -> None:
        row: PartnerRow | None = self.selected()
        if row is None:
            return
        blocker = self._services.partners.deletion_blocker(row.id)
        if blocker is not None:
            QMessageBox.warning(self, "Cannot delete this partner", blocker)
            return
        answer = QMessageBox.question(
            self,
            "Delete partner",
            f"Delete “{row.name}” and its contacts? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Operation(
            self, self._services, self._events, lambda s: s.partners.delete_partner(row.id)
        ).failure(warn_on(InUse, self, "Cannot delete this partner")).run()
