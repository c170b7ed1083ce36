"""Where a computed figure of a return comes from (issue 13): the sessions it counts and the
people counted in them, each by the name and reference this laptop holds. Names never leave
the laptop in a return; here they are the partner's own records, shown to check a number."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.returns.compute import Trace
from collab_desktop.ui.forms import name_widget

SESSION_HEADERS = ["Date", "Activity", "What happened", "Came"]
PEOPLE_HEADERS = ["Name", "Reference", "Sessions came to", "First came", "Left"]


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for n, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            table.setItem(n, column, item)


def _day(d) -> str:
    return f"{d:%d/%m/%Y}" if d else ""


class TraceDialog(QDialog):
    def __init__(self, figure: str, trace: Trace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("return_trace_dialog")
        self.setWindowTitle(f"Behind “{figure}”")
        self.sessions = name_widget(
            QTableWidget(0, len(SESSION_HEADERS)), "trace_sessions", "Sessions counted"
        )
        self.sessions.setHorizontalHeaderLabels(SESSION_HEADERS)
        self.people = name_widget(
            QTableWidget(0, len(PEOPLE_HEADERS)), "trace_people", "Participants counted"
        )
        self.people.setHorizontalHeaderLabels(PEOPLE_HEADERS)
        for table in (self.sessions, self.people):
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1 if table is self.sessions else 0,
                                        QHeaderView.ResizeMode.Stretch)  # fmt: skip
        _fill(self.sessions, [
            [_day(s.on), s.activity,
             s.status + (f" ({s.reason})" if s.reason else ""),
             str(s.attended) if s.status == "held" else ""]
            for s in trace.sessions
        ])  # fmt: skip
        _fill(self.people, [
            [p.name, p.reference, str(p.came) if p.came else "", _day(p.first_seen),
             _day(p.left_on)]
            for p in trace.people
        ])  # fmt: skip
        sessions_label = QLabel(f"&Sessions counted ({len(trace.sessions)}):")
        sessions_label.setBuddy(self.sessions)
        people_label = QLabel(
            f"&Participants counted ({len(trace.people)}): names as held on this laptop; "
            "they are not in the return."
            if trace.people
            else "No participants: this figure counts sessions or hours, not people."
        )
        people_label.setWordWrap(True)
        people_label.setBuddy(self.people)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(sessions_label)
        layout.addWidget(self.sessions, 1)
        layout.addWidget(people_label)
        layout.addWidget(self.people, 1)
        layout.addWidget(buttons)
        self.people.setVisible(bool(trace.people))
        self.resize(760, 520)
