"""The agreement editor's action buttons and what they show for a version: the buttons its
status allows (VersionData.allowed, from services/agreements/rules.py: the editor never
decides this itself), and the line that says where the version stands."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QPushButton

from collab_desktop.resources import ACTION_ICONS, action_icon
from collab_desktop.services.agreements.version_data import VersionData
from collab_desktop.ui.forms import format_date, name_widget

# key (the rules' action, or an action every version has), text, the editor's method, shortcut
ACTION_BUTTONS: tuple[tuple[str, str, str, QKeySequence.StandardKey | None], ...] = (
    ("save", "&Save", "save", QKeySequence.StandardKey.Save),
    ("send", "Se&nd for signatures…", "send_for_signatures", None),
    ("record", "&Record signature…", "record_signature", None),
    ("to_draft", "Back to &draft…", "return_to_draft", None),
    ("new_version", "&New version", "new_version", None),
    ("void", "&Void…", "void", None),
    ("delete", "Delete dra&ft…", "delete_draft", None),
    ("pdf", "Save as &PDF…", "save_pdf", None),
    ("print", "Pr&int…", "print", QKeySequence.StandardKey.Print),
    ("template", "Save as temp&late…", "save_as_template", None),
    ("parts", "Who plays which pa&rt…", "change_parts", None),
)
# Every version can be read, saved as PDF, printed and saved as a template.
ALWAYS = ("pdf", "print", "template")


def action_buttons(slot: Callable[[str], Callable[[], object]]) -> dict[str, QPushButton]:
    """The buttons, by key; `slot(name)` gives the editor's method of that name."""
    buttons: dict[str, QPushButton] = {}
    for key, text, method, shortcut in ACTION_BUTTONS:
        button = name_widget(QPushButton(text), f"agreement_{key}", text.replace("&", ""))
        button.setAutoDefault(False)
        button.clicked.connect(slot(method))
        if shortcut is not None:
            button.setShortcut(QKeySequence(shortcut))
        if key in ACTION_ICONS:  # the same icons as the main window's menus
            button.setIcon(action_icon(key))
        buttons[key] = button
    # Enter saves (the safe, expected action); on a version that cannot be edited Save is
    # hidden and Enter does nothing.
    buttons["save"].setDefault(True)
    return buttons


def button_row(buttons: dict[str, QPushButton], close: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons.values():
        row.addWidget(button)
    row.addStretch(1)
    row.addWidget(close)
    return row


def show_allowed(buttons: dict[str, QPushButton], allowed: frozenset[str]) -> None:
    """Show the buttons of the actions the version allows, and hide the others."""
    for key, button in buttons.items():
        if key not in ALWAYS:
            button.setVisible(key in allowed)


def status_line(data: VersionData) -> str:
    state = f"Version {data.number} · {data.status_label} · Fingerprint {data.fingerprint}"
    if data.status == "draft":
        state += " (changes until it is sent for signatures)"
    if data.signed_off_on:
        state += f" · Signed off {format_date(data.signed_off_on)}"
    if data.void_reason:
        state += f" · Void: {data.void_reason}"
    return state
