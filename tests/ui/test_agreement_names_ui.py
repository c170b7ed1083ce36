"""Issue 11: what people typed is shown as typed in the agreement editor and its dialogs,
never read as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from collab_desktop.ui.agreement_editor import AgreementEditor
from tests.builders import add_collaboration, add_partner

ODD = 'Partners <North> & "South"'


def test_editor_heading_shows_names_with_angle_brackets_as_typed(qtbot, services, events):
    north = add_partner(services, "North <Trust>")
    south = add_partner(services, "South & Co")
    collaboration = add_collaboration(services, ODD, [(north, "lead"), (south, "partner")])
    version_id = services.agreements.create_agreement(collaboration, None, "<b>Deal</b>")
    editor = AgreementEditor(services, events, version_id)
    qtbot.addWidget(editor)
    editor.show()
    heading = editor.findChild(QLabel, "agreement_heading")
    assert heading.textFormat() == Qt.TextFormat.PlainText
    assert heading.text() == f"<b>Deal</b> — {ODD}"
