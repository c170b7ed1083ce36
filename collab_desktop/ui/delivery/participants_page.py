"""Participants: who takes part, with as little personal data as serves, and the activities
they are enrolled in."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.changes import ACTIVITIES, PARTICIPANTS, SESSIONS, Changes
from collab_desktop.services.errors import InUse, ServiceError
from collab_desktop.services.privacy.person_ref import PARTICIPANT
from collab_desktop.ui.choice_model import TickModel
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    DateField,
    Field,
    FormDialog,
    FormFields,
    form_columns,
    name_widget,
    open_dialog,
    short_text_edit,
)
from collab_desktop.ui.list_page import FIRST_SCREEN, ListPage
from collab_desktop.ui.operations import Operation, warn_on
from collab_desktop.ui.privacy.actions import PrivacyActions
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.delivery.participants import NameMatches, ParticipantData
    from collab_desktop.services.list_rows import ParticipantRow
    from collab_desktop.services.open_records import Services


def _language_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText("e.g. Welsh")
    return edit


# The participant's own fields, each declared once (FormFields loads and reads exactly these);
# tests/ui/test_form_round_trip_ui.py checks they are all of ParticipantData's but NOT_ON_FORM.
FIELDS = [
    Field("display_name", "&Name:", object_name="participant_name", accessible="Name"),
    Field("reference", "&Reference:", accessible="Reference number"),
    Field("joined_on", "&Joined:", DateField, "participant_joined"),
    Field("left_on", "&Left:", DateField, "participant_left"),
    Field("notes", "N&otes:", lambda: short_text_edit("", "", lines=3)),
    # Issue 15: how to speak with them, and what they agreed to.
    Field(
        "preferred_language",
        "Lan&guage:",
        lambda: _language_edit(),
        "participant_language",
        "Preferred language",
    ),
    Field(
        "consent_notes",
        "Cons&ent:",
        lambda: short_text_edit("", "", lines=2),
        "participant_consent",
        "Consent notes",
    ),
]
NOT_ON_FORM = {"id", "activity_ids"}  # activity_ids: the ticked list beside the fields

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
        from collab_desktop.services.delivery.participants import ParticipantData

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
        self.fields = FormFields(self, "participant", self.errors, FIELDS)
        self.display_name.setPlaceholderText("as little as will do: a first name, or initials")
        self.reference.setPlaceholderText("optional, e.g. a prison number")
        self.activity_ids = name_widget(QListView(), "participant_activities", "Activities")
        self.activity_ids.setMinimumHeight(100)
        # One line each: Qt need not measure each of thousands of activities to lay them out.
        self.activity_ids.setUniformItemSizes(True)
        self.activities = TickModel([], self)
        self.activity_ids.setModel(self.activities)
        # The activities still running (and the person's own) unless asked for all: ten
        # years bring thousands that have finished (issue 17).
        self.show_finished = name_widget(
            QCheckBox("Also show &finished activities"),
            "participant_show_finished",
            "Also show finished activities",
        )
        self.show_finished.toggled.connect(lambda _on: self._list_activities())
        self._list_activities(set(self._data.activity_ids))

        left = QFormLayout()
        self.fields.add_rows(
            left, "display_name", "reference", "joined_on", "left_on", "notes",
            "preferred_language", "consent_notes",
        )  # fmt: skip
        right = QFormLayout()
        heading = QLabel("&Activities (tick to enrol; they then appear on its registers):")
        heading.setWordWrap(True)
        heading.setBuddy(self.activity_ids)
        right.addRow(heading)
        self.errors.add_row(right, "", "activity_ids", self.activity_ids)
        right.addRow(self.show_finished)
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
        self._load(self._data)
        self.remember()
        self.resize(760, 380)
        self.display_name.setFocus()

    def _load(self, data: ParticipantData) -> None:
        self.fields.load(data)
        self.tick_activities(set(data.activity_ids))

    def _list_activities(self, also: set[uuid.UUID] = frozenset()) -> None:
        """The activities to tick, those ticked and `also` among them whatever their dates
        (one hidden would be unticked, unseen, on saving)."""
        choices = self._services.participants.activity_choices(
            include_finished=self.show_finished.isChecked(),
            keep=self.activities.ticked_values() | also,
        )
        self.activities.set_choices(
            [(key, f"{name} ({collaboration})") for key, name, collaboration in choices]
        )

    def tick_activities(self, ids: set[uuid.UUID]) -> None:
        if not ids <= self.activities.values():  # e.g. another person's, finished: listed
            self._list_activities(ids)
        self.activities.tick(ids)

    def ticked(self) -> list[uuid.UUID]:
        return self.activities.ticked()

    def form_data(self) -> tuple[ParticipantData, dict[str, str]]:
        values, problems = self.fields.read()
        return replace(self._data, **values, activity_ids=self.ticked()), problems

    def snapshot(self) -> object:
        return self.fields.texts(), tuple(self.ticked())

    def save(self, confirmed: bool = False) -> None:
        data, problems = self.form_data()
        if problems:
            self.show_errors(problems)
            return

        from collab_desktop.services.delivery.participants import NameMatches

        def matches(error: Exception) -> bool:
            if isinstance(error, NameMatches):
                self._offer_existing(data, error)
                return True
            return False

        self.save_with(
            self._services,
            self._events,
            lambda s: s.participants.save_participant(data, confirmed),
            failure=matches,
        )

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
        events.changes.connect(self._on_changes)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(PARTICIPANTS, ACTIVITIES, SESSIONS):
            self.refresh()

    def reader(self):
        return self._services.participants.list_participants

    def first_reader(self):
        # Tens of thousands of people after some years: the first screen at once (issue 17).
        read = self._services.participants.list_participants
        return lambda: read(first=FIRST_SCREEN)

    def refresh(self, rows=None) -> None:
        if not self.fill_from_reader(rows):
            return
        self._update_buttons()

    def show_first(self, rows) -> None:
        super().show_first(rows)
        self._update_buttons()  # nothing chosen yet: nothing to edit

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
        Operation(
            self,
            self._services,
            self._events,
            lambda s: s.participants.delete_participant(row.id),
        ).failure(warn_on(InUse, self, "Cannot delete this record")).run()
