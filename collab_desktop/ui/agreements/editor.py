"""The agreement editor: one version's text, responsibilities and signatures, with the
sign-off actions. Only a draft is editable; every version can be read, saved as PDF and
printed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timezone
from typing import TypeVar

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import (
    AGREEMENT_SECTIONS,
    AGREEMENT_STATUSES,
    RESPONSIBILITY_AREAS,
    SIGNATORY_CAPACITIES,
    SIGNATURE_METHODS,
    label,
)
from collab_desktop.resources import ACTION_ICONS, action_icon
from collab_desktop.services.agreements.version_data import (
    ResponsibilityData,
    SignatoryData,
    VersionData,
)
from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.agreements.parts_picker import PartsDialog
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.editable_table import EditableTable
from collab_desktop.ui.errors import is_damage_error
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import ChoiceBox, DateField, format_date, name_widget, select_data
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.pdf_actions import print_agreement, save_agreement_pdf
from collab_desktop.ui.style import ERROR_COLOUR, mark_error, mark_read_only

USER_NAME_KEY = "user/name"
JOINT = "joint"

# Responsibility table columns
R_PARTY, R_AREA, R_WHAT, R_OFTEN = range(4)
# Signatory table columns
S_CAPACITY, S_NAME, S_ROLE, S_ORG, S_REQUIRED, S_SIGNED = range(6)

T = TypeVar("T")


def _lock(widget: QWidget, locked: bool) -> None:
    """Make a cell's combo or checkbox read-only while keeping it readable: a disabled widget
    greys its text out, which is hard to read on a signed-off version."""
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, locked)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus if locked else Qt.FocusPolicy.StrongFocus)
    mark_read_only(widget, locked)  # no arrow: it looks as it behaves


def _uuid_or_none(text: str) -> uuid.UUID | None:
    return uuid.UUID(text) if text else None


def remembered_user_name() -> str:
    return str(QSettings().value(USER_NAME_KEY, "") or "")


class AgreementEditor(QDialog):
    def __init__(
        self,
        services: Services,
        events: DataEvents,
        version_id: uuid.UUID,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreement_editor")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.services = services
        self.events = events
        self.version_id = version_id
        self.data: VersionData | None = None
        self._dirty = False
        self._loading = False
        self._contacts: list = []
        self._build()
        self.resize(1100, 700)
        self.load(version_id)

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("agreement_heading")
        # Names are shown as typed: `Partners <North> & "South"` is not HTML.
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)
        self.state = QLabel()
        self.state.setObjectName("agreement_state")
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.versions = name_widget(QComboBox(), "agreement_versions", "Version shown")
        self.versions.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.versions.activated.connect(self._switch_version)

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Version:"))
        top.addWidget(self.versions)

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, text, slot, shortcut in (
            ("save", "&Save", self.save, QKeySequence.StandardKey.Save),
            ("send", "Se&nd for signatures…", self.send_for_signatures, None),
            ("record", "&Record signature…", self.record_signature, None),
            ("to_draft", "Back to &draft…", self.return_to_draft, None),
            ("new_version", "&New version", self.new_version, None),
            ("void", "&Void…", self.void, None),
            ("delete", "Delete dra&ft…", self.delete_draft, None),
            ("pdf", "Save as &PDF…", self.save_pdf, None),
            ("print", "Pr&int…", self.print, QKeySequence.StandardKey.Print),
            ("template", "Save as temp&late…", self.save_as_template, None),
            ("parts", "Who plays which pa&rt…", self.change_parts, None),
        ):
            button = name_widget(QPushButton(text), f"agreement_{key}", text.replace("&", ""))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            if shortcut is not None:
                button.setShortcut(QKeySequence(shortcut))
            if key in ACTION_ICONS:  # the same icons as the main window's menus
                button.setIcon(action_icon(key))
            actions.addWidget(button)
            self.buttons[key] = button
        # Enter saves (the safe, expected action); on a version that cannot be edited Save is
        # disabled and Enter does nothing.
        self.buttons["save"].setDefault(True)
        actions.addStretch(1)
        close = name_widget(QPushButton("Close"), "agreement_close", "Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        actions.addWidget(close)

        self.notice = QLabel()
        self.notice.setObjectName("agreement_notice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setStyleSheet("color: #1b5e20;")
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.clear)
        self.tampered = QLabel()
        self.tampered.setObjectName("agreement_tampered")
        self.tampered.setWordWrap(True)
        self.tampered.setStyleSheet(
            "background: #fde7e9; color: #7a0010; padding: 6px; border: 1px solid #e3a1a8;"
        )
        self.tampered.hide()
        self.problem = QLabel()
        self.problem.setObjectName("agreement_problem")
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        mark_error(self.problem)
        self.problem.hide()

        # Said before printing, never left to show as boxes on paper.
        self.unprintable = QLabel()
        self.unprintable.setObjectName("agreement_unprintable")
        self.unprintable.setTextFormat(Qt.TextFormat.PlainText)
        self.unprintable.setWordWrap(True)
        self.unprintable.setStyleSheet("color: #7a4b00;")
        self.unprintable.hide()
        self.tabs = name_widget(QTabWidget(), "agreement_tabs", "Parts of the agreement")
        self.tabs.addTab(self._build_text_tab(), "Agreement &text")
        self.tabs.addTab(self._build_responsibilities_tab(), "R&esponsibilities")
        self.tabs.addTab(self._build_signatures_tab(), "Si&gnatures")
        self.tabs.addTab(self._build_history_tab(), "&History")
        self.tabs.currentChanged.connect(lambda _: QTimer.singleShot(0, self._fit_rows))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        state_row = QHBoxLayout()
        state_row.addWidget(self.state, 1)
        state_row.addWidget(self.notice)
        layout.addLayout(state_row)
        layout.addLayout(actions)
        layout.addWidget(self.tampered)
        layout.addWidget(self.problem)
        layout.addWidget(self.unprintable)
        layout.addWidget(self.tabs, 1)

    def _build_text_tab(self) -> QWidget:
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = name_widget(QLineEdit(), "agreement_title", "Title")
        self.title.textChanged.connect(self._changed)
        form.addRow("Title:", self.title)
        self.sections: dict[str, QPlainTextEdit] = {}
        for key, title in AGREEMENT_SECTIONS.items():
            edit = name_widget(QPlainTextEdit(), f"section_{key}", title)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(90)
            edit.textChanged.connect(self._changed)
            self.sections[key] = edit
            form.addRow(f"{title}:", edit)
        self.review_frequency = name_widget(QLineEdit(), "review_frequency", "How often reviewed")
        self.reviewers = name_widget(QLineEdit(), "reviewers", "Who reviews")
        self.next_review = name_widget(DateField(), "next_review", "Next review date")
        for widget in (self.review_frequency, self.reviewers, self.next_review):
            widget.textChanged.connect(self._changed)
        form.addRow("Review, how often:", self.review_frequency)
        form.addRow("Review, by whom:", self.reviewers)
        form.addRow("Next review:", self.next_review)
        # Issue 14: how many member organisations a meeting needs (ui/meetings/quorum.py).
        from collab_desktop.ui.meetings.quorum import quorum_field

        self.quorum = quorum_field(self._changed)
        form.addRow("Quorum:", self.quorum)
        scroll = name_widget(QScrollArea(), "agreement_text_scroll", "Agreement text")
        # Not a stop of its own for Tab: the fields in it are, and it scrolls to show each.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        return scroll

    def _build_responsibilities_tab(self) -> QWidget:
        self.resp_table = name_widget(
            EditableTable(["Who", "Area", "What", "How often"]),
            "responsibilities_table",
            "Responsibilities",
        )
        # Rows fit their wrapped text when the widths settle (see _fit_rows), not on insert.
        self.resp_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header = self.resp_table.horizontalHeader()
        header.setSectionResizeMode(R_WHAT, QHeaderView.ResizeMode.Stretch)
        self.resp_table.setColumnWidth(R_PARTY, 220)
        self.resp_table.setColumnWidth(R_AREA, 140)
        self.resp_table.setColumnWidth(R_OFTEN, 150)
        self.resp_table.setWordWrap(True)
        # Row heights follow the wrapped "What" text; they are recomputed whenever the column
        # widths settle (ResizeToContents measures too early, before the stretch applies).
        header.sectionResized.connect(lambda *_: self._fit_rows())
        self.resp_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.resp_table.itemChanged.connect(self._changed)
        self.resp_buttons = self._row_buttons(
            "responsibility", self.resp_table, self._add_responsibility
        )
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.resp_table, 1)
        layout.addLayout(self.resp_buttons)
        return page

    def _build_signatures_tab(self) -> QWidget:
        self.sig_table = name_widget(
            EditableTable(["Signs as", "Name", "Role", "Organisation", "Must sign", "Signature"]),
            "signatories_table",
            "Signatories",
        )
        self.sig_table.horizontalHeader().setSectionResizeMode(
            S_SIGNED, QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((S_CAPACITY, 150), (S_NAME, 170), (S_ROLE, 150), (S_ORG, 190)):
            self.sig_table.setColumnWidth(column, width)
        self.sig_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sig_table.itemChanged.connect(self._changed)
        self.sig_buttons = self._row_buttons("signatory", self.sig_table, self._add_signatory)
        self.clear_signature_button = name_widget(
            QPushButton("Clear signature…"), "clear_signature", "Clear signature"
        )
        self.clear_signature_button.clicked.connect(self.clear_signature)
        # Never what Enter presses (issue 11): made after the others without this, it became
        # the dialog's default, and Enter in a field offered to clear a signature.
        self.clear_signature_button.setAutoDefault(False)
        self.sig_buttons.insertWidget(self.sig_buttons.count() - 1, self.clear_signature_button)
        note = QLabel(
            "Everyone who must sign has to be recorded before the version is signed off. "
            "A host's approver (such as the prison's) signs for the host. Witnesses are optional."
        )
        note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(self.sig_table, 1)
        layout.addLayout(self.sig_buttons)
        return page

    def _build_history_tab(self) -> QWidget:
        self.chain = QLabel()
        self.chain.setObjectName("history_chain")
        self.chain.setWordWrap(True)
        self.history = name_widget(QTableWidget(0, 4), "history_table", "History")
        self.history.setHorizontalHeaderLabels(["When", "Who", "Version", "What"])
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnWidth(0, 140)
        self.history.setColumnWidth(1, 160)
        self.history.setColumnWidth(2, 70)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        self.history.verticalHeader().hide()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.chain)
        layout.addWidget(self.history, 1)
        return page

    def _load_history(self) -> None:
        rows = self.services.audit.history(self.data.agreement_id)
        self.history.setRowCount(0)
        for entry in reversed(rows):  # newest first
            row = self.history.rowCount()
            self.history.insertRow(row)
            when = entry.at.replace(tzinfo=timezone.utc).astimezone()
            for column, text in enumerate(
                (f"{when:%d/%m/%Y %H:%M}", entry.user, str(entry.version_number or ""),
                 entry.summary)
            ):  # fmt: skip
                self.history.setItem(row, column, QTableWidgetItem(text))
        self.history.resizeRowsToContents()
        # The whole chain is checked, so a change to any entry shows, here as anywhere: tens
        # of thousands of hashes after some years, so off the GUI thread (the editor opens at
        # once; the line below says so until the answer comes).
        self.chain.setText("Checking that the history is complete…")
        self.chain.setStyleSheet("")
        run_in_background(self.services.audit.check, done=self._show_chain)

    def _show_chain(self, result) -> None:
        try:
            self.chain.objectName()
        except RuntimeError:  # the editor was closed before the answer came
            return
        if result.problems:
            self.chain.setText("Warning: " + " ".join(result.problems))
            self.chain.setStyleSheet(f"color: {ERROR_COLOUR};")
            # Shown above the tabs too, with the version's own warnings: a history cut or
            # rewritten matters whether or not the History tab is open.
            self.tampered.setText(" ".join([*self.data.warnings, *result.problems]))
            self.tampered.show()
        else:
            self.chain.setText(
                "Every change to this agreement, newest first. The history cannot be edited, "
                "and a change made to it outside the app would show here."
            )
            self.chain.setStyleSheet("")

    def _row_buttons(self, name: str, table: QTableWidget, add) -> QHBoxLayout:
        row = QHBoxLayout()
        for key, text, slot in (
            ("add", f"&Add {name}", add),
            ("remove", "Re&move", lambda: self._remove_row(table)),
            ("up", "Move &up", lambda: self._move_row(table, -1)),
            ("down", "Move do&wn", lambda: self._move_row(table, 1)),
        ):
            button = name_widget(QPushButton(text), f"{name}_{key}", text.replace("&", ""))
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- loading ---------------------------------------------------------------------------

    def load(self, version_id: uuid.UUID) -> None:
        self.version_id = version_id
        data = self.services.agreements.get_version(version_id)
        self.data = data
        self._contacts = self.services.partners.contacts_of(
            [p.organisation_id for p in data.parties]
        )
        self._loading = True
        try:
            self.setWindowTitle(f"{data.title} — version {data.number}")
            self.heading.setText(f"{data.title} — {data.collaboration}")
            self.versions.clear()
            for summary in data.versions:
                self.versions.addItem(
                    f"{summary.number} ({label(AGREEMENT_STATUSES, summary.status)})", summary.id
                )
            select_data(self.versions, data.id)
            self.title.setText(data.title)
            for key, edit in self.sections.items():
                edit.setPlainText(data.sections.get(key, ""))
            self.review_frequency.setText(data.review_frequency)
            self.reviewers.setText(data.reviewers)
            self.next_review.set_value(data.next_review)
            self.quorum.load(self.services, data.id)
            self.resp_table.setRowCount(0)
            for r in data.responsibilities:
                self._add_responsibility(r)
            self.sig_table.setRowCount(0)
            for s in data.signatories:
                self._add_signatory(s)
        finally:
            self._loading = False
        self._dirty = False
        self.problem.hide()
        self.tampered.setText(" ".join(data.warnings))
        self.tampered.setVisible(bool(data.warnings))
        self._show_unprintable()
        self._apply_state()
        self._load_history()
        self._fit_rows()

    def _show_unprintable(self) -> None:
        # Off the GUI thread: the check loads ReportLab and its fonts the first time (about
        # 0.25 s) and builds the whole document again, and the editor must open at once.
        version_id = self.version_id
        run_in_background(
            lambda: self.services.agreements.unprintable(version_id),
            done=lambda found: self._say_unprintable(version_id, found),
        )

    def _say_unprintable(self, version_id: uuid.UUID, found: list[str]) -> None:
        import unicodedata

        try:
            self.unprintable.objectName()
        except RuntimeError:  # the editor was closed before the answer came
            return
        if version_id != self.version_id:
            return  # another version is showing now; its own check is on the way
        said = ", ".join(
            f"{ch} ({unicodedata.name(ch, f'U+{ord(ch):04X}').lower()})" for ch in found
        )
        self.unprintable.setText(
            f"These characters cannot be printed with the fonts Collab Desktop has: {said}. "
            "They will print as their names in brackets."
            if found
            else ""
        )
        self.unprintable.setVisible(bool(found))

    def _apply_state(self) -> None:
        data = self.data
        editable = data.editable
        state = f"Version {data.number} · {data.status_label} · Fingerprint {data.fingerprint}"
        if data.status == "draft":
            state += " (changes until it is sent for signatures)"
        if data.signed_off_on:
            state += f" · Signed off {format_date(data.signed_off_on)}"
        if data.void_reason:
            state += f" · Void: {data.void_reason}"
        self.state.setText(state)
        for edit in self.sections.values():
            edit.setReadOnly(not editable)
        for widget in (self.title, self.review_frequency, self.reviewers, self.next_review,
                       self.quorum):  # fmt: skip
            widget.setReadOnly(not editable)
        for table in (self.resp_table, self.sig_table):
            table.setEditTriggers(
                QAbstractItemView.EditTrigger.AllEditTriggers
                if editable
                else QAbstractItemView.EditTrigger.NoEditTriggers
            )
            for row in range(table.rowCount()):
                for column in range(table.columnCount()):
                    widget = table.cellWidget(row, column)
                    if widget is not None:
                        _lock(widget, not editable)
        for layout in (self.resp_buttons, self.sig_buttons):
            for i in range(layout.count()):
                widget = layout.itemAt(i).widget()
                if widget is not None:
                    widget.setVisible(editable)
        # What the status allows comes with the version (VersionData.allowed): the editor
        # only shows it.
        allowed = data.allowed
        self.clear_signature_button.setVisible("clear_signature" in allowed)
        for key in ("save", "send", "parts", "record", "to_draft", "new_version", "void", "delete"):
            self.buttons[key].setVisible(key in allowed)
        self._update_save()

    def _fit_rows(self) -> None:
        self.resp_table.resizeRowsToContents()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # After this event the layout gives the table its real width.
        QTimer.singleShot(0, self._fit_rows)

    def _update_save(self) -> None:
        self.buttons["save"].setEnabled(self._dirty)

    def _changed(self, *_args) -> None:
        if self._loading:
            return
        self._dirty = True
        self._update_save()

    # -- the two tables --------------------------------------------------------------------

    def _party_box(self, r: ResponsibilityData) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName("Who is responsible")
        # Keys are strings: QComboBox.findData cannot match Python tuples or UUID objects.
        for party in self.data.parties:
            box.addItem(party.name, f"organisation:{party.organisation_id}")
        for contact in self._contacts:
            box.addItem(f"{contact.name} ({contact.organisation})", f"contact:{contact.id}")
        box.addItem("Joint (all parties)", JOINT)
        if r.contact_id:
            wanted = f"contact:{r.contact_id}"
        elif r.organisation_id:
            wanted = f"organisation:{r.organisation_id}"
        else:
            wanted = JOINT
        index = box.findData(wanted)
        box.setCurrentIndex(index if index >= 0 else box.count() - 1)
        box.currentIndexChanged.connect(self._changed)
        return box

    def _add_responsibility(self, r: ResponsibilityData | None = None) -> None:
        new = not isinstance(r, ResponsibilityData)
        r = r if not new else ResponsibilityData()
        row = self.resp_table.rowCount()
        self.resp_table.insertRow(row)
        self.resp_table.set_row_widget(row, R_PARTY, self._party_box(r))
        area = ChoiceBox(RESPONSIBILITY_AREAS)
        area.setAccessibleName("Area")
        area.set_value(r.area)
        area.currentIndexChanged.connect(self._changed)
        self.resp_table.set_row_widget(row, R_AREA, area)
        what = QTableWidgetItem(r.what)
        what.setData(Qt.ItemDataRole.UserRole, r.id)
        self.resp_table.setItem(row, R_WHAT, what)
        self.resp_table.setItem(row, R_OFTEN, QTableWidgetItem(r.how_often))
        if new:
            self._changed()
            self.resp_table.setCurrentCell(row, R_WHAT)
            self.resp_table.editItem(what)

    def _add_signatory(self, s: SignatoryData | None = None) -> None:
        new = not isinstance(s, SignatoryData)
        s = s if not new else SignatoryData()
        row = self.sig_table.rowCount()
        self.sig_table.insertRow(row)
        capacity = ChoiceBox(SIGNATORY_CAPACITIES)
        capacity.setAccessibleName("Signs as")
        capacity.set_value(s.capacity)
        capacity.currentIndexChanged.connect(self._changed)
        self.sig_table.set_row_widget(row, S_CAPACITY, capacity)
        name = QTableWidgetItem(s.name)
        name.setData(Qt.ItemDataRole.UserRole, s.id)
        self.sig_table.setItem(row, S_NAME, name)
        self.sig_table.setItem(row, S_ROLE, QTableWidgetItem(s.role))
        org = QComboBox()
        org.setAccessibleName("Organisation")
        org.addItem("(none)", "")
        for party in self.data.parties:
            org.addItem(party.name, str(party.organisation_id))
        org.setCurrentIndex(max(0, org.findData(str(s.organisation_id or ""))))
        org.currentIndexChanged.connect(self._changed)
        self.sig_table.set_row_widget(row, S_ORG, org)
        required = QCheckBox()
        required.setAccessibleName("Must sign")
        required.setChecked(s.required)
        required.toggled.connect(self._changed)
        self.sig_table.set_row_widget(row, S_REQUIRED, required)
        signed = QTableWidgetItem(self._signature_text(s))
        signed.setFlags(signed.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.sig_table.setItem(row, S_SIGNED, signed)
        if new:
            self._changed()
            self.sig_table.setCurrentCell(row, S_NAME)
            self.sig_table.editItem(name)

    @staticmethod
    def _signature_text(s: SignatoryData) -> str:
        if not s.signed_on:
            return "Not yet signed"
        method = label(SIGNATURE_METHODS, s.method).lower()
        return f"Signed {format_date(s.signed_on)} ({method}), recorded by {s.recorded_by}"

    def _remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row < 0:
            return
        table.removeRow(row)
        self._changed()

    def _move_row(self, table: QTableWidget, step: int) -> None:
        self._commit_cell_edits()  # the rows are rebuilt: keep text typed with Alt+U / Alt+W
        row = table.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < table.rowCount():
            return
        rows = self._read_responsibilities() if table is self.resp_table else None
        signatories = self._read_signatories() if table is self.sig_table else None
        items = rows if rows is not None else signatories
        items[row], items[target] = items[target], items[row]
        self._loading = True
        try:
            table.setRowCount(0)
            for item in items:
                if table is self.resp_table:
                    self._add_responsibility(item)
                else:
                    self._add_signatory(item)
        finally:
            self._loading = False
        table.setCurrentCell(target, 2 if table is self.resp_table else S_NAME)
        self._changed()

    def _read_responsibilities(self) -> list[ResponsibilityData]:
        rows = []
        for row in range(self.resp_table.rowCount()):
            kind, _, text = self.resp_table.cellWidget(row, R_PARTY).currentData().partition(":")
            key = uuid.UUID(text) if text else None
            what = self.resp_table.item(row, R_WHAT)
            often = self.resp_table.item(row, R_OFTEN)
            rows.append(
                ResponsibilityData(
                    id=what.data(Qt.ItemDataRole.UserRole) if what else None,
                    what=what.text() if what else "",
                    how_often=often.text() if often else "",
                    area=self.resp_table.cellWidget(row, R_AREA).value(),
                    organisation_id=key if kind == "organisation" else None,
                    contact_id=key if kind == "contact" else None,
                )
            )
        return rows

    def _read_signatories(self) -> list[SignatoryData]:
        rows = []
        existing = {s.id: s for s in self.data.signatories}
        for row in range(self.sig_table.rowCount()):
            name = self.sig_table.item(row, S_NAME)
            role = self.sig_table.item(row, S_ROLE)
            old = existing.get(name.data(Qt.ItemDataRole.UserRole)) if name else None
            rows.append(
                SignatoryData(
                    id=old.id if old else None,
                    name=name.text() if name else "",
                    role=role.text() if role else "",
                    capacity=self.sig_table.cellWidget(row, S_CAPACITY).value(),
                    organisation_id=_uuid_or_none(
                        self.sig_table.cellWidget(row, S_ORG).currentData()
                    ),
                    required=self.sig_table.cellWidget(row, S_REQUIRED).isChecked(),
                    signed_on=old.signed_on if old else None,
                    method=old.method if old else "",
                    recorded_by=old.recorded_by if old else "",
                )
            )
        return rows

    # -- actions ---------------------------------------------------------------------------

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def _commit_cell_edits(self) -> None:
        """Put text still being typed in a table cell into the table. A shortcut (Ctrl+S) or
        the window's close button does not take the focus from the cell, so without this the
        typed text would be left out of the save and then lost when the tables reload."""
        for table in (self.resp_table, self.sig_table):
            editor = table.focusWidget()
            if table.state() == QAbstractItemView.State.EditingState and editor is not None:
                table.commitData(editor)
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self) -> bool:
        """Save the draft. On a problem, say what and where, and keep everything typed."""
        if not self.data.editable:
            return True
        self._commit_cell_edits()
        try:
            next_review = self.next_review.value()
        except ValueError as error:
            self.tabs.setCurrentIndex(0)
            self._show_problem(f"Next review: {error}")
            self.next_review.setFocus()
            return False
        edited = VersionData(
            **{
                **self.data.__dict__,
                "title": self.title.text(),
                "sections": {k: e.toPlainText() for k, e in self.sections.items()},
                "review_frequency": self.review_frequency.text(),
                "reviewers": self.reviewers.text(),
                "next_review": next_review,
                "responsibilities": self._read_responsibilities(),
                "signatories": self._read_signatories(),
            }
        )

        def refused(error: Exception) -> bool:
            if isinstance(error, ValidationError):
                self._show_validation(error)
                return True
            return False

        saving = Operation(
            self, self.services, self.events, lambda s: s.agreements.save_draft(edited)
        )
        if not saving.failure(refused).run():
            return False
        if not self.quorum.save(self, self.services, self.events, self.data.id):
            return False
        self.load(self.version_id)
        self._flash("Saved.")
        return True

    def _show_validation(self, error: ValidationError) -> None:
        field = next(iter(error.errors))
        prefix = field.split(".")[0]
        tab = {"responsibilities": 1, "signatories": 2}.get(prefix, 0)
        self.tabs.setCurrentIndex(tab)
        self._show_problem(" ".join(error.errors.values()))
        if prefix in self.sections:
            self.sections[prefix].setFocus()
        elif prefix in ("responsibilities", "signatories") and "." in field:
            table = self.resp_table if prefix == "responsibilities" else self.sig_table
            table.setCurrentCell(int(field.split(".")[1]) - 1, R_WHAT if tab == 1 else S_NAME)
            table.setFocus()

    def _flash(self, message: str) -> None:
        """Confirm an action here, where the user is looking (the main window's status bar
        is behind this dialog)."""
        self.notice.setText(message)
        self._notice_timer.start(8000)

    def _save_first(self) -> bool:
        """Before an action on the stored version: save unsaved edits, or stop."""
        self._commit_cell_edits()
        return not self._dirty or self.save()

    def send_for_signatures(self) -> None:
        if not self._save_first():
            return
        answer = QMessageBox.question(
            self,
            "Send for signatures",
            "The text will be frozen so that everyone signs the same words. You can still "
            "go back to draft until the last signature is recorded.\n\nSend it for signatures?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(lambda s: s.agreements.send_for_signatures(self.version_id))
        self.tabs.setCurrentIndex(2)

    def return_to_draft(self) -> None:
        signed = [s.name for s in self.data.signatories if s.signed_on]
        warning = (
            f" The signatures already recorded ({', '.join(signed)}) will be cleared, because "
            "they were given to the current text."
            if signed
            else ""
        )
        answer = QMessageBox.question(
            self, "Back to draft", f"Make this version editable again?{warning}"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda s: s.agreements.return_to_draft(self.version_id))

    def record_signature(self) -> None:
        unsigned = [s for s in self.data.signatories if not s.signed_on]
        if self.data.status == "signed_off":  # only a witness can still sign
            unsigned = [s for s in unsigned if not s.required]
        if not unsigned:
            return
        selected = self.sig_table.currentRow()
        preferred = None
        if 0 <= selected < len(self.data.signatories):
            preferred = self.data.signatories[selected].id
        was = self.data.status
        dialog = SignatureDialog(self.services, unsigned, preferred, self, self.events)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load(self.version_id)
            if self.data.status == "signed_off" and was != "signed_off":
                QMessageBox.information(
                    self,
                    "Signed off",
                    f"Every required signature is recorded: version {self.data.number} is "
                    "signed off. Save it as a PDF or print it for your records.",
                )

    def clear_signature(self) -> None:
        row = self.sig_table.currentRow()
        if not 0 <= row < len(self.data.signatories):
            return
        signatory = self.data.signatories[row]
        if not signatory.signed_on:
            return
        answer = QMessageBox.question(
            self, "Clear signature", f"Clear the signature recorded for {signatory.name}?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda s: s.agreements.clear_signature(signatory.id))

    def new_version(self) -> None:
        if not self._save_first():
            return
        version_id = self.version_id
        making = Operation(
            self, self.services, self.events, lambda s: s.agreements.new_version(version_id)
        )
        if not making.run():
            return
        assert making.result is not None
        self.load(making.result)
        self.tabs.setCurrentIndex(0)

    def void(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Void this version",
            f"Version {self.data.number} will stay on record, marked VOID on every page.\n"
            "Why is it being withdrawn?",
        )
        if not ok:
            return
        self._run(lambda s: s.agreements.void(self.version_id, reason))

    def delete_draft(self) -> None:
        """A draft nobody was ever sent can go, after a yes; the history keeps a record."""
        answer = QMessageBox.question(
            self,
            "Delete this draft",
            f"Delete draft version {self.data.number} of “{self.data.title}”? It was never sent "
            "for signatures. Its text stays in the agreement's history, but the draft itself "
            "cannot be brought back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        version_id = self.version_id
        deleting = self._operation(lambda s: s.agreements.delete_draft(version_id))
        if not deleting.run():
            return
        next_id = deleting.result
        self._dirty = False
        if next_id is None:
            self.close()
        else:
            self.load(next_id)
            self._flash("Draft deleted.")

    def save_pdf(self) -> None:
        if self._save_first():
            path = save_agreement_pdf(self, self.services, self.version_id)
            if path is not None:
                self._flash(f"PDF saved: {path}")

    def print(self) -> None:
        if self._save_first() and print_agreement(self, self.services, self.version_id):
            self._flash("Sent to the printer.")

    def change_parts(self) -> None:
        """Change which member plays each part of the template; the service mends the text,
        duties and signature lines to match."""
        if not self._save_first():
            return
        try:
            plan = self.services.agreements.parts_of(self.version_id)
        except ServiceError as error:
            self._show_problem(error.message)
            return
        dialog = PartsDialog(plan, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        version_id, chosen = self.version_id, dialog.picker.chosen()
        changing = self._operation(lambda s: s.agreements.change_parts(version_id, chosen))
        if not changing.run():
            return
        left = changing.result
        self.load(self.version_id)
        if left:
            self._show_problem(" ".join(left))
        self._flash("Parts changed; the draft follows.")

    def save_as_template(self) -> None:
        """Keep this agreement's text, duties and signing roles as a starting point for other
        collaborations of the same shape (parties become their roles)."""
        if not self._save_first():
            return
        name, ok = QInputDialog.getText(
            self,
            "Save as a template",
            "Name for the new template (it will be offered under New agreement):",
            text=f"{self.data.title} ({self.data.collaboration})",
        )
        if not ok:
            return
        try:
            body = self.services.agreements.template_body(self.version_id)
            body["name"] = name.strip()
            self.services.templates.save_template(
                name, f"Saved from {self.data.title}, version {self.data.number}.", body
            )
        except ServiceError as error:
            self._show_problem(error.message)
            return
        self._flash(f"Saved as the template “{name.strip()}”.")

    def _operation(self, op: Callable[[Services], T]) -> Operation[T]:
        """An operation whose refusal is shown above the tabs (not in a box)."""

        def refused(error: Exception) -> bool:
            if isinstance(error, ServiceError) and not is_damage_error(error):
                self._show_problem(error.message)
                return True
            return False

        return Operation(self, self.services, self.events, op).failure(refused)

    def _run(self, op: Callable[[Services], object]) -> None:
        if self._operation(op).run():
            self.load(self.version_id)

    def _switch_version(self, index: int) -> None:
        version_id = self.versions.itemData(index)
        if version_id == self.version_id:
            return
        if self._dirty and not self._confirm_discard():
            select_data(self.versions, self.version_id)
            return
        self.load(version_id)

    # -- closing ---------------------------------------------------------------------------

    def _confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "You have changed this draft. Save your changes?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event: QCloseEvent) -> None:
        self._commit_cell_edits()
        if self._dirty and not self._confirm_discard():
            event.ignore()
            return
        event.accept()

    def reject(self) -> None:
        # Escape goes through close() so unsaved edits are never dropped silently.
        self.close()


class SignatureDialog(QDialog):
    """Record one signature: who, when, how, and who is recording it."""

    def __init__(
        self,
        services: Services,
        unsigned: list[SignatoryData],
        preferred: uuid.UUID | None,
        parent: QWidget | None = None,
        events: DataEvents | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signature_dialog")
        self.events = events
        self.setWindowTitle("Record a signature")
        self.services = services
        self.who = name_widget(QComboBox(), "signature_who", "Who signed")
        for s in unsigned:
            self.who.addItem(f"{s.name}, {s.role}".strip(", "), s.id)
        if preferred is not None:
            select_data(self.who, preferred)
        self.signed_on = name_widget(DateField(), "signature_date", "Date signed")
        self.signed_on.set_value(date.today())
        self.method = name_widget(ChoiceBox(SIGNATURE_METHODS), "signature_method", "How signed")
        self.recorded_by = name_widget(QLineEdit(), "signature_recorded_by", "Recorded by")
        # The name of whoever last recorded a signature here; never the computer's login name,
        # which would print on the signed copy.
        self.recorded_by.setText(remembered_user_name())
        self.recorded_by.setPlaceholderText("Your name")
        self.error = QLabel()
        self.error.setObjectName("signature_error")
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        mark_error(self.error)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Who signed:", self.who)
        form.addRow("&Date signed:", self.signed_on)
        form.addRow("&How:", self.method)
        form.addRow("&Recorded by:", self.recorded_by)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record signature")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("signature_ok")
        buttons.accepted.connect(self._record)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _record(self) -> None:
        try:
            signed_on = self.signed_on.value()
        except ValueError as error:
            self._fail(str(error))
            return
        if signed_on is None:
            self._fail("Please enter the date it was signed.")
            return
        who, method, by = self.who.currentData(), self.method.value(), self.recorded_by.text()

        def refused(error: Exception) -> bool:
            if isinstance(error, ServiceError) and not is_damage_error(error):
                self._fail(error.message)
                return True
            return False

        if not (
            Operation(
                self,
                self.services,
                self.events,
                lambda s: s.agreements.record_signature(who, signed_on, method, by),
            )
            .failure(refused)
            .run()
        ):
            return
        name = self.recorded_by.text().strip()
        QSettings().setValue(USER_NAME_KEY, name)
        # Until a name is set in preferences, whoever records signatures is the user.
        self.services.audit.user = self.services.audit.user or name
        self.accept()

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
