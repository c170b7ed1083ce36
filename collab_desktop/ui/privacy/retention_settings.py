"""The retention rules, kept with the user's other preferences (QSettings), and the section
of the Preferences dialog that edits them."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QPushButton, QSpinBox, QWidget

from collab_desktop.services.privacy.rules import DEFAULT_RULES, RetentionRules  # no SQLAlchemy
from collab_desktop.ui.forms import name_widget

PARTICIPANTS_KEY = "retention/participants_years"
CLEARANCES_KEY = "retention/clearance_months"
REGISTERS_KEY = "retention/register_years"


def _int(settings: QSettings, key: str, default: int) -> int:
    try:
        return max(0, int(settings.value(key, default)))
    except (TypeError, ValueError):
        return default


def load_rules() -> RetentionRules:
    settings = QSettings()
    return RetentionRules(
        participants_years=_int(settings, PARTICIPANTS_KEY, DEFAULT_RULES.participants_years),
        clearance_months=_int(settings, CLEARANCES_KEY, DEFAULT_RULES.clearance_months),
        register_years=_int(settings, REGISTERS_KEY, DEFAULT_RULES.register_years),
    )


def save_rules(rules: RetentionRules) -> None:
    settings = QSettings()
    settings.setValue(PARTICIPANTS_KEY, rules.participants_years)
    settings.setValue(CLEARANCES_KEY, rules.clearance_months)
    settings.setValue(REGISTERS_KEY, rules.register_years)


def _spin(name: str, accessible: str, value: int, most: int, suffix: str) -> QSpinBox:
    spin = name_widget(QSpinBox(), name, accessible)
    spin.setRange(0, most)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setSpecialValueText("Never (rule off)")
    return spin


class RetentionSection(QGroupBox):
    """How long records are kept. `review(rules)` opens the list of what is due under the
    rules as shown (None when no records are open)."""

    def __init__(
        self, review: Callable[[RetentionRules], object] | None, parent: QWidget | None = None
    ) -> None:
        super().__init__("How long records are kept", parent)
        self.setObjectName("preferences_retention")
        rules = load_rules()
        self.participants = _spin(
            "retention_participants", "Participants kept after they leave",
            rules.participants_years, 50, " years",
        )  # fmt: skip
        self.clearances = _spin(
            "retention_clearances", "Volunteers' clearance details kept after they stop",
            rules.clearance_months, 600, " months",
        )  # fmt: skip
        self.registers = _spin(
            "retention_registers", "Names in registers kept after the session",
            rules.register_years, 50, " years",
        )  # fmt: skip
        form = QFormLayout(self)
        for label, spin in (
            ("Participants, after they &leave:", self.participants),
            ("Volunteers' &clearances, after they stop:", self.clearances),
            ("Names in &registers, after the session:", self.registers),
        ):
            caption = QLabel(label)
            caption.setBuddy(spin)
            form.addRow(caption, spin)
        note = QLabel(
            "After this, people are anonymised (their attendance stays, unnamed, so figures "
            "keep their counts) and clearance details removed, only once you have confirmed "
            "the list."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(note)
        if review is not None:
            self.review_button = name_widget(
                QPushButton("Re&view what is due…"), "retention_review", "Review what is due"
            )
            self.review_button.setAutoDefault(False)
            # The rules as shown, saved or not: the list is only looked at until confirmed.
            self.review_button.clicked.connect(lambda: review(self.rules()))
            form.addRow(self.review_button)

    def rules(self) -> RetentionRules:
        return RetentionRules(
            self.participants.value(), self.clearances.value(), self.registers.value()
        )

    def save(self) -> None:
        save_rules(self.rules())
