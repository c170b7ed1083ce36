"""Adding or editing an activity: its schedule, how names print on its sheets, and who leads
it (with a warning when a volunteer's clearance will not cover the sessions)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import FREQUENCIES, NAME_PRINTING, WEEKDAYS
from collab_desktop.services.delivery.activities import ActivityData, FacilitatorChoice
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.delivery.forms import TimeField
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    Field,
    FormDialog,
    FormFields,
    form_columns,
    name_widget,
    short_text_edit,
)

CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1


def _spare_rows() -> QSpinBox:
    box = QSpinBox()
    box.setRange(0, 30)
    box.setSuffix(" blank rows at least")
    return box


# The activity's own fields, each declared once: the form loads and reads exactly these
# (FormFields), and tests/ui/test_form_round_trip_ui.py checks they are all of ActivityData's
# but NOT_ON_FORM. A new field is one line here and its place in a column below.
FIELDS = [
    Field("collaboration_id", "&Collaboration:", ChoiceBox, "activity_collaboration",
          "Collaboration"),
    Field("name", "&Name:"),
    Field("venue", "&Venue:"),
    Field("weekday", "&Day:", lambda: ChoiceBox(dict(enumerate(WEEKDAYS))),
          accessible="Day of the week"),
    # Both times share one row ("Time: 10:00 to 12:00") and its message line.
    Field("start_time", "&Time:", TimeField, accessible="Start time"),
    Field("end_time", "to", TimeField, accessible="End time"),
    Field("frequency", "&How often:", lambda: ChoiceBox(FREQUENCIES)),
    Field("starts_on", "&First session:", DateField),
    Field("ends_on", "&Until:", DateField, accessible="Last date"),
    Field("name_printing", "Names on &sheets:", lambda: ChoiceBox(NAME_PRINTING),
          accessible="Names on the sheets"),
    Field("spare_rows", "S&pare rows:", _spare_rows),
    Field("notes", "N&otes:", lambda: short_text_edit("", "", lines=2)),
]  # fmt: skip
NOT_ON_FORM = {"id", "facilitator_ids"}  # facilitator_ids: the ticked list beside the fields


class ActivityDialog(FormDialog):
    """A new activity (optionally for a given collaboration), or an existing one by id."""

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        activity_id: uuid.UUID | None = None,
        collaboration_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("activity", parent)
        self._services = services
        self._events = events
        self.saved_id: uuid.UUID | None = None
        self.fields = FormFields(self, "activity", self.errors, FIELDS)
        if activity_id is not None:
            self._data = services.activities.get_activity(activity_id)
            # An activity with sessions stays with its collaboration: only that one is
            # offered (the list of thousands is not read for it).
            collaborations = [services.collaborations.get_collaboration(
                self._data.collaboration_id)]  # fmt: skip
        else:
            collaborations = services.collaborations.list_collaborations()
            chosen = collaboration_id or (collaborations[0].id if collaborations else None)
            self._data = services.activities.new_activity(chosen) if chosen else ActivityData()
        self.setWindowTitle(f"Activity — {self._data.name}" if activity_id else "New activity")

        for row in collaborations:
            self.collaboration_id.addItem(row.name, row.id)
        self.collaboration_id.setEnabled(activity_id is None)
        self.name.setPlaceholderText("e.g. Needlework group")
        self.venue.setPlaceholderText("e.g. The Lobster Pot")
        self.ends_on.setPlaceholderText("open-ended")
        self.name_printing.setToolTip(
            "How much of each participant's name the attendance sheets print. Paper taken "
            "into a prison should carry as little as will do."
        )

        times = QHBoxLayout()
        times.setContentsMargins(0, 0, 0, 0)
        times.addWidget(self.start_time)
        times.addWidget(QLabel("to"))
        times.addWidget(self.end_time)
        times.addStretch(1)
        times_holder = QWidget()
        times_holder.setLayout(times)
        times_holder.setFocusProxy(self.start_time)

        left = QFormLayout()
        self.fields.add_rows(left, "collaboration_id", "name", "venue", "weekday")
        # One message line under both times: the end time's problems show there too.
        self.errors.add_row(left, FIELDS[4].label, "start_time", times_holder)
        self.fields.add_rows(left, "frequency", "starts_on", "ends_on")
        right = QFormLayout()
        self.fields.add_rows(right, "name_printing", "spare_rows", "notes")

        facilitators_label = QLabel("Facilitators (tick who &leads the sessions):")
        self.facilitators = name_widget(QListWidget(), "activity_facilitators", "Facilitators")
        facilitators_label.setBuddy(self.facilitators)
        self.facilitators.setMinimumHeight(110)
        # Long job titles wrap rather than hide behind a sideways scroll bar.
        self.facilitators.setWordWrap(True)
        self.facilitators.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.facilitators.itemChanged.connect(lambda _item: self._update_warnings())
        self.warnings = QLabel()
        self.warnings.setObjectName("activity_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.hide()
        right.addRow(facilitators_label)
        right.addRow(self.facilitators)
        right.addRow(self.warnings)

        layout = QVBoxLayout(self)
        # Issue 10: custody work on records that are not encrypted is said plainly.
        from collab_desktop.ui.encryption import plain_custody_banner

        self.plain_banner = plain_custody_banner(services)
        layout.addWidget(self.plain_banner)
        layout.addLayout(form_columns(left, right))
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._load(self._data)
        self.collaboration_id.currentIndexChanged.connect(self._collaboration_changed)
        for widget in (self.weekday, self.frequency):
            widget.currentIndexChanged.connect(lambda _i: self._update_warnings())
        self.starts_on.editingFinished.connect(self._update_warnings)
        self.ends_on.editingFinished.connect(self._update_warnings)
        self.remember()
        self._update_warnings()
        self._update_plain_banner()
        self.resize(900, 440)
        self.name.setFocus()

    # -- the form --------------------------------------------------------------------------

    def _load(self, data: ActivityData) -> None:
        self.fields.load(data)
        self._fill_facilitators(data.collaboration_id, set(data.facilitator_ids))

    def _fill_facilitators(self, collaboration_id: uuid.UUID | None, ticked: set) -> None:
        self.facilitators.blockSignals(True)
        self.facilitators.clear()
        choices: list[FacilitatorChoice] = (
            self._services.activities.facilitator_choices(collaboration_id)
            if collaboration_id
            else []
        )
        # Keep the order facilitators were chosen in; then everyone else.
        order = {cid: i for i, cid in enumerate(self._data.facilitator_ids)}
        choices.sort(key=lambda c: order.get(c.id, len(order)))
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(CONTACT_ROLE, choice.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(
                Qt.CheckState.Checked if choice.id in ticked else Qt.CheckState.Unchecked
            )
            self.facilitators.addItem(item)
        if not choices:
            item = QListWidgetItem("(the collaboration's members have no contacts yet)")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.facilitators.addItem(item)
        self.facilitators.blockSignals(False)

    def _collaboration_changed(self) -> None:
        collaboration_id = self.collaboration_id.currentData()
        if collaboration_id is None:
            return
        fresh = self._services.activities.new_activity(collaboration_id)
        self.name_printing.set_value(fresh.name_printing)
        self._update_plain_banner()
        self._fill_facilitators(collaboration_id, set())
        self._update_warnings()

    def _update_plain_banner(self) -> None:
        from collab_desktop.ui.encryption import in_custody

        chosen = self.collaboration_id.currentData()
        self.plain_banner.setVisible(
            not self._services.records_file.encrypted and in_custody(self._services, chosen)
        )

    def facilitator_ids(self) -> list[uuid.UUID]:
        ids = []
        for row in range(self.facilitators.count()):
            item = self.facilitators.item(row)
            if item.checkState() == Qt.CheckState.Checked and item.data(CONTACT_ROLE):
                ids.append(item.data(CONTACT_ROLE))
        return ids

    def form_data(self) -> tuple[ActivityData, dict[str, str]]:
        values, problems = self.fields.read()
        data = ActivityData(id=self._data.id, facilitator_ids=self.facilitator_ids(), **values)
        return data, problems

    def snapshot(self) -> object:
        return self.fields.texts(), tuple(self.facilitator_ids())

    def _update_warnings(self) -> None:
        data, problems = self.form_data()
        try:
            warnings = [] if problems else self._services.activities.facilitator_warnings(data)
        except ServiceError:
            warnings = []
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def show_errors(self, errors: dict[str, str]) -> None:
        errors = dict(errors)
        if "end_time" in errors:
            errors.setdefault("start_time", errors.pop("end_time"))
        super().show_errors(errors)

    # -- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        data, problems = self.form_data()
        if problems:
            try:
                self._services.activities.validate(data)
            except ValidationError as error:
                problems = {**error.errors, **problems}
            self.show_errors(problems)
            return
        self.save_with(self._services, self._events, lambda s: s.activities.save_activity(data))
