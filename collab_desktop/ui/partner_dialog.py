"""Adding or editing a partner (an organisation) and its contacts."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import CONTACT_LEVELS, ORGANISATION_KINDS
from collab_desktop.services.errors import NeedsConfirmation, ServiceError, ValidationError
from collab_desktop.services.partners import ContactData, PartnerData
from collab_desktop.services.store import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import PARTNERS, DataEvents
from collab_desktop.ui.forms import ChoiceBox, FieldErrors, name_widget
from collab_desktop.ui.row_table import RowTable

# Columns of the contacts table.
NAME, JOB_TITLE, EMAIL, PHONE, LEVEL = range(5)
CONTACT_FIELDS = {"name": NAME, "job_title": JOB_TITLE, "email": EMAIL, "phone": PHONE}
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NOTES_ROLE = Qt.ItemDataRole.UserRole + 2


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_messages(label: QLabel, messages: list[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


def short_text_edit(name: str, accessible: str, lines: int = 3) -> QPlainTextEdit:
    edit = name_widget(QPlainTextEdit(), name, accessible)
    edit.setTabChangesFocus(True)
    height = edit.fontMetrics().lineSpacing() * lines + 12
    edit.setFixedHeight(height)
    return edit


def form_columns(*forms: QFormLayout) -> QHBoxLayout:
    """Forms side by side, each keeping its rows together at the top."""
    columns = QHBoxLayout()
    for number, form in enumerate(forms):
        if number:
            columns.addSpacing(16)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addStretch(1)
        columns.addLayout(column, 1)
    return columns


def plain_buttons(*buttons: QPushButton) -> None:
    """Buttons that Enter does not press: in a dialog Enter means Save."""
    for button in buttons:
        button.setAutoDefault(False)
        button.setDefault(False)


class PartnerDialog(QDialog):
    """Opens on a new partner, or on an existing one by id (raises NotFound if it is gone).

    On a successful save it announces PARTNERS, sets `saved_id` and accepts.
    """

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        partner_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("partner_dialog")
        self._services = services
        self._events = events
        self._data = services.partners.get_partner(partner_id) if partner_id else PartnerData()
        self.saved_id: uuid.UUID | None = None
        if partner_id is None:
            self.setWindowTitle("New partner")
        else:
            archived = " (archived)" if self._data.archived else ""
            self.setWindowTitle(f"Partner — {self._data.name}{archived}")

        self.errors = FieldErrors()
        self.name = name_widget(QLineEdit(), "partner_name", "Name")
        self.kind = name_widget(ChoiceBox(ORGANISATION_KINDS), "partner_kind", "Kind")
        self.charity_number = name_widget(QLineEdit(), "partner_charity_number", "Charity number")
        self.company_number = name_widget(QLineEdit(), "partner_company_number", "Company number")
        self.phone = name_widget(QLineEdit(), "partner_phone", "Phone")
        self.email = name_widget(QLineEdit(), "partner_email", "E-mail")
        self.website = name_widget(QLineEdit(), "partner_website", "Website")
        self.address = short_text_edit("partner_address", "Address")
        self.town = name_widget(QLineEdit(), "partner_town", "Town")
        self.postcode = name_widget(QLineEdit(), "partner_postcode", "Postcode")
        self.notes = short_text_edit("partner_notes", "Notes", lines=4)
        self.email.setPlaceholderText("name@example.org")
        self.website.setPlaceholderText("www.example.org")

        left = QFormLayout()
        self.errors.add_row(left, "&Name:", "name", self.name)
        self.errors.add_row(left, "&Kind:", "kind", self.kind)
        self.errors.add_row(left, "Charit&y number:", "charity_number", self.charity_number)
        self.errors.add_row(left, "Com&pany number:", "company_number", self.company_number)
        self.errors.add_row(left, "P&hone:", "phone", self.phone)
        self.errors.add_row(left, "&E-mail:", "email", self.email)
        self.errors.add_row(left, "We&bsite:", "website", self.website)
        right = QFormLayout()
        self.errors.add_row(right, "&Address:", "address", self.address)
        self.errors.add_row(right, "To&wn:", "town", self.town)
        self.errors.add_row(right, "Postco&de:", "postcode", self.postcode)
        self.errors.add_row(right, "N&otes:", "notes", self.notes)
        columns = form_columns(left, right)

        heading = QLabel("&Contacts")
        self.contacts = name_widget(
            RowTable(["Name", "Job title", "E-mail", "Phone", "Level"]),
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
        self.problem = error_label("partner_problem")

        buttons = QDialogButtonBox(self)  # in the dialog: see FormDialog (Enter saves)
        self.save_button = name_widget(
            buttons.addButton(QDialogButtonBox.StandardButton.Save), "partner_save", "Save"
        )
        self.cancel_button = name_widget(
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel), "partner_cancel", "Cancel"
        )
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

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
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        self._load(self._data)
        self._initial = self._snapshot()
        self._update_buttons()
        self.resize(900, 600)
        self.name.setFocus()

    # -- reading and writing the form ------------------------------------------------------

    def _load(self, data: PartnerData) -> None:
        self.name.setText(data.name)
        self.kind.set_value(data.kind)
        for widget, value in (
            (self.charity_number, data.charity_number),
            (self.company_number, data.company_number),
            (self.phone, data.phone),
            (self.email, data.email),
            (self.website, data.website),
            (self.town, data.town),
            (self.postcode, data.postcode),
        ):
            widget.setText(value)
        self.address.setPlainText(data.address)
        self.notes.setPlainText(data.notes)
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
                )
            )
        return contacts

    def form_data(self) -> PartnerData:
        """The partner as the form now stands."""
        return PartnerData(
            id=self._data.id,
            archived=self._data.archived,
            name=self.name.text(),
            kind=self.kind.value(),
            charity_number=self.charity_number.text(),
            company_number=self.company_number.text(),
            address=self.address.toPlainText(),
            town=self.town.text(),
            postcode=self.postcode.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            website=self.website.text(),
            notes=self.notes.toPlainText(),
            contacts=self.contact_rows(),
        )

    def _snapshot(self) -> PartnerData:
        return self.form_data()

    def has_changes(self) -> bool:
        self.contacts.commit_edits()
        return self._snapshot() != self._initial

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        self.contacts.commit_edits()
        data = self.form_data()
        confirmed = False
        while True:
            try:
                saved_id = self._services.partners.save_partner(data, confirmed=confirmed)
            except ValidationError as error:
                self._show_errors(error.errors)
                return
            except NeedsConfirmation as error:
                self._show_errors({})
                answer = QMessageBox.question(
                    self,
                    "A similar partner exists",
                    error.message,
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.No,
                )
                if answer != QMessageBox.StandardButton.Yes or confirmed:
                    self.name.setFocus()
                    return
                confirmed = True
                continue
            except ServiceError as error:
                self._show_errors({})
                show_problem(self, error)
                return
            break
        self.saved_id = saved_id
        self._events.changed.emit(PARTNERS)
        self.accept()

    def _show_errors(self, errors: dict[str, str]) -> None:
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

    # -- leaving ---------------------------------------------------------------------------

    def reject(self) -> None:
        """Cancel, Escape and the window's close button all come here."""
        if self.has_changes():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                "Discard your changes?",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()
