"""The agreement editor's History tab: every change to the agreement, newest first, and
whether the history is complete (checked off the GUI thread)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timezone

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.open_records import Services
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.style import ERROR_COLOUR


class HistoryTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chain = QLabel()
        self.chain.setObjectName("history_chain")
        self.chain.setWordWrap(True)
        self.table = name_widget(QTableWidget(0, 4), "history_table", "History")
        self.table.setHorizontalHeaderLabels(["When", "Who", "Version", "What"])
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(0, 140)
        self.table.setColumnWidth(1, 160)
        self.table.setColumnWidth(2, 70)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.chain)
        layout.addWidget(self.table, 1)

    def load(
        self, services: Services, agreement_id: uuid.UUID, broken: Callable[[list[str]], None]
    ) -> None:
        """Show the agreement's history; `broken` hears of problems in the whole chain."""
        rows = services.audit.history(agreement_id)
        self.table.setRowCount(0)
        for entry in reversed(rows):  # newest first
            row = self.table.rowCount()
            self.table.insertRow(row)
            when = entry.at.replace(tzinfo=timezone.utc).astimezone()
            for column, text in enumerate(
                (f"{when:%d/%m/%Y %H:%M}", entry.user, str(entry.version_number or ""),
                 entry.summary)
            ):  # fmt: skip
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        # The whole chain is checked, so a change to any entry shows, here as anywhere: tens
        # of thousands of hashes after some years, so off the GUI thread (the editor opens at
        # once; the line below says so until the answer comes).
        self.chain.setText("Checking that the history is complete…")
        self.chain.setStyleSheet("")
        run_in_background(services.audit.check, done=lambda result: self._show(result, broken))

    def _show(self, result, broken: Callable[[list[str]], None]) -> None:
        try:
            self.chain.objectName()
        except RuntimeError:  # the editor was closed before the answer came
            return
        if result.problems:
            self.chain.setText("Warning: " + " ".join(result.problems))
            self.chain.setStyleSheet(f"color: {ERROR_COLOUR};")
            broken(result.problems)
        else:
            self.chain.setText(
                "Every change to this agreement, newest first. The history cannot be edited, "
                "and a change made to it outside the app would show here."
            )
            self.chain.setStyleSheet("")
