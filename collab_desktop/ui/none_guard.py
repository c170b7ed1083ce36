"""A guard against a reference leak in PySide6 6.12.0 on Python 3.11.

That release drops one reference to None on every call of a Qt method that returns nothing
(QComboBox.addItem, QListWidgetItem.setData, …). Python before 3.12 counts None's references
like any object's, so after some hundreds of thousands of such calls (a few openings of the
collaboration dialog with 5,000 partners in its lists, a register of 60) the count reaches
zero and the process dies with "Fatal Python error: none_dealloc" — the app vanishes. What was
saved is safe (every save is its own transaction), but whatever was being typed is lost.

The leak cannot be mended from here, and the release before it lacks the PySide6-Pdf wheel the
app needs, so the app gives None back the references the leak takes: a timer raises None's
reference count whenever it falls below FLOOR. (Not a list of Nones held in reserve: freeing
that list when the interpreter exits would take the count below zero and crash on the way out.)
None is never freed in a healthy process, so a count higher than its real references costs
nothing. It is armed only where the leak is measured, so a fixed PySide6 or Python 3.12+ (where
None is immortal) is left alone.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

# Keep None's count above FLOOR, raising it by CHUNK at a time. Checked every second, which is
# far more often than needed: Python makes at most a few million Qt calls a second.
FLOOR = 10_000_000
CHUNK = 10_000_000
CHECK_EVERY_MS = 1_000


def leaks_none(calls: int = 200) -> bool:
    """Whether this PySide6 loses references to None on void calls (measured, not guessed
    from the version)."""
    if sys.version_info >= (3, 12):  # None is immortal there: its count never reaches zero
        return False
    from PySide6.QtWidgets import QComboBox

    combo = QComboBox()
    before = sys.getrefcount(None)
    for i in range(calls):
        combo.addItem(str(i))
    lost = before - sys.getrefcount(None)
    combo.deleteLater()
    return lost >= calls // 2


def top_up() -> None:
    if sys.getrefcount(None) < FLOOR:
        # ob_refcnt is the first field of every object in CPython's release builds.
        count = ctypes.c_ssize_t.from_address(id(None))
        count.value += CHUNK


def guard_none(owner: QObject) -> bool:
    """Arm the guard for as long as `owner` (the application) lives. True if it was needed."""
    if not leaks_none():
        return False
    top_up()
    timer = QTimer(owner)
    timer.setObjectName("none_guard")
    timer.timeout.connect(top_up)
    timer.start(CHECK_EVERY_MS)
    return True
