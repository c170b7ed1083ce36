"""Import a pack: everything it would do is shown first (GnuCash's import matcher is the
model), record by record, with counts; conflicts are settled field by field; nothing changes
until Import is pressed, and then all of it in one transaction. Reading, previewing and
applying run off the GUI thread, so a big collaboration never freezes the window."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.durable_files import write_atomically
from collab_desktop.services.exchange import NeedsPassphrase, OpenedPack, PackRefused, pack
from collab_desktop.services.exchange.kinds import Preview, RecordLine
from collab_desktop.services.exchange.matching import DIFFERENT, LINK
from collab_desktop.services.open_records import Services
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.forms import name_widget

# Pale colours readable in black and white too (the state is also written in words).
STATE_COLOURS = {
    "new": "#e3f4e1",
    "update": "#e1ecf8",
    "same": "#f2f2f2",
    "conflict": "#fde7c8",
    "refused": "#f8dcdc",
}
OURS, THEIRS = "ours", "theirs"


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:200] + "…"


def read_pack_file(path: Path) -> bytes:
    """The file's bytes, refusing one far larger than any pack before reading it all."""
    size = path.stat().st_size
    if size > pack.MAX_FILE:
        raise PackRefused(
            "This file is larger than any pack Collab Desktop makes, so it was not opened. "
            "Nothing was imported."
        )
    return path.read_bytes()


class _Steps(QObject):
    """Carries the import's steps from the worker thread to the dialog (queued)."""

    step = Signal(str, float)


