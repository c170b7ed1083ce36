"""The figures of an activity over a period: the numbers a monitoring return will use."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.delivery.forms import read_dates
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.forms import (
    DateField,
    FieldErrors,
    error_label,
    name_widget,
    select_data,
    show_messages,
)

# The audit trail's action for figures copied to the clipboard (issue 10).
COPIED = "copied"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


class FiguresDialog(QDialog):
    def __init__(
        self,
        services: Services,
        activity_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("figures_dialog")
        self.setWindowTitle("Figures")
        self._services = services
        today = today or date.today()
        self.errors = FieldErrors()
        self.activity = name_widget(QComboBox(), "figures_activity", "Activity")
        for row in services.activities.list_activities():
            self.activity.addItem(f"{row.name} ({row.collaboration})", row.id)
        if activity_id is not None:
            select_data(self.activity, activity_id)
        self.first = name_widget(DateField(), "figures_first", "From")
        self.last = name_widget(DateField(), "figures_last", "To")
        # This quarter so far: what a quarterly return asks for.
        self.first.set_value(quarter_start(today))
        self.last.set_value(today)
        self.show_button = name_widget(QPushButton("&Show"), "figures_show", "Show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.calculate)
        self.copy_button = name_widget(QPushButton("&Copy"), "figures_copy", "Copy figures")
        self.copy_button.setAutoDefault(False)
        self.copy_button.setToolTip("Copy the figures, to paste into a report or e-mail")
        self.copy_button.clicked.connect(self.copy)
        close = QPushButton("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        self.problem = error_label("figures_problem")

        form = QFormLayout()
        self.errors.add_row(form, "&Activity:", "activity", self.activity)
        self.errors.add_row(form, "&From:", "first", self.first)
        self.errors.add_row(form, "&To:", "last", self.last)
        self.results = QGridLayout()
        self.results.setHorizontalSpacing(24)
        self.results_box = QWidget()
        self.results_box.setObjectName("figures_results")
        self.results_box.setLayout(self.results)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.results_box, 1)
        layout.addLayout(buttons)
        self.lines: list[tuple[str, str]] = []
        self.resize(520, 480)
        if self.activity.count():
            self.calculate()

    def calculate(self) -> None:
        dates, problems = read_dates({"first": self.first, "last": self.last})
        activity_id = self.activity.currentData()
        if activity_id is None:
            problems["activity"] = "There are no activities yet."
        if problems:
            self.errors.show(problems)
            return
        try:
            figures = self._services.figures.figures(activity_id, dates["first"], dates["last"])
        except ValidationError as error:
            rest = self.errors.show(error.errors)
            show_messages(self.problem, list(rest.values()))
            return
        except ServiceError as error:
            show_problem(self, error)
            return
        self.errors.clear()
        show_messages(self.problem, [])
        while self.results.count():
            item = self.results.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.lines = figures.lines()
        for row, (what, value) in enumerate(self.lines):
            name = QLabel(what)
            number = QLabel(f"<b>{value}</b>")
            number.setObjectName(f"figure_{row}")
            self.results.addWidget(name, row, 0)
            self.results.addWidget(number, row, 1)
        self.results.setRowStretch(len(self.lines), 1)

    def copy(self) -> None:
        text = f"{self.activity.currentText()}, {self.first.text()} to {self.last.text()}\n"
        text += "\n".join(f"{what}: {value}" for what, value in self.lines)
        QGuiApplication.clipboard().setText(text)
        if not self.lines:
            return  # nothing shown, nothing copied but the heading
        from collab_desktop.ui.pdf_actions import record_disclosure

        # Counts of a small group can point to people: copying them out is recorded (issue
        # 10), with what was copied, as the clipboard had it.
        record_disclosure(
            self._services,
            COPIED,
            f"Copied the figures of {self.activity.currentText()}, {self.first.text()} to "
            f"{self.last.text()}",
            details={"activity_id": str(self.activity.currentData()), "text": text},
        )
