"""A meeting: date, kind, held or planned, who was invited and answered how (one row per
person, by the organisation they came for), decisions and actions, notes and the minutes'
approval. Tables are edited in place (F2 or typing); Tab moves out of a table to its
buttons."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import MEETING_KINDS, MEETING_RESPONSES, MEETING_STATUSES
from collab_desktop.services.changes import MEETINGS, Changes
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.meetings.meetings import (
    ActionData,
    AttendeeData,
    DecisionData,
    MeetingData,
)
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import (
    ChoiceBox,
    DateField,
    FormDialog,
    name_widget,
    parse_date,
    select_data,
)


def _table(name: str, accessible: str, headers: list[str], wide: int = 0) -> QTableWidget:
    """A table whose column `wide` (what was decided, what is to be done) takes the room
    left; the others fit their contents, so a date column never takes the whole width."""
    table = name_widget(QTableWidget(0, len(headers)), name, accessible)
    table.setHorizontalHeaderLabels(headers)
    table.setTabKeyNavigation(False)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    mode = QHeaderView.ResizeMode
    for column in range(len(headers)):
        header.setSectionResizeMode(column, mode.Stretch if column == wide else mode.Interactive)
    return table


def _start_on_new_row(table: QTableWidget) -> None:
    """Put the cursor in the first cell of the row just added, ready for typing."""
    row = table.rowCount() - 1
    if row < 0:
        return
    table.setCurrentCell(row, 0)
    widget = table.cellWidget(row, 0)
    if widget is not None:
        widget.setFocus()
    elif table.item(row, 0) is not None:
        table.setFocus()
        table.editItem(table.item(row, 0))


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


class MeetingDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        collaboration_id: uuid.UUID | None = None,
        meeting_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        today=None,
    ) -> None:
        super().__init__("meeting", parent)
        from datetime import date

        self._services = services
        self._events = events
        self._today = today or date.today()
        self.saved_id: uuid.UUID | None = None
        if meeting_id is not None:
            self._data = services.meetings.get_meeting(meeting_id)
        else:
            assert collaboration_id is not None
            self._data = services.meetings.new_meeting(collaboration_id, self._today)
        assert self._data.collaboration_id is not None
        self._members = services.meetings.members(self._data.collaboration_id)
        self._names = {org_id: name for org_id, name in self._members}
        for a in self._data.attendees + self._data.actions:  # organisations since left
            if a.organisation_id and a.organisation_id not in self._names:
                self._names[a.organisation_id] = a.organisation
        self.setWindowTitle(f"Meeting — {self._data.collaboration}")

        self.held_on = name_widget(DateField(), "meeting_held_on", "Date")
        self.kind = name_widget(ChoiceBox(MEETING_KINDS), "meeting_kind", "Kind")
        self.status = name_widget(ChoiceBox(MEETING_STATUSES), "meeting_status", "Held or planned")
        self.title = name_widget(QLineEdit(), "meeting_title", "Title")
        self.minutes_approved_by = name_widget(
            QLineEdit(), "meeting_approved_by", "Minutes approved by"
        )
        self.minutes_approved_on = name_widget(DateField(), "meeting_approved_on", "Approved on")
        form = QFormLayout()
        self.errors.add_row(form, "&Date:", "held_on", self.held_on)
        self.errors.add_row(form, "&Kind:", "kind", self.kind)
        self.errors.add_row(form, "&Held or planned:", "status", self.status)
        self.errors.add_row(form, "&Title:", "title", self.title)
        self.errors.add_row(
            form, "Minutes approved &by:", "minutes_approved_by", self.minutes_approved_by
        )
        self.errors.add_row(form, "Appro&ved on:", "minutes_approved_on", self.minutes_approved_on)

        columns = ["Organisation", "Person", "Answer", "Standing in for", "Can decide"]
        self.attendees = _table("meeting_attendees", "Attendance", columns)
        self.decisions = _table("meeting_decisions", "Decisions", ["Decided", "Look again on"])
        self.actions = _table("meeting_actions", "Actions",
                              ["What", "Organisation", "Person", "Due", "Done",
                               "About (agreement duty)"])  # fmt: skip
        self.actions.horizontalHeader().resizeSection(5, 220)
        # Pick lists for an action's owner (a contact of its organisation, or a name typed)
        # and the agreement responsibility it is about.
        self._people = services.meetings.people(self._data.collaboration_id)
        self._responsibilities = services.meetings.responsibilities(self._data.collaboration_id)
        self.notes = name_widget(QPlainTextEdit(), "meeting_notes", "Notes")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("meeting_tabs")
        self.tabs.setAccessibleName("Attendance, decisions, actions and notes")
        self.tabs.addTab(
            self._with_buttons(self.attendees, "attendee", self._add_attendee), "&Attendance"
        )
        self.tabs.addTab(
            self._with_buttons(self.decisions, "decision", self._add_decision), "De&cisions"
        )
        self.tabs.addTab(self._with_buttons(self.actions, "action", self._add_action), "Actio&ns")
        self.tabs.addTab(self.notes, "N&otes")
        self.quorum = QLabel()
        self.quorum.setObjectName("meeting_quorum")

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.quorum)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self._load(self._data)
        self.remember()
        self.resize(980, 640)
        self.held_on.setFocus()

    def _with_buttons(self, table: QTableWidget, name: str, add) -> QWidget:
        holder = QWidget()
        layout = QVBoxLayout(holder)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        # The same keys on every tab (only the shown tab's buttons take them): Alt+E adds,
        # Alt+M removes; the tabs and the fields above keep the other letters.
        add_button = name_widget(
            QPushButton(f"Add n&ew {name}"), f"meeting_add_{name}", f"Add {name}"
        )
        add_button.clicked.connect(lambda: (add(), _start_on_new_row(table)))
        remove = name_widget(QPushButton("Re&move"), f"meeting_remove_{name}", f"Remove {name}")
        remove.clicked.connect(lambda: table.removeRow(table.currentRow()))
        for b in (add_button, remove):
            b.setAutoDefault(False)
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        return holder

    def _org_combo(self, org_id: uuid.UUID | None) -> QComboBox:
        combo = QComboBox()
        combo.addItem("(none)", None)
        for oid, name in self._names.items():
            combo.addItem(name, oid)
        select_data(combo, org_id)
        return combo

    def _add_attendee(self, a: AttendeeData | None = None) -> None:
        a = a or AttendeeData(self._members[0][0] if self._members else uuid.uuid4())
        t = self.attendees
        r = t.rowCount()
        t.insertRow(r)
        t.setCellWidget(r, 0, self._org_combo(a.organisation_id))
        person = QTableWidgetItem(a.name)
        person.setData(256, a.contact_id)
        t.setItem(r, 1, person)
        answer = ChoiceBox(MEETING_RESPONSES)
        answer.set_value(a.response)
        t.setCellWidget(r, 2, answer)
        t.setItem(r, 3, QTableWidgetItem(a.substitute_for))
        decide = ChoiceBox({"yes": "Yes", "no": "No"})
        decide.set_value("yes" if a.can_decide else "no")
        t.setCellWidget(r, 4, decide)

    def _add_decision(self, d: DecisionData | None = None) -> None:
        d = d or DecisionData()
        r = self.decisions.rowCount()
        self.decisions.insertRow(r)
        self.decisions.setItem(r, 0, QTableWidgetItem(d.text))
        self.decisions.setItem(
            r, 1, QTableWidgetItem(f"{d.look_again_on:%d/%m/%Y}" if d.look_again_on else "")
        )

    def _add_action(self, a: ActionData | None = None) -> None:
        a = a or ActionData()
        t = self.actions
        r = t.rowCount()
        t.insertRow(r)
        what = QTableWidgetItem(a.what)
        what.setData(256, (a.id, a.contact_id, a.responsibility_id))
        t.setItem(r, 0, what)
        org = self._org_combo(a.organisation_id)
        org.setAccessibleName(f"Action {r + 1}: organisation")
        t.setCellWidget(r, 1, org)
        person = QComboBox()
        person.setEditable(True)  # a contact of the organisation, or any name typed
        person.setAccessibleName(f"Action {r + 1}: person")
        self._fill_people(person, a.organisation_id, a.contact_id, a.owner_name)
        org.currentIndexChanged.connect(
            lambda _i, o=org, p=person: self._fill_people(p, o.currentData(), None, p.currentText())
        )
        t.setCellWidget(r, 2, person)
        t.setItem(r, 3, QTableWidgetItem(f"{a.due_on:%d/%m/%Y}" if a.due_on else ""))
        t.setItem(r, 4, QTableWidgetItem(f"{a.done_on:%d/%m/%Y}" if a.done_on else ""))
        about = QComboBox()
        about.setAccessibleName(f"Action {r + 1}: the agreement responsibility it is about")
        about.addItem("(none)", None)
        for choice in self._responsibilities:
            about.addItem(choice.text, choice.id)
        select_data(about, a.responsibility_id)
        t.setCellWidget(r, 5, about)

    def _fill_people(self, combo: QComboBox, org_id, contact_id, name: str) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("", None)
        for p in self._people:
            if org_id is None or p.organisation_id == org_id:
                combo.addItem(p.name, p.id)
        if contact_id is None or not select_data(combo, contact_id):
            combo.setEditText(name)
        combo.blockSignals(False)

    @staticmethod
    def _person(combo: QComboBox) -> tuple[uuid.UUID | None, str]:
        """The contact picked (if the text is still that contact's name) and the name."""
        name = combo.currentText().strip()
        index = combo.currentIndex()
        if index > 0 and combo.itemText(index) == name:
            return combo.itemData(index), name
        return None, name

    def _load(self, data: MeetingData) -> None:
        self.held_on.set_value(data.held_on)
        self.kind.set_value(data.kind)
        self.status.set_value(data.status)
        self.title.setText(data.title)
        self.minutes_approved_by.setText(data.minutes_approved_by)
        self.minutes_approved_on.set_value(data.minutes_approved_on)
        self.notes.setPlainText(data.notes)
        for a in data.attendees:
            self._add_attendee(a)
        for d in data.decisions:
            self._add_decision(d)
        for x in data.actions:
            self._add_action(x)
        for table in (self.attendees, self.decisions, self.actions):
            table.resizeColumnsToContents()
        # Room for what is typed and picked in a new action's row (an empty row sized to
        # its contents is too narrow to read a name in).
        for column, width in ((0, 260), (1, 150), (2, 170), (3, 95), (4, 95)):
            self.actions.setColumnWidth(column, max(width, self.actions.columnWidth(column)))
        if data.id is not None:
            try:
                quorum = self._services.meetings.quorum(data.id)
            except ServiceError:
                quorum = None
            self.quorum.setText(quorum.text if quorum else "")

    def form_data(self) -> tuple[MeetingData, dict[str, str]]:
        problems: dict[str, str] = {}

        def day(text: str, field: str):
            try:
                return parse_date(text)
            except ValueError as error:
                problems.setdefault(field, str(error))
                return None

        data = MeetingData(
            id=self._data.id,
            collaboration_id=self._data.collaboration_id,
            held_on=day(self.held_on.text(), "held_on"),
            kind=self.kind.value(),
            status=self.status.value(),
            title=self.title.text(),
            notes=self.notes.toPlainText(),
            minutes_approved_by=self.minutes_approved_by.text(),
            minutes_approved_on=day(self.minutes_approved_on.text(), "minutes_approved_on"),
        )
        t = self.attendees
        for r in range(t.rowCount()):
            org = t.cellWidget(r, 0).currentData()
            if org is None:
                problems.setdefault(
                    "attendees", f"Row {r + 1} of the attendance has no organisation."
                )
                continue
            item = t.item(r, 1)
            data.attendees.append(
                AttendeeData(
                    org,
                    item.data(256) if item else None,
                    _text(t, r, 1),
                    t.cellWidget(r, 2).value(),
                    _text(t, r, 3),
                    t.cellWidget(r, 4).value() == "yes",
                    self._names.get(org, ""),
                )  # fmt: skip
            )
        for r in range(self.decisions.rowCount()):
            data.decisions.append(
                DecisionData(
                    _text(self.decisions, r, 0), day(_text(self.decisions, r, 1), "decisions")
                )
            )
        t = self.actions
        for r in range(t.rowCount()):
            item = t.item(r, 0)
            action_id = ((item.data(256) if item else None) or (None,))[0]
            contact_id, owner = self._person(t.cellWidget(r, 2))
            responsibility_id = t.cellWidget(r, 5).currentData()
            data.actions.append(
                ActionData(
                    _text(t, r, 0),
                    t.cellWidget(r, 1).currentData(),
                    contact_id,
                    owner,
                    day(_text(t, r, 3), "actions"),
                    day(_text(t, r, 4), "actions"),
                    responsibility_id,
                    action_id,
                )  # fmt: skip
            )
        return data, problems

    def snapshot(self) -> object:
        data, problems = self.form_data()
        return repr(data), problems

    def save(self) -> None:
        data, problems = self.form_data()
        if problems:
            self.show_errors(problems)
            return
        try:
            self.saved_id = self._services.meetings.save_meeting(data, today=self._today)
        except ValidationError as error:
            self.show_errors(error.errors)
            return
        except ServiceError as error:
            self.show_errors({})
            show_problem(self, error)
            return
        self._events.broadcast(Changes.of(MEETINGS, self.saved_id))
        self.accept()
