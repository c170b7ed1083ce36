"""Volunteers: which contacts volunteer, their vetting and clearances (never a copy of a
certificate), training, risk assessment, and the hours they have given."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import CHECKS
from collab_desktop.services.changes import PARTNERS, SESSIONS, VOLUNTEERS, Changes
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.privacy.person_ref import CONTACT
from collab_desktop.ui.delivery.forms import read_dates
from collab_desktop.ui.editable_table import EditableTable
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    Field,
    FormDialog,
    FormFields,
    error_label,
    form_columns,
    format_date,
    name_widget,
    open_dialog,
    parse_date,
    plain_buttons,
    short_text_edit,
    show_messages,
)
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.privacy.actions import PrivacyActions
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
    from collab_desktop.services.list_rows import VolunteerRow
    from collab_desktop.services.open_records import Services

KIND, SITE, NUMBER, SEEN, EXPIRES = range(5)
DATE_FIELDS = ("since", "induction_on", "training_on", "risk_assessed_on", "risk_review_due")
# Issue 15: when they stopped (the clearance retention rule counts from it), declared once:
# FormFields loads and reads it, and tests/ui/test_form_round_trip_ui.py round-trips it.
FIELDS = [
    Field("stopped_on", "Sto&pped:", DateField, "volunteer_stopped", "Stopped volunteering on"),
]

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Organisation", lambda r: r.organisation),
    Column("Clearances", lambda r: r.clearances),
    Column("Next expiry", lambda r: r.next_expiry, searchable=False),
    Column("Risk assessed", lambda r: r.risk_assessed_on, searchable=False),
    Column("Trained", lambda r: r.training_on, searchable=False),
    Column("Hours led", lambda r: f"{r.hours:g}", searchable=False),
    Column("Needs attention", lambda r: r.attention),
]


class VolunteerDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        contact_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("volunteer", parent)
        self._services = services
        self._events = events
        self._data = services.volunteers.get_volunteer(contact_id)
        self.setWindowTitle(f"Volunteer — {self._data.name} ({self._data.organisation})")
        self.since = name_widget(DateField(), "volunteer_since", "Volunteering since")
        self.induction_on = name_widget(DateField(), "volunteer_induction", "Induction")
        self.training = short_text_edit("volunteer_training", "Training", lines=2)
        self.training_on = name_widget(DateField(), "volunteer_training_on", "Last training")
        self.risk_assessed_on = name_widget(DateField(), "volunteer_risk_on", "Risk assessed on")
        self.risk_reviewer = name_widget(QLineEdit(), "volunteer_risk_reviewer", "Reviewed by")
        self.risk_review_due = name_widget(DateField(), "volunteer_review_due", "Review due")
        self.notes = short_text_edit("volunteer_notes", "Notes", lines=2)
        left = QFormLayout()
        self.errors.add_row(left, "Volunteering &since:", "since", self.since)
        self.errors.add_row(left, "&Induction:", "induction_on", self.induction_on)
        self.errors.add_row(left, "&Training:", "training", self.training)
        self.errors.add_row(left, "Last trai&ned:", "training_on", self.training_on)
        right = QFormLayout()
        self.errors.add_row(right, "&Risk assessed on:", "risk_assessed_on", self.risk_assessed_on)
        self.errors.add_row(right, "Revie&wed by:", "risk_reviewer", self.risk_reviewer)
        self.errors.add_row(right, "Review &due:", "risk_review_due", self.risk_review_due)
        self.errors.add_row(right, "N&otes:", "notes", self.notes)
        self.fields = FormFields(self, "volunteer", self.errors, FIELDS)
        self.fields.add_rows(left, "stopped_on")

        heading = QLabel("&Vetting and clearances")
        self.clearances = name_widget(
            EditableTable(["Check", "For which site", "Certificate number", "Seen on", "Expires"]),
            "clearances_table",
            "Vetting and clearances",
        )
        heading.setBuddy(self.clearances)
        header = self.clearances.horizontalHeader()
        header.setSectionResizeMode(SITE, QHeaderView.ResizeMode.Stretch)
        self.clearances.setColumnWidth(KIND, 210)
        self.clearances.setColumnWidth(NUMBER, 150)
        self.clearances.setMinimumHeight(90)
        never = QLabel(
            "Record which check, the certificate's number and the date you saw it. Never keep "
            "a copy of a certificate. Leave the site blank for a check that holds anywhere."
        )
        never.setWordWrap(True)
        never.setStyleSheet("color: #555;")
        self.add_clearance_button = name_widget(
            QPushButton("&Add clearance"), "add_clearance", "Add clearance"
        )
        self.add_clearance_button.clicked.connect(lambda: self.add_clearance(focus=True))
        self.remove_clearance_button = name_widget(
            QPushButton("Remove clearance"), "remove_clearance", "Remove clearance"
        )
        self.remove_clearance_button.clicked.connect(self.clearances.remove_current_row)
        plain_buttons(self.add_clearance_button, self.remove_clearance_button, self.cancel_button)
        self.clearance_errors = error_label("clearance_errors")
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.add_clearance_button)
        row_buttons.addWidget(self.remove_clearance_button)
        row_buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(form_columns(left, right))
        layout.addWidget(heading)
        layout.addWidget(self.clearances, 1)
        layout.addWidget(never)
        layout.addWidget(self.clearance_errors)
        layout.addLayout(row_buttons)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._load(self._data)
        self.remember()
        self.resize(900, 500)
        self.since.setFocus()

    def _load(self, data: VolunteerData) -> None:
        for field in DATE_FIELDS:
            getattr(self, field).set_value(getattr(data, field))
        self.training.setPlainText(data.training)
        self.risk_reviewer.setText(data.risk_reviewer)
        self.notes.setPlainText(data.notes)
        self.fields.load(data)
        for clearance in data.clearances:
            self.add_clearance(clearance)

    def add_clearance(self, clearance: ClearanceData | None = None, focus: bool = False) -> int:
        from collab_desktop.services.delivery.volunteers import ClearanceData

        c = clearance or ClearanceData()
        row = self.clearances.rowCount()
        self.clearances.insertRow(row)
        kind = ChoiceBox(CHECKS)
        kind.set_value(c.kind)
        self.clearances.set_row_widget(row, KIND, kind)
        name_widget(kind, f"clearance_kind_{row}", f"Check {row + 1}")
        self.clearances.setItem(row, SITE, QTableWidgetItem(c.site))
        self.clearances.setItem(row, NUMBER, QTableWidgetItem(c.certificate_number))
        self.clearances.setItem(row, SEEN, QTableWidgetItem(format_date(c.seen_on)))
        self.clearances.setItem(row, EXPIRES, QTableWidgetItem(format_date(c.expires_on)))
        self.clearances.order_tabs(self.add_clearance_button)
        if focus:
            self.clearances.setCurrentCell(row, KIND)
            kind.setFocus()
        return row

    def clearance_rows(self) -> tuple[list[ClearanceData], dict[str, str]]:
        from collab_desktop.services.delivery.volunteers import ClearanceData

        rows, problems = [], {}
        self.clearances.commit_edits()
        for row in range(self.clearances.rowCount()):
            dates = {}
            for column, what in ((SEEN, "seen_on"), (EXPIRES, "expires_on")):
                try:
                    dates[what] = parse_date(self.clearances.text(row, column))
                except ValueError as error:
                    dates[what] = None
                    problems[f"clearances.{row}.{what}"] = f"Row {row + 1}: {error}"
            rows.append(
                ClearanceData(
                    kind=self.clearances.cellWidget(row, KIND).value(),
                    site=self.clearances.text(row, SITE),
                    certificate_number=self.clearances.text(row, NUMBER),
                    **dates,
                )
            )
        return rows, problems

    def form_data(self) -> tuple[VolunteerData, dict[str, str]]:
        from collab_desktop.services.delivery.volunteers import VolunteerData

        dates, problems = read_dates({f: getattr(self, f) for f in DATE_FIELDS})
        clearances, clearance_problems = self.clearance_rows()
        declared, declared_problems = self.fields.read()
        problems.update(declared_problems)
        data = VolunteerData(
            contact_id=self._data.contact_id,
            training=self.training.toPlainText(),
            risk_reviewer=self.risk_reviewer.text(),
            notes=self.notes.toPlainText(),
            clearances=clearances,
            **dates,
            **declared,  # type: ignore[arg-type]
        )
        return data, {**problems, **clearance_problems}

    def snapshot(self) -> object:
        data, _ = self.form_data()
        texts = tuple(getattr(self, f).text() for f in DATE_FIELDS) + self.fields.texts()
        cells = tuple(
            self.clearances.text(r, c)
            for r in range(self.clearances.rowCount())
            for c in (SEEN, EXPIRES)
        )
        return data, texts, cells

    def show_errors(self, errors: dict[str, str]) -> None:
        super().show_errors({k: v for k, v in errors.items() if not k.startswith("clearances")})
        show_messages(
            self.clearance_errors, [v for k, v in errors.items() if k.startswith("clearances")]
        )

    def save(self) -> None:
        data, problems = self.form_data()
        if problems:
            self.show_errors(problems)
            return
        self.save_with(self._services, self._events, lambda s: s.volunteers.save_volunteer(data))


class ChooseContactDialog(QDialog):
    """Which contact volunteers."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choose_volunteer_dialog")
        self.setWindowTitle("Add a volunteer")
        self.contact = name_widget(QComboBox(), "choose_volunteer_contact", "Contact")
        for option in services.volunteers.contacts_to_add():
            self.contact.addItem(f"{option.name} ({option.organisation})", option.id)
        intro = QLabel(
            "Volunteers are contacts of a partner organisation. Choose who volunteers (add "
            "them to their organisation under Partners first, if they are not listed)."
        )
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.contact.count() > 0)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.contact)
        layout.addWidget(buttons)
        self.resize(460, 160)

    def chosen(self) -> uuid.UUID | None:
        return self.contact.currentData()