class ImportDialog(QDialog):
    def __init__(
        self,
        services: Services,
        own_organisation_id: uuid.UUID | None,
        path: Path,
        imported: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle(f"Import a pack — {path.name}")
        self._services = services
        self._own = own_organisation_id
        self._path = path
        self._imported = imported or (lambda: None)
        self._data = b""
        self._opened: OpenedPack | None = None
        self._preview: Preview | None = None
        self._choices: dict[str, dict[str, str]] = {}
        self.result_message = ""
        self.refusal = ""

        self.header = QLabel("Reading the pack…")
        self.header.setObjectName("import_header")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_warning = QLabel()
        self.key_warning.setObjectName("import_key_warning")
        self.key_warning.setWordWrap(True)
        self.key_warning.setStyleSheet(
            "background: #fff4c2; color: #4a3b00; padding: 6px; border: 1px solid #e0c860;"
        )
        self.key_warning.hide()

        self.passphrase = name_widget(QLineEdit(), "import_passphrase", "Passphrase of the pack")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.open_button = name_widget(QPushButton("&Open"), "import_open", "Open with passphrase")
        self.open_button.clicked.connect(self._read)
        self.passphrase.returnPressed.connect(self._read)
        self.passphrase_row = QWidget()
        row = QHBoxLayout(self.passphrase_row)
        row.setContentsMargins(0, 0, 0, 0)
        passphrase_label = QLabel("&Passphrase:")
        passphrase_label.setBuddy(self.passphrase)
        row.addWidget(passphrase_label)
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.open_button)
        self.passphrase_row.hide()

        self.counts = QLabel()
        self.counts.setObjectName("import_counts")
        self.counts.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("import_records")
        self.table.setAccessibleName("What the import would do, record by record")
        self.table.setHorizontalHeaderLabels(["What happens", "Record", "Name", "Why"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_fields)

        self.fields_label = QLabel("Select a record to see its fields.")
        self.fields_label.setWordWrap(True)
        # A partner matched by name at first contact: the same one here, or a different one.
        self.link_pick = name_widget(QComboBox(), "import_link", "Same partner as here?")
        self.link_pick.currentIndexChanged.connect(self._link_chosen)
        self.link_row = QWidget()
        link_row = QHBoxLayout(self.link_row)
        link_row.setContentsMargins(0, 0, 0, 0)
        link_label = QLabel("&This partner is:")
        link_label.setBuddy(self.link_pick)
        link_row.addWidget(link_label)
        link_row.addWidget(self.link_pick, 1)
        self.link_row.hide()
        self.fields = QTableWidget(0, 4)
        self.fields.setObjectName("import_fields")
        self.fields.setAccessibleName(
            "The chosen record's fields: here, in the pack, which to keep"
        )
        self.fields.setHorizontalHeaderLabels(["Field", "Here", "In the pack", "Keep"])
        self.fields.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fields.verticalHeader().hide()
        self.fields.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.fields.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        # "Keep ours (here)" / "Take theirs (pack)" must be readable in full.
        self.fields.horizontalHeader().setSectionResizeMode(
            3, QHeaderView.ResizeMode.ResizeToContents
        )
        self.fields.setMaximumHeight(180)

        self.progress = QProgressBar()
        self.progress.setObjectName("import_progress")
        self.progress.setRange(0, 0)  # busy while reading; the import itself has steps
        self.progress.setTextVisible(False)
        self.steps_seen: list[str] = []
        self._steps = _Steps(self)
        self._steps.step.connect(self._step)
        self.status = QLabel()
        self.status.setObjectName("import_status")
        self.status.setWordWrap(True)

        self.buttons = QDialogButtonBox()
        self.import_button = name_widget(
            self.buttons.addButton("&Import", QDialogButtonBox.ButtonRole.AcceptRole),
            "import_apply", "Import",
        )  # fmt: skip
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self._apply)
        action = QDialogButtonBox.ButtonRole.ActionRole
        self.receipt_button = name_widget(
            self.buttons.addButton("Save &acknowledgement…", action),
            "import_receipt", "Save an acknowledgement for the sender",
        )  # fmt: skip
        self.receipt_button.hide()
        self.receipt_button.clicked.connect(self._save_receipt)
        self.close_button = name_widget(
            self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel),
            "import_cancel",
            "Cancel",
        )
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.key_warning)
        layout.addWidget(self.passphrase_row)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.fields_label)
        layout.addWidget(self.link_row)
        layout.addWidget(self.fields)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(900, 600)
        try:
            self._data = read_pack_file(path)
        except (OSError, PackRefused) as error:
            self._refuse(error.message if isinstance(error, PackRefused) else str(error))
            return
        self._read()

    # -- reading and the preview -----------------------------------------------------------

    def _busy(self, text: str, steps: bool = False) -> None:
        self.progress.setRange(0, 100 if steps else 0)
        self.progress.setValue(0)
        self.progress.setTextVisible(steps)
        self.progress.show()
        self.status.setText(text)
        self.import_button.setEnabled(False)

    def _idle(self, text: str = "") -> None:
        self.progress.hide()
        self.status.setText(text)

    def _refuse(self, reason: str) -> None:
        self.refusal = reason
        self._idle()
        self.header.setText(f"<b>This pack cannot be imported.</b><br>{reason}")
        self.import_button.setEnabled(False)
        self.close_button.setText("Close")

    def _read(self) -> None:
        passphrase = self.passphrase.text() or None
        services, own, data = self._services, self._own, self._data
        self._busy("Checking the pack…")

        def work() -> tuple[OpenedPack, Preview]:
            opened = services.exchange.read_pack(data, own, passphrase)
            return opened, services.exchange.preview(opened)

        run_in_background(work, self._opened_pack, self._read_failed)

    def _read_failed(self, error: Exception) -> None:
        if isinstance(error, NeedsPassphrase):
            self._idle()
            self.header.setText(error.message)
            self.passphrase_row.show()
            self.passphrase.selectAll()
            self.passphrase.setFocus()
        elif isinstance(error, PackRefused):
            self._refuse(error.message)
        else:
            self._idle()
            show_problem(self, error, "The pack could not be read")

    def _opened_pack(self, result: tuple[OpenedPack, Preview]) -> None:
        opened, preview = result
        self._opened, self._preview = opened, preview
        self.passphrase_row.hide()
        sender = opened.sender
        self.header.setText(
            f"<b>{opened.kind.label}</b> from <b>{sender.name}</b>: {opened.summary}<br>"
            f"Made {opened.envelope['created_at'][:10]} (their clock); signed with key "
            f"<code>{sender.fingerprint}</code>. Nothing changes until you press Import."
        )
        if opened.new_key:
            self.key_warning.setText(
                f"This is the first pack from {sender.name} on this laptop. Before importing, "
                f"ring them and check that the key fingerprint in their Help → About is "
                f"<b style='white-space:nowrap'>{sender.fingerprint}</b>. It will be kept on "
                "their partner record, and a later pack signed by any other key will be refused."
            )
            self.key_warning.show()
        self._fill(preview)
        self._idle()
        changes = preview.changes_anything or opened.kind.name == "receipt"
        self.import_button.setEnabled(True)
        self.import_button.setDefault(True)
        if opened.older and changes:
            self.status.setText(
                f"This pack is older than one already imported from {sender.name}: it only "
                "adds what is not here yet, and changes nothing the later pack brought."
            )
        if not changes:
            refused = preview.counts["refused"]
            self.status.setText(
                f"Nothing in this pack can be taken in: {refused} refused (the reasons are in "
                "the list), the rest already here. Importing it changes nothing."
                if refused
                else "Everything in this pack is already here: importing it again changes nothing."
            )
        self.import_button.setFocus()

    def _fill(self, preview: Preview) -> None:
        text = preview.counts_text() or "Nothing in this pack."
        notes = "".join(f"<br>{note}" for note in preview.notes)
        self.counts.setText(f"<b>{text}</b>{notes}")
        # The lines that need a look first: conflicts, refusals, then changes, then the rest.
        # Partners matched by name come right after those: the user should confirm them.
        order = {"conflict": 0, "refused": 1, "update": 3, "new": 4, "same": 5}
        self._lines = sorted(
            preview.lines, key=lambda line: 2 if line.link_key else order[line.state]
        )
        self.table.setRowCount(len(self._lines))
        for row, line in enumerate(self._lines):
            self._fill_row(row, line)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        first_conflict = next(
            (i for i, line in enumerate(self._lines) if line.state == "conflict"), None
        )
        if first_conflict is not None:
            self.table.selectRow(first_conflict)

    def _fill_row(self, row: int, line: RecordLine) -> None:
        state, label, reason = line.state, line.state_label, line.reason
        if line.link_key and self._linked(line) is False:
            state, label = "new", "New"
            reason = f"Added as a new partner: you said it is not your “{line.match}”."
        elif line.link_key and self._linked(line):
            label = f"Same as “{line.match}”"
        colour = QBrush(QColor(STATE_COLOURS[state]))
        for column, value in enumerate((label, line.what, line.label, reason)):
            item = QTableWidgetItem(value)
            item.setBackground(colour)
            item.setForeground(QBrush(QColor("#000000")))
            self.table.setItem(row, column, item)

    def _linked(self, line: RecordLine) -> bool:
        return self._choices.get(line.link_key, {}).get(LINK) != DIFFERENT

    def link(self, line: RecordLine, same: bool) -> None:
        """Say whether a partner matched by name is the one here (as the combo box does)."""
        if same:
            self._choices.pop(line.link_key, None)
        else:
            self._choices[line.link_key] = {LINK: DIFFERENT}
        if line in self._lines:
            self._fill_row(self._lines.index(line), line)

    def _link_chosen(self) -> None:
        line = self._selected()
        if line is not None and line.link_key and self.link_pick.count():
            self.link(line, self.link_pick.currentData() == "same")

    def _selected(self) -> RecordLine | None:
        rows = self.table.selectionModel().selectedRows()
        return self._lines[rows[0].row()] if rows else None

    def _show_fields(self) -> None:
        line = self._selected()
        self.fields.setRowCount(0)
        self.link_row.setVisible(bool(line is not None and line.link_key))
        if line is not None and line.link_key:
            self.link_pick.blockSignals(True)
            self.link_pick.clear()
            self.link_pick.addItem(f"the same as “{line.match}” here (recommended)", "same")
            self.link_pick.addItem("a different partner: add it as a new one", "new")
            self.link_pick.setCurrentIndex(0 if self._linked(line) else 1)
            self.link_pick.blockSignals(False)
        if line is None:
            return
        if not line.fields:
            self.fields_label.setText(f"{line.what} “{line.label}”: {line.reason}")
            return
        self.fields_label.setText(
            f"{line.what} “{line.label}”: "
            + ("choose which value to keep for each field in conflict (the other stays in "
               "the record's history)." if line.state == "conflict" else line.reason)
        )  # fmt: skip
        self.fields.setRowCount(len(line.fields))
        for row, f in enumerate(line.fields):
            self.fields.setItem(row, 0, QTableWidgetItem(f.label.replace("_", " ")))
            self.fields.setItem(row, 1, QTableWidgetItem(_shown(f.ours)))
            self.fields.setItem(row, 2, QTableWidgetItem(_shown(f.theirs)))
            if f.state == "conflict":
                pick = QComboBox()
                pick.setObjectName(f"import_pick_{f.name}")
                pick.setAccessibleName(f"Keep which {f.label.replace('_', ' ')}")
                pick.addItem("Keep ours (here)", OURS)
                pick.addItem("Take theirs (pack)", THEIRS)
                chosen = self._choices.get(line.key, {}).get(f.name, OURS)
                pick.setCurrentIndex(0 if chosen == OURS else 1)
                pick.currentIndexChanged.connect(
                    lambda _i, key=line.key, name=f.name, box=pick: self._choose(key, name, box)
                )
                self.fields.setCellWidget(row, 3, pick)
            else:
                words = {"update": "Theirs (changed there)", "ours": "Ours (changed here)",
                         "same": "Same"}.get(f.state, "")  # fmt: skip
                self.fields.setItem(row, 3, QTableWidgetItem(words))
        self.fields.resizeColumnToContents(0)

    def _choose(self, key: str, name: str, box: QComboBox) -> None:
        self._choices.setdefault(key, {})[name] = box.currentData()

    def choose(self, key: str, name: str, pick: str) -> None:
        """Settle one conflicting field (as the combo box does)."""
        self._choices.setdefault(key, {})[name] = pick

    # -- importing -------------------------------------------------------------------------

    def _apply(self) -> None:
        if self._opened is None:
            return
        services, own, opened, choices = self._services, self._own, self._opened, self._choices
        self._busy("Importing: making a backup first, then everything in one step…", steps=True)
        self.close_button.setEnabled(False)
        signal = self._steps.step
        run_in_background(
            lambda: services.exchange.apply(opened, dict(choices), own, signal.emit),
            self._applied,
            self._apply_failed,
        )

    def _step(self, text: str, fraction: float) -> None:
        self.steps_seen.append(text)
        self.progress.setValue(round(fraction * 100))
        self.status.setText(text)

    def _apply_failed(self, error: Exception) -> None:
        self._idle("Nothing was imported.")
        self.close_button.setEnabled(True)
        self.import_button.setEnabled(True)
        show_problem(self, error, "Nothing was imported")

    def _applied(self, result) -> None:
        self._result = result
        self.result_message = result.message
        self._idle(result.message)
        self.status.setStyleSheet("font-weight: bold;")
        self.close_button.setEnabled(True)
        self.close_button.setText("Close")
        self.import_button.setEnabled(False)
        # Done: the choices shown can no longer change anything.
        self.link_row.setEnabled(False)
        self.fields.setEnabled(False)
        self.receipt_button.show()
        if result.changed:
            self._imported()
        self.close_button.setFocus()

    def _save_receipt(self) -> None:
        if self._opened is None:
            return
        try:
            request = self._services.exchange.receipt_request(self._opened, self._result)
            out = self._services.exchange.export_pack(
                "receipt", request, self._own, recipient_id=self._opened.sender.organisation_id
            )
        except Exception as error:
            show_problem(self, error, "No acknowledgement was made")
            return
        default = self._path.with_name(f"acknowledgement for {self._opened.sender.name}"
                                       f"{pack.SUFFIX}")  # fmt: skip
        target, _filter = QFileDialog.getSaveFileName(
            self, "Save the acknowledgement", str(default), f"Exchange packs (*{pack.SUFFIX})"
        )
        if not target:
            return
        try:
            write_atomically(Path(target), out.data)
        except OSError as error:
            show_problem(self, error, "The acknowledgement was not saved")
            return
        self.status.setText(f"Acknowledgement saved: {target}. Send it to "
                            f"{self._opened.sender.name}.")  # fmt: skip
