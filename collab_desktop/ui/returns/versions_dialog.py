"""Every version of one organisation's return for one period (issue 13): who signed each off
and when, when it was sent or received, the queries and answers, and which version the
totals count (the newest signed off; a new version replaces the old in the totals, and the
old one is kept)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
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

from collab_desktop.services.returns.drafting import STATUSES
from collab_desktop.ui.forms import name_widget

HEADERS = ["Version", "Status", "Signed off", "Sent / received", "Queries", "Counted"]


def _when(moment) -> str:
    return f"{moment:%d/%m/%Y %H:%M}" if moment else ""


class VersionsDialog(QDialog):
    def __init__(self, services, return_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("return_versions_dialog")
        versions = services.returns.versions(return_id)
        counted = services.returns.counted_version(return_id)
        first = versions[0]
        self.setWindowTitle(f"Versions of {first.organisation}'s return, {first.period}")
        self.table = name_widget(QTableWidget(len(versions), len(HEADERS)), "return_versions",
                                 "Versions of the return")  # fmt: skip
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        for n, v in enumerate(reversed(versions)):  # newest first
            queries = "\n".join(
                f"{q.asked_by or 'Lead'} asked: {q.question}"
                + (f"\nAnswer: {q.answer}" if q.answer else "\n(not yet answered)")
                for q in v.queries
            )
            signed = f"{v.signed_off_by}, {_when(v.signed_off_at)}" if v.signed_off_by else ""
            moved = (
                f"received {_when(v.received_at)}" if v.received_at
                else f"sent {_when(v.sent_at)}" if v.sent_at else ""
            )  # fmt: skip
            cells = [str(v.version), STATUSES.get(v.status, v.status), signed, moved, queries,
                     "✓ counted in the totals" if v.version == counted else ""]  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(n, column, item)
        self.table.resizeRowsToContents()
        note = QLabel(
            "The totals count the newest version that was signed off; older versions are kept "
            "as they were."
            if counted
            else "No version has been signed off yet: none counts."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(900, 320)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # Only once shown do the columns have their real widths, which the wrapped rows need.
        QTimer.singleShot(0, self.table.resizeRowsToContents)
