"""The user's preferences, kept in QSettings: who they are, their own organisation, how names
print on the sheets of new activities, the paper size of every PDF, and where backups go.

The settings are the user's, not the database's: a name or an organisation id read here is
checked against the records before it is used (another --data-dir may be open).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.style import mark_error

if TYPE_CHECKING:
    from collab_desktop.services.open_records import Services

# Also written by the signature dialog (ui/agreements/signature_dialog.py).
USER_NAME_KEY = "user/name"
ORGANISATION_KEY = "user/organisation"
ORGANISATION_ID_KEY = "user/organisation_id"
NAME_PRINTING_KEY = "print/name_printing"
PAPER_KEY = "print/paper"
BACKUP_FOLDER_KEY = "backups/folder"
IDLE_LOCK_KEY = "lock/idle_minutes"
# The idle lock of encrypted records (ui/lock.py): the default, and its range (no
# "never": records of people in custody must not stay open on an unattended laptop).
DEFAULT_IDLE_LOCK_MINUTES = 10
IDLE_LOCK_RANGE = (1, 120)

# "" is no choice made: each new activity takes the default of its setting (initials only
# in custody, full names in the community), as paper carried into a prison should.
BY_SETTING = ""
NAME_PRINTING_CHOICES = {
    BY_SETTING: "As the setting suggests (initials only in custody, full names in the community)",
    "full": "Full name",
    "first_initial": "First name and initial",
    "initials": "Initials only",
}
PAPER_SIZES = {"A4": "A4 (210 × 297 mm)", "Letter": "US Letter (8½ × 11 in)"}
DEFAULT_PAPER = "A4"


@dataclass
class Preferences:
    user_name: str = ""
    organisation: str = ""
    organisation_id: uuid.UUID | None = None
    name_printing: str = BY_SETTING
    paper: str = DEFAULT_PAPER
    backup_folder: str = ""  # "" is the default: "backups" beside the database
    idle_lock_minutes: int = DEFAULT_IDLE_LOCK_MINUTES

    def audit_user(self) -> str:
        """The name the audit trail records: the person, and their organisation if known
        (agreements travel between organisations, so the name alone can be ambiguous)."""
        name = " ".join(self.user_name.split())
        organisation = " ".join(self.organisation.split())
        if name and organisation:
            return f"{name} ({organisation})"
        return name


def _text(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return str(value) if value is not None else default


def load_preferences() -> Preferences:
    settings = QSettings()
    try:
        organisation_id = uuid.UUID(_text(settings, ORGANISATION_ID_KEY)) or None
    except ValueError:
        organisation_id = None
    name_printing = _text(settings, NAME_PRINTING_KEY)
    paper = _text(settings, PAPER_KEY, DEFAULT_PAPER)
    try:
        idle = int(_text(settings, IDLE_LOCK_KEY, str(DEFAULT_IDLE_LOCK_MINUTES)))
    except ValueError:
        idle = DEFAULT_IDLE_LOCK_MINUTES
    if not IDLE_LOCK_RANGE[0] <= idle <= IDLE_LOCK_RANGE[1]:
        idle = DEFAULT_IDLE_LOCK_MINUTES
    return Preferences(
        user_name=_text(settings, USER_NAME_KEY),
        organisation=_text(settings, ORGANISATION_KEY),
        organisation_id=organisation_id,
        name_printing=name_printing if name_printing in NAME_PRINTING_CHOICES else BY_SETTING,
        paper=paper if paper in PAPER_SIZES else DEFAULT_PAPER,
        backup_folder=_text(settings, BACKUP_FOLDER_KEY),
        idle_lock_minutes=idle,
    )


def save_preferences(preferences: Preferences) -> None:
    settings = QSettings()
    settings.setValue(USER_NAME_KEY, preferences.user_name)
    settings.setValue(ORGANISATION_KEY, preferences.organisation)
    settings.setValue(
        ORGANISATION_ID_KEY, str(preferences.organisation_id) if preferences.organisation_id else ""
    )
    settings.setValue(NAME_PRINTING_KEY, preferences.name_printing)
    settings.setValue(PAPER_KEY, preferences.paper)
    settings.setValue(BACKUP_FOLDER_KEY, preferences.backup_folder)
    settings.setValue(IDLE_LOCK_KEY, preferences.idle_lock_minutes)


def paper_size() -> str:
    """The paper every PDF and printout is laid out for: "A4" or "Letter"."""
    return load_preferences().paper


def backup_folder() -> Path | None:
    """The backup folder chosen in preferences, or None for the default."""
    folder = load_preferences().backup_folder.strip()
    return Path(folder).expanduser() if folder else None


def apply_preferences(services: Services, preferences: Preferences | None = None) -> None:
    """What takes effect at once on open records: the name in the audit trail and the name
    printing of new activities."""
    preferences = preferences or load_preferences()
    services.audit.user = preferences.audit_user()
    services.activities.name_printing_default = preferences.name_printing or None


def own_organisation_id(services: Services) -> uuid.UUID | None:
    """The user's own organisation in these records: the remembered id if it is here, else a
    partner of the remembered name (whose id is then remembered). Never creates one."""
    from collab_desktop.services.partners import normalise_name

    preferences = load_preferences()
    partners = services.partners.list_partners(include_archived=True)
    if preferences.organisation_id in {p.id for p in partners}:
        return preferences.organisation_id
    wanted = normalise_name(preferences.organisation)
    if not wanted:
        return None
    for partner in partners:
        if normalise_name(partner.name) == wanted and not partner.archived:
            QSettings().setValue(ORGANISATION_ID_KEY, str(partner.id))
            return partner.id
    return None


def remember_own_organisation(services: Services, name: str) -> uuid.UUID | None:
    """Make `name` the user's own organisation: an existing partner of that name (ignoring
    case and words like "Ltd"), else a new partner. Remembers both name and id; a blank name
    forgets them. Raises ServiceError if a new partner cannot be saved (e.g. name too long)."""
    from collab_desktop.services.partners import PartnerData, normalise_name

    name = " ".join(name.split())
    settings = QSettings()
    if not name:
        settings.setValue(ORGANISATION_KEY, "")
        settings.setValue(ORGANISATION_ID_KEY, "")
        return None
    found = next(
        (
            p
            for p in services.partners.list_partners(include_archived=True)
            if normalise_name(p.name) == normalise_name(name)
        ),
        None,
    )
    if found is not None:
        organisation_id, name = found.id, found.name
        if found.archived:
            services.partners.set_archived(found.id, False)
    else:
        # confirmed: a name merely close to another partner's is still the user's own.
        organisation_id = services.partners.save_partner(PartnerData(name=name), confirmed=True)
    settings.setValue(ORGANISATION_KEY, name)
    settings.setValue(ORGANISATION_ID_KEY, str(organisation_id))
    return organisation_id


def _row(
    form: QFormLayout, label: str, field: QWidget, note: str, buddy: QWidget | None = None
) -> None:
    """A labelled field with a short note under it, in the same cell (a row of its own
    would leave uneven gaps)."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    text = QLabel(note)
    text.setObjectName(f"{(buddy or field).objectName()}_note")
    text.setWordWrap(True)
    text.setStyleSheet("color: palette(placeholder-text);")
    column.addWidget(text)
    holder.setFocusProxy(buddy or field)
    caption = QLabel(label)
    caption.setBuddy(buddy or field)
    form.addRow(caption, holder)


