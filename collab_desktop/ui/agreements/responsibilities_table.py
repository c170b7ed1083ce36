"""The agreement editor's table of responsibilities: who (a partner, a named contact, or all
jointly), the area, what, and how often."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QTableWidgetItem

from collab_desktop.models.enums import RESPONSIBILITY_AREAS
from collab_desktop.services.agreements.version_data import PartyChoice, ResponsibilityData
from collab_desktop.ui.agreements.agreement_table import AgreementTable
from collab_desktop.ui.forms import ChoiceBox, name_widget

R_PARTY, R_AREA, R_WHAT, R_OFTEN = range(4)
JOINT = "joint"


class ResponsibilitiesTable(AgreementTable[ResponsibilityData]):
    MAIN_COLUMN = R_WHAT

    def __init__(self, changed: Callable[..., None]) -> None:
        super().__init__(["Who", "Area", "What", "How often"], changed)
        name_widget(self, "responsibilities_table", "Responsibilities")
        self.parties: Sequence[PartyChoice] = []
        self.contacts: Sequence = []  # services.partners.contacts_of(...) rows
        # Rows fit their wrapped text when the widths settle (see fit_rows), not on insert.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.horizontalHeader()
        header.setSectionResizeMode(R_WHAT, QHeaderView.ResizeMode.Stretch)
        self.setColumnWidth(R_PARTY, 220)
        self.setColumnWidth(R_AREA, 140)
        self.setColumnWidth(R_OFTEN, 150)
        self.setWordWrap(True)
        # Row heights follow the wrapped "What" text; they are recomputed whenever the column
        # widths settle (ResizeToContents measures too early, before the stretch applies).
        header.sectionResized.connect(lambda *_: self.fit_rows())

    def fit_rows(self) -> None:
        self.resizeRowsToContents()

    def _party_box(self, r: ResponsibilityData) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName("Who is responsible")
        # Keys are strings: QComboBox.findData cannot match Python tuples or UUID objects.
        for party in self.parties:
            box.addItem(party.name, f"organisation:{party.organisation_id}")
        for contact in self.contacts:
            box.addItem(f"{contact.name} ({contact.organisation})", f"contact:{contact.id}")
        box.addItem("Joint (all parties)", JOINT)
        if r.contact_id:
            wanted = f"contact:{r.contact_id}"
        elif r.organisation_id:
            wanted = f"organisation:{r.organisation_id}"
        else:
            wanted = JOINT
        index = box.findData(wanted)
        box.setCurrentIndex(index if index >= 0 else box.count() - 1)
        box.currentIndexChanged.connect(self.changed)
        return box

    def add_row(self, r: ResponsibilityData | None = None) -> None:
        new = not isinstance(r, ResponsibilityData)  # a button's click passes a bool
        r = r if isinstance(r, ResponsibilityData) else ResponsibilityData()
        row = self.rowCount()
        self.insertRow(row)
        self.set_row_widget(row, R_PARTY, self._party_box(r))
        area = ChoiceBox(RESPONSIBILITY_AREAS)
        area.setAccessibleName("Area")
        area.set_value(r.area)
        area.currentIndexChanged.connect(self.changed)
        self.set_row_widget(row, R_AREA, area)
        what = QTableWidgetItem(r.what)
        what.setData(Qt.ItemDataRole.UserRole, r.id)
        self.setItem(row, R_WHAT, what)
        self.setItem(row, R_OFTEN, QTableWidgetItem(r.how_often))
        if new:
            self.changed()
            self.setCurrentCell(row, R_WHAT)
            self.editItem(what)

    def read(self) -> list[ResponsibilityData]:
        rows = []
        for row in range(self.rowCount()):
            kind, _, text = self.cellWidget(row, R_PARTY).currentData().partition(":")
            key = uuid.UUID(text) if text else None
            what = self.item(row, R_WHAT)
            often = self.item(row, R_OFTEN)
            rows.append(
                ResponsibilityData(
                    id=what.data(Qt.ItemDataRole.UserRole) if what else None,
                    what=what.text() if what else "",
                    how_often=often.text() if often else "",
                    area=self.cellWidget(row, R_AREA).value(),
                    organisation_id=key if kind == "organisation" else None,
                    contact_id=key if kind == "contact" else None,
                )
            )
        return rows
