"""Lists fit a 1366x768 laptop: no sideways scrolling, short columns (kinds, dates, counts,
fingerprints) whole, the name column never the one cut, and no cell wrapped in two."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QHeaderView

from collab_desktop.services.demo import load_demo
from collab_desktop.ui.column_fit import NAME_LEAST, SHORT, natural_widths, shared_widths
from collab_desktop.ui.main_window import PAGES, MainWindow


def test_short_columns_stay_whole_and_long_ones_share_what_is_left():
    natural = [150, 200, 250, 100, 80]  # name, two long texts, a date, a count
    titles = [50, 90, 60, 90, 70]
    widths = shared_widths(natural, titles, room=600)
    assert sum(widths) <= 600
    assert widths[3:] == [100, 80]  # short: whole
    assert widths[0] == 150  # the name (under NAME_LEAST) is not cut
    assert 90 <= widths[1] < 200 and 90 <= widths[2] < 250
    assert shared_widths(natural, titles, room=1000) == natural  # room enough: as they are


@pytest.mark.parametrize("title", ["Partners", "Agreements", "Activities", "Volunteers"])
def test_lists_fit_the_first_window_on_a_laptop_screen(qtbot, services, tmp_path, title):
    load_demo(services)
    window = MainWindow(tmp_path, demo=True)
    qtbot.addWidget(window)
    window.resize(1180, 668)  # the first size on a 1366x768 screen (main_window.FIRST_SIZE)
    window.show()
    window.attach(services)
    window.nav.setCurrentRow(PAGES.index(title))
    page = window.stack.currentWidget()
    table = page.table
    qtbot.waitUntil(lambda: table.viewport().width() > 500)
    header = table.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert not table.wordWrap()
    assert table.horizontalScrollBar().maximum() == 0, "the list scrolls sideways"
    natural = natural_widths(table, 10_000)
    for column, wanted in enumerate(natural):
        if wanted <= SHORT or column == 0:
            title_of = page.model.headerData(column, 1)
            floor = wanted if wanted <= SHORT else min(wanted, NAME_LEAST)
            assert table.columnWidth(column) >= floor, f"{title_of} is cut"
