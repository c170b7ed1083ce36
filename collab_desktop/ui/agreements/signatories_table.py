"""The agreement editor's table of signatories: how each signs, name, role, organisation,
whether they must sign, and the signature recorded (never typed here: see
signature_dialog.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHeaderView, QTableWidgetItem

from collab_desktop.models.enums import SIGNATORY_CAPACITIES, SIGNATURE_METHODS, label
from collab_desktop.services.agreements.version_data import PartyChoice, SignatoryData
from collab_desktop.ui.agreements.agreement_table import AgreementTable
from collab_desktop.ui.forms import ChoiceBox, format_date, name_widget

S_CAPACITY, S_NAME, S_ROLE, S_ORG, S_REQUIRED, S_SIGNED = range(6)


def signature_text(s: SignatoryData) -> str:
    if not s.signed_on:
        return "Not yet signed"
    method = label(SIGNATURE_METHODS, s.method).lower()
    return f"Signed {format_date(s.signed_on)} ({method}), recorded by {s.recorded_by}"


def _uuid_or_none(text: str) -> uuid.UUID | None:
    return uuid.UUID(text) if text else None


class SignatoriesTable(AgreementTable[SignatoryData]):
    MAIN_COLUMN = S_NAME

    def __init__(self, changed: Callable[..., None]) -> None:
        super().__init__(
            ["Signs as", "Name", "Role", "Organisation", "Must sign", "Signature"], changed
        )
        name_widget(self, "signatories_table", "Signatories")
        self.parties: Sequence[PartyChoice] = []
        # The version's signatories as loaded: a row keeps its recorded signature.
        self.stored: Sequence[SignatoryData] = []
        self.horizontalHeader().setSectionResizeMode(S_SIGNED, QHeaderView.ResizeMode.Stretch)
        for column, width in ((S_CAPACITY, 150), (S_NAME, 170), (S_ROLE, 150), (S_ORG, 190)):
            self.setColumnWidth(column, width)

    def add_row(self, s: SignatoryData | None = None) -> None:
        new = not isinstance(s, SignatoryData)  # a button's click passes a bool
        s = s if isinstance(s, SignatoryData) else SignatoryData()
        row = self.rowCount()
        self.insertRow(row)
        capacity = ChoiceBox(SIGNATORY_CAPACITIES)
        capacity.setAccessibleName("Signs as")
        capacity.set_value(s.capacity)
        capacity.currentIndexChanged.connect(self.changed)
        self.set_row_widget(row, S_CAPACITY, capacity)
        name = QTableWidgetItem(s.name)
        name.setData(Qt.ItemDataRole.UserRole, s.id)
        self.setItem(row, S_NAME, name)
        self.setItem(row, S_ROLE, QTableWidgetItem(s.role))
        org = QComboBox()
        org.setAccessibleName("Organisation")
        org.addItem("(none)", "")
        for party in self.parties:
            org.addItem(party.name, str(party.organisation_id))
        org.setCurrentIndex(max(0, org.findData(str(s.organisation_id or ""))))
        org.currentIndexChanged.connect(self.changed)
        self.set_row_widget(row, S_ORG, org)
        required = QCheckBox()
        required.setAccessibleName("Must sign")
        required.setChecked(s.required)
        required.toggled.connect(self.changed)
        self.set_row_widget(row, S_REQUIRED, required)
        signed = QTableWidgetItem(signature_text(s))
        signed.setFlags(signed.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.setItem(row, S_SIGNED, signed)
        if new:
            self.changed()
            self.setCurrentCell(row, S_NAME)
            self.editItem(name)

    def read(self) -> list[SignatoryData]:
        rows = []
        existing = {s.id: s for s in self.stored}
        for row in range(self.rowCount()):
            name = self.item(row, S_NAME)
            role = self.item(row, S_ROLE)
            old = existing.get(name.data(Qt.ItemDataRole.UserRole)) if name else None
            rows.append(
                SignatoryData(
                    id=old.id if old else None,
                    name=name.text() if name else "",
                    role=role.text() if role else "",
                    capacity=self.cellWidget(row, S_CAPACITY).value(),
                    organisation_id=_uuid_or_none(self.cellWidget(row, S_ORG).currentData()),
                    required=self.cellWidget(row, S_REQUIRED).isChecked(),
                    signed_on=old.signed_on if old else None,
                    method=old.method if old else "",
                    recorded_by=old.recorded_by if old else "",
                )
            )
        return rows
