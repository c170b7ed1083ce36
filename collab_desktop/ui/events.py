"""One place that says what changed, so every page refreshes what concerns it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

PARTNERS = "partners"
COLLABORATIONS = "collaborations"
AGREEMENTS = "agreements"


class DataEvents(QObject):
    changed = Signal(str)  # one of the names above
