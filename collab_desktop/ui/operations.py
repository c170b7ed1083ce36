"""Running a write: one wrapper calls the service, shows what went wrong in plain words, and on
success tells every page once what changed (ui/events.DataEvents.broadcast).

The shape is Anki's CollectionOp (qt/aqt/operations/__init__.py): the operation, a success
callback and a failure callback, and one "what changed" broadcast that pages subscribe to. It
runs at once on the GUI thread: our writes are a single short SQLite transaction.

    Operation(self, services, events, lambda s: s.partners.set_archived(row.id, True)).run()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtWidgets import QWidget

from collab_desktop.services.changes import NOTHING, Changes
from collab_desktop.services.errors import ServiceError
from collab_desktop.ui.errors import is_damage_error, show_problem
from collab_desktop.ui.events import DataEvents

if TYPE_CHECKING:  # loading SQLAlchemy waits for the records' first use
    from collab_desktop.services.open_records import Services

T = TypeVar("T")


class Operation(Generic[T]):
    def __init__(
        self,
        parent: QWidget | None,
        services: Services,
        events: DataEvents | None,
        op: Callable[[Services], T],
        title: str = "Cannot do that",
    ) -> None:
        self._parent = parent
        self._services = services
        self._events = events
        self._op = op
        self._title = title
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[Exception], bool | None] | None = None
        self.result: T | None = None
        self.changes: Changes = NOTHING

    def success(self, callback: Callable[[T], Any]) -> Operation[T]:
        """Called with the result, after the pages have been told what changed."""
        self._success = callback
        return self

    def failure(self, callback: Callable[[Exception], bool | None]) -> Operation[T]:
        """Asked first about an error: return True when it has told the user itself (a form's
        messages beside its fields); otherwise the error is shown by ui/errors.show_problem."""
        self._failure = callback
        return self

    def run(self) -> bool:
        """True if the operation succeeded."""
        try:
            self.result, self.changes = self._services.changes.during(
                lambda: self._op(self._services)
            )
        except Exception as error:
            # Nothing was committed (each service call is one transaction), so nothing is
            # broadcast: a page refreshed after a failure would hide that nothing happened.
            if self._failure is not None and self._failure(error):
                return False
            if not isinstance(error, ServiceError | OSError) and not is_damage_error(error):
                # A bug: the excepthook logs it and apologises (ui/errors.install_excepthook),
                # and a test sees it fail.
                raise
            show_problem(self._parent, error, self._title)
            return False
        if self._events is not None:
            self._events.broadcast(self.changes)
        if self._success is not None:
            self._success(self.result)
        return True


def warn_on(
    kind: type[Exception], parent: QWidget | None, title: str
) -> Callable[[Exception], bool]:
    """A failure callback: an error of `kind` (InUse: it became in use since the question was
    asked) is shown under its own title; any other error as usual."""
    from PySide6.QtWidgets import QMessageBox

    def failed(error: Exception) -> bool:
        if isinstance(error, kind):
            QMessageBox.warning(parent, title, str(getattr(error, "message", error)))
            return True
        return False

    return failed
