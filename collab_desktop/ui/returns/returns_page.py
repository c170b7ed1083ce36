"""The Returns page (issue 13). A partner drafts its return for a period from the records and
the lead's template (only the typed figures and the narrative are typed), checks it, signs
it off and exports it; a counted figure opens to the sessions behind it. A lead sees the
board of a year: each partner's return received, late or not yet due, the totals with each
partner's share, and sends a query back.

Every control has an objectName and an accessible name; every action has an Alt key.

The page is built and filled without SQLAlchemy (issue 17: ui/preload.py reads it ahead while
the app is idle, with the quick services' stand-in of services/quick_open.py): what it reads
to fill itself is services/returns/choices.py, and only a return to show needs the services.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import NeedsConfirmation, ServiceError
from collab_desktop.services.returns.states import SENDABLE, STATUSES
from collab_desktop.ui.choice_model import use_choices
from collab_desktop.ui.errors import show_problem

HIDE_BELOW = 5
# The audit trail's action for each kind of file saved ("saved_pdf" as for agreements).
SAVED_ACTIONS = {"pdf": "saved_pdf", "csv": "saved_csv", "xlsx": "saved_xlsx"}
QUARTERS = [
    "Q1 (January to March)",
    "Q2 (April to June)",
    "Q3 (July to September)",
    "Q4 (October to December)",
]


def _named(widget, name: str, accessible: str):
    widget.setObjectName(name)
    widget.setAccessibleName(accessible)
    return widget


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    return float(text)


class FiguresTable(QTableWidget):
    """The return's figures. Typing on a typed figure's row edits its value wherever the row
    was clicked (its name, unit or source), as a spreadsheet's row of one input would: the
    value cell took typing only once reached with the arrows, or after F2."""

    def keyPressEvent(self, event) -> None:
        row, column = self.currentRow(), self.currentColumn()
        text = event.text()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if row >= 0 and column != 1 and plain and text and text.isprintable():
            value = self.item(row, 1)
            if value is not None and value.flags() & Qt.ItemFlag.ItemIsEditable:
                self.setCurrentCell(row, 1)  # then the key opens its editor, typed in
        super().keyPressEvent(event)


def name_the_recipient(dialog) -> None:
    """The export dialog's protection note says "the partner"; a return has one addressee,
    named there (the dialog itself is the exchange's; this only rewords its note)."""
    to = dialog.recipient.currentData()
    if to is not None:
        text = dialog.protection.text()
        dialog.protection.setText(text.replace("the partner", dialog.recipient.currentText()))


class ReturnsPage(QWidget):
    def __init__(self, services, events, fill: bool = True) -> None:
        super().__init__()
        self.services = services
        self.events = events
        self.return_id: uuid.UUID | None = None
        # The period's return found while the page was filled ahead, hidden, before the
        # services were loaded: shown when the page is (show_existing).
        self._to_show: uuid.UUID | None = None
        self.today = date.today
        # Replaced in tests: where a file goes (None: the user cancelled).
        self.choose_path = self._ask_path
        self.setObjectName("returns_page")

        self.collaboration = _named(QComboBox(), "returns_collaboration", "Collaboration")
        self._collaborations = use_choices(self.collaboration)  # every one: a long list
        self.organisation = _named(QComboBox(), "returns_organisation", "Organisation reporting")
        self.year = _named(QSpinBox(), "returns_year", "Year")
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.quarter = _named(QComboBox(), "returns_quarter", "Quarter")
        self.quarter.addItems(QUARTERS)
        self.quarter.setCurrentIndex((date.today().month - 1) // 3)
        self.hide_small = _named(
            QCheckBox(f"Hide small n&umbers (fewer than {HIDE_BELOW} people)"),
            "returns_hide_small",
            "Hide small numbers in exports",
        )
        self.hide_small.setChecked(True)
        top = QFormLayout()
        top.addRow("Co&llaboration:", self.collaboration)
        top.addRow("&Organisation:", self.organisation)
        period = QHBoxLayout()
        period.addWidget(self.year)
        period.addWidget(self.quarter)
        period.addWidget(self.hide_small)
        period.addStretch()
        top.addRow("&Period:", period)
        for label, field in (
            (top.labelForField(self.collaboration), self.collaboration),
            (top.labelForField(self.organisation), self.organisation),
        ):
            label.setBuddy(field)
        top.labelForField(period).setBuddy(self.year)

        self.tabs = _named(QTabWidget(), "returns_tabs", "Returns")
        self.tabs.addTab(self._return_tab(), "Our &return")
        self.tabs.addTab(self._board_tab(), "Lead's &board")
        layout = QVBoxLayout(self)
        title = QLabel("<h2>Monitoring returns</h2>")
        layout.addWidget(title)
        layout.addLayout(top)
        layout.addWidget(self.tabs)

        self.collaboration.currentIndexChanged.connect(self._collaboration_changed)
        # The return already made for the chosen period shows at once (a queried one to
        # answer, a signed-off one to send), instead of only after "Draft from records".
        self.organisation.currentIndexChanged.connect(lambda _i: self.show_existing())
        self.year.valueChanged.connect(lambda _v: self.show_existing())
        self.quarter.currentIndexChanged.connect(lambda _i: self.show_existing())
        # A template or return that arrives in a pack, or a member added, shows at once.
        if events is not None and hasattr(events, "changes"):
            events.changes.connect(self._on_changes)
        if fill:
            self.refresh()

    def _on_changes(self, changes) -> None:
        from collab_desktop.services.changes import COLLABORATIONS, PARTNERS, RETURNS

        if changes.touches(RETURNS, COLLABORATIONS, PARTNERS):
            self.refresh()

    # -- building ---------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = _named(QPushButton(text), name, text.replace("&", ""))
        button.clicked.connect(slot)
        return button

    def _return_tab(self) -> QWidget:
        tab = QWidget()
        self.status = _named(
            QLabel("No return drafted for this period yet."),
            "returns_status",
            "Status of the return",
        )
        # The lead's question is shown here in full: wrapped, or a long one widened the window
        # past the screen (seen under Xvfb).
        self.status.setWordWrap(True)
        self.figures = _named(FiguresTable(0, 4), "returns_figures", "Figures of the return")
        self.figures.setHorizontalHeaderLabels(["Figure", "Value", "Unit", "From"])
        self.figures.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A typed figure takes typing at once, as a spreadsheet's cell does (not only after F2).
        self.figures.setEditTriggers(
            QTableWidget.EditTrigger.AnyKeyPressed
            | QTableWidget.EditTrigger.EditKeyPressed
            | QTableWidget.EditTrigger.DoubleClicked
        )
        self.figures.cellDoubleClicked.connect(self._figure_double_clicked)
        self.went_well = _named(QPlainTextEdit(), "returns_went_well", "What went well")
        self.problems = _named(QPlainTextEdit(), "returns_problems", "Problems")
        self.case_study = _named(QPlainTextEdit(), "returns_case_study", "Case study, no names")
        self.checks = _named(QListWidget(), "returns_checks", "Checks")
        # A check is a sentence or two: wrapped, not cut off at the list's edge.
        self.checks.setWordWrap(True)
        self.figures.verticalHeader().hide()
        for edit in (self.went_well, self.problems, self.case_study):
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(48)
        buttons = QHBoxLayout()
        self.draft_button = self._button("Dr&aft from records", "returns_draft", self.draft)
        self.save_button = self._button("&Save", "returns_save", self.save)
        self.check_button = self._button("Chec&k", "returns_check", self.run_checks)
        self.sign_button = self._button("S&ign off…", "returns_sign_off", self.sign_off)
        self.trace_button = self._button(
            "&Trace to sessions…",
            "returns_trace",
            lambda: self.show_trace(self.figures.currentRow()),
        )
        self.pdf_button = self._button("P&DF…", "returns_pdf", lambda: self.export("pdf"))
        self.csv_button = self._button("&CSV…", "returns_csv", lambda: self.export("csv"))
        self.xlsx_button = self._button("&XLSX…", "returns_xlsx", lambda: self.export("xlsx"))
        self.answer_button = self._button("Answer &query…", "returns_answer", self.answer)
        self.send_button = self._button("Se&nd…", "returns_send", self.send_return)
        self.versions_button = self._button(
            "&Versions…", "returns_versions", lambda: self.show_versions(self.return_id)
        )
        for b in (
            self.draft_button,
            self.save_button,
            self.check_button,
            self.sign_button,
            self.trace_button,
            self.answer_button,
            self.send_button,
            self.versions_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch()
        files = QHBoxLayout()
        files.addWidget(QLabel("Save as:"))
        for b in (self.pdf_button, self.csv_button, self.xlsx_button):
            files.addWidget(b)
        files.addStretch()
        narrative = QFormLayout()
        narrative.addRow("What went &well:", self.went_well)
        narrative.addRow("Proble&ms:", self.problems)
        narrative.addRow("Case stud&y (no names):", self.case_study)
        for field in (self.went_well, self.problems, self.case_study):
            narrative.labelForField(field).setBuddy(field)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addLayout(files)
        row = QHBoxLayout()
        row.addWidget(self.figures, 3)
        side = QVBoxLayout()
        side.addWidget(QLabel("Checks:"))
        side.addWidget(self.checks)
        row.addLayout(side, 2)
        layout.addLayout(row, 1)
        layout.addLayout(narrative)
        return tab

    def _board_tab(self) -> QWidget:
        tab = QWidget()
        self.template = _named(QComboBox(), "returns_template", "Return template")
        self.template.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.board = _named(QTableWidget(0, 4), "returns_board", "Board: each partner by quarter")
        self.board.setHorizontalHeaderLabels(["Q1", "Q2", "Q3", "Q4"])
        self.board.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.board.currentCellChanged.connect(lambda *_: self._show_totals())
        self.totals = _named(QTableWidget(0, 3), "returns_totals", "Totals of the quarter")
        self.totals.setHorizontalHeaderLabels(["Figure", "Total", "Each partner's share (version)"])
        self.totals.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.totals.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.totals.verticalHeader().hide()
        templates_row = QHBoxLayout()
        templates_row.addWidget(QLabel("Template:"))
        templates_row.addWidget(self.template)
        buttons = QHBoxLayout()
        self.new_template_button = self._button(
            "&New template", "returns_new_template", self.new_template
        )
        self.edit_template_button = self._button(
            "Edi&t template…", "returns_edit_template", self.edit_template
        )
        self.send_template_button = self._button(
            "Send te&mplate…", "returns_send_template", self.send_template
        )
        self.board_versions_button = self._button(
            "Ver&sions…", "returns_board_versions", self.board_versions
        )
        self.show_board_button = self._button("Sho&w board", "returns_show_board", self.show_board)
        self.query_button = self._button("&Query…", "returns_query", self.query)
        self.collated_pdf = self._button(
            "&Year as PDF…", "returns_year_pdf", lambda: self.export_year("pdf")
        )
        self.collated_csv = self._button(
            "Year as CS&V…", "returns_year_csv", lambda: self.export_year("csv")
        )
        self.collated_xlsx = self._button(
            "Year as &XLSX…", "returns_year_xlsx", lambda: self.export_year("xlsx")
        )
        for b in (self.new_template_button, self.edit_template_button,
                  self.send_template_button):  # fmt: skip
            templates_row.addWidget(b)
        templates_row.addStretch()
        for b in (
            self.show_board_button,
            self.query_button,
            self.board_versions_button,
            self.collated_pdf,
            self.collated_csv,
            self.collated_xlsx,
        ):
            buttons.addWidget(b)
        buttons.addStretch()
        self.board_hint = _named(QLabel(), "returns_board_hint", "Why the board is empty")
        self.board_hint.setWordWrap(True)
        self.board_hint.hide()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.board_hint)
        layout.addLayout(templates_row)
        layout.addLayout(buttons)
        layout.addWidget(self.board, 2)
        layout.addWidget(QLabel("Totals of the chosen quarter (newest signed-off versions):"))
        layout.addWidget(self.totals, 3)
        self._boards: list = []
        return tab

    # -- filling ----------------------------------------------------------------------------

    def refresh(self) -> None:
        chosen = self.collaboration.currentData()
        self.collaboration.blockSignals(True)
        self._collaborations.set_choices(self.services.returns.collaboration_choices())
        index = self._collaborations.row_of(chosen)
        self.collaboration.setCurrentIndex(max(index, 0) if self.collaboration.count() else -1)
        self.collaboration.blockSignals(False)
        chosen_org, chosen_template = self.organisation.currentData(), self.template.currentData()
        self._collaboration_changed()
        # Keep the organisation and template chosen (a refresh must not move the user).
        for combo, value in ((self.organisation, chosen_org), (self.template, chosen_template)):
            for i in range(combo.count()):
                if combo.itemData(i) == value:
                    combo.setCurrentIndex(i)
        self.show_existing()
        # The main window's first show fills a page it has just built unless it says it is
        # filled already (MainWindow.is_page_ready): the page was read twice on first show.
        self.filled = True

    def _all_buttons(self) -> list[QPushButton]:
        # The page's own buttons (findChildren would also find those of its open dialogs).
        return [
            self.draft_button, self.save_button, self.check_button, self.sign_button,
            self.trace_button, self.pdf_button, self.csv_button, self.xlsx_button,
            self.answer_button, self.send_button, self.versions_button,
            self.new_template_button, self.edit_template_button, self.send_template_button,
            self.board_versions_button, self.show_board_button, self.query_button,
            self.collated_pdf, self.collated_csv, self.collated_xlsx,
        ]  # fmt: skip

    def _enable_for_collaborations(self, any_collaboration: bool) -> None:
        """With no collaboration there is nothing to report on: every button is off, and the
        page says what to do first instead of answering each click with "choose one"."""
        for button in self._all_buttons():
            button.setEnabled(any_collaboration)
        self.board_hint.setVisible(not any_collaboration)
        if not any_collaboration:
            hint = (
                "No collaboration yet: returns are made for one. Add it on the "
                "Collaborations page, or import it from the lead's pack (File → Import pack…)."
            )
            self.status.setText(hint)
            self.board_hint.setText(hint)

    def _collaboration_changed(self) -> None:
        c = self.collaboration.currentData()
        self.organisation.clear()
        self.template.clear()
        self._enable_for_collaborations(c is not None)
        if c is None:
            return
        for org, name in self.services.returns.reporting_members(c):
            self.organisation.addItem(name, org)
        # On a partner's laptop the return to draft is its own: "your organisation" first.
        from collab_desktop.ui.preferences import load_preferences

        own = load_preferences().organisation_id
        for i in range(self.organisation.count()):  # findData compares Python objects by id
            if own is not None and self.organisation.itemData(i) == own:
                self.organisation.setCurrentIndex(i)
        for t in self.services.returns.template_choices(c):
            self.template.addItem(f"{t.name} (version {t.version})", t.id)

    def _period(self) -> tuple[date, date]:
        from collab_desktop.services.returns.periods import periods_of_year

        return periods_of_year("quarter", self.year.value())[self.quarter.currentIndex()]

    def _hide(self) -> int | None:
        return HIDE_BELOW if self.hide_small.isChecked() else None

    def open_return(self, ref) -> None:
        """Show the return a home page "Needs attention" item is about (an attention.ReturnRef):
        its collaboration, organisation and period chosen, and the return if one is drafted."""

        def choose(combo: QComboBox, value: object) -> None:
            for index in range(combo.count()):
                if combo.itemData(index) == value:
                    combo.setCurrentIndex(index)
                    return

        choose(self.collaboration, ref.collaboration_id)
        choose(self.organisation, ref.organisation_id)
        self.year.setValue(ref.period_start.year)
        self.quarter.setCurrentIndex((ref.period_start.month - 1) // 3)
        self.tabs.setCurrentIndex(0)
        if ref.return_id is not None:
            self.show_return(ref.return_id)
        self.organisation.setFocus()

    def show_existing(self) -> None:
        c, org = self.collaboration.currentData(), self.organisation.currentData()
        found = (
            self.services.returns.latest(c, org, self._period()[0])
            if c is not None and org is not None
            else None
        )
        self._to_show = None
        if found is not None:
            if self.isVisible() or getattr(self.services, "loaded", True):
                self.show_return(found)
                return
            # Filled ahead while the app is idle (ui/preload.py), the services not loaded:
            # showing the return needs them (SQLAlchemy, some 0.8 s on the GUI thread, and
            # 70 MiB kept while idle: issue 17). It is shown when the page is, the click
            # that shows it loading them as any action there would.
            self._to_show = found
        self.return_id = None
        self._rows = []
        self.figures.setRowCount(0)
        self.checks.clear()
        for edit in (self.went_well, self.problems, self.case_study):
            edit.clear()
            edit.setReadOnly(False)
        if c is not None:
            self.status.setText(
                "Opening this period's return…"
                if self._to_show is not None
                else "No return drafted for this period yet."
            )
            self._enable_return_buttons(None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._to_show is not None:
            # After the page is painted, saying what it is opening.
            QTimer.singleShot(0, self, self._show_found)

    def _show_found(self) -> None:
        if self._to_show is not None and self.isVisible():
            self.show_return(self._to_show)

    def _enable_return_buttons(self, r) -> None:
        # Only the partner that made the return answers the lead's query about it.
        self.answer_button.setEnabled(
            r is not None and r.origin == "own" and any(not q.answer for q in r.queries)
        )
        self.send_button.setEnabled(r is not None and r.status in SENDABLE)
        # Only a draft is saved or signed off (the run showed both live on a sent return).
        for button in (self.save_button, self.sign_button):
            button.setEnabled(r is not None and r.status == "draft")
        self.versions_button.setEnabled(r is not None)

    def show_return(self, return_id: uuid.UUID) -> None:
        self._to_show = None
        self.return_id = return_id
        r = self.services.returns.get(return_id)
        signed = f", signed off by {r.signed_off_by}" if r.signed_off_by else ""
        self.status.setText(
            f"{r.organisation}: {r.period}, version {r.version}: {STATUSES[r.status]}{signed}."
        )
        self._rows = r.figures
        self.figures.setRowCount(len(r.figures))
        editable = r.status == "draft"
        for n, f in enumerate(r.figures):
            name = f"    of which: {f.breakdown}" if f.breakdown else f.name
            cells = [
                name,
                "" if f.value is None else f"{f.value:g}",
                f.unit,
                "records" if f.source == "counted" else "typed",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if col == 1 and f.source == "typed" and editable:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                self.figures.setItem(n, col, item)
        for edit, text in (
            (self.went_well, r.went_well),
            (self.problems, r.problems),
            (self.case_study, r.case_study),
        ):
            edit.setPlainText(text)
            edit.setReadOnly(not editable)
        open_queries = [q for q in r.queries if not q.answer]
        if open_queries:
            self.status.setText(
                self.status.text() + " The lead asks: " + " ".join(q.question for q in open_queries)
            )
        self._enable_return_buttons(r)
        self.run_checks()

    # -- a partner's actions --------------------------------------------------------------

    def draft(self) -> None:
        c, org = self.collaboration.currentData(), self.organisation.currentData()
        if c is None or org is None:
            QMessageBox.information(self, "Returns", "Choose a collaboration and organisation.")
            return
        first, last = self._period()
        template = self.template.currentData()
        try:
            try:
                rid = self.services.returns.draft(c, org, first, last, template, self.today())
            except NeedsConfirmation as question:
                answer = QMessageBox.question(self, "New version?", question.message)
                if answer != QMessageBox.StandardButton.Yes:
                    return
                rid = self.services.returns.draft(
                    c, org, first, last, template, self.today(), confirmed=True
                )
        except ServiceError as error:
            show_problem(self, error)
            return
        self.show_return(rid)

    def _typed(self) -> dict:
        typed = {}
        for n, f in enumerate(self._rows):
            if f.source == "typed":
                item = self.figures.item(n, 1)
                typed[(f.code, f.breakdown)] = _number(item.text() if item else "")
        return typed

    def save(self) -> bool:
        if self.return_id is None:
            return False
        try:
            typed = self._typed()
        except ValueError:
            QMessageBox.warning(
                self,
                "Cannot save",
                "A typed figure is not a number: "
                "type digits only (e.g. 12 or 2.5), or leave it empty.",
            )
            return False
        try:
            self.services.returns.save_draft(
                self.return_id,
                typed,
                self.went_well.toPlainText(),
                self.problems.toPlainText(),
                self.case_study.toPlainText(),
            )
        except ServiceError as error:
            show_problem(self, error, "Cannot save")
            return False
        self.run_checks()
        return True

    def run_checks(self) -> None:
        self.checks.clear()
        if self.return_id is None:
            return
        found = self.services.returns.checks(self.return_id, self.today())
        for c in found:
            self.checks.addItem(("Problem: " if c.level == "problem" else "Note: ") + c.message)
        if not found:
            self.checks.addItem("No problems found.")

    def sign_off(self) -> None:
        if self.return_id is None or (
            self.services.returns.get(self.return_id).status == "draft" and not self.save()
        ):
            return
        from collab_desktop.ui.preferences import load_preferences

        # The user's own name (Preferences) is offered: they sign off, mostly.
        name, ok = QInputDialog.getText(
            self, "Sign off", "Who signs this return off?", text=load_preferences().user_name
        )
        if not ok:
            return
        try:
            self.services.returns.sign_off(self.return_id, name, self.today())
        except ServiceError as error:
            show_problem(self, error, "Cannot sign off")
            return
        self.show_return(self.return_id)

    def _figure_double_clicked(self, row: int, column: int) -> None:
        item = self.figures.item(row, column)
        if item is not None and item.flags() & Qt.ItemFlag.ItemIsEditable:
            return  # a typed figure being edited: no trace to show
        self.show_trace(row)

    def show_trace(self, row: int) -> None:
        from collab_desktop.services.returns.compute import MEASURES

        if self.return_id is None or not 0 <= row < len(self._rows):
            return
        f = self._rows[row]
        if f.code not in MEASURES:
            QMessageBox.information(
                self,
                "Where it comes from",
                f"{f.name} is typed by the partner: no register behind it.",
            )
            return
        from collab_desktop.ui.returns.trace_dialog import TraceDialog

        trace = self.services.returns.trace(self.return_id, f.code, f.breakdown, self.today())
        name = f"{f.name}: {f.breakdown}" if f.breakdown else f.name
        self.trace_dialog = TraceDialog(name, trace, self)
        self.trace_dialog.open()

    def answer(self) -> None:
        """The partner answers the lead's query; the return can then be sent again."""
        if self.return_id is None:
            return
        r = self.services.returns.get(self.return_id)
        asked = "\n".join(q.question for q in r.queries if not q.answer)
        text, ok = QInputDialog.getMultiLineText(
            self, "Answer the query", f"The lead asks:\n{asked}\n\nYour answer:"
        )
        if not ok:
            return
        try:
            self.services.returns.answer(self.return_id, text)
        except ServiceError as error:
            show_problem(self, error, "The answer was not saved")
            return
        self.show_return(self.return_id)
        answer = QMessageBox.question(
            self, "Send it again?", "The answer is saved. Send the return to the lead now?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.send_return()

    def _export_dialog(self, kind: str, item_id: uuid.UUID | None):
        """File → Export pack…'s dialog, with what to send already chosen."""
        from collab_desktop.ui.exchange.actions import _folder, _own
        from collab_desktop.ui.exchange.export_dialog import ExportDialog

        dialog = ExportDialog(self.services, _own(self.services), _folder(), parent=self)
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        if item_id is not None:
            dialog.item.setCurrentIndex(max(dialog.item.findData(str(item_id)), 0))
        to = self._addressee(kind, item_id)
        if to is not None:
            # A return goes to one organisation: the lead (or, sent back, the partner). The
            # dialog names it instead of "Any partner" and "the partner".
            for i in range(dialog.recipient.count()):
                if dialog.recipient.itemData(i) == to:
                    dialog.recipient.setCurrentIndex(i)
            name_the_recipient(dialog)
            dialog.recipient.currentIndexChanged.connect(lambda _i: name_the_recipient(dialog))
        dialog.finished.connect(lambda _result: self._after_send())
        self.export_dialog = dialog
        dialog.open()
        return dialog

    @staticmethod
    def _user_name() -> str:
        from collab_desktop.ui.preferences import load_preferences

        return load_preferences().user_name

    def _addressee(self, kind: str, item_id: uuid.UUID | None) -> uuid.UUID | None:
        """Whom a return is for: its template's lead, or the partner when the lead sends it
        back with a query. None for a template (it goes to every partner)."""
        if kind != "monitoring_return" or item_id is None:
            return None
        r = self.services.returns.get(item_id)
        if r.origin != "own":
            return r.organisation_id
        if r.template_id is None:
            return None
        return self.services.returns.get_template(r.template_id).lead_id

    def _after_send(self) -> None:
        if self.return_id is not None:
            self.show_return(self.return_id)

    def send_return(self) -> None:
        if self.return_id is not None:
            self._export_dialog("monitoring_return", self.return_id)

    def show_versions(self, return_id: uuid.UUID | None) -> None:
        from collab_desktop.ui.returns.versions_dialog import VersionsDialog

        if return_id is None:
            return
        self.versions_dialog = VersionsDialog(self.services, return_id, self)
        self.versions_dialog.open()

    # -- files ----------------------------------------------------------------------------

    def _ask_path(self, title: str, name: str, pattern: str) -> Path | None:
        from collab_desktop.ui.pdf_actions import ask_where_to_save

        return ask_where_to_save(self, title, name, pattern)

    def _write(self, data: bytes, path: Path, kind: str, what: str, details: dict) -> None:
        from collab_desktop.pdf.files import write_atomically
        from collab_desktop.ui.pdf_actions import record_disclosure

        try:
            write_atomically(data, path)
        except OSError as error:
            show_problem(self, error, "Cannot save the file")
            return
        # A return's figures leave the records in the file: the audit trail says so, as for
        # an agreement's PDF (ui/pdf_actions.py).
        record_disclosure(
            self.services,
            SAVED_ACTIONS[kind],
            f"Saved {what} as {kind.upper()}: {path}",
            details={"file": str(path), "small_numbers_hidden": self._hide() is not None,
                     **details},
        )  # fmt: skip
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(f"Saved {path}", 8000)

    def export(self, kind: str) -> None:
        if self.return_id is None:
            QMessageBox.information(self, "Returns", "Draft the return first.")
            return
        r = self.services.returns.get(self.return_id)
        name = f"return-{r.organisation}-{r.period}".replace(" ", "-")
        patterns = {"pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}
        path = self.choose_path("Save the return", f"{name}.{kind}", patterns[kind])
        if path is None:
            return
        if kind == "pdf":
            from collab_desktop.pdf.returns_pdf import build_return_pdf

            data = build_return_pdf(self.services.returns.sheets([r.id], self._hide()))
        elif kind == "csv":
            data = self.services.returns.csv([r.id], self._hide()).encode("utf-8")
        else:
            data = self.services.returns.xlsx([r.id], self._hide())
        what = f"{r.organisation}'s return for {r.period}, version {r.version}"
        self._write(data, path, kind, what, {"returns": [f"{what} ({r.collaboration})"]})

    # -- the lead -------------------------------------------------------------------------

    def new_template(self) -> None:
        """The lead's editor on a new template (the standard measures, and what it adds)."""
        self.edit_template(new=True)

    def edit_template(self, new: bool = False) -> None:
        """The lead's editor: a new template if asked or none is chosen, else the chosen one."""
        from collab_desktop.ui.returns.template_dialog import TemplateDialog

        c = self.collaboration.currentData()
        if c is None:
            return
        chosen = None if new else self.template.currentData()
        dialog = TemplateDialog(self.services, c, self.organisation.currentData(), chosen, self)
        self.template_dialog = dialog
        if dialog.exec() and dialog.saved_id is not None:
            self._collaboration_changed()
            # findData does not match a UUID held as a Python object: compare by hand.
            for i in range(self.template.count()):
                if self.template.itemData(i) == dialog.saved_id:
                    self.template.setCurrentIndex(i)

    def send_template(self) -> None:
        t = self.template.currentData()
        if t is None:
            QMessageBox.information(self, "Send template", "Choose (or make) a template first.")
            return
        self._export_dialog("return_template", t)

    def board_versions(self) -> None:
        row, col = self.board.currentRow(), self.board.currentColumn()
        if not self._boards or row < 0 or col < 0:
            return
        cell = self._boards[col].cells[row]
        if cell.return_id is None:
            QMessageBox.information(self, "Versions", f"No return from {cell.organisation} yet.")
            return
        self.show_versions(cell.return_id)

    def _quarters(self) -> list[tuple[date, date]]:
        from collab_desktop.services.returns.periods import periods_of_year

        return periods_of_year("quarter", self.year.value())

    def show_board(self) -> None:
        c, t = self.collaboration.currentData(), self.template.currentData()
        if c is None or t is None:
            QMessageBox.information(self, "Board", "Choose (or make) a return template first.")
            return
        self._boards = self.services.returns.board(c, t, self._quarters(), self.today())
        cells = self._boards[0].cells if self._boards else []
        self.board.setRowCount(len(cells))
        self.board.setVerticalHeaderLabels([cell.organisation for cell in cells])
        for col, b in enumerate(self._boards):
            for row, cell in enumerate(b.cells):
                text = cell.state
                if cell.versions:
                    text += f", v{cell.version}"
                if cell.problems or cell.warnings:
                    text += f" ({cell.problems + cell.warnings} check(s))"
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                item.setToolTip(
                    "\n".join(c.message for c in cell.checks) or f"Due {cell.due:%d %b}"
                )
                self.board.setItem(row, col, item)
        self.board.setCurrentCell(0, self.quarter.currentIndex())
        self._show_totals()

    def _show_totals(self) -> None:
        col = self.board.currentColumn()
        if not self._boards or not 0 <= col < len(self._boards):
            self.totals.setRowCount(0)
            return
        totals = self._boards[col].totals
        self.totals.setRowCount(len(totals))
        for n, t in enumerate(totals):
            shares = (
                ""
                if not t.value
                else ", ".join(
                    f"{org} {share:.0%} (v{v})" for org, (_value, share, v) in t.shares.items()
                )
            )
            name = f"{t.name}: {t.breakdown}" if t.breakdown else t.name
            value = "—" if t.value is None else f"{t.value:g}"
            for c, text in enumerate((name, value, shares)):
                self.totals.setItem(n, c, QTableWidgetItem(text))

    def query(self) -> None:
        row, col = self.board.currentRow(), self.board.currentColumn()
        if not self._boards or row < 0 or col < 0:
            return
        cell = self._boards[col].cells[row]
        if cell.return_id is None:
            QMessageBox.information(self, "Query", f"No return from {cell.organisation} yet.")
            return
        question, ok = QInputDialog.getMultiLineText(
            self, "Query", f"Question for {cell.organisation} about its return:"
        )
        if not ok:
            return
        try:
            self.services.returns.ask(cell.return_id, question, by=self._user_name())
        except ServiceError as error:
            show_problem(self, error, "Cannot send the query")
            return
        self.show_board()
        # The query reaches the partner only in a pack: offered at once (in the run the lead
        # had to find File → Export pack… by itself), as the partner's answer is.
        answer = QMessageBox.question(
            self, "Send it back?",
            f"The query is saved. Send the return back to {cell.organisation} with it now?",
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self._export_dialog("monitoring_return", cell.return_id)

    def export_year(self, kind: str) -> None:
        c, t = self.collaboration.currentData(), self.template.currentData()
        if c is None or t is None:
            return
        collated = self.services.returns.collated(
            c, t, self._quarters(), self.today(), self._hide()
        )
        patterns = {"pdf": "PDF (*.pdf)", "csv": "CSV (*.csv)", "xlsx": "Excel workbook (*.xlsx)"}
        path = self.choose_path(
            "Save the collated year", f"returns-{self.year.value()}.{kind}", patterns[kind]
        )
        if path is None:
            return
        if kind == "pdf":
            from collab_desktop.pdf.returns_pdf import build_collated_pdf

            data = build_collated_pdf(collated.report)
        elif kind == "csv":
            data = collated.csv().encode("utf-8")
        else:
            data = collated.xlsx()
        what = f"the collated returns of {self.year.value()} ({self.template.currentText()})"
        counted = [
            f"{r.organisation}'s return for {r.period}, version {r.version}"
            for r in collated.returns
        ]
        self._write(data, path, kind, what, {"collaboration": self.collaboration.currentText(),
                                             "returns": counted})  # fmt: skip