class VolunteersPage(ListPage):
    def __init__(self, services: Services, events: DataEvents, parent: QWidget | None = None):
        super().__init__("volunteers", "Volunteers", COLUMNS, parent)
        self._services = services
        self._events = events
        self.dialog = None
        self.add_button("&Add volunteer…", "add", self.add_volunteer, "Ctrl+N")
        self.edit_button = self.add_button("Ed&it…", "edit", self.edit_volunteer)
        self.remove_button = self.add_button(
            "&No longer volunteers", "remove", self.remove_volunteer
        )
        self.privacy = PrivacyActions(  # issue 15: everything about / anonymise
            self, services, events, CONTACT, lambda r: (r.contact_id, r.name), VOLUNTEERS
        )
        self.activated.connect(lambda _row: self.edit_volunteer())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(VOLUNTEERS, SESSIONS, PARTNERS):
            self.refresh()

    def reader(self):
        return self._services.volunteers.list_volunteers

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows, keep=lambda r: r.contact_id):
            return
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected() is not None
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
        self.privacy.set_enabled(selected)

    def add_volunteer(self) -> QDialog:
        chooser = ChooseContactDialog(self._services, self)

        def chosen() -> None:
            contact_id = chooser.chosen()
            if contact_id is not None:
                self.open_volunteer(contact_id)

        return open_dialog(self, chooser, chosen)

    def edit_volunteer(self) -> VolunteerDialog | None:
        row: VolunteerRow | None = self.selected()
        return self.open_volunteer(row.contact_id) if row else None

    def open_volunteer(self, contact_id: uuid.UUID) -> VolunteerDialog | None:
        try:
            dialog = VolunteerDialog(self._services, self._events, contact_id, parent=self)
        except ServiceError as error:
            show_problem(self, error)
            return None
        return open_dialog(
            self, dialog, lambda: self.select_where(lambda r: r.contact_id == contact_id)
        )

    def remove_volunteer(self) -> None:
        row: VolunteerRow | None = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "No longer volunteers",
            f"{row.name} no longer volunteers? Their vetting and training record is deleted; "
            "they stay a contact of their organisation, and the sessions they led stay "
            "on record.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        Operation(
            self,
            self._services,
            self._events,
            lambda s: s.volunteers.remove_volunteer(row.contact_id),
        ).run()
