"""Where the person repairs the key file (services/key_file_repair.py): putting back a lost
or damaged key file at start, and making a new recovery code after the Recovery sheet is
lost (Preferences → "New recovery code…")."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.records_file import RecordsFile
from collab_desktop.services.database_file import default_backup_folder
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.key_file_repair import (
    key_file_copies,
    new_recovery_code,
    put_back_key_file,
    replace_recovery_code,
)
from collab_desktop.services.records_key import KeyFile, key_file_path
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.passphrase_dialog import UnlockPanel

log = logging.getLogger("collab_desktop")

__all__ = ["PutBackKeyDialog", "make_new_recovery_code", "put_back_key_file_at_start"]


def _folders(database: Path, backup_folders: Iterable[Path | None]) -> list[Path]:
    folders = [default_backup_folder(database)]
    for folder in backup_folders:
        if folder is not None and Path(folder) not in folders:
            folders.append(Path(folder))
    return folders


class PutBackKeyDialog(QDialog):
    """The key file of the records is missing or damaged. Explains why the passphrase alone
    cannot open them and no new key is made, finds the copies kept with the backups, and
    puts back the newest one that the typed passphrase or recovery code unlocks (and whose
    key opens the records). `records` holds the records file once accepted."""

    def __init__(
        self,
        database: Path,
        backup_folders: Iterable[Path | None] = (),
        damaged: bool = False,
        parent: QWidget | None = None,
        delay=None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("put_back_key_dialog")
        self.setWindowTitle("Put back the key file of your records")
        self.database = Path(database)
        self.folders = _folders(self.database, backup_folders)
        self.copies: list[KeyFile] = key_file_copies(self.folders)
        self.records: RecordsFile | None = None
        self.used: KeyFile | None = None
        key_name = key_file_path(self.database).name
        what = "is damaged" if damaged else "is missing"
        intro = QLabel(
            f"The key file {key_name} beside your records (in {self.database.parent}) {what}. "
            "The passphrase and the recovery code each unlock the records' key kept in that "
            "file, so without it neither can open them, and a new key never would: the "
            "records stay encrypted with theirs. (If this is not your encrypted records at "
            "all, cancel: nothing has been changed.)\n\n"
            "A copy of the key file is kept with every backup. Type your passphrase (as it "
            "was when the backup was made) or the recovery code from the Recovery sheet: the "
            "newest copy it unlocks is put back, unchanged."
        )
        intro.setWordWrap(True)
        self.found = name_widget(QLabel(), "put_back_found", "Copies found")
        self.found.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.found)
        self.panel = UnlockPanel(self._put_back, delay, self)
        layout.addWidget(self.panel)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.choose_button = name_widget(
            QPushButton("&Choose a key file…"), "put_back_choose", "Choose a key file"
        )
        buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button.clicked.connect(self.choose_copy)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.panel.unlocked.connect(self._put_back_done)
        self._show_found()
        self.setMinimumWidth(600)

    def _show_found(self) -> None:
        if self.copies:
            newest = self.copies[0].path
            self.found.setText(
                f"Copies found: {len(self.copies)}, the newest beside the backup "
                f"{newest.name[: -len('.key')]} in {newest.parent}."
            )
        else:
            self.found.setText(
                "No copy was found in " + ", ".join(str(f) for f in self.folders) + ". If "
                "the backups were copied elsewhere (a USB stick), choose the .key file of the "
                "newest backup there."
            )

    def ask_for_copy(self) -> str:  # the file dialog, replaceable in tests
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Choose the key file kept with a backup",
            str(self.folders[0]),
            "Key files (*.key);;All files (*)",
        )
        return chosen

    def choose_copy(self) -> None:
        chosen = self.ask_for_copy()
        if chosen:
            path = Path(chosen)
            self.copies = [KeyFile(path)]
            self.found.setText(f"Using the key file {path.name} from {path.parent}.")
            self.panel.field().setFocus()

    def _put_back(self, kind: str, secret: str) -> tuple[RecordsFile, KeyFile]:
        return put_back_key_file(self.database, kind, secret, self.copies)

    def _put_back_done(self, result: tuple[RecordsFile, KeyFile]) -> None:
        self.records, self.used = result
        log.warning("The key file of %s was put back from %s", self.database, self.used.path)
        self.accept()


def put_back_key_file_at_start(
    parent: QWidget | None,
    database: Path,
    backup_folders: Iterable[Path | None] = (),
    damaged: bool = False,
) -> RecordsFile | None:
    """At start, records whose key file is missing (or damaged): the records file once the
    key file has been put back from a backup's copy, or None if the person gave up."""
    from collab_desktop.ui.encryption import _DELAY

    dialog = PutBackKeyDialog(database, backup_folders, damaged, parent, _DELAY)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.records is None:
        return None
    source = f" from the copy kept with {dialog.used.path.name[:-4]}" if dialog.used else ""
    QMessageBox.information(
        parent,
        "The key file is back",
        f"The key file of your records was put back{source}, unchanged. Your records open "
        "with the passphrase you just typed (or the recovery code) from now on; change the "
        "passphrase if you prefer a newer one (File → Change passphrase…).",
    )
    return dialog.records


