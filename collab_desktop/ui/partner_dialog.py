"""Adding or editing a partner (an organisation) and its contacts."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import CONTACT_LEVELS, ORGANISATION_KINDS
from collab_desktop.services.errors import NeedsConfirmation
from collab_desktop.services.open_records import Services
from collab_desktop.services.partners import ContactData, PartnerData
from collab_desktop.ui.editable_table import EditableTable
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    Field,
    FormDialog,
    FormFields,
    error_label,
    form_columns,
    name_widget,
    plain_buttons,
    set_field_value,
    short_text_edit,
    show_messages,
)

# Columns of the contacts table.
NAME, JOB_TITLE, EMAIL, PHONE, LEVEL = range(5)
CONTACT_FIELDS = {"name": NAME, "job_title": JOB_TITLE, "email": EMAIL, "phone": PHONE}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NOTES_ROLE = Qt.ItemDataRole.UserRole + 2
LANGUAGE_ROLE = Qt.ItemDataRole.UserRole + 3
CONSENT_ROLE = Qt.ItemDataRole.UserRole + 4


# The partner's own fields, each declared once: the form loads and reads exactly these
# (FormFields), and tests/ui/test_form_round_trip.py checks they are all of PartnerData's
# but the ones listed in NOT_ON_FORM.
FIELDS = [
    Field("name", "&Name:"),
    Field("kind", "&Kind:", lambda: ChoiceBox(ORGANISATION_KINDS)),
    Field("charity_number", "Charit&y number:"),
    Field("company_number", "Com&pany number:"),
    Field("phone", "P&hone:"),
    Field("email", "&E-mail:"),
    Field("website", "We&bsite:"),
    Field("address", "&Address:", lambda: short_text_edit("", "")),
    Field("town", "To&wn:"),
    Field("postcode", "Postco&de:"),
    Field("notes", "N&otes:", lambda: short_text_edit("", "", lines=4)),
]
NOT_ON_FORM = {"id", "archived", "contacts"}  # contacts: the table below the fields

# Issue 15: the selected contact's preferred language and consent notes, edited below the
# contacts table (too long for a cell). They ride along on the row's name cell, as its notes
# do; the round trip test checks ContactData has no field that is on neither.
CONTACT_FORM = [
    Field("preferred_language", "&Language:", object_name="contact_language",
          accessible="Preferred language of the selected contact"),
    Field("consent_notes", "Consent &given:", lambda: short_text_edit("", "", lines=2),
          "contact_consent", "Consent notes of the selected contact"),
]
CONTACT_ROLES = {"preferred_language": LANGUAGE_ROLE, "consent_notes": CONSENT_ROLE}
CONTACT_NOT_ON_FORM = {"id", "level", "notes", *CONTACT_FIELDS}  # level, the rest: in the table


class PartnerDialog(FormDialog):
    """Opens on a new partner, or on an existing one by id (raises NotFound if it is gone).

    On a successful save (through ui/operations: every page hears of it) it sets `saved_id`
    and accepts.
    """

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        partner_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("partner", parent)
        self._services = services
        self._events = events
        self._data = services.partners.get_partner(partner_id) if partner_id else PartnerData()
        if partner_id is None:
            self.setWindowTitle("New partner")
        else:
            archived = " (archived)" if self._data.archived else ""
            self.setWindowTitle(f"Partner — {self._data.name}{archived}")

        self.fields = FormFields(self, "partner", self.errors, FIELDS)
        self.email.setPlaceholderText("name@example.org")
        self.website.setPlaceholderText("www.example.org")

        left = QFormLayout()
        self.fields.add_rows(
            left, "name", "kind", "charity_number", "company_number", "phone", "email", "website"
        )
        right = QFormLayout()
        self.fields.add_rows(right, "address", "town", "postcode", "notes")
        columns = form_columns(left, right)

        heading = QLabel("&Contacts")
        self.contacts = name_widget(
            EditableTable(["Name", "Job title", "E-mail", "Phone", "Level"]),
            "contacts_table",
            "Contacts",
        )
        heading.setBuddy(self.contacts)
        header = self.contacts.horizontalHeader()
        for column in (NAME, JOB_TITLE, EMAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PHONE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(LEVEL, QHeaderView.ResizeMode.ResizeToContents)
        self.contacts.setColumnWidth(PHONE, 120)
        self.contacts.setMinimumHeight(130)
        self.contacts.itemSelectionChanged.connect(self._update_buttons)
        self.add_contact_button = name_widget(
            QPushButton("Add con&tact"), "add_contact", "Add contact"
        )
        self.add_contact_button.clicked.connect(self._add_contact_clicked)
        self.remove_contact_button = name_widget(
            QPushButton("&Remove contact"), "remove_contact", "Remove contact"
        )
        self.remove_contact_button.clicked.connect(self.remove_contact)
        self.contact_errors = error_label("contacts_errors")
        self.contact_fields = FormFields(self, "contact", self.errors, CONTACT_FORM)
        self.contact_fields.widgets["consent_notes"].setPlaceholderText(
            "What they agreed to, and when: e.g. photos yes, newsletter no (3 March 2026)"
        )
        self._loading_contact = False
        for widget in self.contact_fields.widgets.values():
            widget.textChanged.connect(self._contact_panel_edited)  # type: ignore[attr-defined]
        self.contacts.currentCellChanged.connect(lambda *_: self._load_contact_panel())
        contact_panel = QFormLayout()
        self.contact_caption = name_widget(QLabel(), "contact_caption", "Selected contact")
        self.contact_caption.setStyleSheet("color: #555;")
        contact_panel.addRow(self.contact_caption)
        self.contact_fields.add_rows(contact_panel, "preferred_language", "consent_notes")

        plain_buttons(self.add_contact_button, self.remove_contact_button, self.cancel_button)
        contact_buttons = QHBoxLayout()
        contact_buttons.addWidget(self.add_contact_button)
        contact_buttons.addWidget(self.remove_contact_button)
        contact_buttons.addStretch(1)

        from collab_desktop.ui.exchange.partner_key import partner_key_label

        self.exchange_key = partner_key_label(services, partner_id)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.exchange_key)
        layout.addSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.contacts, 1)
        layout.addWidget(self.contact_errors)
        layout.addLayout(contact_buttons)
        layout.addLayout(contact_panel)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._load(self._data)
        self._load_contact_panel()
        self.remember()
        self._update_buttons()
        self.resize(900, 660)
        self.name.setFocus()

    # -- reading and writing the form ------------------------------------------------------

    def _load(self, data: PartnerData) -> None:
        self.fields.load(data)
        for contact in data.contacts:
            self.add_contact(contact)

    def add_contact(self, contact: ContactData | None = None) -> int:
        """Add a row for a contact (a blank one if none is given); return its row number."""
        contact = contact or ContactData()
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        for column, value in (
            (NAME, contact.name),
            (JOB_TITLE, contact.job_title),
            (EMAIL, contact.email),
            (PHONE, contact.phone),
        ):
            self.contacts.setItem(row, column, QTableWidgetItem(value))
        # The contact's id and notes ride along on the name cell, so an edit keeps them.
        first = self.contacts.item(row, NAME)
        first.setData(ID_ROLE, contact.id)
        first.setData(NOTES_ROLE, contact.notes)
        for name, role in CONTACT_ROLES.items():
            first.setData(role, getattr(contact, name))
        holder = QTableWidgetItem()
        holder.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        self.contacts.setItem(row, LEVEL, holder)
        level = ChoiceBox(CONTACT_LEVELS)
        level.set_value(contact.level)
        self.contacts.set_row_widget(row, LEVEL, level)
        self._name_rows()
        return row

    def _add_contact_clicked(self) -> None:
        row = self.add_contact()
        self.contacts.setCurrentCell(row, NAME)
        self.contacts.setFocus()
        self.contacts.editItem(self.contacts.item(row, NAME))

    def remove_contact(self) -> None:
        self.contacts.commit_edits()
        self.contacts.remove_current_row()
        self._name_rows()
        self._update_buttons()

    def _name_rows(self) -> None:
        for row in range(self.contacts.rowCount()):
            level = self.contacts.cellWidget(row, LEVEL)
            name_widget(level, f"contact_level_{row}", f"Level of contact {row + 1}")
        self.contacts.order_tabs(self.add_contact_button)

    def _update_buttons(self) -> None:
        self.remove_contact_button.setEnabled(self.contacts.currentRow() >= 0)

    def _load_contact_panel(self) -> None:
        """Show the current contact's language and consent notes (blank and disabled when
        no contact is chosen)."""
        first = self.contacts.item(self.contacts.currentRow(), NAME)
        name = first.text().strip() if first else ""
        self.contact_caption.setText(
            f"How to speak with {name or 'this contact'}, and what they agreed to:"
            if first else "Choose a contact above to record their language and consent."
        )
        self._loading_contact = True
        try:
            for name, widget in self.contact_fields.widgets.items():
                set_field_value(widget, first.data(CONTACT_ROLES[name]) if first else "")
                widget.setEnabled(first is not None)
        finally:
            self._loading_contact = False

    def _contact_panel_edited(self) -> None:
        # Written straight onto the current row, so a row removed or added keeps no stale copy.
        first = self.contacts.item(self.contacts.currentRow(), NAME)
        if self._loading_contact or first is None:
            return
        values, _ = self.contact_fields.read()
        for name, value in values.items():
            first.setData(CONTACT_ROLES[name], value)

    def contact_rows(self) -> list[ContactData]:
        contacts = []
        for row in range(self.contacts.rowCount()):
            first = self.contacts.item(row, NAME)
            contacts.append(
                ContactData(
                    name=self.contacts.text(row, NAME),
                    job_title=self.contacts.text(row, JOB_TITLE),
                    email=self.contacts.text(row, EMAIL),
                    phone=self.contacts.text(row, PHONE),
                    level=self.contacts.cellWidget(row, LEVEL).value(),
                    notes=first.data(NOTES_ROLE) or "",
                    id=first.data(ID_ROLE),
                    **{name: first.data(role) or "" for name, role in CONTACT_ROLES.items()},
                )
            )
        return contacts

    def form_data(self) -> PartnerData:
        """The partner as the form now stands."""
        values, _ = self.fields.read()  # no dates here: nothing can be unreadable
        return replace(self._data, **values, contacts=self.contact_rows())

    def snapshot(self) -> PartnerData:
        return self.form_data()

    def has_changes(self) -> bool:
        self.contacts.commit_edits()
        return super().has_changes()

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        self.contacts.commit_edits()
        data = self.form_data()
        self._save(data, confirmed=False)

    def _save(self, data: PartnerData, confirmed: bool) -> None:
        def similar(error: Exception) -> bool:
            if not isinstance(error, NeedsConfirmation):
                return False
            self.show_errors({})
            answer = QMessageBox.question(
                self,
                "A similar partner exists",
                error.message,
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes or confirmed:
                self.name.setFocus()
            else:
                self._save(data, confirmed=True)
            return True

        self.save_with(
            self._services,
            self._events,
            lambda s: s.partners.save_partner(data, confirmed=confirmed),
            failure=similar,
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        rest = self.errors.show(errors)
        contact_messages = [m for f, m in rest.items() if f.startswith("contacts.")]
        other = [m for f, m in rest.items() if not f.startswith("contacts.")]
        show_messages(self.contact_errors, contact_messages)
        show_messages(self.problem, other)
        self._focus_first(errors)

    def _focus_first(self, errors: dict[str, str]) -> None:
        for field in errors:
            if field.startswith("contacts."):
                _, row, name = (field.split(".") + ["", ""])[:3]
                if row.isdigit() and int(row) < self.contacts.rowCount():
                    self.contacts.setCurrentCell(int(row), CONTACT_FIELDS.get(name, NAME))
                self.contacts.setFocus()
                return
            label = self.errors.label(field)
            if label is not None:
                widget = getattr(self, field, None)
                if isinstance(widget, QWidget):
                    widget.setFocus()
                return
