"""Column widths that fit a list into the width it has, as on a 1366x768 laptop.

Qt's resizeColumnsToContents() makes each column as wide as its widest cell, and the first
column (which stretches) takes what is left: on a narrow screen nothing was left, the name
shrank to "Ne…" and the list scrolled sideways. Here short columns (a kind, a date, a count,
a fingerprint) keep their full width, since cut they say nothing ("Social enter…"), and the
long text columns (names, members, clearances) share what remains, each never narrower than
its title. Only when even that does not fit does the list scroll sideways.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

# A column this narrow when fitted to its contents is never cut: dates, counts, kinds.
SHORT = 130
# A long column is cut no narrower than this (or its title, if wider).
LEAST = 90
# The first column names the record (a person, a partner): it is cut last.
NAME_LEAST = 170


def natural_widths(table: QTableView, most: int) -> list[int]:
    """Each column's width for its contents and title, at most `most` (hidden: 0)."""
    header = table.horizontalHeader()
    widths = []
    for column in range(header.count()):
        if header.isSectionHidden(column):
            widths.append(0)
            continue
        wanted = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        widths.append(min(wanted, most))
    return widths


def shared_widths(
    natural: list[int], titles: list[int], room: int, name: int | None = 0
) -> list[int]:
    """Widths that fit `room`: short columns whole, long ones cut in proportion to what
    they could give up, none below its floor (its title, or LEAST; NAME_LEAST for the
    `name` column)."""
    if sum(natural) <= room:
        return list(natural)
    floors = [
        n if n <= SHORT else min(n, max(NAME_LEAST if c == name else LEAST, t))
        for c, (n, t) in enumerate(zip(natural, titles, strict=True))
    ]
    spare = [n - f for n, f in zip(natural, floors, strict=True)]
    excess = sum(natural) - room
    give = sum(spare)
    if give <= excess:
        return floors  # the floors alone are too wide: the list scrolls sideways
    # Cuts rounded up: rounded down, the widths overshot by a pixel or two, and the first
    # column (given what is left) was the one cut ("Margaret T…").
    return [n - -(-s * excess // give) for n, s in zip(natural, spare, strict=True)]


def fit_columns(table: QTableView, most: int, stretch: int | None = 0) -> None:
    """Fit the columns of `table` into its visible width. The `stretch` column (set to
    QHeaderView.Stretch) is given the rest by Qt; the others are set here."""
    header = table.horizontalHeader()
    natural = natural_widths(table, most)
    titles = [header.sectionSizeHint(c) for c in range(header.count())]
    room = table.viewport().width()
    if room <= 0:
        return
    widths = shared_widths(natural, titles, room, stretch)
    for column, width in enumerate(widths):
        if column != stretch and not header.isSectionHidden(column):
            table.setColumnWidth(column, width)