def make_new_recovery_code(
    parent: QWidget | None,
    records: RecordsFile,
    backup_folders: Iterable[Path | None] = (),
    organisation: str = "",
    made_by: str = "",
) -> bool:
    """After the Recovery sheet is lost: a new recovery code for the open records, on a new
    Recovery sheet, and the old code stops working (in the key file and the copies kept with
    the backups here). Written only once the new sheet has been printed or saved, so closing
    without it changes nothing. True if the code was replaced."""
    from collab_desktop.ui.encryption import RecoverySheetDialog

    if records.key is None:
        QMessageBox.information(
            parent,
            "No recovery code",
            "These records are not encrypted, so they have no recovery code. Encrypt them "
            "first (File → Encrypt the records…).",
        )
        return False
    folders = _folders(records.path, backup_folders)
    answer = QMessageBox.question(
        parent,
        "Make a new recovery code?",
        "A new Recovery sheet is made, to print or save now. Once it is, the old recovery "
        "code stops opening these records and the backups in "
        + ", ".join(str(f) for f in folders)
        + ". Your passphrase stays as it is.\n\nBackup folders copied elsewhere (a USB stick) "
        "still open with the old code until those copies are deleted or replaced.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    new = new_recovery_code(records.key)
    sheet = RecoverySheetDialog(
        new,
        records.path.parent,
        organisation,
        made_by,
        parent,
        intro="This is the new recovery code of your records. The old one stops working as "
        "soon as this sheet is printed or saved (closing without either changes nothing).",
    )
    sheet.exec()
    if not sheet.kept:
        QMessageBox.information(
            parent,
            "Nothing changed",
            "The new sheet was neither printed nor saved, so the recovery code was not "
            "changed: the old one still works.",
        )
        return False
    try:
        changed = replace_recovery_code(records.path, new, folders)
    except (ServiceError, OSError) as error:
        QMessageBox.warning(
            parent,
            "The recovery code was not changed",
            f"{error}\n\nThe old recovery code still works; destroy the new sheet.",
        )
        return False
    QMessageBox.information(
        parent,
        "New recovery code",
        "The new recovery code opens your records from now on, and the old one no longer "
        f"does (nor the {len(changed)} backup(s) here). Keep the new sheet in the safe.",
    )
    return True


def new_recovery_code_button(parent: QWidget, services) -> QPushButton:
    """Preferences' "New recovery code…" (only shown for encrypted records)."""
    button = name_widget(
        QPushButton("Ne&w recovery code…"), "preferences_new_recovery_code", "New recovery code"
    )
    button.setAutoDefault(False)
    button.setToolTip(
        "If the Recovery sheet is lost: a new sheet to print, and the old code stops working"
    )

    def make() -> None:
        from collab_desktop.ui.preferences import load_preferences

        preferences = load_preferences()
        make_new_recovery_code(
            parent,
            services.records_file,
            [services.backups.folder],
            preferences.organisation,
            preferences.user_name,
        )

    button.clicked.connect(make)
    return button
