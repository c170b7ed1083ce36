"""The collaboration dialog's "why we keep personal data" fields (issue 15): the lawful basis,
for custody work the condition for criminal-offence data, and the appropriate policy document.
Kept here so the dialog needs three lines to show them."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit

from collab_desktop.models.enums import LAWFUL_BASES, OFFENCE_CONDITIONS, POLICY_DOCUMENT
from collab_desktop.services.collaborations import CollaborationData
from collab_desktop.ui.forms import name_widget


def _combo(name: str, accessible: str, choices: dict[str, str]) -> QComboBox:
    combo = name_widget(QComboBox(), name, accessible)
    for value, text in choices.items():
        combo.addItem(text, value)
    return combo


class LawfulBasisFields:
    def __init__(self, form: QFormLayout) -> None:
        self.lawful_basis = _combo("collaboration_lawful_basis", "Lawful basis", LAWFUL_BASES)
        self.offence_condition = _combo(
            "collaboration_offence_condition", "Condition for criminal-offence data",
            OFFENCE_CONDITIONS,
        )  # fmt: skip
        self.policy_document = _combo(
            "collaboration_policy_document", "Appropriate policy document", POLICY_DOCUMENT
        )
        self.policy_where = name_widget(
            QLineEdit(), "collaboration_policy_where", "Where the policy document is kept"
        )
        self.policy_where.setPlaceholderText("where it is kept, e.g. the shared drive")
        self.policy_where.setMaxLength(300)
        form.addRow("Lawful basis:", self.lawful_basis)
        form.addRow("Offence data:", self.offence_condition)
        form.addRow("Policy document:", self.policy_document)
        form.addRow("", self.policy_where)
        for combo, tip in (
            (self.lawful_basis, "Why the partners may keep participants' personal data."),
            (self.offence_condition, "For custody work: the condition for criminal-offence data."),
            (self.policy_document, "Whether an appropriate policy document exists."),
        ):
            combo.setToolTip(tip)

    def load(self, data: CollaborationData) -> None:
        for combo, value in (
            (self.lawful_basis, data.lawful_basis),
            (self.offence_condition, data.offence_condition),
            (self.policy_document, data.policy_document),
        ):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.policy_where.setText(data.policy_document_where)

    def read(self, data: CollaborationData) -> None:
        data.lawful_basis = self.lawful_basis.currentData() or ""
        data.offence_condition = self.offence_condition.currentData() or ""
        data.policy_document = self.policy_document.currentData() or ""
        data.policy_document_where = " ".join(self.policy_where.text().split())
