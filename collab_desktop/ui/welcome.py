"""The welcome on a first start (an empty data folder): who you are, your organisation, and
how to begin — empty, on the example data, or from a backup file.

Shown before any database is opened, so it imports Qt only; restoring a backup loads the
database machinery when the user asks for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop import APP_NAME
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.preferences import ORGANISATION_KEY, USER_NAME_KEY, load_preferences
from collab_desktop.ui.style import mark_error

EMPTY = "empty"
EXAMPLE = "example"
RESTORE = "restore"


def is_first_run(database: Path) -> bool:
    """No records yet: the database file does not exist (or is an empty file left by a
    start that was interrupted before the first table was made)."""
    try:
        return not database.exists() or database.stat().st_size == 0
    except OSError:
        return False  # unreadable: opening says what is wrong, which a welcome cannot


class WelcomeDialog(QDialog):
    """`choice` is EMPTY, EXAMPLE or RESTORE once accepted (rejected: the user quit). With
    RESTORE, the backup has already been restored into `database`."""

    def __init__(
        self, database: Path, backup_folder: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("welcome_dialog")
        self.setWindowTitle(f"Welcome to {APP_NAME}")
        self.database = database
        self.backup_folder = backup_folder
        self.choice: str | None = None
        self.restored_from: Path | None = None
        # Start empty: the passphrase chosen (None: the explicit "no passphrase"). Restore:
        # the records file restored, with the key of an encrypted backup.
        self.passphrase: str | None = None
        self.records = None
        remembered = load_preferences()  # a name given before (e.g. then exploring the example)

        heading = QLabel(f"Welcome to {APP_NAME}")
        heading.setObjectName("welcome_heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel(
            "It keeps your partners, joint agreements, sessions and registers on this "
            "computer. Nothing is sent anywhere."
        )
        intro.setWordWrap(True)

        self.user_name = name_widget(QLineEdit(remembered.user_name), "welcome_name", "Your name")
        self.user_name.setPlaceholderText("e.g. Ffion Evans")
        self.user_name.setMaxLength(200)
        self.organisation = name_widget(
            QLineEdit(remembered.organisation), "welcome_organisation", "Your organisation"
        )
        self.organisation.setPlaceholderText("e.g. Stitching Futures")
        self.organisation.setMaxLength(200)
        form = QFormLayout()
        form.addRow("Your &name:", self.user_name)
        form.addRow("Your &organisation:", self.organisation)
        why = QLabel(
            "Your name goes in the history of each agreement you change. Your organisation "
            "is added as a partner, ready to choose. Both can be changed later in "
            "Preferences, and both may be left blank."
        )
        why.setObjectName("welcome_why")
        why.setWordWrap(True)
        why.setStyleSheet("color: palette(placeholder-text);")

        self.start_button = self._choice_button(
            "&Start empty",
            "Begin with no records, and add your partners as you go.",
            "welcome_start",
            self.start_empty,
        )
        self.example_button = self._choice_button(
            "&Explore the example data",
            "The four collaborations of the “Why we collaborate” report, in a throwaway copy "
            "that is deleted when you close the app. This welcome shows again next time.",
            "welcome_example",
            self.explore_example,
        )
        self.restore_button = self._choice_button(
            "&Restore from a backup file…",
            "Carry on from a backup made by Collab Desktop, for example one copied from "
            "another laptop or kept on a USB stick.",
            "welcome_restore",
            self.restore_backup,
        )
        self.start_button.setDefault(True)

        self.error = QLabel()
        self.error.setObjectName("welcome_error")
        mark_error(self.error)
        self.error.hide()

        where = QLabel(f"Your records will be kept in {database.parent}")
        where.setObjectName("welcome_where")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: palette(placeholder-text);")
        quit_button = name_widget(QPushButton("&Quit"), "welcome_quit", "Quit")
        quit_button.setAutoDefault(False)
        quit_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(where, 1)
        bottom.addWidget(quit_button)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(why)
        layout.addSpacing(6)
        for button in (self.start_button, self.example_button, self.restore_button):
            layout.addWidget(button)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addLayout(bottom)
        # Wide enough for the descriptions to wrap once at most, and no taller than they
        # need (a dialog sized from their unwrapped hints leaves a gap at the foot).
        self.resize(640, layout.totalHeightForWidth(640))
        self.user_name.setFocus()

    def _choice_button(self, text: str, description: str, name: str, slot) -> QPushButton:
        button = QCommandLinkButton(text, description)
        name_widget(button, name, text.replace("&", "").rstrip("…"))
        button.setAccessibleDescription(description)
        button.setAutoDefault(True)
        button.clicked.connect(slot)
        return button

    # -- choices ---------------------------------------------------------------------------

    def remember_identity(self) -> None:
        """The name and organisation, kept whichever way the user begins (the organisation
        becomes a partner once real records are open: see app.py). Called by app.py once the
        records have opened: a second copy refused then must not overwrite what the first
        user gave."""
        settings = QSettings()
        settings.setValue(USER_NAME_KEY, " ".join(self.user_name.text().split()))
        settings.setValue(ORGANISATION_KEY, " ".join(self.organisation.text().split()))

    # The passphrase step, replaceable in tests (see ui/encryption.choose_passphrase).
    def ask_passphrase(self) -> tuple[bool, str | None]:
        from collab_desktop.ui.encryption import choose_passphrase

        return choose_passphrase(self)

    def start_empty(self) -> None:
        # New records are encrypted unless the person explicitly chooses otherwise.
        chosen, passphrase = self.ask_passphrase()
        if not chosen:
            return
        self.passphrase = passphrase
        self._finish(EMPTY)

    def explore_example(self) -> None:
        self._finish(EXAMPLE)

    def backup_start_folder(self) -> Path:
        """Where the file dialog opens: this folder's backups if there are any (records lost
        but their backups kept), else Documents, else the home folder."""
        for folder in (self.backup_folder, self.database.parent / "backups"):
            if folder is not None and folder.is_dir() and any(folder.glob("*.sqlite3")):
                return folder
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        return Path(documents) if documents and Path(documents).is_dir() else Path.home()

    # The file dialog, replaceable in tests.
    def ask_for_backup(self) -> str:
        start = str(self.backup_start_folder())
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Restore from a backup file",
            start,
            "Collab Desktop backups (*.sqlite3);;All files (*)",
        )
        return chosen

    def restore_backup(self) -> None:
        chosen = self.ask_for_backup()
        if not chosen:
            return
        from collab_desktop.services.errors import ServiceError
        from collab_desktop.ui.errors import describe_os_error
        from collab_desktop.ui.opening import restore_file

        backup = Path(chosen)
        problem = None
        try:
            self.database.parent.mkdir(parents=True, exist_ok=True)
            from collab_desktop.models.records_file import RecordsFile, is_plain_sqlite
            from collab_desktop.services.records_key import key_file_path

            # (A file neither plain SQLite nor with a key file beside it is refused by the
            # restore check below, in the welcome's own words.)
            if not is_plain_sqlite(backup) and key_file_path(backup).is_file():
                # An encrypted backup: opened with its own passphrase or recovery code, and
                # restored with its key file, so the same passphrase opens it here.
                from collab_desktop.services.backups import restore_into_new_folder
                from collab_desktop.services.records_key import KeyFile
                from collab_desktop.ui.encryption import unlock_backup

                opened = unlock_backup(self, backup)
                if opened is None:
                    return
                self.records = restore_into_new_folder(
                    self.database, opened, KeyFile.beside(backup), self.backup_folder
                )
            else:
                # The one restore check (file_check.restore_problem) is made there, before
                # anything is written.
                restore_file(self.database, backup, self.backup_folder)
                self.records = RecordsFile(self.database)
        except ServiceError as error:
            problem = error.message
        except OSError as error:
            problem = describe_os_error(error)
        if problem is not None:
            self.error.setText(f"{problem}\nChoose another file, or begin another way.")
            self.error.show()
            self.restore_button.setFocus()
            return
        self.restored_from = backup
        self._finish(RESTORE)

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()
