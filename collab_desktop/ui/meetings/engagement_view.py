"""Engagement over the last four quarters, per member organisation: a grid drawn with
QPainter (darker is more meetings attended of those invited), the figures as a table, and
the flags in plain words."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.meetings.engagement import Engagement
from collab_desktop.ui.forms import name_widget

ROW_HEIGHT = 22
NAME_WIDTH = 330
CELL_WIDTH = 70


class EngagementChart(QWidget):
    """One row per organisation, one square per quarter: attended / invited, shaded."""

    def __init__(self, data: Engagement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.setObjectName("engagement_chart")
        self.setAccessibleName("Engagement chart: meetings attended of those invited")
        self.setMinimumSize(self.sizeHint())

    def sizeHint(self) -> QSize:
        rows = len(self.data.organisations) + 1
        return QSize(NAME_WIDTH + CELL_WIDTH * len(self.data.quarters) + 10, rows * ROW_HEIGHT + 6)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        painter.setPen(text)
        for j, q in enumerate(self.data.quarters):
            x = NAME_WIDTH + j * CELL_WIDTH
            painter.drawText(
                QRectF(x, 0, CELL_WIDTH, ROW_HEIGHT), Qt.AlignmentFlag.AlignCenter, q.label
            )
        for i, org in enumerate(self.data.organisations, start=1):
            y = i * ROW_HEIGHT
            painter.setPen(text)
            name = painter.fontMetrics().elidedText(
                org.name, Qt.TextElideMode.ElideRight, NAME_WIDTH - 8
            )
            painter.drawText(
                QRectF(0, y, NAME_WIDTH - 8, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                name,
            )
            for j in range(len(self.data.quarters)):
                invited, came = org.invited[j], org.attended[j]
                cell = QRectF(
                    NAME_WIDTH + j * CELL_WIDTH + 3, y + 2, CELL_WIDTH - 6, ROW_HEIGHT - 4
                )
                if invited:
                    rate = came / invited
                    # From pale amber (none) to deep green (all): readable in grey print too.
                    colour = QColor.fromHsvF(0.33 * rate, 0.6, 0.95 - 0.45 * rate)
                    painter.fillRect(cell, colour)
                    painter.setPen(Qt.GlobalColor.white if rate > 0.5 else Qt.GlobalColor.black)
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{came}/{invited}")
                else:
                    painter.setPen(QColor("#bbbbbb"))
                    painter.drawRect(cell)
                    painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, "—")
        painter.end()


class EngagementDialog(QDialog):
    def __init__(self, data: Engagement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engagement_dialog")
        self.setWindowTitle(f"Engagement — {data.collaboration}")
        self.flags = QLabel(
            "\n".join(f"⚠ {f}" for f in data.flags) or "Every member is keeping up."
        )
        self.flags.setObjectName("engagement_flags")
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet("color: #8a4b00;")
        self.chart = EngagementChart(data)
        scroll = QScrollArea()
        scroll.setWidget(self.chart)
        scroll.setWidgetResizable(False)
        headers = ["Organisation", "Role", "Attended", "Last came", "Actions on time",
                   "Late", "Overdue", "Days to sign"]  # fmt: skip
        self.table = name_widget(QTableWidget(len(data.organisations), len(headers)),
                                 "engagement_table", "Engagement figures")  # fmt: skip
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().hide()
        for i, o in enumerate(data.organisations):
            sign = (
                "not yet" if o.unsigned else ("" if o.days_to_sign is None else str(o.days_to_sign))
            )
            values = [
                o.name, o.role, f"{o.attended_total} of {o.invited_total}",
                f"{o.last_attended:%d/%m/%Y}" if o.last_attended else "never",
                str(o.actions_on_time), str(o.actions_late), str(o.actions_overdue), sign,
            ]  # fmt: skip
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.flags)
        layout.addWidget(scroll, 2)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)
