"""Opening the database with the user in the loop: a damaged file is never used silently
(the newest good backup is offered), a second copy of the app is told plainly, and a risky
location is warned about. Also restoring a backup into the running app."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from collab_desktop.models.records_file import RecordsFile, records_of
from collab_desktop.services.backups import BackupService
from collab_desktop.services.database_file import (
    DamagedDatabase,
    NotOurFile,
    default_backup_folder,
)
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.file_check import restore_problem
from collab_desktop.services.location import location_warnings
from collab_desktop.services.single_writer import DatabaseLock

if TYPE_CHECKING:  # SQLAlchemy is loaded only when the records need it (quick_open.py)
    from collab_desktop.services.open_records import Services

log = logging.getLogger("collab_desktop")


def _open_services(
    path: RecordsFile | Path, backup_folder: Path | None = None, defer_check: bool = False
):
    """store.open_services, imported when called: it loads SQLAlchemy."""
    from collab_desktop.services.open_records import open_services

    return open_services(path, backup_folder, defer_check)


def open_with_dialogs(
    parent: QWidget,
    path: RecordsFile | Path,
    backup_folder: Path | None = None,
    defer_check: bool = False,
) -> Services | None:
    """The opened services, or None when the user could not (or chose not to) go on; the
    reason has then been shown. `backup_folder`: where backups go (None: beside the file).
    `defer_check`: open as quickly as can be (the check after the first page, SQLAlchemy
    when first needed: services/quick_open.py); then call watch_startup_check(). `path`:
    the records file with its key (a bare path: a plain file)."""
    records = records_of(path)
    path = records.path
    try:
        services = None
        if defer_check:
            from collab_desktop.services.quick_open import open_quickly

            services = open_quickly(records, backup_folder)
        if services is None:
            services = _open_services(records, backup_folder, defer_check)
    except DamagedDatabase as damaged:
        log.error("Damaged database %s: %s", path, damaged.message)
        return _offer_restore(parent, records, damaged, backup_folder)
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


# The deferred check waits for the first page and then for the pages read ahead while the app
# is idle (ui/preload.py), CHECK_LATEST_MS at the latest: it reads (and in encrypted records
# decrypts) every page of the file, and beside those reads it held them back (the encrypted
# first page took 0.33 s instead of 0.2 s; on one core the first page was 3.5 times a bare
# window's start, and the pages' first shows waited for the reads ahead). A save before then
# runs the quick check itself, as it always has when it came first.
CHECK_AFTER_MS = 30
CHECK_LATEST_MS = 10_000


def watch_startup_check(
    window, services: Services, backup_folder: Path | None = None, after_ms: int = 0
) -> None:
    """Run a deferred start-up check (Services.startup_check: the quick check, then the full one)
    off the GUI thread: now, or with `after_ms` (app.py: once the first page is filled),
    that long from now and then once the window's idle loading is done (CHECK_LATEST_MS at
    the latest). A write before then runs the quick check first (StartupCheck.run_quick). If
    the file is damaged, the window's Rescue takes the records off the screen and offers the
    newest good backup, as when a damaged file is opened; declining ends the app (with
    nothing written to the damaged file: writes are refused once damage is known)."""
    from PySide6.QtCore import QTimer

    from collab_desktop.ui.background import run_in_background

    check = services.startup_check
    if check is None:
        return
    rescue = rescue_of(window, backup_folder)

    def checked(damage: DamagedDatabase | None) -> None:
        if damage is not None and window.services is services:
            rescue.damaged(damage)

    def full(damage: DamagedDatabase | None) -> None:
        if damage is not None:
            checked(damage)
        elif window.services is services:
            # At a low priority: it takes seconds, beside the pages read ahead while the app
            # is idle (ui/preload.py), and no save waits for it (StartupCheck).
            run_in_background(check.run_full, done=checked, low_priority=True)

    def start() -> None:
        # The quick check at the usual priority: the first save waits for it.
        run_in_background(check.run_quick, done=full)

    started: list[bool] = []

    def start_later() -> None:
        # Once, and not for records closed meanwhile (a restore, a rescue, the app closing):
        # closing stops the check, and neither check starts once it is stopped.
        if not started and window.services is services:
            started.append(True)
            start()

    def after_first_page() -> None:
        after_preloading = getattr(window, "after_preloading", None)
        if after_preloading is None:
            start_later()
        else:
            after_preloading(start_later)
            QTimer.singleShot(CHECK_LATEST_MS, window, start_later)

    if after_ms <= 0:
        start()
    else:
        QTimer.singleShot(after_ms, window, after_first_page)


class Rescue(QObject):
    """The one place where damage found while the app runs is answered, whoever finds it
    (the start-up check, a page's read, a backup's full check): once, in one dialog, when no
    other dialog is open and the app is not in the middle of opening its records. (Two at
    once, each acting on the records under the other, is how restoring used to crash.)"""

    def __init__(self, window, backup_folder: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.backup_folder = backup_folder
        # Set by app.py: what to do with the restored records (preferences, then attach).
        self.reopened: Callable[[Services], None] = window.attach
        self.busy = False  # app.py: the records are being opened; wait until it is done
        self._pending: list[DamagedDatabase | None] = []
        self._running = False
        from collab_desktop.ui.errors import set_damage_handler

        set_damage_handler(self.met)

    def met(self, error: Exception) -> bool:
        """Damage met by an action (show_problem hands it here); False if no records are
        open in this window to rescue."""
        try:
            if self.window.services is None and not self._running:
                return False
        except RuntimeError:  # the window has gone
            return False
        log.error("Damage met: %s", error)
        self.damaged(error if isinstance(error, DamagedDatabase) else None)
        return True

    def damaged(self, damage: DamagedDatabase | None = None) -> None:
        """Damage found (`damage`), or met by a read or a write (None: it is worked out)."""
        if self._running or self._pending:
            return
        self._pending.append(damage)
        QTimer.singleShot(0, self._when_free)

    def _when_free(self) -> None:
        if not self._pending:
            return
        if self.busy or QApplication.activeModalWidget() is not None:
            QTimer.singleShot(200, self._when_free)
            return
        damage = self._pending.pop()
        services = self.window.services
        if services is None:
            return
        self._running = True
        try:
            self._rescue(services, damage)
        finally:
            self._running = False

    def _rescue(self, services: Services, damage: DamagedDatabase | None) -> None:
        from collab_desktop.services.database_file import _damaged

        log.error("Damaged database %s", services.path)
        self.window.close_records()
        services.close()  # the background check stopped and every connection closed first
        if damage is None:
            damage = _damaged(
                services.records_file, "met by a read or a write", services.backups
            )
        restored = _offer_restore(
            self.window, services.records_file, damage, self.backup_folder
        )
        if restored is None:
            QApplication.exit(1)
            return
        self.reopened(restored)


def rescue_of(window, backup_folder: Path | None = None) -> Rescue:
    rescue = getattr(window, "rescue", None)
    if rescue is None:
        rescue = Rescue(window, backup_folder)
        window.rescue = rescue
    return rescue


def _cannot_open(parent: QWidget, path: Path, error: Exception) -> None:
    message = getattr(error, "message", None) or f"{error.strerror}: {error.filename}"
    log.error("Could not open the database %s: %s", path, message)
    QMessageBox.critical(
        parent,
        "Cannot open your records",
        f"Collab Desktop could not open its records in\n{path.parent}\n\n{message}",
    )


def _offer_restore(
    parent: QWidget,
    path: RecordsFile | Path,
    damaged: DamagedDatabase,
    backup_folder: Path | None = None,
) -> Services | None:
    records = records_of(path)
    path = records.path
    backup = damaged.backup
    title = (
        "This is not a Collab Desktop file"
        if isinstance(damaged, NotOurFile)
        else "Your records are damaged"
    )
    if backup is None:
        QMessageBox.critical(
            parent,
            title,
            f"{damaged.message}\n\nThere is no backup that passes the check in\n"
            f"{backup_folder or default_backup_folder(path)}.\nKeep the file {path.name}: "
            "someone with SQLite experience may be able to recover it.",
        )
        return None
    when = backup.created.strftime("%d %B %Y at %H:%M")
    lose = f" {damaged.since}" if damaged.since else ""
    answer = QMessageBox.question(
        parent,
        title,
        f"{damaged.message}\n\nRestore the newest good backup, from {when}? Anything "
        f"recorded after that will need to be entered again.{lose} The file now in place of "
        "your records is kept beside them, renamed, in case it can be recovered.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    label = "not-ours" if isinstance(damaged, NotOurFile) else "damaged"
    try:
        # The file is moved aside only once the backup has passed the restore check, so a
        # refused backup leaves everything where it was. (It is its own safety copy.)
        restore_file(
            records, backup.path, backup_folder, safety_copy=False,
            before_replacing=lambda: keep_damaged(path, label),
        )  # fmt: skip
        return _open_services(records, backup_folder)
    except (ServiceError, OSError) as error:
        _cannot_open(parent, path, error)
        return None


def keep_damaged(path: Path, label: str = "damaged") -> Path:
    """Move a damaged file aside (never delete what might be recovered), with its journal:
    left behind, a journal would be rolled into the restored file."""
    from datetime import datetime

    aside = path.with_name(f"{path.stem}-{label}-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
    path.replace(aside)
    journal = path.with_name(path.name + "-journal")
    if journal.exists():
        journal.replace(aside.with_name(aside.name + "-journal"))
    return aside


def restore_file(
    path: RecordsFile | Path,
    backup: RecordsFile | Path,
    backup_folder: Path | None = None,
    safety_copy: bool = True,
    before_replacing: Callable[[], object] | None = None,
) -> None:
    """Restore while holding the one-writer lock, so no other copy has the file open. The
    safety copy of what is replaced goes to `backup_folder` (None: beside the file)."""
    records = records_of(path)
    path = records.path
    lock = DatabaseLock(path)
    lock.acquire()
    try:
        BackupService(records, backup_folder or default_backup_folder(path)).restore(
            backup, safety_copy, before_replacing
        )
    finally:
        lock.release()


def refuse_restore(parent: QWidget, backup: RecordsFile | Path) -> bool:
    """The one restore check (file_check.restore_problem), before anything is closed: True
    (and the reason shown) if `backup` must not replace the records."""
    problem = restore_problem(backup)
    if problem is None:
        return False
    log.warning("Refused to restore %s: %s", backup, problem)
    QMessageBox.warning(
        parent, "The backup was not restored", f"{problem}\n\nNothing has been replaced."
    )
    return True


def restore_into_running_app(
    parent: QWidget, services: Services, backup: RecordsFile | Path
) -> tuple[Services | None, bool]:
    """Close the open database, restore the backup over it and open it again. Returns the
    services opened again (the old ones are closed either way) and whether the backup was
    restored. Call refuse_restore() first: a file that fails the restore check is refused
    there, with the records still open."""
    path, folder = services.records_file, services.backups.folder
    services.close()
    restored = True
    try:
        restore_file(path, backup, folder)
    except (ServiceError, OSError) as error:
        restored = False
        QMessageBox.warning(parent, "The backup was not restored", str(error))
    return open_with_dialogs(parent, path, folder), restored
