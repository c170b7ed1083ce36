"""Export a pack: what to send (an agreement version for signature, the signatures recorded
here, a whole collaboration), to whom, and how it is protected. A pack with participants is
always encrypted: to the partner's key if it has sent one, else with a passphrase the
dialog says to give by another route."""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from collab_desktop.services.durable_files import write_atomically
from collab_desktop.services.exchange import pack
from collab_desktop.services.filenames import safe_filename
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import show_problem
from collab_desktop.ui.forms import name_widget
from collab_desktop.ui.style import mark_error

KINDS = {
    "agreement_version": "An agreement version, for review or signature",
    "signatures": "Signatures recorded here, back to the sender",
    "collaboration": "A whole collaboration (to another laptop or partner)",
    "return_template": "A returns template, to the partners",
    "monitoring_return": "A monitoring return: signed off, answered, or queried back",
}
MIN_PASSPHRASE = 10
# The audit trail's action for a pack saved to a file: records leaving the app (issue 10).
SAVED_PACK = "saved_pack"


class ExportDialog(QDialog):
    def __init__(
        self,
        services: Services,
        own_organisation_id: uuid.UUID | None,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export a pack")
        self._services = services
        self._own = own_organisation_id
        self._folder = folder or Path.home()
        self.saved_to: Path | None = None

        self.kind = name_widget(QComboBox(), "export_kind", "What to send")
        for key, text in KINDS.items():
            self.kind.addItem(text, key)
        self.item = name_widget(QComboBox(), "export_item", "Which one")
        self.recipient = name_widget(QComboBox(), "export_recipient", "To whom")
        self.participants = name_widget(
            QCheckBox("Include &participants and registers (personal data: always encrypted)"),
            "export_participants", "Include participants and registers",
        )  # fmt: skip
        self.protection = QLabel()
        self.protection.setObjectName("export_protection")
        self.protection.setWordWrap(True)
        # A wrapped label in a form row is given one line's height: room for three.
        self.protection.setMinimumHeight(self.protection.fontMetrics().lineSpacing() * 3 + 4)
        self.passphrase = name_widget(QLineEdit(), "export_passphrase", "Passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = name_widget(QLineEdit(), "export_repeat", "Passphrase again")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = mark_error(QLabel())  # the shared error look (ui/style.py)
        self.problem.setObjectName("export_problem")

        form = QFormLayout()
        for text, widget in (("What to se&nd:", self.kind), ("&Which:", self.item),
                             ("&To:", self.recipient)):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.participants)
        form.addRow("", self.protection)
        for text, widget in (("Pass&phrase:", self.passphrase), ("&Again:", self.repeat)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        buttons = QDialogButtonBox()
        self.save_button = name_widget(
            buttons.addButton("&Save pack…", QDialogButtonBox.ButtonRole.AcceptRole),
            "export_save", "Save pack",
        )  # fmt: skip
        self.save_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        name_widget(cancel, "export_cancel", "Cancel")
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

        self.recipient.addItem("Any partner (not addressed to one)", None)
        for partner in services.partners.list_partners():
            if partner.id != own_organisation_id:
                self.recipient.addItem(partner.name, partner.id)
        self.kind.currentIndexChanged.connect(self._fill_items)
        self.recipient.currentIndexChanged.connect(self._update_protection)
        self.participants.toggled.connect(self._update_protection)
        self._fill_items()
        self.resize(760, 0)
        if own_organisation_id is None:
            self.problem.setText(
                "Choose your organisation first (Edit → Preferences): a pack says who sent it."
            )
            self.save_button.setEnabled(False)

    def _fill_items(self) -> None:
        kind = self.kind.currentData()
        self.item.clear()
        if kind == "collaboration":
            for c in self._services.collaborations.list_collaborations():
                self.item.addItem(c.name, str(c.id))
        elif kind in ("return_template", "monitoring_return"):
            from collab_desktop.ui.returns.send import fill_return_items

            fill_return_items(self._services, kind, self.item)
        else:
            wanted = ("awaiting_signatures",) if kind == "agreement_version" else ()
            for v in self._services.agreements.list_versions():
                if kind == "signatures" and v.status not in ("awaiting_signatures", "signed_off"):
                    continue
                if wanted and v.status not in wanted and v.status != "draft":
                    continue
                self.item.addItem(
                    f"{v.collaboration} — {v.title}, version {v.number} ({v.status_label}"
                    + (f", {v.signatures} signed" if kind == "signatures" else "")
                    + ")",
                    str(v.version_id),
                )
        self.item.setPlaceholderText(
            "(none yet: see below)" if self.item.count() == 0 else ""
        )
        if self.item.count() == 0:
            self.problem.setText(_nothing_to_send(kind))
        else:
            self.problem.clear()
        self.participants.setVisible(kind == "collaboration")
        self._update_protection()

    def _update_protection(self) -> None:
        recipient = self.recipient.currentData()
        peer = self._services.exchange.peer(recipient) if recipient else None
        personal = self.kind.currentData() == "collaboration" and self.participants.isChecked()
        if peer is not None:
            text = (f"Encrypted to {peer.name}'s key (fingerprint {peer.fingerprint}): only "
                    "their Collab Desktop can open it. No passphrase is needed.")  # fmt: skip
            needs = False
        elif personal:
            text = ("It carries personal data and there is no key for this partner yet (they "
                    "have not sent you a pack): choose a passphrase, and tell it to them by "
                    "phone or in person, never in the same e-mail as the pack.")  # fmt: skip
            needs = True
        else:
            text = ("Signed, so the partner can check it is from you, unchanged. A passphrase "
                    "is optional (it carries no participants).")  # fmt: skip
            needs = False
        self.protection.setText(text)
        self.passphrase.setEnabled(peer is None)
        self.repeat.setEnabled(peer is None)
        self._needs_passphrase = needs

    def _request(self) -> dict:
        kind = self.kind.currentData()
        if kind == "collaboration":
            return {"collaboration_id": self.item.currentData(),
                    "participants": self.participants.isChecked()}  # fmt: skip
        if kind == "return_template":
            return {"template_id": self.item.currentData()}
        if kind == "monitoring_return":
            return {"return_id": self.item.currentData()}
        return {"version_id": self.item.currentData()}

    def _record_saved(self, path: Path, out) -> None:
        """The audit entry of the pack leaving as a file (issue 10): who, what, where. (The
        service's own entry says it was made; this one says where it went.)"""
        from collab_desktop.ui.pdf_actions import record_disclosure

        request = self._request()
        to = self.recipient.currentText() or "any partner"
        record_disclosure(
            self._services, SAVED_PACK, f"Saved the pack {out.summary} for {to}: {path}",
            details={"file": str(path), "kind": self.kind.currentData(),
                     "participants": bool(request.get("participants")),
                     "encryption": out.encryption},
        )  # fmt: skip

    def _save(self) -> None:
        self.problem.clear()
        if self.item.currentData() is None:
            self.problem.setText(_nothing_to_send(self.kind.currentData()))
            return
        passphrase = self.passphrase.text() if self.passphrase.isEnabled() else ""
        if passphrase or self._needs_passphrase:
            if len(passphrase) < MIN_PASSPHRASE:
                self.problem.setText(
                    f"Choose a passphrase of at least {MIN_PASSPHRASE} characters: a few "
                    "words are easiest to read out over the phone."
                )
                self.passphrase.setFocus()
                return
            if passphrase != self.repeat.text():
                self.problem.setText("The two passphrases are not the same: type it again.")
                self.repeat.selectAll()
                self.repeat.setFocus()
                return
        try:
            out = self._services.exchange.export_pack(
                self.kind.currentData(), self._request(), self._own,
                self.recipient.currentData(), passphrase or None,
            )  # fmt: skip
        except Exception as error:
            show_problem(self, error, "No pack was made")
            return
        name = safe_filename(out.summary or "pack", pack.SUFFIX)
        target, _filter = QFileDialog.getSaveFileName(
            self, "Save the pack", str(self._folder / name), f"Exchange packs (*{pack.SUFFIX})"
        )
        if not target:
            return
        path = Path(target)
        from collab_desktop.ui.exchange.actions import FOLDER_KEY

        QSettings().setValue(FOLDER_KEY, str(path.parent))  # where the next pack goes too
        if path.suffix != pack.SUFFIX:
            path = path.with_name(path.name + pack.SUFFIX)
        try:
            write_atomically(path, out.data)
        except OSError as error:
            show_problem(self, error, "The pack was not saved")
            return
        self.saved_to = path
        self._record_saved(path, out)
        QMessageBox.information(self, "Pack saved", f"Saved {path.name}.\n\n{out.advice}")
        self.accept()


def _nothing_to_send(kind: str) -> str:
    if kind == "agreement_version":
        # A signed-off version is not sent this way: it would ask for signatures again.
        return (
            "Only a draft, or a version waiting for signatures, is sent this way. A signed-off "
            "agreement goes to partners with the whole collaboration (What: Whole "
            "collaboration), or as its PDF."
        )
    if kind == "signatures":
        return "No version is waiting for signatures or signed off yet."
    return "There is nothing of that kind to send yet."
