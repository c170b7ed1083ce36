"""How errors reach the user: a service's message in plain words; anything unexpected is
logged in the data folder and shown as a short apology that says where the log is. No
traceback ever reaches a dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from collab_desktop.services.errors import ServiceError

log = logging.getLogger("collab_desktop")

_log_file: Path | None = None
# Where damage met by any action goes (ui/opening.Rescue): one dialog offering the newest
# good backup, instead of each page saying "Cannot do that" about it.
_damage_handler: Callable[[Exception], bool] | None = None


def set_damage_handler(handler: Callable[[Exception], bool] | None) -> None:
    """`handler` returns whether it took the error (else the error is shown as any other)."""
    global _damage_handler
    _damage_handler = handler


def is_damage_error(error: BaseException) -> bool:
    from collab_desktop.errors import DamagedStorage
    from collab_desktop.services.backups import RecordsDamaged
    from collab_desktop.services.database_file import DamagedDatabase

    return isinstance(error, DamagedStorage | RecordsDamaged | DamagedDatabase)


def set_log_file(path: Path | None) -> None:
    global _log_file
    _log_file = path


def show_problem(parent: QWidget | None, error: Exception, title: str = "Cannot do that") -> None:
    """Show a ServiceError or OSError in plain words; anything else as unexpected. Damage
    to the records goes to the damage handler (the window's Rescue), if there is one."""
    if _damage_handler is not None and is_damage_error(error) and _damage_handler(error):
        return
    if isinstance(error, ServiceError):
        QMessageBox.warning(parent, title, error.message)
    elif isinstance(error, OSError):
        QMessageBox.warning(parent, title, describe_os_error(error))
    else:
        show_unexpected(parent, error)


def describe_os_error(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    reason = error.strerror or str(error)
    import errno

    hints = {
        errno.ENOSPC: "The disk is full. Free some space, or choose another place.",
        errno.EACCES: "You do not have permission to write there. Choose another folder.",
        errno.EPERM: "You do not have permission to write there. Choose another folder.",
        errno.EROFS: "That disk is read-only. Choose another place.",
        errno.ENOENT: "That folder does not exist. Choose another place.",
    }
    hint = hints.get(error.errno or 0, "Check the folder and try again.")
    return f"The file could not be written{where}: {reason}.\n\n{hint}"


def show_unexpected(parent: QWidget | None, error: BaseException) -> None:
    log.error("Unexpected error", exc_info=(type(error), error, error.__traceback__))
    where = f"\n\nThe details are in the log file:\n{_log_file}" if _log_file else ""
    QMessageBox.critical(
        parent,
        "Sorry, something went wrong",
        "Collab Desktop met a problem it did not expect, and stopped what it was doing. "
        "What you had already saved is safe." + where,
    )


def install_excepthook() -> None:
    """Route uncaught exceptions in slots to the log and an apology instead of stderr."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        if QApplication.instance() is None:
            traceback.print_exception(kind, error, tb)
            return
        error.__traceback__ = tb
        show_unexpected(QApplication.activeWindow(), error)

    sys.excepthook = hook
