"""Recording one signature on an agreement version: who, when, how, and who is recording it."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import SIGNATURE_METHODS
from collab_desktop.services.agreements.version_data import SignatoryData
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import is_damage_error
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import ChoiceBox, DateField, error_label, name_widget, select_data
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.preferences import USER_NAME_KEY


def remembered_user_name() -> str:
    return str(QSettings().value(USER_NAME_KEY, "") or "")


class SignatureDialog(QDialog):
    """Record one signature: who, when, how, and who is recording it."""

    def __init__(
        self,
        services: Services,
        unsigned: list[SignatoryData],
        preferred: uuid.UUID | None,
        parent: QWidget | None = None,
        events: DataEvents | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signature_dialog")
        self.events = events
        self.setWindowTitle("Record a signature")
        self.services = services
        self.who = name_widget(QComboBox(), "signature_who", "Who signed")
        for s in unsigned:
            self.who.addItem(f"{s.name}, {s.role}".strip(", "), s.id)
        if preferred is not None:
            select_data(self.who, preferred)
        self.signed_on = name_widget(DateField(), "signature_date", "Date signed")
        self.signed_on.set_value(date.today())
        self.method = name_widget(ChoiceBox(SIGNATURE_METHODS), "signature_method", "How signed")
        self.recorded_by = name_widget(QLineEdit(), "signature_recorded_by", "Recorded by")
        # The name of whoever last recorded a signature here; never the computer's login name,
        # which would print on the signed copy.
        self.recorded_by.setText(remembered_user_name())
        self.recorded_by.setPlaceholderText("Your name")
        self.error = error_label("signature_error")
        form = QFormLayout()
        form.addRow("&Who signed:", self.who)
        form.addRow("&Date signed:", self.signed_on)
        form.addRow("&How:", self.method)
        form.addRow("&Recorded by:", self.recorded_by)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record signature")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("signature_ok")
        buttons.accepted.connect(self._record)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _record(self) -> None:
        try:
            signed_on = self.signed_on.value()
        except ValueError as error:
            self._fail(str(error))
            return
        if signed_on is None:
            self._fail("Please enter the date it was signed.")
            return
        who, method, by = self.who.currentData(), self.method.value(), self.recorded_by.text()

        def refused(error: Exception) -> bool:
            if isinstance(error, ServiceError) and not is_damage_error(error):
                self._fail(error.message)
                return True
            return False

        if not (
            Operation(
                self,
                self.services,
                self.events,
                lambda s: s.agreements.record_signature(who, signed_on, method, by),
            )
            .failure(refused)
            .run()
        ):
            return
        name = self.recorded_by.text().strip()
        QSettings().setValue(USER_NAME_KEY, name)
        # Until a name is set in preferences, whoever records signatures is the user.
        self.services.audit.user = self.services.audit.user or name
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
