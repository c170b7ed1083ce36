"""Who plays each part of a template: one row per member, with the part it plays in this
agreement, and what follows from the choice said underneath (services/agreements/parts.py).
Shown before a draft is made from a template, and from the editor to change a draft's."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import MEMBER_ROLES, label
from collab_desktop.services.agreements.parts import MemberPart, PartsPlan, notes
from collab_desktop.ui.forms import name_widget

NO_PART_TEXT = "No part (no duties, no signature)"


class PartsPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parts_picker")
        self._plan: PartsPlan | None = None
        self.intro = QLabel(
            "The template speaks of parts. Check which member plays each one: the text, "
            "the duties and the signatures are drafted for them."
        )
        self.intro.setWordWrap(True)
        self.table = name_widget(QTableWidget(0, 3), "parts_table", "Who plays each part")
        self.table.setHorizontalHeaderLabels(["Member", "Recorded as", "Plays in this agreement"])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.notes = QLabel()
        self.notes.setObjectName("parts_notes")
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #7a4b00;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)

    def set_plan(self, plan: PartsPlan) -> None:
        self._plan = plan
        self.table.setRowCount(0)
        for m in plan.members:
            row = self.table.rowCount()
            self.table.insertRow(row)
            name = QTableWidgetItem(m.name)
            name.setData(Qt.ItemDataRole.UserRole, str(m.organisation_id))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(label(MEMBER_ROLES, m.member_role)))
            box = QComboBox()
            box.setAccessibleName(f"Part {m.name} plays")
            box.setObjectName(f"part_{row}")
            for part in plan.parts:
                box.addItem(part.label, part.role)
            box.addItem(NO_PART_TEXT, "")
            index = box.findData(m.part)
            box.setCurrentIndex(index if index >= 0 else box.count() - 1)
            box.currentIndexChanged.connect(self._changed)
            self.table.setCellWidget(row, 2, box)
        self.table.resizeRowsToContents()
        self._show_notes()

    def has_parts(self) -> bool:
        return bool(self._plan and self._plan.parts)

    def chosen(self) -> dict[uuid.UUID, str]:
        found = {}
        for row in range(self.table.rowCount()):
            org = uuid.UUID(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
            found[org] = self.table.cellWidget(row, 2).currentData()
        return found

    def current_plan(self) -> PartsPlan:
        chosen = self.chosen()
        return PartsPlan(
            self._plan.parts,
            [
                MemberPart(m.organisation_id, m.name, m.member_role, chosen[m.organisation_id])
                for m in self._plan.members
            ],
        )

    def _changed(self) -> None:
        self._show_notes()
        self.changed.emit()

    def _show_notes(self) -> None:
        said = notes(self.current_plan()) if self.has_parts() else []
        self.notes.setText("\n".join(f"• {line}" for line in said))
        self.notes.setVisible(bool(said))


class PartsDialog(QDialog):
    """Change which member plays each part of a draft (the editor's "Who plays which part")."""

    def __init__(self, plan: PartsPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parts_dialog")
        self.setWindowTitle("Who plays which part")
        self.picker = PartsPicker(self)
        self.picker.set_plan(plan)
        note = QLabel(
            "The text follows at once. Duties and signature lines move from a member who gives "
            "a part up to the one who takes it on."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Change the draft")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("parts_ok")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picker, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(620, 380)
