"""Adding or editing an activity: its schedule, how names print on its sheets, and who leads
it (with a warning when a volunteer's clearance will not cover the sessions)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
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
from collab_desktop.ui.delivery.forms import TimeField, read_dates
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    FormDialog,
    form_columns,
    name_widget,
    select_data,
    short_text_edit,
)

CONTACT_ROLE = Qt.ItemDataRole.UserRole + 1
DATE_FIELDS = ("starts_on", "ends_on")


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
        collaborations = services.collaborations.list_collaborations()
        if activity_id is not None:
            self._data = services.activities.get_activity(activity_id)
        else:
            chosen = collaboration_id or (collaborations[0].id if collaborations else None)
            self._data = services.activities.new_activity(chosen) if chosen else ActivityData()
        self.setWindowTitle(f"Activity — {self._data.name}" if activity_id else "New activity")

        self.collaboration_id = name_widget(QComboBox(), "activity_collaboration", "Collaboration")
        for row in collaborations:
            self.collaboration_id.addItem(row.name, row.id)
        # An activity with sessions stays with its collaboration.
        self.collaboration_id.setEnabled(activity_id is None)
        self.name = name_widget(QLineEdit(), "activity_name", "Name")
        self.name.setPlaceholderText("e.g. Needlework group")
        self.venue = name_widget(QLineEdit(), "activity_venue", "Venue")
        self.venue.setPlaceholderText("e.g. The Lobster Pot")
        self.weekday = name_widget(QComboBox(), "activity_weekday", "Day of the week")
        for number, day in enumerate(WEEKDAYS):
            self.weekday.addItem(day, number)
        self.start_time = name_widget(TimeField(), "activity_start_time", "Start time")
        self.end_time = name_widget(TimeField(), "activity_end_time", "End time")
        self.frequency = name_widget(ChoiceBox(FREQUENCIES), "activity_frequency", "How often")
        self.starts_on = name_widget(DateField(), "activity_starts_on", "First session")
        self.ends_on = name_widget(DateField(), "activity_ends_on", "Last date")
        self.ends_on.setPlaceholderText("open-ended")
        self.name_printing = name_widget(
            ChoiceBox(NAME_PRINTING), "activity_name_printing", "Names on the sheets"
        )
        self.name_printing.setToolTip(
            "How much of each participant's name the attendance sheets print. Paper taken "
            "into a prison should carry as little as will do."
        )
        self.spare_rows = name_widget(QSpinBox(), "activity_spare_rows", "Spare rows")
        self.spare_rows.setRange(0, 30)
        self.spare_rows.setSuffix(" blank rows at least")
        self.notes = short_text_edit("activity_notes", "Notes", lines=2)

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
        self.errors.add_row(left, "&Collaboration:", "collaboration_id", self.collaboration_id)
        self.errors.add_row(left, "&Name:", "name", self.name)
        self.errors.add_row(left, "&Venue:", "venue", self.venue)
        self.errors.add_row(left, "&Day:", "weekday", self.weekday)
        # One message line under both times: the end time's problems show there too.
        self.errors.add_row(left, "&Time:", "start_time", times_holder)
        self.errors.add_row(left, "&How often:", "frequency", self.frequency)
        self.errors.add_row(left, "&First session:", "starts_on", self.starts_on)
        self.errors.add_row(left, "&Until:", "ends_on", self.ends_on)
        right = QFormLayout()
        self.errors.add_row(right, "Names on &sheets:", "name_printing", self.name_printing)
        self.errors.add_row(right, "S&pare rows:", "spare_rows", self.spare_rows)
        self.errors.add_row(right, "N&otes:", "notes", self.notes)

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
        select_data(self.collaboration_id, data.collaboration_id)
        self.name.setText(data.name)
        self.venue.setText(data.venue)
        select_data(self.weekday, data.weekday)
        self.start_time.set_value(data.start_time)
        self.end_time.set_value(data.end_time)
        self.frequency.set_value(data.frequency)
        self.starts_on.set_value(data.starts_on)
        self.ends_on.set_value(data.ends_on)
        self.name_printing.set_value(data.name_printing)
        self.spare_rows.setValue(data.spare_rows)
        self.notes.setPlainText(data.notes)
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
        dates, problems = read_dates({f: getattr(self, f) for f in DATE_FIELDS})
        data = ActivityData(
            id=self._data.id,
            collaboration_id=self.collaboration_id.currentData(),
            name=self.name.text(),
            venue=self.venue.text(),
            weekday=self.weekday.currentData(),
            start_time=self.start_time.value(),
            end_time=self.end_time.value(),
            frequency=self.frequency.value(),
            name_printing=self.name_printing.value(),
            spare_rows=self.spare_rows.value(),
            notes=self.notes.toPlainText(),
            facilitator_ids=self.facilitator_ids(),
            **dates,
        )
        return data, problems

    def snapshot(self) -> object:
        data, _ = self.form_data()
        return data, self.starts_on.text(), self.ends_on.text()

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
