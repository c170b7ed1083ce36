"""The list of every agreement version, with starting a new agreement from a template."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.changes import AGREEMENTS, COLLABORATIONS, PARTNERS, Changes
from collab_desktop.services.errors import ServiceError
from collab_desktop.ui.agreements.parts_picker import PartsPicker
from collab_desktop.ui.errors import is_damage_error
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import error_label, name_widget, reactivate, select_data
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services

BLANK = "blank"


class AgreementsPage(ListPage):
    def __init__(self, services: Services, events: DataEvents, parent: QWidget | None = None):
        super().__init__(
            "agreements",
            "Agreements",
            [
                Column("Collaboration", lambda r: r.collaboration),
                Column("Agreement", lambda r: r.title),
                Column("Version", lambda r: r.number),
                Column("Status", lambda r: r.status_label),
                Column("Signatures", lambda r: r.signatures, searchable=False),
                Column("Signed off", lambda r: r.signed_off_on),
                Column("Next review", lambda r: r.next_review),
                Column("Fingerprint", lambda r: r.fingerprint),
            ],
            parent,
        )
        self.services = services
        self.events = events
        self.add_button("&New agreement…", "new", self.new_agreement, "Ctrl+N")
        self.add_button("&Open", "open", self.open_selected)
        self.add_button("Save as &PDF…", "save_pdf", self.save_pdf)
        self.add_button("P&rint…", "print", self.print_selected)
        self.add_button("&Verify a printed copy…", "verify", self.verify_printed)
        self.activated.connect(lambda row: self.open_version(row.version_id))
        events.changes.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(AGREEMENTS, COLLABORATIONS, PARTNERS):
            self.refresh()

    def reader(self):
        return self.services.agreements.list_versions

    def refresh(self, rows=None) -> None:
        rows = self.reader()() if rows is None else rows
        self.set_rows(rows, keep=lambda r: r.version_id)

    def new_agreement(self) -> None:
        dialog = NewAgreementDialog(self.services, self, events=self.events)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.version_id:
            self.select_where(lambda r: r.version_id == dialog.version_id)
            self.open_version(dialog.version_id)

    def open_selected(self) -> None:
        row = self.selected()
        if row is None:
            QMessageBox.information(
                self, "Open agreement", "Choose an agreement in the list first."
            )
            return
        self.open_version(row.version_id)

    def open_version(self, version_id) -> None:
        from collab_desktop.ui.agreements.editor import AgreementEditor

        editor = AgreementEditor(self.services, self.events, version_id, self)
        editor.exec()
        reactivate(self)  # the main window's shortcuts work again (forms.reactivate)
        self.select_where(lambda r: r.version_id == editor.version_id)

    def verify_printed(self) -> None:
        """Match the fingerprint typed from a paper copy to the version it came from."""
        typed, ok = QInputDialog.getText(
            self,
            "Verify a printed copy",
            "Type the fingerprint printed at the foot of each page (like 7F3A-91C2-0B4E):",
        )
        if not ok or not typed.strip():
            return
        matches = self.services.agreements.find_by_fingerprint(typed)
        if not matches:
            QMessageBox.warning(
                self,
                "No match",
                f"No agreement version has the fingerprint “{typed.strip()}”. Check the "
                "characters (0 and O, 8 and B are easy to confuse). If they are right, the "
                "paper copy does not match any version recorded here.",
            )
            return
        row = matches[0]
        signed = f", signed off {row.signed_off_on:%d/%m/%Y}" if row.signed_off_on else ""
        QMessageBox.information(
            self,
            "Matched",
            f"The paper copy is version {row.number} of “{row.title}” for {row.collaboration} "
            f"({row.status_label.lower()}{signed}).",
        )
        self.select_where(lambda r: r.version_id == row.version_id)

    def save_pdf(self) -> None:
        # Qt's PDF and printing modules (4.6 MiB) load when asked for, not with the page.
        from collab_desktop.ui.pdf_actions import save_agreement_pdf

        row = self.selected()
        if row is not None:
            save_agreement_pdf(self, self.services, row.version_id)

    def print_selected(self) -> None:
        from collab_desktop.ui.pdf_actions import print_agreement

        row = self.selected()
        if row is not None:
            print_agreement(self, self.services, row.version_id)


class NewAgreementDialog(QDialog):
    """Choose the collaboration and a starting template (or a blank agreement)."""

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        collaboration_id=None,
        events: DataEvents | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("new_agreement_dialog")
        self.events = events
        self.setWindowTitle("New agreement")
        self.services = services
        self.version_id = None

        from PySide6.QtWidgets import QComboBox

        self.collaboration = name_widget(
            QComboBox(), "new_agreement_collaboration", "Collaboration"
        )
        for row in services.collaborations.list_collaborations():
            self.collaboration.addItem(row.name, row.id)
        if collaboration_id is not None:
            select_data(self.collaboration, collaboration_id)

        self.templates = name_widget(QListWidget(), "new_agreement_template", "Start from")
        for info in services.templates.list_templates():
            item = QListWidgetItem(info.name if info.builtin else f"{info.name} (your template)")
            item.setData(0x0100, info.key)
            item.setToolTip(info.description)
            self.templates.addItem(item)
        blank = QListWidgetItem("Blank agreement")
        blank.setData(0x0100, BLANK)
        self.templates.addItem(blank)
        self.templates.setCurrentRow(0)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setObjectName("new_agreement_description")
        self.description.setTextFormat(Qt.TextFormat.PlainText)
        self.description.setMinimumHeight(48)
        self.templates.currentItemChanged.connect(self._describe)
        self._describe()

        # Before anything is drafted: which member plays each part the template names.
        self.parts = PartsPicker(self)
        self.collaboration.currentIndexChanged.connect(self._plan_parts)
        self.templates.currentItemChanged.connect(self._plan_parts)

        self.title = name_widget(QLineEdit(), "new_agreement_title", "Title")
        self.title.setPlaceholderText("Joint agreement")
        self.error = error_label("new_agreement_error")

        form = QFormLayout()
        form.addRow("&Collaboration:", self.collaboration)
        form.addRow("&Start from:", self.templates)
        form.addRow("", self.description)
        form.addRow("&Title:", self.title)
        form.addRow(self.parts)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create draft")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("new_agreement_create")
        buttons.accepted.connect(self._create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 620)
        self._plan_parts()
        if self.collaboration.count() == 0:
            self.error.setText(
                "There are no collaborations yet. Record the collaboration and its partners "
                "first (Collaborations page), then make its agreement."
            )
            self.error.show()

    def _describe(self) -> None:
        item = self.templates.currentItem()
        if item is None:
            return
        key = item.data(0x0100)
        if key == BLANK:
            self.description.setText("Every section empty, the partners listed as signatories.")
        else:
            self.description.setText(self.services.templates.get(key).description)

    def _plan_parts(self) -> None:
        collaboration_id = self.collaboration.currentData()
        item = self.templates.currentItem()
        key = item.data(0x0100) if item is not None else BLANK
        if collaboration_id is None or key == BLANK:
            self.parts.hide()
            return
        try:
            plan = self.services.agreements.plan_parts(collaboration_id, key)
        except ServiceError as error:
            self.error.setText(error.message)
            self.error.show()
            return
        self.parts.set_plan(plan)
        self.parts.setVisible(self.parts.has_parts())

    def _create(self) -> None:
        collaboration_id = self.collaboration.currentData()
        if collaboration_id is None:
            self.error.setText("Choose a collaboration first.")
            self.error.show()
            return
        key = self.templates.currentItem().data(0x0100)
        template, title = None if key == BLANK else key, self.title.text()
        parts = self.parts.chosen() if self.parts.has_parts() else None

        def refused(error: Exception) -> bool:
            if isinstance(error, ServiceError) and not is_damage_error(error):
                self.error.setText(error.message)
                self.error.show()
                return True
            return False

        creating = Operation(
            self,
            self.services,
            self.events,
            lambda s: s.agreements.create_agreement(collaboration_id, template, title, parts=parts),
        ).failure(refused)
        if not creating.run():
            return
        self.version_id = creating.result
        self.accept()
