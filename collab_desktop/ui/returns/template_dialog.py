"""The lead's editor of a return template (issue 13): what each partner is asked for
(indicators: name, definition, unit, counted from the registers or typed, required, and the
categories it is broken down by), how often, and when each return is due.

Saving raises the template's version only when what it asks for changes
(services/returns/templates.py); the partners get it as an exchange pack ("Send template…").
Errors are shown beside the form and nothing typed is lost."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.returns.compute import MEASURES
from collab_desktop.services.returns.periods import PERIOD_KINDS
from collab_desktop.services.returns.templates import IndicatorData, TemplateData
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.forms import format_date, name_widget, parse_date
from collab_desktop.ui.style import mark_error

# Columns of the indicators table.
CODE, NAME, DEFINITION, UNIT, KIND, MEASURE, BREAKDOWNS, REQUIRED = range(8)
HEADERS = ["Code", "Name", "Definition", "Unit", "Counted or typed", "Counted from",
           "Broken down by (commas)", "Required"]  # fmt: skip
KINDS = {"typed": "Typed by the partner", "counted": "Counted from the registers"}


def _due_text(due: dict) -> str:
    return "\n".join(f"{format_date(s)} = {format_date(d)}" for s, d in sorted(due.items()))


def parse_due_dates(text: str) -> dict:
    """Lines of "period start = due date" (dd/mm/yyyy). Raises ValueError saying which line."""
    found = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        start, sep, due = line.partition("=")
        try:
            first, day = parse_date(start.strip()), parse_date(due.strip())
        except ValueError:
            first = day = None
        if not sep or first is None or day is None:
            raise ValueError(
                f"Due dates, line {n}: write the period's first day, “=”, then the due date, "
                "e.g. 01/04/2026 = 15/07/2026."
            )
        if day < first:
            raise ValueError(f"Due dates, line {n}: the due date is before the period starts.")
        found[first] = day
    return found


class TemplateDialog(QDialog):
    def __init__(
        self,
        services,
        collaboration_id: uuid.UUID,
        lead_id: uuid.UUID | None,
        template_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("template_dialog")
        # The whole title shows: the dialog is wide (its width set below).
        self.setWindowTitle(
            "New return template" if template_id is None else "Edit the return template"
        )
        self._services = services
        self.saved_id: uuid.UUID | None = None
        if template_id is not None:
            self._data = services.returns.get_template(template_id)
        else:
            assert lead_id is not None
            self._data = TemplateData(collaboration_id, lead_id, "Quarterly monitoring")

        self.name = name_widget(QLineEdit(self._data.name), "template_name", "Template name")
        self.period_kind = name_widget(QComboBox(), "template_period", "How often")
        for key, label in PERIOD_KINDS.items():
            self.period_kind.addItem(label, key)
        self.period_kind.setCurrentIndex(max(self.period_kind.findData(self._data.period_kind), 0))
        self.due_days = name_widget(QSpinBox(), "template_due_days", "Days allowed after")
        self.due_days.setRange(0, 366)
        self.due_days.setValue(self._data.due_days)
        self.due_days.setSuffix(" days after the period ends")
        self.due_dates = name_widget(QPlainTextEdit(), "template_due_dates", "Due dates set")
        self.due_dates.setPlaceholderText("01/10/2026 = 20/01/2027   (a period's own due date)")
        self.due_dates.setPlainText(_due_text(self._data.due_dates))
        self.due_dates.setTabChangesFocus(True)
        self.due_dates.setMaximumHeight(60)
        self.indicators = name_widget(
            QTableWidget(0, len(HEADERS)), "template_indicators", "Indicators asked for"
        )
        self.indicators.setHorizontalHeaderLabels(HEADERS)
        header = self.indicators.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Room to read what is typed: the name and definition share what is left.
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DEFINITION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)
        # The two lists are as wide as their longest choice would make them, which left the
        # names cut to "Family contacts ..." (seen under Xvfb): they get a fixed share instead.
        for column, width in ((KIND, 150), (MEASURE, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.indicators.setColumnWidth(column, width)
        self.indicators.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        for ind in self._data.indicators:
            self.add_indicator(ind)
        add = name_widget(QPushButton("&Add indicator"), "template_add", "Add indicator")
        add.clicked.connect(self._add_and_type)
        remove = name_widget(QPushButton("&Remove indicator"), "template_remove",
                             "Remove indicator")  # fmt: skip
        remove.clicked.connect(self.remove_indicator)
        self.problem = mark_error(QLabel())  # the shared error look (ui/style.py)
        self.problem.setObjectName("template_problem")

        form = QFormLayout()
        fields = (
            ("&Name:", self.name), ("&How often:", self.period_kind), ("D&ue:", self.due_days),
            ("Due &dates set by hand:", self.due_dates),
        )  # fmt: skip
        for text, widget in fields:
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch()
        counted = QLabel(
            "The standard measures (sessions, attendances, participants, hours…) are always "
            "counted; add what else the partners must report."
        )
        counted.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.save_button = name_widget(
            buttons.addButton("&Save template", QDialogButtonBox.ButtonRole.AcceptRole),
            "template_save", "Save template",
        )  # fmt: skip
        self.save_button.setDefault(True)
        name_widget(buttons.addButton(QDialogButtonBox.StandardButton.Cancel), "template_cancel",
                    "Cancel")  # fmt: skip
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self._data.version:
            layout.addWidget(QLabel(f"Version {self._data.version}: a change makes the next."))
        layout.addLayout(form)
        indicators_label = QLabel("&Indicators:")
        indicators_label.setBuddy(self.indicators)
        layout.addWidget(indicators_label)
        layout.addWidget(counted)
        layout.addWidget(self.indicators, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(1100, 560)

    # -- the indicators table -------------------------------------------------------------

    def add_indicator(self, ind: IndicatorData | None = None) -> None:
        ind = ind or IndicatorData("", "")
        n = self.indicators.rowCount()
        self.indicators.insertRow(n)
        texts = (
            (CODE, ind.code), (NAME, ind.name), (DEFINITION, ind.definition), (UNIT, ind.unit),
            (BREAKDOWNS, ", ".join(ind.breakdowns)),
        )  # fmt: skip
        for column, text in texts:
            self.indicators.setItem(n, column, QTableWidgetItem(text))
        kind = QComboBox()
        kind.setAccessibleName(f"Indicator {n + 1}: counted or typed")
        for key, label in KINDS.items():
            kind.addItem(label, key)
        kind.setCurrentIndex(max(kind.findData(ind.kind), 0))
        self.indicators.setCellWidget(n, KIND, kind)
        measure = QComboBox()
        measure.setAccessibleName(f"Indicator {n + 1}: counted from")
        measure.addItem("", "")
        for key, (label, _unit) in MEASURES.items():
            measure.addItem(label, key)
        measure.setCurrentIndex(max(measure.findData(ind.measure), 0))
        measure.setEnabled(ind.kind == "counted")
        kind.currentIndexChanged.connect(
            lambda _i, k=kind, m=measure: m.setEnabled(k.currentData() == "counted")
        )
        self.indicators.setCellWidget(n, MEASURE, measure)
        required = QTableWidgetItem()
        required.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
        required.setCheckState(Qt.CheckState.Checked if ind.required else Qt.CheckState.Unchecked)
        self.indicators.setItem(n, REQUIRED, required)
        if not ind.name:
            self.indicators.setCurrentCell(n, NAME)

    def _add_and_type(self) -> None:
        """Add a row and start typing its name there (the keyboard stays with the new row)."""
        self.add_indicator()
        row = self.indicators.rowCount() - 1
        self.indicators.setFocus()
        self.indicators.setCurrentCell(row, NAME)
        self.indicators.editItem(self.indicators.item(row, NAME))

    def remove_indicator(self) -> None:
        row = self.indicators.currentRow()
        if row >= 0:
            self.indicators.removeRow(row)

    def _text(self, row: int, column: int) -> str:
        item = self.indicators.item(row, column)
        return item.text() if item else ""

    def indicator_rows(self) -> list[IndicatorData]:
        found = []
        for n in range(self.indicators.rowCount()):
            name = self._text(n, NAME).strip()
            code = self._text(n, CODE).strip() or name.lower().replace(" ", "_")[:40]
            kind = self.indicators.cellWidget(n, KIND).currentData()
            measure = self.indicators.cellWidget(n, MEASURE).currentData()
            required = self.indicators.item(n, REQUIRED)
            found.append(IndicatorData(
                code, name, self._text(n, DEFINITION), self._text(n, UNIT), kind,
                measure if kind == "counted" else "",
                [b.strip() for b in self._text(n, BREAKDOWNS).split(",") if b.strip()],
                required is not None and required.checkState() == Qt.CheckState.Checked,
            ))  # fmt: skip
        return found

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        self.problem.clear()
        try:
            due = parse_due_dates(self.due_dates.toPlainText())
        except ValueError as error:
            self.problem.setText(str(error))
            self.due_dates.setFocus()
            return
        d = self._data
        data = TemplateData(
            d.collaboration_id, d.lead_id, self.name.text(), self.period_kind.currentData(),
            self.due_days.value(), due, self.indicator_rows(), d.notes, d.id,
        )  # fmt: skip
        try:
            self.saved_id = self._services.returns.save_template(data)
        except ValidationError as error:
            self.problem.setText("\n".join(error.errors.values()))
            return
        except ServiceError as error:
            show_problem(self, error, "The template was not saved")
            return
        self.accept()