class PreferencesDialog(QDialog):
    """Edit → Preferences. `services` are the open records (for the list of partners), or
    None; `demo` says the records are the throwaway example (whose partners are not the
    user's, so the own organisation cannot be chosen from them)."""

    def __init__(
        self,
        services: Services | None,
        current_backup_folder: Path | None = None,
        demo: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preferences_dialog")
        self.setWindowTitle("Preferences")
        self._services = services
        self._demo = demo
        self.preferences = load_preferences()
        self.organisation_changed = False
        p = self.preferences

        self.user_name = name_widget(QLineEdit(p.user_name), "preferences_user_name", "Your name")
        self.user_name.setPlaceholderText("e.g. Ffion Evans")
        self.user_name.setMaxLength(200)

        self.organisation = name_widget(
            QComboBox(), "preferences_organisation", "Your organisation"
        )
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.lineEdit().setPlaceholderText("e.g. Stitching Futures")
        self.organisation.lineEdit().setMaxLength(200)
        self.organisation.addItem("")
        if services is not None and not demo:
            for row in services.partners.list_partners():
                self.organisation.addItem(row.name, str(row.id))
        self.organisation.setCurrentText(p.organisation)
        if demo:
            self.organisation.setEnabled(False)
            self.organisation.setToolTip("Not while the example data is open")

        self.name_printing = name_widget(
            QComboBox(), "preferences_name_printing", "Names on the sheets of new activities"
        )
        for value, text in NAME_PRINTING_CHOICES.items():
            self.name_printing.addItem(text, value)
        self.name_printing.setCurrentIndex(self.name_printing.findData(p.name_printing))

        self.paper = name_widget(QComboBox(), "preferences_paper", "Paper size")
        for value, text in PAPER_SIZES.items():
            self.paper.addItem(text, value)
        self.paper.setCurrentIndex(self.paper.findData(p.paper))

        self.backup_folder = name_widget(
            QLineEdit(p.backup_folder), "preferences_backup_folder", "Backup folder"
        )
        default = current_backup_folder if not p.backup_folder else None
        self.backup_folder.setPlaceholderText(
            f"The usual place: {default}" if default else "The usual place, beside your records"
        )
        self.backup_folder.setClearButtonEnabled(True)
        choose = name_widget(
            QPushButton("C&hoose…"), "preferences_choose_backup_folder", "Choose backup folder"
        )
        choose.setAutoDefault(False)
        choose.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.setContentsMargins(0, 0, 0, 0)
        folder_row.addWidget(self.backup_folder, 1)
        folder_row.addWidget(choose)
        folder_holder = QWidget()
        folder_holder.setLayout(folder_row)
        folder_holder.setFocusProxy(self.backup_folder)

        self.idle_lock = name_widget(QSpinBox(), "preferences_idle_lock", "Lock after idle minutes")
        self.idle_lock.setRange(*IDLE_LOCK_RANGE)
        self.idle_lock.setSuffix(" minutes without use")
        self.idle_lock.setValue(p.idle_lock_minutes)

        self.error = QLabel()
        self.error.setObjectName("preferences_error")
        mark_error(self.error)
        self.error.hide()

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        form.setVerticalSpacing(10)
        _row(
            form,
            "Your &name:",
            self.user_name,
            "Recorded in the history of every agreement you change, and offered when you "
            "record a signature.",
        )
        _row(
            form,
            "Your &organisation:",
            self.organisation,
            "With the example data open, your organisation can't be chosen: the example's "
            "partners are not yours."
            if demo
            else "Added to each new collaboration as a member. A name not yet among your "
            "partners is added as one.",
        )
        _row(
            form,
            "Names on shee&ts:",
            self.name_printing,
            "How much of each participant's name the attendance sheets of a new activity "
            "print; each activity can still be changed. Paper taken into a prison should "
            "carry as little as will do.",
        )
        _row(
            form,
            "&Paper size:",
            self.paper,
            "For agreements and attendance sheets, saved as PDF or printed.",
        )
        now = f" Until then they go to {current_backup_folder}." if current_backup_folder else ""
        _row(
            form,
            "&Backup folder:",
            folder_holder,
            "Used from the next time Collab Desktop starts." + now + " A folder on another "
            "drive (a USB stick) keeps your records safe if this laptop is lost.",
            buddy=self.backup_folder,
        )
        _row(
            form,
            "Loc&k after:",
            self.idle_lock,
            "Encrypted records are hidden and the passphrase asked for after this long "
            "without use (a laptop asleep counts), and at once with Ctrl+L.",
        )
        if services is not None and services.records_file.encrypted:  # issue 10
            from collab_desktop.ui.key_file_dialogs import new_recovery_code_button

            form.addRow("Recovery code:", new_recovery_code_button(self, services))

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = name_widget(
            buttons.button(QDialogButtonBox.StandardButton.Save), "preferences_save", "Save"
        )
        # Alt+S is Save (the platform's text may have no letter; "Names on sheets" had it).
        self.save_button.setText("&Save")
        name_widget(
            buttons.button(QDialogButtonBox.StandardButton.Cancel), "preferences_cancel", "Cancel"
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button.setToolTip("Save (Ctrl+S)")
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)

        # Issue 15: how long records are kept (ui/privacy/retention_settings.py).
        from collab_desktop.ui.privacy.retention_settings import RetentionSection

        self.retention = RetentionSection(self._review_retention if services else None)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.retention)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Wide enough that each note under a field takes a line or two on a 1366×768 laptop.
        self.setMinimumWidth(780)
        self.user_name.setFocus()

    def showEvent(self, event) -> None:
        # Qt sizes a dialog by its notes' one-line height, cutting wrapped ones in half
        # (seen at 1366×768): grow to the height the wrapped text needs, within the screen.
        super().showEvent(event)
        layout = self.layout()
        needed = layout.totalHeightForWidth(self.width()) if layout is not None else -1
        screen = self.screen().availableGeometry().height() if self.screen() else needed
        if needed > self.height():
            self.resize(self.width(), min(needed, screen - 40))

    def _review_retention(self, rules) -> None:
        from collab_desktop.ui.privacy.dialogs import RetentionDialog

        assert self._services is not None
        self.retention_dialog = RetentionDialog(self._services, rules, parent=self)
        self.retention_dialog.open()

    # The file dialog, replaceable in tests.
    def ask_for_folder(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(self, "Choose the backup folder", start)

    def _choose_folder(self) -> None:
        start = self.backup_folder.text().strip() or self.backup_folder.placeholderText()
        chosen = self.ask_for_folder(start.removeprefix("The usual place: "))
        if chosen:
            self.backup_folder.setText(chosen)

    def _fail(self, message: str, widget: QWidget) -> None:
        self.error.setText(message)
        self.error.show()
        widget.setFocus()

    def save(self) -> None:
        from collab_desktop.services.errors import ServiceError

        folder = self.backup_folder.text().strip()
        if folder:
            path = Path(folder).expanduser()
            if not path.is_absolute():
                self._fail(
                    "Give the backup folder's full path, or use Choose… to pick it.",
                    self.backup_folder,
                )
                return
            if path.exists() and not path.is_dir():
                self._fail(f"{path} is a file, not a folder.", self.backup_folder)
                return
            folder = str(path)
        organisation = " ".join(self.organisation.currentText().split())
        p = self.preferences
        if not self._demo and organisation != p.organisation and self._services is not None:
            try:
                remember_own_organisation(self._services, organisation)
            except ServiceError as error:
                self._fail(error.message, self.organisation)
                return
            self.organisation_changed = True
            p = self.preferences = load_preferences()  # the organisation as recorded
        elif not self._demo and self._services is None:
            p.organisation = organisation
        p.user_name = " ".join(self.user_name.text().split())
        p.name_printing = self.name_printing.currentData()
        p.paper = self.paper.currentData()
        p.backup_folder = folder
        p.idle_lock_minutes = self.idle_lock.value()
        save_preferences(p)
        self.retention.save()
        if self._services is not None:
            apply_preferences(self._services, p)
        self.accept()
