"""The agreement editor's actions on the stored version: sending for signatures, back to
draft, recording and clearing signatures, a new version, void, deleting a draft, PDF and
print, who plays which part, and saving as a template. Each asks first where it should, runs
through ui/operations (every page hears of the change) and shows a refusal above the tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox

from collab_desktop.services.agreements.rules import signature_may_change
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.agreements.parts_picker import PartsDialog
from collab_desktop.ui.agreements.signature_dialog import SignatureDialog
from collab_desktop.ui.errors import is_damage_error
from collab_desktop.ui.operations import Operation
from collab_desktop.ui.pdf_actions import print_agreement, save_agreement_pdf

T = TypeVar("T")

SIGNATURES_TAB = 2


class EditorActions:
    """Mixed into AgreementEditor (ui/agreements/editor.py), whose state these read: data,
    version_id, the tabs and tables, and its _save_first, _show_problem, _flash and load."""

    def send_for_signatures(self) -> None:
        if not self._save_first():
            return
        answer = QMessageBox.question(
            self,
            "Send for signatures",
            "The text will be frozen so that everyone signs the same words. You can still "
            "go back to draft until the last signature is recorded.\n\nSend it for signatures?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._run(lambda s: s.agreements.send_for_signatures(self.version_id))
        self.tabs.setCurrentIndex(SIGNATURES_TAB)

    def return_to_draft(self) -> None:
        signed = [s.name for s in self.data.signatories if s.signed_on]
        warning = (
            f" The signatures already recorded ({', '.join(signed)}) will be cleared, because "
            "they were given to the current text."
            if signed
            else ""
        )
        answer = QMessageBox.question(
            self, "Back to draft", f"Make this version editable again?{warning}"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda s: s.agreements.return_to_draft(self.version_id))

    def record_signature(self) -> None:
        # Who may still sign, by the service's own rule (after sign-off, only a witness).
        status = self.data.status
        unsigned = [
            s
            for s in self.data.signatories
            if not s.signed_on and signature_may_change(status, s.required)
        ]
        if not unsigned:
            return
        preferred = None
        chosen = self.sig_table.selectionModel().selectedRows()
        if chosen and 0 <= chosen[0].row() < len(self.data.signatories):
            preferred = self.data.signatories[chosen[0].row()].id  # the row the user picked
        else:
            # Nothing picked: on a partner's laptop, its own signatory, not the lead's first.
            from collab_desktop.ui.preferences import own_organisation_id

            own = own_organisation_id(self.services)
            preferred = next((s.id for s in unsigned if own and s.organisation_id == own), None)
        was = self.data.status
        dialog = SignatureDialog(self.services, unsigned, preferred, self, self.events)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.load(self.version_id)
            if self.data.status == "signed_off" and was != "signed_off":
                QMessageBox.information(
                    self,
                    "Signed off",
                    f"Every required signature is recorded: version {self.data.number} is "
                    "signed off. Save it as a PDF or print it for your records.",
                )

    def clear_signature(self) -> None:
        row = self.sig_table.currentRow()
        if not 0 <= row < len(self.data.signatories):
            return
        signatory = self.data.signatories[row]
        if not signatory.signed_on:
            return
        answer = QMessageBox.question(
            self, "Clear signature", f"Clear the signature recorded for {signatory.name}?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda s: s.agreements.clear_signature(signatory.id))

    def new_version(self) -> None:
        if not self._save_first():
            return
        version_id = self.version_id
        making = Operation(
            self, self.services, self.events, lambda s: s.agreements.new_version(version_id)
        )
        if not making.run():
            return
        assert making.result is not None
        self.load(making.result)
        self.tabs.setCurrentIndex(0)

    def void(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            "Void this version",
            f"Version {self.data.number} will stay on record, marked VOID on every page.\n"
            "Why is it being withdrawn?",
        )
        if not ok:
            return
        self._run(lambda s: s.agreements.void(self.version_id, reason))

    def delete_draft(self) -> None:
        """A draft nobody was ever sent can go, after a yes; the history keeps a record."""
        answer = QMessageBox.question(
            self,
            "Delete this draft",
            f"Delete draft version {self.data.number} of “{self.data.title}”? It was never sent "
            "for signatures. Its text stays in the agreement's history, but the draft itself "
            "cannot be brought back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        version_id = self.version_id
        deleting = self._operation(lambda s: s.agreements.delete_draft(version_id))
        if not deleting.run():
            return
        next_id = deleting.result
        self._dirty = False
        if next_id is None:
            self.close()
        else:
            self.load(next_id)
            self._flash("Draft deleted.")

    def save_pdf(self) -> None:
        if self._save_first():
            path = save_agreement_pdf(self, self.services, self.version_id)
            if path is not None:
                self._flash(f"PDF saved: {path}")

    def print(self) -> None:
        if self._save_first() and print_agreement(self, self.services, self.version_id):
            self._flash("Sent to the printer.")

    def change_parts(self) -> None:
        """Change which member plays each part of the template; the service mends the text,
        duties and signature lines to match."""
        if not self._save_first():
            return
        try:
            plan = self.services.agreements.parts_of(self.version_id)
        except ServiceError as error:
            self._show_problem(error.message)
            return
        dialog = PartsDialog(plan, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        version_id, chosen = self.version_id, dialog.picker.chosen()
        changing = self._operation(lambda s: s.agreements.change_parts(version_id, chosen))
        if not changing.run():
            return
        left = changing.result
        self.load(self.version_id)
        if left:
            self._show_problem(" ".join(left))
        self._flash("Parts changed; the draft follows.")

    def save_as_template(self) -> None:
        """Keep this agreement's text, duties and signing roles as a starting point for other
        collaborations of the same shape (parties become their roles)."""
        if not self._save_first():
            return
        name, ok = QInputDialog.getText(
            self,
            "Save as a template",
            "Name for the new template (it will be offered under New agreement):",
            text=f"{self.data.title} ({self.data.collaboration})",
        )
        if not ok:
            return
        try:
            body = self.services.agreements.template_body(self.version_id)
            body["name"] = name.strip()
            self.services.templates.save_template(
                name, f"Saved from {self.data.title}, version {self.data.number}.", body
            )
        except ServiceError as error:
            self._show_problem(error.message)
            return
        self._flash(f"Saved as the template “{name.strip()}”.")

    def _operation(self, op: Callable[[Services], T]) -> Operation[T]:
        """An operation whose refusal is shown above the tabs (not in a box)."""

        def refused(error: Exception) -> bool:
            if isinstance(error, ServiceError) and not is_damage_error(error):
                self._show_problem(error.message)
                return True
            return False

        return Operation(self, self.services, self.events, op).failure(refused)

    def _run(self, op: Callable[[Services], object]) -> None:
        if self._operation(op).run():
            self.load(self.version_id)
