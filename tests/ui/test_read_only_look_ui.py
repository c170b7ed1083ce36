"""A signed-off agreement's drop-downs (party, area, signs as) look read-only: no arrow to
click, as they take no clicks; a draft's keep theirs."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QTableWidget

from collab_desktop.ui.agreements.editor import AgreementEditor
from tests.ui.test_accessibility_ui import example  # noqa: F401 - fixture


def arrow_width(combo: QComboBox) -> int:
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    rect = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxArrow, combo
    )
    return rect.width()


def cell_combos(editor: AgreementEditor) -> list[QComboBox]:
    combos = []
    for table in editor.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                widget = table.cellWidget(row, column)
                if isinstance(widget, QComboBox):
                    combos.append(widget)
    return combos


def open_editor(qtbot, services, events, status: str) -> AgreementEditor:
    row = next(a for a in services.agreements.list_versions() if a.status == status)
    editor = AgreementEditor(services, events, row.version_id)
    qtbot.addWidget(editor)
    editor.show()
    return editor


def test_signed_off_drop_downs_show_no_arrow(qtbot, example, events):  # noqa: F811
    combos = cell_combos(open_editor(qtbot, example, events, "signed_off"))
    assert combos
    assert [arrow_width(c) for c in combos] == [0] * len(combos)
    assert all(c.property("readOnly") for c in combos)


def test_a_drafts_drop_downs_keep_their_arrow(qtbot, example, events):  # noqa: F811
    combos = cell_combos(open_editor(qtbot, example, events, "draft"))
    assert combos
    assert all(arrow_width(c) > 0 for c in combos)
