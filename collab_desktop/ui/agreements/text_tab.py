"""The agreement editor's first tab: the title, each section's text, the review and the
quorum."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QScrollArea, QWidget

from collab_desktop.models.enums import AGREEMENT_SECTIONS
from collab_desktop.services.agreements.version_data import VersionData
from collab_desktop.ui.forms import DateField, name_widget


class TextTab(QScrollArea):
    def __init__(self, changed: Callable[..., None]) -> None:
        super().__init__()
        name_widget(self, "agreement_text_scroll", "Agreement text")
        inner = QWidget()
        form = QFormLayout(inner)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title = name_widget(QLineEdit(), "agreement_title", "Title")
        self.title.textChanged.connect(changed)
        form.addRow("Title:", self.title)
        self.sections: dict[str, QPlainTextEdit] = {}
        for key, title in AGREEMENT_SECTIONS.items():
            edit = name_widget(QPlainTextEdit(), f"section_{key}", title)
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(90)
            edit.textChanged.connect(changed)
            self.sections[key] = edit
            form.addRow(f"{title}:", edit)
        self.review_frequency = name_widget(QLineEdit(), "review_frequency", "How often reviewed")
        self.reviewers = name_widget(QLineEdit(), "reviewers", "Who reviews")
        self.next_review = name_widget(DateField(), "next_review", "Next review date")
        for widget in (self.review_frequency, self.reviewers, self.next_review):
            widget.textChanged.connect(changed)
        form.addRow("Review, how often:", self.review_frequency)
        form.addRow("Review, by whom:", self.reviewers)
        form.addRow("Next review:", self.next_review)
        # Issue 14: how many member organisations a meeting needs (ui/meetings/quorum.py).
        from collab_desktop.ui.meetings.quorum import quorum_field

        self.quorum = quorum_field(changed)
        form.addRow("Quorum:", self.quorum)
        # Not a stop of its own for Tab: the fields in it are, and it scrolls to show each.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidgetResizable(True)
        self.setWidget(inner)

    def load(self, data: VersionData) -> None:
        self.title.setText(data.title)
        for key, edit in self.sections.items():
            edit.setPlainText(data.sections.get(key, ""))
        self.review_frequency.setText(data.review_frequency)
        self.reviewers.setText(data.reviewers)
        self.next_review.set_value(data.next_review)

    def set_editable(self, editable: bool) -> None:
        for edit in self.sections.values():
            edit.setReadOnly(not editable)
        for widget in (self.title, self.review_frequency, self.reviewers, self.next_review,
                       self.quorum):  # fmt: skip
            widget.setReadOnly(not editable)

    def edited(self) -> dict[str, object]:
        """What is typed, as VersionData's fields; a next review date that is not a date
        raises ValueError."""
        return {
            "title": self.title.text(),
            "sections": {k: e.toPlainText() for k, e in self.sections.items()},
            "review_frequency": self.review_frequency.text(),
            "reviewers": self.reviewers.text(),
            "next_review": self.next_review.value(),
        }
