"""Long lists of choices (ui/choice_model.py): a combo box over thousands of them is shown
without asking for each one's text (a call into Python each: 180 ms for the 8,000
collaborations of forty years, issue 17), and finds a value read again by equality."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from collab_desktop.ui import choice_model
from collab_desktop.ui.choice_model import use_choices


def test_a_long_list_is_shown_without_asking_for_every_choice(qtbot, monkeypatch):
    asked = []
    data = choice_model.ChoiceModel.data

    def counted(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            asked.append(index.row())
        return data(self, index, role)

    monkeypatch.setattr(choice_model.ChoiceModel, "data", counted)
    combo = QComboBox()
    qtbot.addWidget(combo)
    model = use_choices(combo)
    choices = [(uuid.uuid4(), f"Collaboration {i:05d} at HMP Somewhere") for i in range(5000)]
    model.set_choices(choices)
    combo.setCurrentIndex(4321)
    combo.show()
    qtbot.waitExposed(combo)
    combo.repaint()
    assert combo.currentText() == "Collaboration 04321 at HMP Somewhere"
    assert len(asked) < 200, f"asked for {len(asked)} choices' text to show one"
    # A value read again (another UUID object, the same id) is found.
    again = uuid.UUID(str(choices[4321][0]))
    assert again is not choices[4321][0] and model.row_of(again) == 4321
    assert model.row_of(uuid.uuid4()) == -1 and model.row_of(None) == -1
