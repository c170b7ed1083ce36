"""Record an agreement's review at a meeting (issue 14): the meeting looked at the signed-off
version and either changed nothing (when to look again) or started a new version, which then
goes through drafting and signatures as any other. Both are entries in the agreement's
history (services/meetings/reviews.py)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ValidationError
from collab_desktop.services.meetings.reviews import DEFAULT_NEXT_REVIEW
from collab_desktop.services.open_records import Services
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import DateField, name_widget
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.style import mark_error


class ReviewDialog(QDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        meeting_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("review_dialog")
        self.setWindowTitle("Review an agreement")
        self._services = services
        self._events = events
        self._meeting = services.meetings.get_meeting(meeting_id)
        self.new_version_id: uuid.UUID | None = None

        self.version = name_widget(QComboBox(), "review_version", "Agreement reviewed")
        assert self._meeting.collaboration_id is not None
        for v in services.agreements.list_versions(self._meeting.collaboration_id):
            if v.status == "signed_off":
                self.version.addItem(f"{v.title}, version {v.number}", v.version_id)
        self.no_change = name_widget(
            QRadioButton("Reviewed, &no change"), "review_no_change", "Reviewed, no change"
        )
        self.new_version = name_widget(
            QRadioButton("&Start a new version (a draft, to change and sign again)"),
            "review_new_version", "Start a new version",
        )  # fmt: skip
        self.no_change.setChecked(True)
        self.next_review = name_widget(DateField(), "review_next", "Next review")
        held = self._meeting.held_on
        if held is not None:
            self.next_review.set_value(held + DEFAULT_NEXT_REVIEW)
        self.no_change.toggled.connect(self.next_review.setEnabled)
        self.problem = mark_error(QLabel())  # the shared error look (ui/style.py)
        self.problem.setObjectName("review_problem")

        form = QFormLayout()
        label = QLabel("&Agreement:")
        label.setBuddy(self.version)
        form.addRow(label, self.version)
        form.addRow("", self.no_change)
        next_label = QLabel("Ne&xt review:")
        next_label.setBuddy(self.next_review)
        form.addRow(next_label, self.next_review)
        form.addRow("", self.new_version)
        buttons = QDialogButtonBox()
        self.record_button = name_widget(
            buttons.addButton("&Record review", QDialogButtonBox.ButtonRole.AcceptRole),
            "review_record", "Record review",
        )  # fmt: skip
        self.record_button.setDefault(True)
        name_widget(buttons.addButton(QDialogButtonBox.StandardButton.Cancel), "review_cancel",
                    "Cancel")  # fmt: skip
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        when = f" of {held:%d/%m/%Y}" if held else ""
        layout.addWidget(QLabel(f"What the meeting{when} decided about the agreement:"))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if self.version.count() == 0:
            self.problem.setText("This collaboration has no signed-off agreement to review yet.")
            self.record_button.setEnabled(False)

    def record(self) -> None:
        self.problem.clear()
        version_id = self.version.currentData()
        meeting_id = self._meeting.id
        assert meeting_id is not None
        if self.no_change.isChecked():
            try:
                next_on = self.next_review.value()
            except ValueError as error:
                self.problem.setText(f"Next review: {error}")
                self.next_review.setFocus()
                return
            op = Operation(
                self, self._services, self._events,
                lambda s: s.reviews.reviewed_no_change(meeting_id, version_id, next_on),
            )  # fmt: skip
        else:
            op = Operation(
                self, self._services, self._events,
                lambda s: s.reviews.start_new_version(meeting_id, version_id),
            )  # fmt: skip
        if not op.failure(self._beside).run():
            return
        if self.new_version.isChecked():
            self.new_version_id = op.result
        self.accept()

    def _beside(self, error: Exception) -> bool:
        if isinstance(error, ValidationError):
            self.problem.setText(" ".join(error.errors.values()))
            return True
        return False
