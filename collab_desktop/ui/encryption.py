"""Encryption at rest, where the person meets it: choosing the passphrase of new records, the
Recovery sheet shown once, unlocking at start, a backup of other records unlocked before it
is restored, changing the passphrase, and the lock of the main window (ui/lock.py) wired to
the records' key file. The keys themselves are services/records_key.py's business."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.models.records_file import RecordsFile
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.records_key import (
    NewKey,
    RecordsKeyError,
    key_file_path,
    open_with_secret,
)
from collab_desktop.services.unlock_delay import FailureDelay
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.passphrase_dialog import RECOVERY_CODE, NewPassphraseDialog, UnlockDialog

log = logging.getLogger("collab_desktop")

__all__ = [
    "PLAIN_CUSTODY_WARNING",
    "RecoverySheetDialog",
    "change_passphrase",
    "choose_passphrase",
    "in_custody",
    "install_lock",
    "plain_custody_banner",
    "unlock_at_start",
    "unlock_backup",
]

# One delay for the whole run: quitting and reopening the dialog does not reset it.
_DELAY = FailureDelay()


def choose_passphrase(parent: QWidget | None) -> tuple[bool, str | None]:
    """(chosen, passphrase) for new records: (True, text), (True, None) for the explicit
    "no passphrase" choice, (False, None) when the person went back."""
    dialog = NewPassphraseDialog(parent, "Protect your records", allow_none=True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False, None
    if dialog.without_passphrase:
        log.warning("New records made without a passphrase, by the user's choice")
        return True, None
    return True, dialog.passphrase()


def unlock_at_start(
    parent: QWidget | None, database: Path, backup_folder: Path | None = None
) -> RecordsFile | None:
    """The records file unlocked with the passphrase or the recovery code, or None if the
    person chose not to go on. A damaged key file (which neither could unlock) is put back
    from a backup's copy first."""
    from collab_desktop.services.records_key import KeyFile, KeyFileDamaged

    try:
        _ = KeyFile.beside(database).key_id  # reads the whole file: damaged or not
    except KeyFileDamaged:
        from collab_desktop.ui.key_file_dialogs import put_back_key_file_at_start

        return put_back_key_file_at_start(parent, database, [backup_folder], damaged=True)
    except ServiceError:
        pass  # unreadable: the unlock says so in its own words
    used: list[str] = []

    def unlock(kind: str, secret: str) -> RecordsFile:
        records = open_with_secret(database, kind, secret)
        used.append(kind)
        return records

    dialog = UnlockDialog(unlock, what="your records", parent=parent, delay=_DELAY)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    records = dialog.result_value
    if used and used[-1] == RECOVERY_CODE:
        new_passphrase_after_recovery(parent, records)
    return records


