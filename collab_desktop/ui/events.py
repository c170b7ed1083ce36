"""One place that says what changed, so every page refreshes what concerns it.

Writes go through ui/operations.Operation, which broadcasts what the service call committed
(a services/changes.Changes) once, on success. Pages connect to `changes` and look at the
kinds (`changes.touches(PARTNERS)`) or ids (`changes.touches_record(id)`) they show."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from collab_desktop.services.changes import Changes


class DataEvents(QObject):
    changes = Signal(object)  # a services.changes.Changes

    def broadcast(self, changes: Changes) -> None:
        """Tell every page, once; nothing is said when nothing changed."""
        if changes:
            self.changes.emit(changes)
