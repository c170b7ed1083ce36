"""The privacy dialogs: everything about one person (subject access), anonymising or erasing
them, and the retention list. Each lists what it will do before anything changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.filenames import safe_filename
from collab_desktop.services.open_records import Services
from collab_desktop.services.privacy.erasure import (
    ANONYMISE,
    ERASE,
    KEEP_AS_FACILITATOR,
    REMOVE_AS_FACILITATOR,
    ErasurePlan,
    ErasureResult,
)
from collab_desktop.services.privacy.people import PARTICIPANT, PersonRef
from collab_desktop.services.privacy.retention import DueItem, RetentionRules
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import DateField, name_widget
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.style import mark_error

REF_ROLE = Qt.ItemDataRole.UserRole + 1


def _note(text: str = "", colour: str = "palette(placeholder-text)") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {colour};")
    return label


class SubjectAccessDialog(QDialog):
    """Everything about this person… The people recorded under this name or a spelling like
    it are listed (a request may be for someone kept twice); the chosen one is saved as a PDF
    and a JSON file side by side."""

    def __init__(
        self, services: Services, name: str, ref: PersonRef | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("subject_access_dialog")
        self.setWindowTitle("Everything about this person")
        self._services = services
        self.saved: tuple[Path, Path] | None = None
        self.search = name_widget(QLineEdit(name), "subject_access_search", "Name to look for")
        self.people = name_widget(QListWidget(), "subject_access_people", "People found")
        self.people.setMinimumHeight(120)
        self.search.textChanged.connect(lambda _text: self._find(None))
        form = QFormLayout()
        caption = QLabel("&Name:")
        caption.setBuddy(self.search)
        form.addRow(caption, self.search)
        found = QLabel("&Recorded as (every spelling like it):")
        found.setBuddy(self.people)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = name_widget(
            buttons.addButton("&Save PDF and JSON…", QDialogButtonBox.ButtonRole.AcceptRole),
            "subject_access_save", "Save PDF and JSON",
        )  # fmt: skip
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(found)
        layout.addWidget(self.people)
        layout.addWidget(_note(
            "If the same person is listed twice under two spellings, save each: together "
            "they are everything recorded about them. Saving is recorded in the history "
            "(by record number, not by name)."
        ))  # fmt: skip
        layout.addWidget(buttons)
        self.resize(560, 380)
        self._find(ref)

    def _find(self, ref: PersonRef | None) -> None:
        self.people.clear()
        try:
            choices = self._services.subject_access.find(self.search.text())
        except ServiceError as error:
            show_problem(self, error)
            return
        for choice in choices:
            item = QListWidgetItem(choice.label)
            item.setData(REF_ROLE, choice.ref)
            self.people.addItem(item)
            if choice.ref == ref:
                self.people.setCurrentItem(item)
        if self.people.currentItem() is None and self.people.count():
            self.people.setCurrentRow(0)
        self.save_button.setEnabled(self.people.count() > 0)

    # The file dialog, replaceable in tests.
    def ask_for_file(self, suggested: str) -> str:
        from collab_desktop.ui.pdf_actions import ask_where_to_save

        path = ask_where_to_save(
            self, "Save everything about this person", suggested, "PDF files (*.pdf)"
        )
        return str(path) if path else ""

    # A message box; replaceable in tests (exec() would wait for a click).
    def tell(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def save(self) -> None:
        item = self.people.currentItem()
        if item is None:
            return
        ref: PersonRef = item.data(REF_ROLE)
        name = item.text().split(" (")[0]
        chosen = self.ask_for_file(safe_filename(f"Everything about {name}", ".pdf"))
        if not chosen:
            return
        pdf = Path(chosen).with_suffix(".pdf")
        json_path = pdf.with_suffix(".json")
        from collab_desktop.ui.preferences import paper_size

        try:
            self._services.subject_access.export(ref, pdf, json_path, paper_size())
        except ServiceError as error:
            show_problem(self, error, "Could not save")
            return
        self.saved = (pdf, json_path)
        from collab_desktop.ui.pdf_actions import SAVED_PDF, record_disclosure

        # Besides the service's own entry: where it went (issue 10). By record id and the
        # folder, never by name (the file names hold the name, and an erasure later must
        # not have to edit the trail).
        record_disclosure(
            self._services, SAVED_PDF,
            f"Saved a subject access export (PDF and JSON) in {pdf.parent}",
            details={"folder": str(pdf.parent), "kind": ref.kind, "record": str(ref.id)},
        )  # fmt: skip
        self.tell(
            "Saved",
            f"Saved {pdf.name} (to read) and {json_path.name} (for a computer) in "
            f"{pdf.parent}. They hold personal data: give them only to the person they are "
            "about.",
        )  # fmt: skip
        self.accept()


class ErasureDialog(QDialog):
    """Anonymise / erase… Lists what will change, what is kept and why, and asks who made
    the request; a facilitator of sessions still to come is asked what to do about them."""

    def __init__(
        self, services: Services, ref: PersonRef, name: str,
        on_done: Callable[[ErasureResult], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("erasure_dialog")
        self.setWindowTitle(f"Anonymise or erase — {name}")
        self._services = services
        self._ref = ref
        self._on_done = on_done
        self.result_: ErasureResult | None = None
        self.anonymise = name_widget(
            QRadioButton("&Anonymise: keep the attendance, unnamed (figures keep their counts)"),
            "erasure_anonymise", "Anonymise",
        )  # fmt: skip
        self.erase = name_widget(
            QRadioButton("&Erase entirely, where the law requires it (figures change)"),
            "erasure_erase", "Erase entirely",
        )  # fmt: skip
        self.anonymise.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.anonymise)
        modes.addButton(self.erase)
        self.erase.setVisible(ref.kind == PARTICIPANT)
        self.anonymise.toggled.connect(lambda _on: self._plan())
        self.plan_text = name_widget(QPlainTextEdit(), "erasure_plan", "What will change")
        self.plan_text.setReadOnly(True)
        self.plan_text.setMinimumHeight(150)
        self.warning = mark_error(QLabel())
        self.warning.setObjectName("erasure_warning")
        self.remove_facilitator = name_widget(
            QRadioButton("&Take them off those activities"), "erasure_remove_facilitator",
            "Take them off those activities",
        )  # fmt: skip
        self.keep_facilitator = name_widget(
            QRadioButton("&Keep them there, unnamed"), "erasure_keep_facilitator",
            "Keep them there, unnamed",
        )  # fmt: skip
        facilitators = QButtonGroup(self)
        facilitators.addButton(self.remove_facilitator)
        facilitators.addButton(self.keep_facilitator)
        self.future = _note()
        self.asked_by = name_widget(QLineEdit("the person"), "erasure_asked_by", "Who asked")
        self.asked_on = name_widget(DateField(), "erasure_asked_on", "Date asked")
        self.asked_on.set_value(date.today())
        self.error = mark_error(QLabel())
        form = QFormLayout()
        for label, widget in (("Who as&ked:", self.asked_by), ("&Date asked:", self.asked_on)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            form.addRow(caption, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go_button = name_widget(
            buttons.addButton("Anonymise", QDialogButtonBox.ButtonRole.AcceptRole),
            "erasure_go", "Carry out",
        )  # fmt: skip
        self.go_button.setAutoDefault(False)  # Enter must not erase someone
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        buttons.accepted.connect(self.carry_out)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.anonymise)
        layout.addWidget(self.erase)
        caption = QLabel("&What will change:")
        caption.setBuddy(self.plan_text)
        layout.addWidget(caption)
        layout.addWidget(self.plan_text)
        layout.addWidget(self.warning)
        layout.addWidget(self.future)
        layout.addWidget(self.remove_facilitator)
        layout.addWidget(self.keep_facilitator)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 520)
        self.plan: ErasurePlan | None = None
        self._plan()
        self.anonymise.setFocus()

    @property
    def mode(self) -> str:
        return ERASE if self.erase.isChecked() else ANONYMISE

    def _plan(self) -> None:
        try:
            self.plan = self._services.erasure.plan(self._ref, self.mode)
        except ServiceError as error:
            show_problem(self, error)
            return
        plan = self.plan
        lines = [f"• {line}" for line in plan.changes]
        if plan.kept:
            lines += ["", "Kept:"] + [f"• {line}" for line in plan.kept]
        self.plan_text.setPlainText("\n".join(lines))
        self.warning.setText(plan.figures_change)
        self.warning.setVisible(bool(plan.figures_change))
        future = bool(plan.future_activities)
        self.future.setText(
            "They facilitate sessions still to come: " + ", ".join(plan.future_activities)
            + ". What should happen there?"
        )
        for widget in (self.future, self.remove_facilitator, self.keep_facilitator):
            widget.setVisible(future)
        self.go_button.setText("Erase entirely" if self.mode == ERASE else "Anonymise")

    def carry_out(self) -> None:
        assert self.plan is not None
        future: str | None = None
        if self.plan.future_activities:
            if self.remove_facilitator.isChecked():
                future = REMOVE_AS_FACILITATOR
            elif self.keep_facilitator.isChecked():
                future = KEEP_AS_FACILITATOR
            else:
                self.error.setText("Choose what happens to the sessions they facilitate.")
                self.remove_facilitator.setFocus()
                return
        asked_on = self.asked_on.value()
        if self.asked_on.text().strip() and asked_on is None:
            self.error.setText("The date asked is not a date (e.g. 3 Mar 2026).")
            self.asked_on.setFocus()
            return
        what = "erased entirely" if self.mode == ERASE else "anonymised"
        answer = QMessageBox.question(
            self, "Cannot be undone",
            f"The record will be {what}. This cannot be undone. Go ahead?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.confirmed(future, asked_on)

    def confirmed(self, future: str | None, asked_on: date | None) -> None:
        try:
            result = self._services.erasure.carry_out(
                self._ref, self.mode, self.asked_by.text(), asked_on, future_sessions=future
            )
        except ValidationError as error:
            self.error.setText(" ".join(error.errors.values()))
            self.asked_by.setFocus()
            return
        except ServiceError as error:
            show_problem(self, error)
            return
        self.result_ = result
        if self._on_done is not None:
            self._on_done(result)
        self.accept()


class RetentionDialog(QDialog):
    """What the retention rules say is due, each ticked; nothing changes until Apply."""

    def __init__(
        self, services: Services, rules: RetentionRules,
        on_done: Callable[[int], object] | None = None, parent: QWidget | None = None,
        events: DataEvents | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("retention_dialog")
        self.setWindowTitle("Records due under the retention rules")
        self._services = services
        self._events = events  # given: every page hears what changed (ui/operations)
        self._on_done = on_done
        self.applied = 0
        self.items = name_widget(QListWidget(), "retention_items", "Records due")
        self.items.setMinimumHeight(200)
        self.due: list[DueItem] = []
        try:
            self.due = services.retention.due(rules)
        except ServiceError as error:
            show_problem(self, error)
        for item in self.due:
            row = QListWidgetItem(f"{item.who} — {item.why}: {item.what.lower()}")
            row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                         | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
            row.setCheckState(Qt.CheckState.Checked)
            self.items.addItem(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.apply_button = name_widget(
            buttons.addButton(
                "&Apply to the ticked records", QDialogButtonBox.ButtonRole.AcceptRole
            ),
            "retention_apply", "Apply to the ticked records",
        )  # fmt: skip
        self.apply_button.setAutoDefault(False)
        self.apply_button.setEnabled(bool(self.due))
        buttons.accepted.connect(self.apply)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        caption = QLabel(
            f"&{len(self.due)} record{'s are' if len(self.due) != 1 else ' is'} due. Untick "
            "any to keep (say why in their notes)." if self.due
            else "Nothing is due under the rules."
        )  # fmt: skip
        caption.setBuddy(self.items)
        layout.addWidget(caption)
        layout.addWidget(self.items)
        layout.addWidget(_note(
            "Anonymised people keep their attendance, unnamed, so figures keep their counts. "
            "All the ticked records change together or, if anything stops it, none do."
        ))  # fmt: skip
        layout.addWidget(buttons)
        self.resize(620, 420)

    def ticked(self) -> list[DueItem]:
        return [
            item for row, item in enumerate(self.due)
            if self.items.item(row).checkState() == Qt.CheckState.Checked
        ]  # fmt: skip

    def apply(self) -> None:
        chosen = self.ticked()
        if not chosen:
            return
        answer = QMessageBox.question(
            self, "Cannot be undone",
            f"Anonymise or clear {len(chosen)} record{'s' if len(chosen) != 1 else ''}? "
            "This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.confirmed(chosen)

    def confirmed(self, chosen: list[DueItem]) -> None:
        if self._events is not None:
            op = Operation(self, self._services, self._events, lambda s: s.retention.apply(chosen))
            if not op.run():
                return
            self.applied = op.result
        else:
            try:
                self.applied = self._services.retention.apply(chosen)
            except ServiceError as error:
                show_problem(self, error)
                return
        if self._on_done is not None:
            self._on_done(self.applied)
        self.accept()
