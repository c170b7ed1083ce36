"""The Backups page: what backups there are, "Back up now", and "Restore…"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from collab_desktop.models.records_file import RecordsFile
from collab_desktop.services.backups import BackupInfo
from collab_desktop.services.errors import ServiceError
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.list_page import ListPage
from collab_desktop.ui.table_model import Column

if TYPE_CHECKING:  # the page is built and filled without SQLAlchemy (ui/preload.py)
    from collab_desktop.services.open_records import Services


def human_size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"


class BackupsPage(ListPage):
    """`restore` is given by the main window: it must close the database, restore the file
    and open it again, which only the window (owner of the open services) can do. It is
    handed the backup as a RecordsFile: its path and the key that reads it (these records'
    key, none for a plain backup, or the backup's own key when it was made with another)."""

    def __init__(
        self,
        services: Services,
        restore: Callable[[RecordsFile], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            "backups",
            "Backups",
            [
                Column("Made", lambda b: b.created.strftime("%d %b %Y, %H:%M")),
                Column("Why", lambda b: b.reason_label),
                Column("Checked", lambda b: b.verdict_label),
                Column("Size", lambda b: human_size(b.size), searchable=False),
                Column("File", lambda b: b.path.name),
            ],
            parent,
        )
        self.services = services
        self._restore = restore
        note = QLabel(
            "A backup is made when you close the app, once a day while it is open, and before "
            "anything risky (an update, a restore). Each is checked in full before it counts "
            "as sound; a damaged one is kept, marked, and never offered first. Copy the backup "
            "folder to a USB stick now and then, so that a lost laptop does not lose your "
            "records."
        )
        note.setWordWrap(True)
        self.layout().insertWidget(1, note)
        self.table.setWordWrap(False)  # file names are long; elide rather than wrap
        self.backup_button = self.add_button("&Back up now", "now", self.back_up_now)
        self.add_button("&Restore…", "restore", self.restore_selected)
        self.add_button("Restore from a fi&le…", "restore_file", self.restore_from_file)
        self.add_button("&Open backup folder", "folder", self.open_folder)
        self.activated.connect(lambda _row: self.restore_selected())

    def refresh(self) -> None:
        self.set_rows(self.services.backups.list_backups(), keep=lambda b: b.path)
        # Newest first, as listed, rather than by the first column's text.
        self.table.sortByColumn(-1, self.table.horizontalHeader().sortIndicatorOrder())

    def back_up_now(self) -> None:
        self.backup_button.setEnabled(False)
        self._status("Backing up…")

        def done(info: BackupInfo) -> None:
            self.backup_button.setEnabled(True)
            self.refresh()
            self.select_where(lambda b: b.path == info.path)
            self._status(f"Backed up to {info.path}")

        def failed(error: Exception) -> None:
            self.backup_button.setEnabled(True)
            self._status("")
            show_problem(self, error, "The backup was not made")

        backups = self.services.backups
        run_in_background(lambda: backups.backup_now("manual"), done, failed)

    def restore_selected(self) -> None:
        backup = self.selected()
        if backup is None:
            QMessageBox.information(self, "Restore", "Choose a backup in the list first.")
            return
        self._open_and_restore(backup.path, backup.created.strftime("%d %B %Y at %H:%M"))

    def restore_from_file(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, "Restore from a backup file", "", "Collab Desktop backups (*.sqlite3)"
        )
        if chosen:
            self._open_and_restore(Path(chosen), Path(chosen).name)

    def _open_and_restore(self, path: Path, what: str) -> None:
        records = self._records_of_backup(path)
        if records is None:
            return
        if records.key is not None and records.key != self.services.records_file.key:
            # Opened with its own key: the restore check with that key, told at once (not
            # after "Replace your records?") when it cannot be restored.
            from collab_desktop.ui.opening import refuse_restore

            if refuse_restore(self, records):
                return
        self._confirm_and_restore(records, what)

    def _records_of_backup(self, path: Path) -> RecordsFile | None:
        """How to read the backup: with these records' key (or plain), or, for a backup made
        with another key (copied from another laptop, or from before this laptop's key was
        replaced), with the key unlocked by that backup's own passphrase or recovery code,
        asked for here. None when it cannot be (the reason has been shown)."""
        backups = self.services.backups
        try:
            other = backups.other_key_file(path)
        except ServiceError as error:
            QMessageBox.warning(self, "The backup was not restored", error.message)
            return None
        if other is None:
            return backups.records_for(path)
        from collab_desktop.ui.encryption import unlock_backup

        return unlock_backup(self, path)

    def _confirm_and_restore(self, backup: RecordsFile, what: str) -> None:
        answer = QMessageBox.question(
            self,
            "Restore a backup",
            f"Replace your records with the backup from {what}?\n\nEverything recorded since "
            "then will be replaced. Your records as they are now are backed up first, so you "
            "can come back to them."
            + (
                " The backup is encrypted again with this laptop's key as it is restored, so "
                "your own passphrase and Recovery sheet open it from then on."
                if backup.key is not None and backup.key != self.services.records_file.key
                else ""
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._restore(backup)

    def open_folder(self) -> None:
        folder = self.services.backups.folder
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _status(self, message: str) -> None:
        window = self.window()
        if hasattr(window, "statusBar"):
            window.statusBar().showMessage(message, 8000)