def new_passphrase_after_recovery(parent: QWidget | None, records: RecordsFile) -> bool:
    """Step 3 of the Recovery sheet: whoever opened the records with the recovery code
    (the passphrase forgotten) chooses a new passphrase, so the code can go back in the safe.
    Re-wrapping only: instant. True if a new passphrase was set."""
    from collab_desktop.services.records_key import KeyFile

    dialog = NewPassphraseDialog(
        parent,
        "Choose a new passphrase",
        intro=(
            "You opened the records with the recovery code. Choose a new passphrase now: it "
            "opens the records from now on, and the Recovery sheet can go back in the safe "
            "(its code keeps working)."
        ),
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        QMessageBox.information(
            parent,
            "The passphrase is unchanged",
            "The old passphrase still opens the records. To choose a new one later: File → "
            "Change passphrase…",
        )
        return False
    assert records.key is not None
    try:
        KeyFile.beside(records.path).change_passphrase(records.key, dialog.passphrase())
    except (ServiceError, OSError) as error:
        QMessageBox.warning(parent, "The passphrase was not changed", str(error))
        return False
    return True


def unlock_backup(parent: QWidget | None, backup: Path) -> RecordsFile | None:
    """A backup encrypted with another key (another laptop's, or before the records were
    re-keyed), unlocked with its own passphrase or recovery code through the key file kept
    beside it; None (told why) when it cannot be."""
    if not key_file_path(backup).exists():
        QMessageBox.warning(
            parent,
            "The backup cannot be opened",
            f"{backup.name} is encrypted, and its key file ({key_file_path(backup).name}) is "
            "not beside it. Copy that file from where the backup came from into the same "
            "folder, then try again. Nothing has been replaced.",
        )
        return None
    dialog = UnlockDialog(
        lambda kind, secret: open_with_secret(backup, kind, secret),
        intro=(
            f"The backup {backup.name} is encrypted with its own key (it was made on another "
            "laptop, or before these records' key was replaced). Type the passphrase it had "
            "when it was made, or the recovery code from the Recovery sheet of the records "
            "it was made from."
        ),
        parent=parent,
        delay=_DELAY,
    )
    dialog.setWindowTitle("Open a backup with its own key")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_value


def key_missing(
    parent: QWidget | None, database: Path, backup_folder: Path | None = None
) -> RecordsFile | None:
    """Records whose key file has gone: the records file once it has been put back from the
    copy kept with a backup (ui/key_file_dialogs.py), or None. Never a new key."""
    from collab_desktop.ui.key_file_dialogs import put_back_key_file_at_start

    return put_back_key_file_at_start(parent, database, [backup_folder])


class RecoverySheetDialog(QDialog):
    """The Recovery sheet, offered once when the records are first encrypted: print it, or
    save it (to a USB stick, to print elsewhere). Closing without either is confirmed."""

    def __init__(
        self,
        new: NewKey,
        data_folder: Path,
        organisation: str = "",
        made_by: str = "",
        parent: QWidget | None = None,
        intro: str = "Your records are encrypted.",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_sheet_dialog")
        self.setWindowTitle("Your Recovery sheet")
        from collab_desktop.pdf.recovery_sheet import RecoverySheet

        self.sheet = RecoverySheet(
            organisation=organisation,
            data_folder=str(data_folder),
            key_id=new.key_id,
            recovery_code=new.recovery_code,
            made_on=date.today(),
            made_by=made_by,
        )
        self.kept = False
        layout = QVBoxLayout(self)
        text = QLabel(
            f"{intro} If the passphrase is ever forgotten, the recovery "
            "code on this sheet is the only way back in.\n\nPrint the sheet now and keep it "
            "in the charity's safe, away from the laptop. It is shown only this once: the "
            "code is not kept anywhere on this computer. (Saving it as a PDF is for a USB "
            "stick to print from; delete that file once printed.)\n\n"
            f"Key name: {new.key_id}"
        )
        text.setWordWrap(True)
        layout.addWidget(text)
        buttons = QDialogButtonBox()
        self.print_button = name_widget(
            QPushButton("&Print the sheet…"), "recovery_print", "Print the Recovery sheet"
        )
        self.save_button = name_widget(
            QPushButton("&Save as PDF…"), "recovery_save", "Save the Recovery sheet as PDF"
        )
        self.done_button = name_widget(QPushButton("&Done"), "recovery_done", "Done")
        for button, role in (
            (self.print_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.save_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.done_button, QDialogButtonBox.ButtonRole.AcceptRole),
        ):
            buttons.addButton(button, role)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button.clicked.connect(self.save_sheet)
        self.done_button.clicked.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def pdf(self) -> bytes:
        from collab_desktop.pdf.recovery_sheet import build_recovery_sheet
        from collab_desktop.ui.pdf_actions import chosen_page_size

        return build_recovery_sheet(self.sheet, chosen_page_size())

    def print_sheet(self) -> None:
        from collab_desktop.ui.pdf_actions import print_through_dialog

        if print_through_dialog(self, self.pdf(), "Collab Desktop Recovery sheet") is not None:
            self.kept = True

    def save_sheet(self) -> None:
        from collab_desktop.pdf.recovery_sheet import write_recovery_sheet
        from collab_desktop.ui.pdf_actions import chosen_page_size, save_pdf_as

        path = save_pdf_as(
            self,
            "Save the Recovery sheet",
            f"Collab Desktop Recovery sheet {self.sheet.key_id}.pdf",
            lambda target: write_recovery_sheet(self.sheet, target, chosen_page_size()),
        )
        if path is not None:
            self.kept = True

    def confirm_unkept(self) -> bool:  # replaceable in tests
        answer = QMessageBox.warning(
            self,
            "Close without the Recovery sheet?",
            "The sheet has been neither printed nor saved. Without it, a forgotten "
            "passphrase means the records cannot be opened again by anyone.\n\nClose it "
            "anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def done(self, result: int) -> None:
        if not self.kept and not self.confirm_unkept():
            return
        super().done(result)
        parent = self.parentWidget()
        if parent is not None:
            # Closed after a question of its own, the window manager (openbox) left no window
            # active: the main window's shortcuts did nothing until it was clicked.
            from collab_desktop.ui.forms import reactivate

            reactivate(parent)


def change_passphrase(parent: QWidget | None, records: RecordsFile) -> bool:
    """A new passphrase for the open records: the key is re-wrapped at once; the records,
    the backups' keys and the Recovery sheet stay as they are. True if changed."""
    from collab_desktop.services.records_key import KeyFile

    if not records.encrypted:
        QMessageBox.information(
            parent,
            "No passphrase",
            "These records are not encrypted, so they have no passphrase to change. Encrypt "
            "them first (File → Encrypt the records…).",
        )
        return False
    dialog = NewPassphraseDialog(parent, "Change the passphrase")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    assert records.key is not None
    try:
        KeyFile.beside(records.path).change_passphrase(records.key, dialog.passphrase())
    except (ServiceError, OSError) as error:
        QMessageBox.warning(parent, "The passphrase was not changed", str(error))
        return False
    QMessageBox.information(
        parent,
        "Passphrase changed",
        "The new passphrase opens your records from now on. The Recovery sheet still "
        "works. Backups made before today still open with the passphrase they had then.",
    )
    return True


PLAIN_CUSTODY_WARNING = (
    "These records are not encrypted. This activity is in custody, so its participants' "
    "names and prison numbers are criminal-offence data: anyone who gets this laptop or a "
    "backup can read them. Encrypt the records (File → Encrypt the records…)."
)


def in_custody(services, collaboration_id) -> bool:
    """True if the collaboration works in custody (prison or other secure setting)."""
    if collaboration_id is None:
        return False
    try:
        return services.collaborations.get_collaboration(collaboration_id).setting == "custody"
    except ServiceError:
        return False


def plain_custody_banner(services) -> QLabel:
    """The plain-words banner shown on custody activities while the records are plain
    (hidden by whoever shows it when it does not apply)."""
    banner = QLabel(PLAIN_CUSTODY_WARNING)
    banner.setObjectName("plain_custody_warning")
    banner.setWordWrap(True)
    banner.setAccessibleName("Warning: the records are not encrypted")
    banner.setStyleSheet(
        "QLabel { background: #fff4e0; color: #6b3a00; border: 1px solid #e0a040;"
        " border-radius: 4px; padding: 6px; }"
    )
    banner.setVisible(not services.records_file.encrypted)
    return banner


def install_lock(window, records: RecordsFile, idle_minutes: float | None = None):
    """The lock of `window` (menu action, Ctrl+L, idle time, session lock): the passphrase
    or the recovery code of these records unlocks it. Returns the LockController, or None
    for plain records (nothing a lock would protect on disk; the records are not secret)."""
    from collab_desktop.ui.lock import DEFAULT_IDLE_MINUTES, LockController
    from collab_desktop.ui.session_lock import SessionLockWatcher

    if not records.encrypted:
        return None

    def unlock(kind: str, secret: str) -> RecordsFile:
        opened = open_with_secret(records.path, kind, secret)
        if opened.key != records.key:
            raise RecordsKeyError("That does not open the records open in this window.")
        return opened

    controller = LockController(
        window,
        unlock,
        idle_minutes=DEFAULT_IDLE_MINUTES if idle_minutes is None else idle_minutes,
        delay=_DELAY,
    )
    watcher = SessionLockWatcher(controller)
    watcher.session_locked.connect(lambda: controller.lock("session"))
    watcher.start()
    controller.session_watcher = watcher
    return controller
