"""Asking for a passphrase: choosing a new one (with a strength hint and a second typing to
confirm), and unlocking with it or with the recovery code instead.

The widgets know nothing of keys or files: choosing only checks the passphrase policy
(services/passphrase_policy.py); unlocking calls the `unlock(kind, secret)` it is given
(kind "passphrase" or "recovery_code"), which returns anything on success and raises a
ServiceError with a plain message on failure. The derivation behind a passphrase takes
about a third of a second, so `unlock` runs off the GUI thread (ui/background.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.errors import ServiceError, ValidationError
from collab_desktop.services.passphrase_policy import refusal, strength
from collab_desktop.services.recovery_code import MistypedRecoveryCode
from collab_desktop.services.unlock_delay import FailureDelay
from collab_desktop.ui.background import run_in_background
from collab_desktop.ui.forms import FieldErrors, name_widget

__all__ = ["NewPassphraseDialog", "UnlockDialog", "UnlockPanel"]

PASSPHRASE = "passphrase"
RECOVERY_CODE = "recovery_code"

# Colours of the strength hint by level: refused, weak, fair, strong (dark enough to read).
_HINT_COLOURS = ("#b00020", "#8a4b00", "#5a5a00", "#1b5e20")


def _secret_field(name: str, accessible: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return name_widget(field, name, accessible)


class NewPassphraseDialog(QDialog):
    """Choose a passphrase: typed twice, with a hint of its strength as it is typed. A
    refused one (too short, a pattern, a well-known password) is explained beside the
    field; what was typed stays. `passphrase()` after it is accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        title: str = "Choose a passphrase",
        allow_none: bool = False,
        intro: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("new_passphrase_dialog")
        # With allow_none (new records): "Continue without a passphrase…" after a plain
        # explanation; then accepted with without_passphrase True.
        self.without_passphrase = False
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        # Grows when a message appears under a field, instead of squeezing the fields.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        about = QLabel(
            intro
            or "The passphrase encrypts the records on this laptop and in every backup, so "
            "they stay private if the laptop is lost. Three or four random words make a "
            "good one. You will also get a Recovery sheet to keep in the safe, in case the "
            "passphrase is forgotten."
        )
        about.setObjectName("passphrase_intro")
        about.setWordWrap(True)
        layout.addWidget(about)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.first = _secret_field("passphrase_new", "New passphrase")
        self.second = _secret_field("passphrase_confirm", "Type the passphrase again")
        self.errors.add_row(form, "&Passphrase:", PASSPHRASE, self.first)
        self.hint = name_widget(QLabel(), "passphrase_strength", "Passphrase strength")
        self.hint.setWordWrap(True)
        form.addRow("", self.hint)
        self.errors.add_row(form, "&Again:", "confirm", self.second)
        self.show_text = name_widget(QCheckBox("&Show what I type"), "passphrase_show", "Show")
        self.show_text.toggled.connect(self._show_toggled)
        form.addRow("", self.show_text)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Use this passphrase")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if allow_none:
            no = buttons.addButton(
                "Continue &without a passphrase…", QDialogButtonBox.ButtonRole.ActionRole
            )
            no.setObjectName("passphrase_none")
            no.setAutoDefault(False)
            no.clicked.connect(self.choose_none)
        self.buttons = buttons
        layout.addWidget(buttons)
        self.first.textChanged.connect(self._update_hint)
        self._update_hint("")
        self.setMinimumWidth(480)

    def _show_toggled(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.second.setEchoMode(mode)

    def _update_hint(self, text: str) -> None:
        # A refusal shown under the field is about what was typed before: typing again
        # replaces it with the live hint (the two said the same thing one above the other).
        self.errors.clear()
        self.hint.show()
        if not text:
            self.hint.setText("At least 10 characters; three random words are ideal.")
            self.hint.setStyleSheet("color: #4a4a4a;")
            return
        hint = strength(text)
        self.hint.setText(f"{hint.label}. {hint.advice}")
        self.hint.setStyleSheet(f"color: {_HINT_COLOURS[hint.level]};")

    def passphrase(self) -> str:
        return self.first.text()

    def accept(self) -> None:
        errors = {}
        reason = refusal(self.first.text())
        if reason is not None:
            errors[PASSPHRASE] = reason
        elif not self.second.text():
            errors["confirm"] = "Type the same passphrase again here, to be sure of it."
        elif self.second.text() != self.first.text():
            errors["confirm"] = "The two passphrases are not the same. Type it again here."
        if errors:
            self.errors.show(errors)
            self.hint.setVisible(PASSPHRASE not in errors)
            self.adjustSize()  # room for the message: a wrapped label's height is not asked
            (self.first if PASSPHRASE in errors else self.second).setFocus()
            return
        super().accept()

    # What "no passphrase" means, said plainly before it is chosen.
    NONE_WARNING = (
        "Without a passphrase the records are not encrypted: anyone who has this laptop, "
        "its disk or a backup can read every name in them, with no password at all.\n\n"
        "Choose this only if you will keep no personal data (for example a community group "
        "that records only its partners and sessions). Never for people in prison or on "
        "probation: activities in custody will warn you.\n\n"
        "You can encrypt the records later (File → Encrypt the records…)."
    )

    def confirm_none(self) -> bool:  # replaceable in tests
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.warning(
            self,
            "Keep the records without a passphrase?",
            self.NONE_WARNING,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def choose_none(self) -> None:
        if self.confirm_none():
            self.without_passphrase = True
            self.first.clear()
            self.second.clear()
            QDialog.accept(self)

    def done(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            # Nothing typed here outlives a cancelled dialog.
            self.first.clear()
            self.second.clear()
        super().done(result)


class UnlockPanel(QWidget):
    """The passphrase field with Unlock, and "Use the recovery code instead". Emits
    `unlocked(result)` with what `unlock` returned. Used in the start-up UnlockDialog and
    on the lock screen of the main window (ui/lock.py)."""

    unlocked = Signal(object)

    def __init__(
        self,
        unlock: Callable[[str, str], Any],
        delay: FailureDelay | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlock_panel")
        self._unlock = unlock
        self.delay = delay or FailureDelay()
        self.kind = PASSPHRASE
        self.busy = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.passphrase = _secret_field("unlock_passphrase", "Passphrase")
        self.code = name_widget(QLineEdit(), "unlock_recovery_code", "Recovery code")
        self.code.setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.errors.add_row(form, "&Passphrase:", PASSPHRASE, self.passphrase)
        self.errors.add_row(form, "&Recovery code:", RECOVERY_CODE, self.code)
        self._code_row = form.rowCount() - 1
        self.form = form
        layout.addLayout(form)
        self.wait = name_widget(QLabel(), "unlock_wait", "Wait before trying again")
        self.wait.setWordWrap(True)
        self.wait.hide()
        layout.addWidget(self.wait)
        self.unlock_button = name_widget(QPushButton("&Unlock"), "unlock_button", "Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.setAutoDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.switch = name_widget(
            QPushButton("Use the recovery code &instead"), "unlock_switch", "Switch"
        )
        self.switch.setFlat(True)
        self.switch.clicked.connect(self.toggle_kind)
        layout.addWidget(self.unlock_button)
        layout.addWidget(self.switch)
        for field in (self.passphrase, self.code):
            field.returnPressed.connect(self.try_unlock)
        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._show_kind()

    # -- which secret -------------------------------------------------------------------

    def field(self) -> QLineEdit:
        return self.passphrase if self.kind == PASSPHRASE else self.code

    def toggle_kind(self) -> None:
        self.kind = RECOVERY_CODE if self.kind == PASSPHRASE else PASSPHRASE
        self._show_kind()
        self.field().setFocus()

    def _show_kind(self) -> None:
        recovery = self.kind == RECOVERY_CODE
        self.form.setRowVisible(0, not recovery)
        self.form.setRowVisible(self._code_row, recovery)
        self.switch.setText(
            "Use the &passphrase instead" if recovery else "Use the recovery code &instead"
        )
        self.errors.clear()

    def reset(self) -> None:
        """Empty both fields (on unlock, and whenever the panel is shown again)."""
        self.passphrase.clear()
        self.code.clear()
        self.errors.clear()
        if self.kind != PASSPHRASE:
            self.toggle_kind()

    # -- trying -------------------------------------------------------------------------

    def try_unlock(self) -> None:
        if self.busy:
            return
        if not self.delay.may_try():
            self._tick()
            return
        secret = self.field().text()
        if not secret:
            self.errors.show({self.kind: "Type it here first."})
            return
        self._set_busy(True)
        kind = self.kind
        run_in_background(
            lambda: self._unlock(kind, secret), done=self._succeeded, failed=self._failed
        )

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText("Unlocking…" if busy else "&Unlock")

    def _succeeded(self, result: Any) -> None:
        self._set_busy(False)
        self.delay.succeeded()
        self.reset()
        self.unlocked.emit(result)

    def _failed(self, error: Exception) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationError):
            message = error.message
        elif isinstance(error, ServiceError):
            message = error.message
            # A typing mistake in a recovery code is found before any key is tried: it is
            # not a guess, so it costs no wait.
            if not isinstance(error, MistypedRecoveryCode):
                self.delay.failed()
        else:
            message = "That could not be checked. Try again; if it keeps failing, restart."
        self.errors.show({self.kind: message})
        self._fit_window()
        field = self.field()
        field.setFocus()
        field.selectAll()  # so the next try replaces it
        self._tick()

    def _fit_window(self) -> None:
        # A window does not grow by itself for a wrapped message that needs a second line
        # (Qt's top-level windows ignore height-for-width); without this it is cut off.
        window = self.window()
        if window is not self and window.isVisible():
            window.adjustSize()

    def _tick(self) -> None:
        if self.delay.may_try():
            self._ticker.stop()
            self.wait.hide()
            self.unlock_button.setEnabled(not self.busy)
            return
        self.wait.setText(self.delay.message())
        if not self.wait.isVisible():
            self.wait.show()
            self._fit_window()
        self.unlock_button.setEnabled(False)
        if not self._ticker.isActive():
            self._ticker.start()


class UnlockDialog(QDialog):
    """Open the records: the passphrase, or the recovery code instead. `result_value` holds
    what `unlock` returned once accepted."""

    def __init__(
        self,
        unlock: Callable[[str, str], Any],
        what: str = "your records",
        parent: QWidget | None = None,
        delay: FailureDelay | None = None,
        intro: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("unlock_dialog")
        self.setWindowTitle("Unlock Collab Desktop")
        layout = QVBoxLayout(self)
        self.intro = QLabel(
            intro
            or f"Type the passphrase to open {what}, or the recovery code from the Recovery "
            "sheet."
        )
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.panel = UnlockPanel(unlock, delay, self)
        layout.addWidget(self.panel)
        layout.addStretch(1)  # room the window gains goes below, not between the lines
        cancel = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel.rejected.connect(self.reject)
        layout.addWidget(cancel)
        self.result_value: Any = None
        self.panel.unlocked.connect(self._unlocked)
        self.setMinimumWidth(520)

    def _unlocked(self, result: Any) -> None:
        self.result_value = result
        self.accept()
