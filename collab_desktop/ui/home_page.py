"""The home page: this week's sessions, and the sheets to print for the weeks ahead.

Made for the volunteer who prints and does not type: the group is chosen already (the one that
meets next), so printing the next four weeks' sheets is "Print…" and then the system dialog's
Print button.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.pdf.document import long_date  # no ReportLab at start-up
from collab_desktop.services.changes import (
    ACTIVITIES,
    AGREEMENTS,
    COLLABORATIONS,
    MEETINGS,
    PARTICIPANTS,
    PARTNERS,
    RETURNS,
    SESSIONS,
    VOLUNTEERS,
    Changes,
)
from collab_desktop.services.delivery.rows import ActivityRow, SessionRow
from collab_desktop.services.delivery.schedule import time_range
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.meetings.attention import (
    AttentionItem,
    AttentionSettings,
    needs_attention,
    retention_attention,
)
from collab_desktop.services.privacy.rules import RetentionRules
from collab_desktop.services.quick_open import ACTIVITIES_AHEAD, activities_ahead
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.table_model import ROW_ROLE, Column, RowTableModel

if TYPE_CHECKING:  # the first page: nothing here may load SQLAlchemy (quick_open.py)
    from collab_desktop.services.open_records import Services

ACTIVITY_ROLE = Qt.ItemDataRole.UserRole + 1
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 2
REFRESH_ON = {ACTIVITIES, SESSIONS, PARTICIPANTS, COLLABORATIONS, PARTNERS}
# What else can add to or clear "Needs attention" (only that list is read again).
ATTENTION_ON = {AGREEMENTS, MEETINGS, RETURNS, VOLUNTEERS}

log = logging.getLogger(__name__)

# Clearance warnings listed above the week's buttons; more are counted, not listed.
WARNINGS_SHOWN = 5


def attention_settings() -> AttentionSettings:
    """The preferences some kinds of "needs attention" read: the user's own organisation (its
    returns) and the retention rules."""
    from collab_desktop.ui.preferences import load_preferences
    from collab_desktop.ui.privacy.retention_settings import load_rules

    return AttentionSettings(load_preferences().organisation_id, load_rules())


def short_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


WEEK_COLUMNS = [
    Column("Day", lambda r: short_day(r.on)),
    Column("Time", lambda r: time_range(r.start_time, r.end_time)),
    Column("Activity", lambda r: r.activity),
    Column("Venue", lambda r: r.venue),
    Column("Present", lambda r: r.attended if r.status == "held" else ""),
    Column("Status", lambda r: r.status_label + (" (moved)" if r.moved else "")),
]


def _heading(text: str, scale: float, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


class HomePage(QWidget):
    # An item of "Needs attention" opened: (target, id) as in services/meetings/attention.py;
    # the window opens the page where it is dealt with.
    open_target = Signal(str, object)

    def __init__(
        self,
        services: Services,
        events: DataEvents,
        parent: QWidget | None = None,
        today: Callable[[], date] = date.today,
        now: Callable[[], time] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("home_page")
        self._services = services
        self._events = events
        self.today = today
        # The time of day: a session that finished this morning is not "ahead" any more.
        # (A test that sets the day alone gets its very start, before anything finished.)
        if now is None:
            now = (lambda: datetime.now().time()) if today == date.today else (lambda: time.min)
        self.now = now
        self.register_dialog = None
        self._week: list[SessionRow] = []

        # -- needs attention (issue 14): above the week, each item one Enter from its page
        self.attention_heading = _heading("Needs attention", 1.2, "home_attention_heading")
        self.attention = name_widget(QListWidget(), "home_attention", "Needs attention")
        self._attention_round = 0  # each reading of the list; a late retention count is dropped
        self.retention_pending = False  # its count is still being made (tests wait on it)
        self.attention.setAlternatingRowColors(True)
        self.attention.setMaximumHeight(150)
        # Long items wrap rather than hide behind a sideways scroll bar.
        self.attention.setWordWrap(True)
        self.attention.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.attention.itemActivated.connect(self._open_attention)

        self.heading = _heading("This week", 1.4, "home_heading")
        self.dates = QLabel()
        self.dates.setObjectName("home_dates")

        self.model = RowTableModel(WEEK_COLUMNS, self)
        self.table = name_widget(QTableView(), "home_week", "This week's sessions")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # `activated` alone: it fires on a double-click as well as on Enter, and listening
        # to doubleClicked too opened two registers.
        self.table.activated.connect(lambda _index: self.open_register())
        self.warnings = QLabel()
        self.warnings.setObjectName("home_warnings")
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.hide()
        self.empty_week = QLabel()
        self.empty_week.setObjectName("home_empty_week")
        self.empty_week.setWordWrap(True)

        self.print_week_button = self._button(
            "&Print this week's sheets…", "home_print_week", self.print_week
        )
        self.save_week_button = self._button(
            "Save this week's sheets as PDF…", "home_save_week", self.save_week
        )
        self.register_button = self._button("&Register…", "home_register", self.open_register)
        self.register_button.setToolTip("Record who came to the chosen session")
        week_buttons = QHBoxLayout()
        for button in (self.print_week_button, self.save_week_button, self.register_button):
            week_buttons.addWidget(button)
        week_buttons.addStretch(1)

        # -- the weeks ahead, by activity
        ahead = QGroupBox("Sheets for the weeks ahead")
        ahead.setObjectName("home_ahead")
        self.activities = name_widget(QListWidget(), "home_activities", "Activities")
        self.activities.setAlternatingRowColors(True)
        self.activities.setMinimumHeight(80)
        # One line each: Qt need not measure every item to lay the list out.
        self.activities.setUniformItemSizes(True)
        self.ahead_more = QLabel()
        self.ahead_more.setObjectName("home_ahead_more")
        self.ahead_more.setWordWrap(True)
        self.ahead_more.hide()
        self.activities.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.activities.itemActivated.connect(lambda _item: self.print_ahead())
        self.weeks = name_widget(QSpinBox(), "home_weeks", "Number of weeks")
        self.weeks.setRange(1, 26)
        self.weeks.setValue(4)
        self.weeks.setSuffix(" weeks")
        self.weeks.valueChanged.connect(lambda _n: self._update_buttons())
        weeks_label = QLabel("For the &next")
        weeks_label.setBuddy(self.weeks)
        self.print_ahead_button = self._button("", "home_print_ahead", self.print_ahead)
        self.save_ahead_button = self._button("Save as P&DF…", "home_save_ahead", self.save_ahead)
        self.print_ahead_button.setDefault(True)
        # The one thing a volunteer comes here for: big enough to find at a glance.
        self.print_ahead_button.setStyleSheet(
            "QPushButton { font-weight: bold; padding: 6px 14px; }"
        )
        self.ahead_note = QLabel()
        self.ahead_note.setObjectName("home_ahead_note")
        self.ahead_note.setWordWrap(True)
        controls = QHBoxLayout()
        controls.addWidget(weeks_label)
        controls.addWidget(self.weeks)
        controls.addWidget(self.print_ahead_button)
        controls.addWidget(self.save_ahead_button)
        controls.addStretch(1)
        ahead_layout = QVBoxLayout(ahead)
        ahead_layout.addWidget(self.activities, 1)
        ahead_layout.addWidget(self.ahead_more)
        ahead_layout.addLayout(controls)
        ahead_layout.addWidget(self.ahead_note)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.dates, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.attention_heading)
        layout.addWidget(self.attention)
        layout.addLayout(top)
        # The week's sessions are what the page is for: at least three rows of them, and most
        # of the room to spare (with the warnings and "Needs attention" shown on a 768-pixel
        # screen, an equal share left them under two rows and the groups ahead seven).
        rows = self.table.verticalHeader().defaultSectionSize()
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + 3 * rows + 2 * self.table.frameWidth())
        layout.addWidget(self.table, 3)
        layout.addWidget(self.empty_week)
        layout.addWidget(self.warnings)
        layout.addLayout(week_buttons)
        layout.addSpacing(8)
        layout.addWidget(ahead, 1)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        events.changes.connect(self._on_changes)

    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = name_widget(QPushButton(text), name, text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*REFRESH_ON):
            self.refresh()
        elif changes.touches(*ATTENTION_ON):
            self._fill_attention(self.today())

    # -- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        today = self.today()
        monday = today - timedelta(days=today.weekday())
        sunday = monday + timedelta(days=6)
        self.dates.setText(f"Monday {long_date(monday)} to Sunday {long_date(sunday)}")
        try:
            self._week = self._services.attendance.plan_and_list_week(today)
            # The groups that meet next, not every one there is (quick_open.activities_ahead:
            # a bounded read, the same before and after SQLAlchemy is loaded).
            activities, any_activity = activities_ahead(
                self._reading(), today, self.now(), ACTIVITIES_AHEAD
            )
        except ServiceError as error:
            show_problem(self, error)
            return
        selected = self.selected_session()
        self.model.set_rows(self._week)
        self.table.resizeColumnsToContents()
        rows = self._week
        if selected is not None:
            index = next((i for i, r in enumerate(rows) if r.id == selected.id), None)
        else:
            # The session of today, or the next one to come.
            index = next((i for i, r in enumerate(rows) if r.on >= today), None)
        if index is not None:
            self.table.selectRow(index)
        if not any_activity:
            self.empty_week.setText(
                "There are no activities yet. Add the group's schedule under Activities "
                "(Ctrl+4), and its sessions will show here."
            )
        elif not rows:
            self.empty_week.setText("No sessions this week.")
        self.empty_week.setVisible(not rows)
        try:
            warnings = self._services.attendance.clearance_warnings([r.id for r in rows])
        except ServiceError:
            warnings = []
        # A few, then how many more: after some years a week can bring hundreds, and all of
        # them pushed the sheets for the weeks ahead off the page (and took long to lay out).
        text = "\n".join(f"⚠ {w}" for w in warnings[:WARNINGS_SHOWN])
        if len(warnings) > WARNINGS_SHOWN:
            text += (
                f"\n… and {len(warnings) - WARNINGS_SHOWN} more this week: each volunteer's "
                "clearances are under Volunteers (Ctrl+6)."
            )
        self.warnings.setText(text)
        self.warnings.setVisible(bool(warnings))
        self.table.setVisible(bool(rows))
        self._fill_activities(activities)
        self._fill_attention(today)
        self._update_buttons()

    def _reading(self):
        """Where the page's own reads go: the quick services' one connection while they
        stand in (issue 10: an encrypted file's pages decrypted once for the first page),
        else the records file."""
        return getattr(self._services, "shared_read", None) or self._services.records_file

    def _fill_attention(self, today: date) -> None:
        # After plan_and_list_week(): the week's sessions are planned by then, so past ones
        # are rows.
        settings = attention_settings()
        try:
            items = needs_attention(self._reading(), today, replace(settings, retention=None))
        except Exception:  # a read of the first page must not stop the page showing
            log.exception("The needs-attention list could not be read")
            items = []
        self.attention.clear()
        self._attention_round += 1
        self._add_attention(items, self._attention_round)
        if settings.retention is not None:
            self._count_retention(today, settings.retention)

    def _count_retention(self, today: date, rules: RetentionRules) -> None:
        """The retention items, counted off the GUI thread (attention.retention_attention) and
        added when they come, unless the list was read again meanwhile."""
        from collab_desktop.ui.background import run_in_background

        where, round_ = self._services.records_file, self._attention_round
        self.retention_pending = True

        def done(items: list[AttentionItem]) -> None:
            if shiboken6.isValid(self) and round_ == self._attention_round:
                self.retention_pending = False
                self._add_attention(items, round_)

        def failed(error: Exception) -> None:
            log.error("The retention rules could not be counted: %s", error)
            if shiboken6.isValid(self):
                self.retention_pending = False

        # At a low priority: it reads every participant's attendance (0.2-0.4 s at ten years'
        # scale, each page decrypted in encrypted records), and on one core it took that
        # time from the first page being painted.
        run_in_background(
            lambda: retention_attention(where, today, rules), done, failed, low_priority=True
        )

    def _add_attention(self, items: list[AttentionItem], round_: int) -> None:
        for item in items:
            text = item.text + (f" (and {item.more} more)" if item.more else "")
            entry = QListWidgetItem(text)
            entry.setData(ATTENTION_ROLE, item)
            self.attention.addItem(entry)
        shown = self.attention.count() > 0
        self.attention_heading.setVisible(shown)
        self.attention.setVisible(shown)

    def _open_attention(self, entry: QListWidgetItem) -> None:
        item: AttentionItem = entry.data(ATTENTION_ROLE)
        if item.target == "session":
            self._open_register_of(item.target_id)
            return
        # A return may not be started yet: its ReturnRef says which partner and period.
        self.open_target.emit(item.target, item.ref if item.ref is not None else item.target_id)

    def _open_register_of(self, session_id) -> None:
        from collab_desktop.ui.delivery.register_dialog import open_register

        if self.register_dialog is not None and self.register_dialog.isVisible():
            self.register_dialog.raise_()
            return
        self.register_dialog = open_register(self, self._services, self._events, session_id)
        if self.register_dialog is not None:
            self.register_dialog.finished.connect(self._register_closed)

    def _fill_activities(self, activities: list[ActivityRow]) -> None:
        chosen = self.selected_activity()
        self.activities.clear()
        # The group that meets next comes first: it is the one most likely wanted.
        ordered = sorted(
            activities,
            key=lambda a: (a.next_session is None, a.next_session or date.max, a.name.casefold()),
        )
        for a in ordered:
            following = f"next: {short_day(a.next_session)}" if a.next_session else "no sessions"
            item = QListWidgetItem(f"{a.name} — {a.when} — {a.collaboration} ({following})")
            item.setData(ACTIVITY_ROLE, a)
            self.activities.addItem(item)
        self.ahead_more.setText(
            f"The {len(ordered)} groups that meet next. Every group's sheets can be printed "
            "from its sessions under Activities (Ctrl+4)."
        )
        self.ahead_more.setVisible(len(ordered) >= ACTIVITIES_AHEAD)
        row = 0
        if chosen is not None:
            row = next((i for i, a in enumerate(ordered) if a.id == chosen.id), 0)
        if ordered:
            self.activities.setCurrentRow(row)

    def selected_session(self) -> SessionRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def selected_activity(self) -> ActivityRow | None:
        item = self.activities.currentItem()
        return item.data(ACTIVITY_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        printable = [r for r in self._week if r.status != "cancelled"]
        self.print_week_button.setEnabled(bool(printable))
        self.save_week_button.setEnabled(bool(printable))
        session = self.selected_session()
        self.register_button.setEnabled(session is not None and session.status != "cancelled")
        weeks = self.weeks.value()
        self.print_ahead_button.setText(f"Pr&int the next {weeks} weeks' sheets…")
        activity = self.selected_activity()
        self.print_ahead_button.setEnabled(activity is not None)
        self.save_ahead_button.setEnabled(activity is not None)
        self.ahead_note.setText(self._ahead_note(activity, weeks))

    def _ahead_note(self, activity: ActivityRow | None, weeks: int) -> str:
        if activity is None:
            return ""
        from collab_desktop.services.delivery.schedule import sheets_window

        today = self.today()
        # From the next session, which is not today's once that has finished: a weekly
        # group gets as many sheets as weeks (AttendanceService.upcoming, the same window).
        start, last = sheets_window(today, weeks, activity.next_session)
        first = max(start, activity.next_session or start)
        note = (
            f"{activity.name}: one sheet for each session from {long_date(first)} to "
            f"{long_date(last)}, names printed as: {activity.name_printing.lower()}."
        )
        try:
            cancelled = self._services.attendance.cancelled_between(activity.id, today, last)
        except ServiceError:
            cancelled = []
        if cancelled:
            note += " Cancelled, so left out: " + ", ".join(cancelled) + "."
        return note

    # -- actions ---------------------------------------------------------------------------

    def _week_ids(self) -> list:
        return [r.id for r in self._week if r.status != "cancelled"]

    def _ahead_ids(self) -> list:
        activity = self.selected_activity()
        if activity is None:
            return []
        try:
            rows = self._services.attendance.upcoming(
                activity.id, self.weeks.value(), self.today(), self.now()
            )
        except ServiceError as error:
            show_problem(self, error)
            return []
        return [r.id for r in rows]

    # The sheets' printing and PDF code (Qt's print support and PDF modules, several MiB)
    # is imported when first wanted, not with the first page.
    def print_week(self) -> bool:
        from collab_desktop.ui.delivery.sheet_actions import print_sheets

        return print_sheets(self, self._services, self._week_ids())

    def save_week(self):
        from collab_desktop.ui.delivery.sheet_actions import save_sheets_pdf

        return save_sheets_pdf(self, self._services, self._week_ids())

    def print_ahead(self) -> bool:
        from collab_desktop.ui.delivery.sheet_actions import print_sheets

        return print_sheets(self, self._services, self._ahead_ids())

    def save_ahead(self):
        from collab_desktop.ui.delivery.sheet_actions import save_sheets_pdf

        return save_sheets_pdf(self, self._services, self._ahead_ids())

    def open_register(self) -> None:
        session = self.selected_session()
        open_now = self.register_dialog
        if open_now is not None and open_now.isVisible():
            # One register at a time: two of the same session would each save over the other.
            open_now.raise_()
            open_now.activateWindow()
            return
        if session is not None:
            from collab_desktop.ui.delivery.register_dialog import open_register

            self.register_dialog = open_register(self, self._services, self._events, session.id)
            if self.register_dialog is not None:
                self.register_dialog.finished.connect(self._register_closed)

    def _register_closed(self) -> None:
        self.register_dialog = None
