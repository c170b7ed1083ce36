"""The two privacy buttons of the participant and volunteer pages: "Everything about this
person…" and "Anonymise / erase…". A page adds them with one line and enables them with its
own buttons; what they do lives here, so the pages' own code stays as it was."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from collab_desktop.services.changes import Changes
from collab_desktop.services.privacy.person_ref import PersonRef
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.forms import open_dialog

if TYPE_CHECKING:  # the pages are built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services
    from collab_desktop.services.privacy.erasure import ErasureResult
    from collab_desktop.ui.privacy.dialogs import ErasureDialog, SubjectAccessDialog


class PrivacyActions:
    def __init__(
        self,
        page: Any,  # a ListPage: add_button(), selected(), dialog
        services: Services,
        events: DataEvents,
        kind: str,  # people.PARTICIPANT or people.CONTACT
        who: Callable[[Any], tuple[uuid.UUID, str]],  # a selected row -> (id, name)
        changed: str,  # what to broadcast after an erasure (PARTICIPANTS, VOLUNTEERS)
    ) -> None:
        self._page = page
        self._services = services
        self._events = events
        self._kind = kind
        self._who = who
        self._changed = changed
        self.message: QMessageBox | None = None
        self.everything_button = page.add_button(
            "Everything about this &person…", "everything", self.everything_about
        )
        self.erase_button = page.add_button("Anon&ymise / erase…", "erase", self.erase)

    def set_enabled(self, selected: bool) -> None:
        self.everything_button.setEnabled(selected)
        self.erase_button.setEnabled(selected)

    def _selected(self) -> tuple[PersonRef, str] | None:
        row = self._page.selected()
        if row is None:
            return None
        id_, name = self._who(row)
        return PersonRef(self._kind, id_), name

    def everything_about(self) -> SubjectAccessDialog | None:
        from collab_desktop.ui.privacy.dialogs import SubjectAccessDialog

        chosen = self._selected()
        if chosen is None:
            return None
        ref, name = chosen
        dialog = SubjectAccessDialog(self._services, name, ref, parent=self._page)
        return open_dialog(self._page, dialog, lambda: None)

    def erase(self) -> ErasureDialog | None:
        from collab_desktop.ui.privacy.dialogs import ErasureDialog

        chosen = self._selected()
        if chosen is None:
            return None
        ref, name = chosen
        dialog = ErasureDialog(self._services, ref, name, self._done, parent=self._page)
        return open_dialog(self._page, dialog, lambda: None)

    def _done(self, result: ErasureResult) -> None:
        self._events.broadcast(Changes.of(self._changed))
        # open(), not exec(): the page is usable at once, and tests can read it.
        self.message = QMessageBox(
            QMessageBox.Icon.Information, "Done", f"{result.message}\n\n{result.backups_note}",
            QMessageBox.StandardButton.Ok, self._page,
        )  # fmt: skip
        self.message.setObjectName("erasure_done")
        self.message.open()


def open_retention_review(parent: Any, services: Services, events: DataEvents) -> Any:
    """The list of what the retention rules say is due, under the rules in Preferences: where
    the home page's retention item is dealt with."""
    from collab_desktop.ui.privacy.dialogs import RetentionDialog
    from collab_desktop.ui.privacy.retention_settings import load_rules

    dialog = RetentionDialog(services, load_rules(), parent=parent, events=events)
    dialog.open()
    return dialog
