"""Encrypting records that were made before encryption (or by the "no passphrase" choice):
offered once at each start (declined with "Remind me later") and in the File menu.

The order keeps the records safe at every step: the passphrase is chosen and the key file
made, the Recovery sheet is shown (before anything is converted: it is the only way back in
if the passphrase is forgotten), then services/encrypt_records.py copies, checks and swaps
the file while a progress dialog shows how far it has got, holding the one-writer lock.
Afterwards every plain copy of the records in the data folder and the backup folders (old
backups, copies kept aside after damage or before a restore) is deleted, and the person is
told plainly that deleted files may still be recoverable from the disk.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QWidget

from collab_desktop.models.records_file import RecordsFile, is_plain_sqlite
from collab_desktop.services.encrypt_records import (
    CHECKING,
    EXPORTING,
    REMOVING,
    SWAPPING,
    ConversionFailed,
    Converted,
    convert_to_encrypted,
)
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.records_key import KeyFile, key_file_path
from collab_desktop.services.single_writer import DatabaseLock

log = logging.getLogger("collab_desktop")

__all__ = ["encrypt_records", "offer_at_start", "plain_copies"]

_STAGE_WORDS = {
    EXPORTING: "Writing the encrypted copy of your records…",
    CHECKING: "Checking every page and row of the encrypted copy…",
    SWAPPING: "Putting the encrypted records in place…",
    REMOVING: "Deleting the unencrypted copies…",
}

WHY = (
    "Your records are not encrypted: anyone who gets this laptop, or a copy of the data "
    "folder or a backup, can read every name and prison number in them.\n\n"
    "Encrypting them takes a passphrase (asked at each start) and a Recovery sheet to print "
    "and keep in the charity's safe. The records are copied into an encrypted file, checked "
    "in full, and only then put in place of the old one; the unencrypted file and the "
    "unencrypted backups are then deleted. A large file takes a few minutes."
)


def plain_by_choice(database: Path) -> Path:
    """The note beside the records that they are kept unencrypted on purpose: chosen in the
    welcome ("Continue without a passphrase…") or in the offer below. It holds no secret."""
    database = Path(database)
    return database.with_name(database.name + ".plain-by-choice")


def keep_plain(database: Path) -> None:
    from collab_desktop.services.durable_files import write_atomically

    write_atomically(
        plain_by_choice(database),
        b"These records are kept unencrypted by choice. Delete this file to be offered\n"
        b"encryption again at the next start (README: Encryption).\n",
    )


def offer_at_start(
    parent: QWidget | None, database: Path, folders: Iterable[Path]
) -> RecordsFile | None:
    """Asked at each start for plain records, unless they are plain by choice: the encrypted
    records file if the person chose to encrypt and it worked, else None (open them plain, as
    before)."""
    if plain_by_choice(database).exists():
        return None
    box = QMessageBox(parent)
    box.setObjectName("encrypt_offer")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Encrypt your records?")
    box.setText(WHY)
    now = box.addButton("&Encrypt now…", QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton("&Remind me later", QMessageBox.ButtonRole.RejectRole)
    # A community group with no personal data says so once, instead of at every start.
    never = box.addButton("&Keep them unencrypted", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(now)
    box.setEscapeButton(later)
    box.exec()
    if box.clickedButton() is never:
        try:
            keep_plain(database)
        except OSError:
            log.warning("Could not note that the records stay plain", exc_info=True)
        return None
    if box.clickedButton() is not now:
        log.info("Encryption of the plain records declined for this start")
        return None
    return encrypt_records(parent, database, folders)


def plain_copies(database: Path, folders: Iterable[Path]) -> list[Path]:
    """Every other unencrypted copy of the records: plain SQLite files in the data folder
    (and below it: the default backups folder, copies kept aside) and the backup folders."""
    database = Path(database)
    found: dict[Path, None] = {}
    for folder in [database.parent, *folders]:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path != database and is_plain_sqlite(path):
                found[path] = None
    return list(found)


def _choose_key(
    parent: QWidget | None, database: Path, organisation: str, made_by: str
) -> bytes | None:
    """The key to encrypt with: a new one (passphrase chosen, Recovery sheet shown), or,
    when a key file is already beside the plain file (a conversion that did not finish),
    that key unlocked with its passphrase or recovery code."""
    from collab_desktop.ui.encryption import _DELAY, RecoverySheetDialog
    from collab_desktop.ui.passphrase_dialog import NewPassphraseDialog, UnlockDialog

    key_file = KeyFile.beside(database)
    if key_file_path(database).exists():

        def unlock(kind: str, secret: str) -> bytes:
            if kind == "recovery_code":
                return key_file.unlock_with_recovery_code(secret)
            return key_file.unlock(secret)

        dialog = UnlockDialog(
            unlock,
            what="your records (an encryption that did not finish: its passphrase)",
            parent=parent,
            delay=_DELAY,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.result_value
    chooser = NewPassphraseDialog(parent, "Choose the passphrase of your records")
    if chooser.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        new = key_file.create(chooser.passphrase(), database=database)
    except (ServiceError, OSError) as error:
        QMessageBox.warning(parent, "The records were not encrypted", str(error))
        return None
    # Before the conversion: without the sheet, a forgotten passphrase would lose them.
    RecoverySheetDialog(
        new,
        database.parent,
        organisation,
        made_by,
        parent,
        intro="Your records are about to be encrypted with this passphrase.",
    ).exec()
    return new.records_key


def encrypt_records(
    parent: QWidget | None,
    database: Path,
    folders: Iterable[Path] = (),
    organisation: str = "",
    made_by: str = "",
) -> RecordsFile | None:
    """Encrypt the plain records at `database` (nothing may have them open): the records
    file with its key once done, or None (told why; the records are still plain and whole)."""
    database = Path(database)
    folders = list(folders)
    if not organisation and not made_by:
        from collab_desktop.ui.preferences import load_preferences

        preferences = load_preferences()
        organisation, made_by = preferences.organisation, preferences.user_name
    key = _choose_key(parent, database, organisation, made_by)
    if key is None:
        return None
    lock = DatabaseLock(database)
    try:
        lock.acquire()
    except ServiceError as error:
        QMessageBox.warning(parent, "The records were not encrypted", str(error))
        return None
    try:
        copies = plain_copies(database, folders)
        outcome = _with_progress(
            parent, lambda p, s: convert_to_encrypted(database, key, copies, p, s)
        )
    finally:
        lock.release()
    if isinstance(outcome, Exception):
        if isinstance(outcome, ConversionFailed):
            message = outcome.message
        else:
            log.exception("Encryption failed", exc_info=outcome)
            message = f"The records could not be encrypted, so nothing was changed ({outcome})."
        QMessageBox.warning(parent, "The records were not encrypted", message)
        return None
    log.info("Records encrypted; %d plain copies deleted", len(outcome.removed))
    done = QMessageBox(parent)
    done.setObjectName("encrypt_done")
    done.setIcon(QMessageBox.Icon.Information)
    done.setWindowTitle("Your records are encrypted")
    done.setText(outcome.message)
    done.exec()
    return outcome.records


def _with_progress(parent: QWidget | None, work) -> Converted | Exception:
    """Run the conversion on a thread of its own while a progress dialog (no Cancel: the
    swap must not be cut in two by a click) shows the stage and how much is written."""
    progress = QProgressDialog(_STAGE_WORDS[EXPORTING], None, 0, 1000, parent)
    progress.setObjectName("encrypt_progress")
    progress.setWindowTitle("Encrypting your records")
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    progress.setValue(0)
    state: dict[str, object] = {"fraction": 0.0, "stage": EXPORTING}

    def run() -> None:
        try:
            state["result"] = work(
                lambda fraction: state.__setitem__("fraction", fraction),
                lambda stage: state.__setitem__("stage", stage),
            )
        except Exception as error:  # reported on the GUI thread
            state["result"] = error

    thread = threading.Thread(target=run, name="encrypt-records", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(100)

    def tick() -> None:
        stage = str(state["stage"])
        progress.setLabelText(_STAGE_WORDS.get(stage, _STAGE_WORDS[EXPORTING]))
        # The copy is most of the time; the check takes the last tenth of the bar.
        fraction = float(state["fraction"])  # type: ignore[arg-type]
        value = int(900 * fraction) if stage == EXPORTING else 950 if stage == CHECKING else 1000
        progress.setValue(value)
        if not thread.is_alive():
            loop.quit()

    timer.timeout.connect(tick)
    thread.start()
    timer.start()
    progress.show()
    loop.exec()
    timer.stop()
    thread.join()
    progress.close()
    progress.deleteLater()
    result = state.get("result")
    assert isinstance(result, (Converted, Exception))
    return result
