"""Adding or editing a collaboration: what it is, when, how it is funded, and its members."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut
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
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import (
    COLLABORATION_STATUSES,
    FUNDING_TYPES,
    MEMBER_ROLES,
    SETTINGS,
)
from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.store import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import COLLABORATIONS, DataEvents
from collab_desktop.ui.forms import ChoiceBox, DateField, FieldErrors, name_widget
from collab_desktop.ui.partner_dialog import (
    PartnerDialog,
    error_label,
    form_columns,
    plain_buttons,
    short_text_edit,
    show_messages,
)
from collab_desktop.ui.preferences import own_organisation_id
from collab_desktop.ui.row_table import RowTable

PARTNER, ROLE = range(2)
DATE_FIELDS = ("start_date", "end_date", "funding_from", "funding_until")


def chosen_partner(combo: QComboBox) -> uuid.UUID | None:
    value = combo.currentData()
    return uuid.UUID(value) if value else None


def choose_partner(combo: QComboBox, partner_id: uuid.UUID | None) -> None:
    index = combo.findData(str(partner_id) if partner_id else "")
    combo.setCurrentIndex(max(index, 0))


class CollaborationDialog(QDialog):
    """Opens on a new collaboration, or on an existing one by id (raises NotFound if gone).

    On a successful save it announces COLLABORATIONS, sets `saved_id` and accepts.
    """

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        collaboration_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("collaboration_dialog")
        self._services = services
        self._events = events
        self._data = (
            services.collaborations.get_collaboration(collaboration_id)
            if collaboration_id
            else CollaborationData()
        )
        self.saved_id: uuid.UUID | None = None
        self.partner_dialog: PartnerDialog | None = None
        self.setWindowTitle(
            f"Collaboration — {self._data.name}" if collaboration_id else "New collaboration"
        )
        # Partners that can be chosen: those not archived, and any archived one this
        # collaboration already names (it must still show as it is).
        self._partners: dict[uuid.UUID, str] = {}
        self._archived: set[uuid.UUID] = set()
        self._load_partners()
        if collaboration_id is None:
            # The user's own organisation (Preferences) is a member of most of their
            # collaborations: offered from the start, and removable like any other.
            own = own_organisation_id(services)
            if own in self._partners and own not in self._archived:
                self._data.members.append(MemberData(own, "partner"))

        self.errors = FieldErrors()
        self.name = name_widget(QLineEdit(), "collaboration_name", "Name")
        self.setting = name_widget(ChoiceBox(SETTINGS), "collaboration_setting", "Setting")
        self.site = name_widget(QLineEdit(), "collaboration_site", "Site")
        self.site.setPlaceholderText("e.g. HMP Leyhill")
        self.status = name_widget(
            ChoiceBox(COLLABORATION_STATUSES), "collaboration_status", "Status"
        )
        self.start_date = name_widget(DateField(), "collaboration_start", "Start date")
        self.end_date = name_widget(DateField(), "collaboration_end", "End date")
        self.purpose = short_text_edit("collaboration_purpose", "Purpose", lines=3)
        self.funding_type = name_widget(
            ChoiceBox(FUNDING_TYPES), "collaboration_funding_type", "Funding"
        )
        self.funder_id = name_widget(QComboBox(), "collaboration_funder", "Funder")
        self.funding_from = name_widget(DateField(), "collaboration_funding_from", "Funded from")
        self.funding_until = name_widget(DateField(), "collaboration_funding_until", "Funded until")
        self.notes = short_text_edit("collaboration_notes", "Notes", lines=2)

        left = QFormLayout()
        self.errors.add_row(left, "&Name:", "name", self.name)
        self.errors.add_row(left, "Se&tting:", "setting", self.setting)
        self.errors.add_row(left, "S&ite:", "site", self.site)
        self.errors.add_row(left, "Stat&us:", "status", self.status)
        self.errors.add_row(left, "St&art date:", "start_date", self.start_date)
        self.errors.add_row(left, "&End date:", "end_date", self.end_date)
        right = QFormLayout()
        self.errors.add_row(right, "&Purpose:", "purpose", self.purpose)
        self.errors.add_row(right, "&Funding:", "funding_type", self.funding_type)
        self.errors.add_row(right, "Fun&der:", "funder_id", self.funder_id)
        self.errors.add_row(right, "Funded fr&om:", "funding_from", self.funding_from)
        self.errors.add_row(right, "Funded unti&l:", "funding_until", self.funding_until)
        self.errors.add_row(right, "Note&s:", "notes", self.notes)
        # Issue 15: why personal data is kept (ui/privacy/lawful_basis.py).
        from collab_desktop.ui.privacy.lawful_basis import LawfulBasisFields

        self.lawful = LawfulBasisFields(left)
        columns = form_columns(left, right)

        heading = QLabel("&Members")
        self.members = name_widget(RowTable(["Partner", "Role"]), "members_table", "Members")
        heading.setBuddy(self.members)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(PARTNER, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROLE, QHeaderView.ResizeMode.Interactive)
        self.members.setColumnWidth(ROLE, 200)
        self.members.setMinimumHeight(120)
        self.members.itemSelectionChanged.connect(self._update_buttons)
        self.members.currentCellChanged.connect(lambda *_: self._update_buttons())
        self.add_member_button = name_widget(QPushButton("Add mem&ber"), "add_member", "Add member")
        self.add_member_button.clicked.connect(self._add_member_clicked)
        self.remove_member_button = name_widget(
            QPushButton("&Remove member"), "remove_member", "Remove member"
        )
        self.remove_member_button.clicked.connect(self.remove_member)
        self.new_partner_button = name_widget(
            QPushButton("Ne&w partner…"), "collaboration_new_partner", "New partner"
        )
        self.new_partner_button.setToolTip("Record a new partner and add it as a member")
        self.new_partner_button.clicked.connect(self.new_partner)
        self.member_errors = error_label("members_errors")
        self.problem = error_label("collaboration_problem")

        buttons = QDialogButtonBox(self)  # in the dialog: see FormDialog (Enter saves)
        self.save_button = name_widget(
            buttons.addButton(QDialogButtonBox.StandardButton.Save), "collaboration_save", "Save"
        )
        self.cancel_button = name_widget(
            buttons.addButton(QDialogButtonBox.StandardButton.Cancel),
            "collaboration_cancel",
            "Cancel",
        )
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        plain_buttons(
            self.add_member_button,
            self.remove_member_button,
            self.new_partner_button,
            self.cancel_button,
        )
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        member_buttons.addWidget(self.new_partner_button)
        member_buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.members, 1)
        layout.addWidget(self.member_errors)
        layout.addLayout(member_buttons)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        self._load(self._data)
        self._initial = self._snapshot()
        self._update_buttons()
        self.resize(900, 600)
        self.name.setFocus()

    # -- partners to choose from -----------------------------------------------------------

    def _load_partners(self) -> None:
        named = {m.organisation_id for m in self._data.members}
        if self._data.funder_id:
            named.add(self._data.funder_id)
        self._partners.clear()
        self._archived.clear()
        for row in self._services.partners.list_partners(include_archived=True):
            if row.archived and row.id not in named:
                continue
            self._partners[row.id] = row.name
            if row.archived:
                self._archived.add(row.id)

    def _partner_label(self, partner_id: uuid.UUID) -> str:
        name = self._partners[partner_id]
        return f"{name} (archived)" if partner_id in self._archived else name

    def _fill_partner_combo(self, combo: QComboBox, blank: str | None = None) -> None:
        """(Re)fill a combo with the partners, keeping what it had chosen."""
        chosen = chosen_partner(combo)
        combo.blockSignals(True)
        combo.clear()
        if blank is not None:
            combo.addItem(blank, "")
        for partner_id in self._partners:
            # As text: findData() cannot match a Python object such as a UUID.
            combo.addItem(self._partner_label(partner_id), str(partner_id))
        choose_partner(combo, chosen)
        combo.blockSignals(False)

    def _refresh_partner_choices(self) -> None:
        self._load_partners()
        self._fill_partner_combo(self.funder_id, "(none)")
        for row in range(self.members.rowCount()):
            self._fill_partner_combo(self.members.cellWidget(row, PARTNER))

    # -- reading and writing the form ------------------------------------------------------

    def _load(self, data: CollaborationData) -> None:
        self.name.setText(data.name)
        self.setting.set_value(data.setting)
        self.site.setText(data.site)
        self.status.set_value(data.status)
        self.start_date.set_value(data.start_date)
        self.end_date.set_value(data.end_date)
        self.purpose.setPlainText(data.purpose)
        self.funding_type.set_value(data.funding_type)
        self._fill_partner_combo(self.funder_id, "(none)")
        choose_partner(self.funder_id, data.funder_id)
        self.funding_from.set_value(data.funding_from)
        self.funding_until.set_value(data.funding_until)
        self.notes.setPlainText(data.notes)
        self.lawful.load(data)
        for member in data.members:
            self.add_member(member.organisation_id, member.role)

    def add_member(self, partner_id: uuid.UUID | None = None, role: str = "partner") -> int:
        """Add a member row; without a partner, the first one not yet a member is chosen.
        Returns the row number, or -1 if there are no partners to choose from."""
        if not self._partners:
            return -1
        if partner_id is None:
            taken = {m.organisation_id for m in self.member_rows()}
            partner_id = next((p for p in self._partners if p not in taken), None)
            if partner_id is None:
                partner_id = next(iter(self._partners))
        row = self.members.rowCount()
        self.members.insertRow(row)
        combo = QComboBox()
        self._fill_partner_combo(combo)
        choose_partner(combo, partner_id)
        self.members.set_row_widget(row, PARTNER, combo)
        role_box = ChoiceBox(MEMBER_ROLES)
        role_box.set_value(role)
        self.members.set_row_widget(row, ROLE, role_box)
        self._name_rows()
        self._update_buttons()
        return row

    def _add_member_clicked(self) -> None:
        row = self.add_member()
        if row < 0:
            show_messages(
                self.member_errors,
                ["There are no partners yet. Use “New partner…” to record one."],
            )
            return
        self.members.setCurrentCell(row, PARTNER)
        self.members.cellWidget(row, PARTNER).setFocus()

    def remove_member(self) -> None:
        self.members.remove_current_row()
        self._name_rows()
        self._update_buttons()

    def new_partner(self) -> PartnerDialog:
        """Record a new partner and, once saved, add it as a member."""
        dialog = PartnerDialog(self._services, self._events, parent=self)
        self.partner_dialog = dialog
        dialog.accepted.connect(lambda: self._partner_added(dialog.saved_id))
        dialog.finished.connect(self._partner_dialog_closed)
        dialog.open()
        return dialog

    def _partner_added(self, partner_id: uuid.UUID | None) -> None:
        self._refresh_partner_choices()
        if partner_id is not None and partner_id in self._partners:
            row = self.add_member(partner_id)
            self.members.setCurrentCell(row, PARTNER)

    def _partner_dialog_closed(self) -> None:
        if self.partner_dialog is not None:
            self.partner_dialog.deleteLater()
        self.partner_dialog = None

    def _name_rows(self) -> None:
        for row in range(self.members.rowCount()):
            name_widget(
                self.members.cellWidget(row, PARTNER),
                f"member_partner_{row}",
                f"Partner of member {row + 1}",
            )
            name_widget(
                self.members.cellWidget(row, ROLE),
                f"member_role_{row}",
                f"Role of member {row + 1}",
            )
        self.members.order_tabs(self.add_member_button)

    def _update_buttons(self) -> None:
        self.remove_member_button.setEnabled(self.members.currentRow() >= 0)

    def member_rows(self) -> list[MemberData]:
        members = []
        for row in range(self.members.rowCount()):
            partner_id = chosen_partner(self.members.cellWidget(row, PARTNER))
            role = self.members.cellWidget(row, ROLE).value()
            members.append(MemberData(partner_id, role, self._partners.get(partner_id, "")))
        return members

    def _dates(self) -> tuple[dict[str, date | None], dict[str, str]]:
        """The typed dates, and a message for each one that is not a date."""
        values: dict[str, date | None] = {}
        problems: dict[str, str] = {}
        for field in DATE_FIELDS:
            try:
                values[field] = getattr(self, field).value()
            except ValueError as error:
                values[field] = None
                problems[field] = str(error)
        return values, problems

    def form_data(self) -> tuple[CollaborationData, dict[str, str]]:
        """The collaboration as the form now stands, and messages for dates that are not."""
        dates, problems = self._dates()
        data = CollaborationData(
            id=self._data.id,
            name=self.name.text(),
            purpose=self.purpose.toPlainText(),
            setting=self.setting.value(),
            site=self.site.text(),
            status=self.status.value(),
            funding_type=self.funding_type.value(),
            funder_id=chosen_partner(self.funder_id),
            notes=self.notes.toPlainText(),
            members=self.member_rows(),
            **dates,
        )
        self.lawful.read(data)
        return data, problems

    def _snapshot(self) -> tuple[object, ...]:
        # The text of the date fields, not their value: a half-typed date is a change too.
        data, _ = self.form_data()
        return (data, *(getattr(self, field).text() for field in DATE_FIELDS))

    def has_changes(self) -> bool:
        return self._snapshot() != self._initial

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        data, problems = self.form_data()
        if problems:
            # Show every problem at once: the dates that are not dates, and whatever else
            # the service would say about the rest of the form.
            try:
                self._services.collaborations.validate(data)
            except ValidationError as error:
                problems = {**error.errors, **problems}
            self._show_errors(problems)
            return
        try:
            saved_id = self._services.collaborations.save_collaboration(data)
        except ValidationError as error:
            self._show_errors(error.errors)
            return
        except ServiceError as error:
            self._show_errors({})
            show_problem(self, error)
            return
        self.saved_id = saved_id
        self._events.changed.emit(COLLABORATIONS)
        self.accept()

    def _show_errors(self, errors: dict[str, str]) -> None:
        rest = self.errors.show(errors)
        member_messages = [m for f, m in rest.items() if f.split(".")[0] == "members"]
        other = [m for f, m in rest.items() if f.split(".")[0] != "members"]
        show_messages(self.member_errors, member_messages)
        show_messages(self.problem, other)
        for field in errors:
            if field.split(".")[0] == "members":
                self.members.setFocus()
                break
            widget = getattr(self, field, None)
            if self.errors.label(field) is not None and isinstance(widget, QWidget):
                widget.setFocus()
                break

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
