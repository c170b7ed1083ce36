"""Participants: who takes part, with as little personal data as serves, and the activities
they are enrolled in."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import InUse, ServiceError, ValidationError
from collab_desktop.services.participants import NameMatches, ParticipantData, ParticipantRow
from collab_desktop.services.privacy.people import PARTICIPANT
from collab_desktop.services.store import Services
from collab_desktop.ui.delivery_forms import FormDialog, read_dates
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import DateField, name_widget, open_dialog
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.partner_dialog import form_columns, short_text_edit
from collab_desktop.ui.privacy.actions import PrivacyActions
from collab_desktop.ui.sheet_actions import ACTIVITIES, PARTICIPANTS, SESSIONS
from collab_desktop.ui.table_model import Column

ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_FIELDS = ("joined_on", "left_on")

COLUMNS = [
    Column("Name", lambda r: r.name),
    Column("Reference", lambda r: r.reference),
    Column("Activities", lambda r: r.activities),
    Column("Joined", lambda r: r.joined_on, searchable=False),
    Column("Left", lambda r: r.left_on, searchable=False),
    Column("Sessions attended", lambda r: r.attendances, searchable=False),
]


class ParticipantDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        participant_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("participant", parent)
        self._services = services
        self._events = events
        self.saved_id: uuid.UUID | None = None
        self._data = (
            services.participants.get_participant(participant_id)
            if participant_id
            else ParticipantData()
        )
        self.setWindowTitle(
            f"Participant — {self._data.display_name}" if participant_id else "New participant"
        )
        self.display_name = name_widget(QLineEdit(), "participant_name", "Name")
        self.display_name.setPlaceholderText("as little as will do: a first name, or initials")
        self.reference = name_widget(QLineEdit(), "participant_reference", "Reference number")
        self.reference.setPlaceholderText("optional, e.g. a prison number")
        self.joined_on = name_widget(DateField(), "participant_joined", "Joined")
        self.left_on = name_widget(DateField(), "participant_left", "Left")
        self.notes = short_text_edit("participant_notes", "Notes", lines=3)
        self.activity_ids = name_widget(QListWidget(), "participant_activities", "Activities")
        self.activity_ids.setMinimumHeight(100)

        left = QFormLayout()
        self.errors.add_row(left, "&Name:", "display_name", self.display_name)
        self.errors.add_row(left, "&Reference:", "reference", self.reference)
        self.errors.add_row(left, "&Joined:", "joined_on", self.joined_on)
        self.errors.add_row(left, "&Left:", "left_on", self.left_on)
        self.errors.add_row(left, "N&otes:", "notes", self.notes)
        # Issue 15: preferred language and consent notes.
        self.preferred_language = name_widget(
            QLineEdit(), "participant_language", "Preferred language"
        )
        self.preferred_language.setPlaceholderText("e.g. Welsh")
        self.consent_notes = short_text_edit("participant_consent", "Consent notes", lines=2)
        self.errors.add_row(left, "Language:", "preferred_language", self.preferred_language)
        self.errors.add_row(left, "Consent:", "consent_notes", self.consent_notes)
        right = QFormLayout()
        heading = QLabel("&Activities (tick to enrol; they then appear on its registers):")
        heading.setWordWrap(True)
        heading.setBuddy(self.activity_ids)
        right.addRow(heading)
        self.errors.add_row(right, "", "activity_ids", self.activity_ids)
        privacy = QLabel(
            "Record no more than the group needs. Sheets print names as each activity's "
            "setting says (initials only, for custody, unless changed)."
        )
        privacy.setWordWrap(True)
        privacy.setStyleSheet("color: #555;")
        right.addRow(privacy)

        layout = QVBoxLayout(self)
        layout.addLayout(form_columns(left, right))
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._fill_activities()
        self._load(self._data)
        self.remember()
        self.resize(760, 380)
        self.display_name.setFocus()

    def _fill_activities(self) -> None:
        for row in self._services.activities.list_activities():
            item = QListWidgetItem(f"{row.name} ({row.collaboration})")
            item.setData(ACTIVITY_ROLE, row.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            self.activity_ids.addItem(item)

    def _load(self, data: ParticipantData) -> None:
        self.display_name.setText(data.display_name)
        self.reference.setText(data.reference)
        self.joined_on.set_value(data.joined_on)
        self.left_on.set_value(data.left_on)
        self.notes.setPlainText(data.notes)
        self.preferred_language.setText(data.preferred_language)
        self.consent_notes.setPlainText(data.consent_notes)
        self.tick_activities(set(data.activity_ids))

    def tick_activities(self, ids: set[uuid.UUID]) -> None:
        for row in range(self.activity_ids.count()):
            item = self.activity_ids.item(row)
            if item.data(ACTIVITY_ROLE) in ids:
                item.setCheckState(Qt.CheckState.Checked)

    def ticked(self) -> list[uuid.UUID]:
        return [
            self.activity_ids.item(r).data(ACTIVITY_ROLE)
            for r in range(self.activity_ids.count())
            if self.activity_ids.item(r).checkState() == Qt.CheckState.Checked
        ]

    def form_data(self) -> tuple[ParticipantData, dict[str, str]]:
        dates, problems = read_dates({f: getattr(self, f) for f in DATE_FIELDS})
        data = ParticipantData(
            id=self._data.id,
            display_name=self.display_name.text(),
            reference=self.reference.text(),
            notes=self.notes.toPlainText(),
            activity_ids=self.ticked(),
            preferred_language=self.preferred_language.text().strip(),
            consent_notes=self.consent_notes.toPlainText(),
            **dates,
        )
        return data, problems

    def snapshot(self) -> object:
        data, _ = self.form_data()
        return data, self.joined_on.text(), self.left_on.text()

    def save(self, confirmed: bool = False) -> None:
        data, problems = self.form_data()
        if problems:
            self.show_errors(problems)
            return
        try:
            self.saved_id = self._services.participants.save_participant(data, confirmed)
        except NameMatches as matches:
            self._offer_existing(data, matches)
            return
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        except ServiceError as error:
            self.show_errors({})
            show_problem(self, error)
            return
        self._events.changed.emit(PARTICIPANTS)
        self.accept()

    def _offer_existing(self, data: ParticipantData, matches: NameMatches) -> None:
        first = matches.matches[0]
        listed = "\n".join(f"• {m.label}" for m in matches.matches[:5])
        answer = QMessageBox.question(
            self,
            "Someone already recorded?",
            f"“{data.display_name}” looks like someone already recorded:\n{listed}\n\n"
            f"Yes: open {first.name}'s record instead (what you ticked here is kept).\n"
            f"No: record “{data.display_name}” as a different person.",
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            wanted = set(data.activity_ids)
            self._data = self._services.participants.get_participant(first.id)
            self.setWindowTitle(f"Participant — {self._data.display_name}")
            self._load(self._data)
            self.tick_activities(wanted)
            self.show_errors({})
            self.problem.setText(
                f"This is the record of {first.name} already kept. Check it, then Save."
            )
            self.problem.setStyleSheet("color: #1a4d8f;")
            self.problem.show()
        elif answer == QMessageBox.StandardButton.No:
            self.save(confirmed=True)


class ParticipantsPage(ListPage):
    def __init__(self, services: Services, events: DataEvents, parent: QWidget | None = None):
        super().__init__("participants", "Participants", COLUMNS, parent)
        self._services = services
        self._events = events
        self.dialog = None
        self.add_button("&New participant…", "new", self.new_participant, "Ctrl+N")
        self.edit_button = self.add_button("Ed&it…", "edit", self.edit_participant)
        self.delete_button = self.add_button("&Delete", "delete", self.delete_participant)
        self.privacy = PrivacyActions(  # issue 15: everything about / anonymise / erase
            self, services, events, PARTICIPANT, lambda r: (r.id, r.name), PARTICIPANTS
        )
        self.activated.connect(lambda _row: self.edit_participant())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changed.connect(self._on_changed)

    def _on_changed(self, what: str) -> None:
        if what in (PARTICIPANTS, ACTIVITIES, SESSIONS):
            self.refresh()

    def refresh(self) -> None:
        try:
            rows = self._services.participants.list_participants()
        except ServiceError as error:
            show_problem(self, error)
            return
        self.set_rows(rows, keep=lambda r: r.id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.selected() is not None
        self.edit_button.setEnabled(selected)
        self.delete_button.setEnabled(selected)
        self.privacy.set_enabled(selected)

    def new_participant(self) -> ParticipantDialog:
        dialog = ParticipantDialog(self._services, self._events, parent=self)
        return open_dialog(self, dialog, lambda: self._select(dialog.saved_id))

    def edit_participant(self) -> ParticipantDialog | None:
        row: ParticipantRow | None = self.selected()
        if row is None:
            return None
        try:
            dialog = ParticipantDialog(self._services, self._events, row.id, parent=self)
        except ServiceError as error:
            show_problem(self, error)
            return None
        return open_dialog(self, dialog, lambda: self._select(dialog.saved_id))

    def _select(self, participant_id) -> None:
        if participant_id is not None:
            self.select_where(lambda r: r.id == participant_id)

    def delete_participant(self) -> None:
        row: ParticipantRow | None = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete participant",
            f"Delete {row.name}'s record? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self._services.participants.delete_participant(row.id)
        except InUse as error:
            QMessageBox.warning(self, "Cannot delete this record", error.message)
            return
        except ServiceError as error:
            show_problem(self, error)
            return
        self._events.changed.emit(PARTICIPANTS)
