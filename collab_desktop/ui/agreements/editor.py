"""The agreement editor: one version's text, responsibilities and signatures, with the
sign-off actions. Only a draft is editable; every version can be read, saved as PDF and
printed.

Its parts, each in a module of its own: the first tab (text_tab.py), the two tables
(responsibilities_table.py, signatories_table.py, on agreement_table.py), the History tab
(history_tab.py), the action buttons and what they show for a version (button_state.py), the
actions themselves (editor_actions.py) and the signature dialog (signature_dialog.py). What
each status allows is not decided here but by the service (VersionData.allowed)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.agreements.version_data import VersionData
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.agreements.button_state import (
    action_buttons,
    button_row,
    show_allowed,
    status_line,
)
from collab_desktop.ui.agreements.editor_actions import EditorActions
from collab_desktop.ui.agreements.history_tab import HistoryTab
from collab_desktop.ui.agreements.responsibilities_table import R_WHAT, ResponsibilitiesTable
from collab_desktop.ui.agreements.signatories_table import S_NAME, SignatoriesTable
from collab_desktop.ui.agreements.text_tab import TextTab
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import error_label, name_widget, select_data
from collab_desktop.ui.operations import Operation

TEXT_TAB, RESPONSIBILITIES_TAB, SIGNATURES_TAB, HISTORY_TAB = range(4)


class AgreementEditor(EditorActions, QDialog):
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

        self.buttons = action_buttons(lambda method: getattr(self, method))
        close = name_widget(QPushButton("Close"), "agreement_close", "Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.close)
        actions = button_row(self.buttons, close)

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
        self.problem = error_label("agreement_problem")

        # Said before printing, never left to show as boxes on paper.
        self.unprintable = QLabel()
        self.unprintable.setObjectName("agreement_unprintable")
        self.unprintable.setTextFormat(Qt.TextFormat.PlainText)
        self.unprintable.setWordWrap(True)
        self.unprintable.setStyleSheet("color: #7a4b00;")
        self.unprintable.hide()

        self.text_tab = TextTab(self._changed)
        # The text tab's fields, by the names the rest of the editor and its tests use.
        self.title = self.text_tab.title
        self.sections = self.text_tab.sections
        self.next_review = self.text_tab.next_review
        self.quorum = self.text_tab.quorum
        self.resp_table = ResponsibilitiesTable(self._changed)
        self.sig_table = SignatoriesTable(self._changed)
        self.history_tab = HistoryTab()
        self.tabs = name_widget(QTabWidget(), "agreement_tabs", "Parts of the agreement")
        self.tabs.addTab(self.text_tab, "Agreement &text")
        self.tabs.addTab(self._responsibilities_page(), "R&esponsibilities")
        self.tabs.addTab(self._signatures_page(), "Si&gnatures")
        self.tabs.addTab(self.history_tab, "&History")
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

    def _responsibilities_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.resp_table, 1)
        layout.addLayout(self.resp_table.row_buttons("responsibility", self._commit_cell_edits))
        return page

    def _signatures_page(self) -> QWidget:
        buttons = self.sig_table.row_buttons("signatory", self._commit_cell_edits)
        self.clear_signature_button = name_widget(
            QPushButton("Clear signature…"), "clear_signature", "Clear signature"
        )
        self.clear_signature_button.clicked.connect(self.clear_signature)
        # Never what Enter presses (issue 11): made after the others without this, it became
        # the dialog's default, and Enter in a field offered to clear a signature.
        self.clear_signature_button.setAutoDefault(False)
        # Not one of the row buttons: it shows by status, not by whether the draft is editable.
        buttons.insertWidget(buttons.count() - 1, self.clear_signature_button)
        note = QLabel(
            "Everyone who must sign has to be recorded before the version is signed off. "
            "A host's approver (such as the prison's) signs for the host. Witnesses are optional."
        )
        note.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(note)
        layout.addWidget(self.sig_table, 1)
        layout.addLayout(buttons)
        return page

    # -- loading ---------------------------------------------------------------------------

    def load(self, version_id: uuid.UUID) -> None:
        self.version_id = version_id
        data = self.services.agreements.get_version(version_id)
        self.data = data
        self.resp_table.parties = self.sig_table.parties = data.parties
        self.resp_table.contacts = self.services.partners.contacts_of(
            [p.organisation_id for p in data.parties]
        )
        self.sig_table.stored = data.signatories
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
            self.text_tab.load(data)
            self.quorum.load(self.services, data.id)
            self.resp_table.fill(data.responsibilities)
            self.sig_table.fill(data.signatories)
        finally:
            self._loading = False
        self._dirty = False
        self.problem.hide()
        self.tampered.setText(" ".join(data.warnings))
        self.tampered.setVisible(bool(data.warnings))
        self._show_unprintable()
        self._apply_state()
        self.history_tab.load(self.services, data.agreement_id, self._history_broken)
        self._fit_rows()

    def _history_broken(self, problems: list[str]) -> None:
        # Shown above the tabs too, with the version's own warnings: a history cut or
        # rewritten matters whether or not the History tab is open.
        self.tampered.setText(" ".join([*self.data.warnings, *problems]))
        self.tampered.show()

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
        self.state.setText(status_line(data))
        self.text_tab.set_editable(data.editable)
        self.resp_table.set_editable(data.editable)
        self.sig_table.set_editable(data.editable)
        # What the status allows comes with the version (VersionData.allowed): the editor
        # only shows it.
        show_allowed({**self.buttons, "clear_signature": self.clear_signature_button},
                     data.allowed)  # fmt: skip
        self._update_save()

    def _fit_rows(self) -> None:
        self.resp_table.fit_rows()

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

    # -- saving ----------------------------------------------------------------------------

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
            text = self.text_tab.edited()
        except ValueError as error:
            self.tabs.setCurrentIndex(TEXT_TAB)
            self._show_problem(f"Next review: {error}")
            self.next_review.setFocus()
            return False
        edited = VersionData(
            **{
                **self.data.__dict__,
                **text,
                "responsibilities": self.resp_table.read(),
                "signatories": self.sig_table.read(),
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
        tab = {"responsibilities": RESPONSIBILITIES_TAB, "signatories": SIGNATURES_TAB}.get(
            prefix, TEXT_TAB
        )
        self.tabs.setCurrentIndex(tab)
        self._show_problem(" ".join(error.errors.values()))
        if prefix in self.sections:
            self.sections[prefix].setFocus()
        elif prefix in ("responsibilities", "signatories") and "." in field:
            table = self.resp_table if prefix == "responsibilities" else self.sig_table
            column = R_WHAT if tab == RESPONSIBILITIES_TAB else S_NAME
            table.setCurrentCell(int(field.split(".")[1]) - 1, column)
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
