"""The table models (ui/table_model.py) checked against Qt's own rules for item models, with
pytest-qt's qtmodeltester (as qutebrowser does): Qt's QAbstractItemModelTester re-checks the
model after every signal it sends, and reports a broken rule as a warning, which fails the
test (qt_log_level_fail = WARNING); the Python tester checks the same with assertions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt

from collab_desktop.ui.table_model import ROW_ROLE, SORT_ROLE, Column, FilterProxy, RowTableModel


@dataclass(frozen=True)
class Person:
    name: str
    joined: date | None
    sessions: int
    note: str


PEOPLE = [
    Person("Peter Stone", date(2026, 1, 6), 9, "prefers mornings"),
    Person("Gareth Ŵyn Jones", None, 0, ""),
    Person("alan Barker", date(2025, 11, 4), 12, "left"),
    Person("Paul Sands", date(2026, 2, 3), 3, "prefers afternoons"),
]

COLUMNS = [
    Column("Name", lambda p: p.name),
    Column("Joined", lambda p: p.joined),
    Column("Sessions", lambda p: p.sessions),
    Column("Note", lambda p: p.note, searchable=False),
]


@pytest.fixture(params=[False, True], ids=["qt-tester", "python-tester"])
def force_py(request) -> bool:
    return request.param


def test_the_row_model_keeps_qts_rules(qtmodeltester, force_py):
    model = RowTableModel(COLUMNS)
    qtmodeltester.check(model, force_py=force_py)
    model.set_rows(PEOPLE)
    model.set_rows(PEOPLE[:1])
    model.set_rows([])
    model.set_rows(PEOPLE)
    assert model.rowCount() == len(PEOPLE) and model.columnCount() == len(COLUMNS)


def test_the_filter_keeps_qts_rules_while_filtering_sorting_and_refilling(qtmodeltester, force_py):
    source = RowTableModel(COLUMNS)
    source.set_rows(PEOPLE)
    proxy = FilterProxy()
    proxy.setSourceModel(source)
    qtmodeltester.check(proxy, force_py=force_py)
    proxy.set_filter_text("prefers")  # the note is not searchable: nothing
    assert proxy.rowCount() == 0
    proxy.set_filter_text("pa")
    assert [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())] == ["Paul Sands"]
    proxy.set_filter_text("")
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    proxy.sort(1)
    source.set_rows(PEOPLE[1:])
    source.set_rows([])
    proxy.set_filter_text("stone")
    source.set_rows(PEOPLE)
    assert proxy.rowCount() == 1


def test_an_invalid_index_has_no_data(qapp):
    """Not the last row's (index.row() is -1 there, and a list's [-1] is its last item)."""
    model = RowTableModel(COLUMNS)
    model.set_rows(PEOPLE)
    proxy = FilterProxy()
    proxy.setSourceModel(model)
    for m in (model, proxy):
        for role in (Qt.ItemDataRole.DisplayRole, ROW_ROLE, SORT_ROLE):
            assert m.data(QModelIndex(), role) is None
            assert m.data(m.index(len(PEOPLE), 0), role) is None  # past the end
    empty = RowTableModel(COLUMNS)
    assert empty.data(QModelIndex()) is None
