"""Adding or editing a collaboration: what it is, when, how it is funded, and its members."""

from __future__ import annotations

import uuid
from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.editable_table import EditableTable
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    Field,
    FormDialog,
    FormFields,
    error_label,
    form_columns,
    name_widget,
    plain_buttons,
    short_text_edit,
    show_messages,
)
from collab_desktop.ui.partner_dialog import PartnerDialog
from collab_desktop.ui.preferences import own_organisation_id

PARTNER, ROLE = range(2)


class PartnerChoice(QComboBox):
    """A drop-down of partners (filled by the dialog), whose value is the chosen one's id."""

    def value(self) -> uuid.UUID | None:
        return chosen_partner(self)

    def set_value(self, partner_id: uuid.UUID | None) -> None:
        choose_partner(self, partner_id)


# The collaboration's own fields, each declared once: the form loads and reads exactly these
# (FormFields); tests/ui/test_form_round_trip.py checks they are all of CollaborationData's
# but NOT_ON_FORM. A new field is one line here (and its place in a column below).
FIELDS = [
    Field("name", "&Name:"),
    Field("setting", "Se&tting:", lambda: ChoiceBox(SETTINGS)),
    Field("site", "S&ite:"),
    Field("status", "Stat&us:", lambda: ChoiceBox(COLLABORATION_STATUSES)),
    Field("start_date", "St&art date:", DateField, "collaboration_start"),
    Field("end_date", "&End date:", DateField, "collaboration_end"),
    Field("purpose", "&Purpose:", lambda: short_text_edit("", "", lines=3)),
    Field("funding_type", "&Funding:", lambda: ChoiceBox(FUNDING_TYPES), accessible="Funding"),
    Field("funder_id", "Fun&der:", PartnerChoice, "collaboration_funder"),
    Field("funding_from", "Funded fr&om:", DateField),
    Field("funding_until", "Funded unti&l:", DateField),
    Field("notes", "Note&s:", lambda: short_text_edit("", "", lines=2)),
]
NOT_ON_FORM = {"id", "members"}  # members: the table below the fields
# Issue 15's "why we keep it" fields: ui/privacy/lawful_basis.py lays out, loads and reads them.
NOT_ON_FORM |= {"lawful_basis", "offence_condition", "policy_document", "policy_document_where"}


def chosen_partner(combo: QComboBox) -> uuid.UUID | None:
    value = combo.currentData()
    return uuid.UUID(value) if value else None


def choose_partner(combo: QComboBox, partner_id: uuid.UUID | None) -> None:
    index = combo.findData(str(partner_id) if partner_id else "")
    combo.setCurrentIndex(max(index, 0))


class CollaborationDialog(FormDialog):
    """Opens on a new collaboration, or on an existing one by id (raises NotFound if gone).

    On a successful save (through ui/operations: every page hears of it) it sets `saved_id`
    and accepts.
    """

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        collaboration_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("collaboration", parent)
        self._services = services
        self._events = events
        self._data = (
            services.collaborations.get_collaboration(collaboration_id)
            if collaboration_id
            else CollaborationData()
        )
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

        self.fields = FormFields(self, "collaboration", self.errors, FIELDS)
        self.site.setPlaceholderText("e.g. HMP Leyhill")

        left = QFormLayout()
        self.fields.add_rows(left, "name", "setting", "site", "status", "start_date", "end_date")
        right = QFormLayout()
        self.fields.add_rows(
            right, "purpose", "funding_type", "funder_id", "funding_from", "funding_until", "notes"
        )
        # Issue 15: why personal data is kept (ui/privacy/lawful_basis.py).
        from collab_desktop.ui.privacy.lawful_basis import LawfulBasisFields

        self.lawful = LawfulBasisFields(left)
        columns = form_columns(left, right)

        heading = QLabel("&Members")
        self.members = name_widget(EditableTable(["Partner", "Role"]), "members_table", "Members")
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
        layout.addWidget(self.buttons)

        self._load(self._data)
        self.remember()
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
        self._fill_partner_combo(self.funder_id, "(none)")
        self.fields.load(data)
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

    def form_data(self) -> tuple[CollaborationData, dict[str, str]]:
        """The collaboration as the form now stands, and messages for dates that are not."""
        values, problems = self.fields.read()
        data = replace(self._data, **values, members=self.member_rows())
        self.lawful.read(data)
        return data, problems

    def snapshot(self) -> tuple[object, ...]:
        # What is typed, not its value: a half-typed date is a change too.
        return self.fields.texts(), tuple(self.member_rows())

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
            self.show_errors(problems)
            return
        self.save_with(
            self._services,
            self._events,
            lambda s: s.collaborations.save_collaboration(data),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
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
