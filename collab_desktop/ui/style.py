"""The few style rules the whole app shares: a focus that can always be seen, and drop-downs
that cannot be changed that look so (mark_read_only).

The platform styles draw their own focus (Fusion a blue outline, Windows a dotted rectangle),
and the app keeps them. Where a style draws none at all (Fusion on QCommandLinkButton, the big
choices of the welcome) the rules here add one; a keyboard user must always see where they are.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget

FOCUS_RULES = """
QCommandLinkButton:focus {
    border: 2px solid palette(highlight);
    border-radius: 4px;
}
"""


def apply_style(app: QApplication) -> None:
    if FOCUS_RULES not in app.styleSheet():
        app.setStyleSheet(app.styleSheet() + FOCUS_RULES)


# A drop-down that cannot be changed (a signed-off agreement's party, area, "signs as") looks
# like a value, not a control: no arrow, no button face; its text stays black and readable
# (disabled, Qt would grey it out).
READ_ONLY_COMBO = """
QComboBox {
    border: 1px solid transparent;
    background: transparent;
    padding: 1px 4px;
}
QComboBox::drop-down { width: 0px; border: none; }
QComboBox::down-arrow { image: none; width: 0px; }
"""


def mark_read_only(widget: QWidget, read_only: bool) -> None:
    """Show a combo box (or anything else) as read-only or editable again. Only the look:
    the caller stops it taking the mouse and the keyboard."""
    widget.setProperty("readOnly", read_only)
    if isinstance(widget, QComboBox):
        widget.setStyleSheet(READ_ONLY_COMBO if read_only else "")


# The one look of an error message beside a field or under a form (red, selectable so it
# can be copied into a question to a colleague).
ERROR_COLOUR = "#b00020"


def mark_error(label: QLabel) -> QLabel:
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
