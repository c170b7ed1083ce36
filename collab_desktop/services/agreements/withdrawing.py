"""The end of a version: made void (kept on record, with the reason), a draft never sent
deleted, or a signed-off one marked as ended when the collaboration stopped."""

from __future__ import annotations

import uuid

from collab_desktop.models.base import utcnow
from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.agreements.base import AgreementsBase, was_sent
from collab_desktop.services.agreements.printable import live_document
from collab_desktop.services.agreements.rules import may_void, refuse_unless
from collab_desktop.services.agreements.snapshot import freeze
from collab_desktop.services.errors import StateError, ValidationError
from collab_desktop.services.validation import clean


class Withdrawing(AgreementsBase):
    def void(self, version_id: uuid.UUID, reason: str) -> None:
        reason = clean(reason)
        if not reason:
            raise ValidationError.single("reason", "Please say why this version is void.")
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            if not may_void(v.status):
                raise StateError(
                    f"Version {v.number} is {label(AGREEMENT_STATUSES, v.status).lower()} "
                    "already; there is nothing to withdraw."
                )
            v.status = "void"
            v.void_reason = reason
            v.voided_at = utcnow()
            self._log(session, v, "voided", f"Made void: {reason}")

    def delete_draft(self, version_id: uuid.UUID) -> uuid.UUID | None:
        """Delete a draft that was never sent for signatures (a mistake nobody saw: voiding it
        would keep it on record for ever). The history keeps a record of it, text and all.
        Returns the version to show next, or None when the agreement had no other."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            refuse_unless(v.number, v.status, "delete", "deleted")
            if was_sent(session, v):
                raise StateError(
                    f"Version {v.number} was sent for signatures once, so it stays on record: "
                    "make it void instead, with the reason."
                )
            agreement = v.agreement
            others = [o for o in agreement.versions if o is not v]
            self._log(
                session, v, "deleted",
                f"Draft version {v.number} deleted (it was never sent for signatures)",
                title=agreement.title, document=freeze(live_document(v)),
            )  # fmt: skip
            session.delete(v)
            if not others:
                session.delete(agreement)
                return None
            return max(others, key=lambda o: o.number).id

    def mark_ended(self, version_id: uuid.UUID) -> None:
        """The collaboration stopped: the signed-off agreement stays on record as ended."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            refuse_unless(v.number, v.status, "end", "marked as ended")
            v.status = "ended"
            self._log(session, v, "ended", "Marked as ended (the collaboration stopped)")
