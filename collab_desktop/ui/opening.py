"""Opening the database with the user in the loop: a damaged file is never used silently
(the newest good backup is offered), a second copy of the app is told plainly, and a risky
location is warned about. Also restoring a backup into the running app."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from collab_desktop.services.backups import BackupService
from collab_desktop.services.database_file import DamagedDatabase, default_backup_folder
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.location import location_warnings
from collab_desktop.services.single_writer import DatabaseLock

if TYPE_CHECKING:  # SQLAlchemy is loaded only when the records need it (quick_open.py)
    from collab_desktop.services.store import Services

log = logging.getLogger("collab_desktop")


def _open_services(path: Path, backup_folder: Path | None = None, defer_check: bool = False):  # noqa: ANN202
    """store.open_services, imported when called: it loads SQLAlchemy."""
    from collab_desktop.services.store import open_services

    return open_services(path, backup_folder, defer_check)


def open_with_dialogs(
    parent: QWidget, path: Path, backup_folder: Path | None = None, defer_check: bool = False
) -> Services | None:
    """The opened services, or None when the user could not (or chose not to) go on; the
    reason has then been shown. `backup_folder`: where backups go (None: beside the file).
    `defer_check`: open as quickly as can be (the check beside the first page, SQLAlchemy
    when first needed: services/quick_open.py); then call watch_startup_check()."""
    try:
        services = None
        if defer_check:
            from collab_desktop.services.quick_open import open_quickly

            services = open_quickly(path, backup_folder)
        if services is None:
            services = _open_services(path, backup_folder, defer_check)
    except DamagedDatabase as damaged:
        log.error("Damaged database %s: %s", path, damaged.message)
        return _offer_restore(parent, path, damaged, backup_folder)
    except (ServiceError, OSError) as error:
        _cannot_open(parent, path, error)
        return None
    for warning in location_warnings(path):
        log.warning("Risky location for %s: %s", path, warning)
        QMessageBox.warning(
            parent,
            "Your records are in a risky place",
            f"Your records are kept in\n{path.parent}\n\n{warning}",
        )
    return services


def watch_startup_check(window, services: Services, backup_folder: Path | None = None) -> None:  # noqa: ANN001 - the MainWindow
    """Run a deferred start-up check (Services.startup_check) off the GUI thread, from now on,
    while the first page is filled. If the file is damaged, its records leave the screen and
    the newest good backup is offered, as when a damaged file is opened; declining ends the
    app (with nothing written to the damaged file: writes wait for the check)."""
    from collab_desktop.ui.background import run_in_background

    check = services.startup_check
    if check is None:
        return

    def checked(damage: DamagedDatabase | None) -> None:
        if damage is None or window.services is not services:
            return
        log.error("Damaged database %s: %s", services.path, damage.message)
        window.close_records()
        services.close()
        restored = _offer_restore(window, services.path, damage, backup_folder)
        if restored is None:
            QApplication.exit(1)
            return
        window.attach(restored)

    run_in_background(check.run, done=checked)


def _cannot_open(parent: QWidget, path: Path, error: Exception) -> None:
    message = getattr(error, "message", None) or f"{error.strerror}: {error.filename}"
    log.error("Could not open the database %s: %s", path, message)
    QMessageBox.critical(
        parent,
        "Cannot open your records",
        f"Collab Desktop could not open its records in\n{path.parent}\n\n{message}",
    )


def _offer_restore(
    parent: QWidget, path: Path, damaged: DamagedDatabase, backup_folder: Path | None = None
) -> Services | None:
    backup = damaged.backup
    if backup is None:
        QMessageBox.critical(
            parent,
            "Your records are damaged",
            f"{damaged.message}\n\nThere is no backup to restore in\n"
            f"{backup_folder or default_backup_folder(path)}.\nKeep the file {path.name}: "
            "someone with SQLite experience may be able to recover it.",
        )
        return None
    when = backup.created.strftime("%d %B %Y at %H:%M")
    answer = QMessageBox.question(
        parent,
        "Your records are damaged",
        f"{damaged.message}\n\nRestore the newest good backup, from {when}? Anything "
        "recorded after that will need to be entered again. The damaged file is kept beside "
        "it, renamed, in case it can be recovered.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        keep_damaged(path)
        restore_file(path, backup.path, backup_folder)
        return _open_services(path, backup_folder)
    except (ServiceError, OSError) as error:
        _cannot_open(parent, path, error)
        return None


def keep_damaged(path: Path) -> Path:
    """Move a damaged file aside (never delete what might be recovered)."""
    from datetime import datetime

    aside = path.with_name(f"{path.stem}-damaged-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    path.replace(aside)
    return aside


def restore_file(path: Path, backup: Path, backup_folder: Path | None = None) -> None:
    """Restore while holding the one-writer lock, so no other copy has the file open. The
    safety copy of what is replaced goes to `backup_folder` (None: beside the file)."""
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        BackupService(path, backup_folder or default_backup_folder(path)).restore(backup)
    finally:
        lock.release()


def restore_into_running_app(parent: QWidget, services: Services, backup: Path) -> Services | None:
    """Close the open database, restore the backup over it and open it again. Returns the
    new services (the old ones are closed either way)."""
    path, folder = services.path, services.backups.folder
    services.close()
    try:
        restore_file(path, backup, folder)
    except (ServiceError, OSError) as error:
        QMessageBox.warning(parent, "The backup was not restored", str(error))
    return open_with_dialogs(parent, path, folder)
