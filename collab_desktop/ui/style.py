"""The few style rules the whole app shares: a focus that can always be seen.

The platform styles draw their own focus (Fusion a blue outline, Windows a dotted rectangle),
and the app keeps them. Where a style draws none at all (Fusion on QCommandLinkButton, the big
choices of the welcome) the rules here add one; a keyboard user must always see where they are.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

FOCUS_RULES = """
QCommandLinkButton:focus {
    border: 2px solid palette(highlight);
    border-radius: 4px;
}
"""


def apply_style(app: QApplication) -> None:
    if FOCUS_RULES not in app.styleSheet():
        app.setStyleSheet(app.styleSheet() + FOCUS_RULES)
