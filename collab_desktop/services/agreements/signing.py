"""Sign-off: sending a draft for signatures (its text frozen and fingerprinted), back to
draft, recording and clearing signatures; the last required one signs the version off."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from datetime import date

from collab_desktop.models import Signatory
from collab_desktop.models.base import utcnow
from collab_desktop.models.enums import (
    AGREEMENT_SECTIONS,
    SIGNATORY_CAPACITIES,
    SIGNATURE_METHODS,
    label,
)
from collab_desktop.services.agreements.base import AgreementsBase
from collab_desktop.services.agreements.fingerprint import content_fingerprint
from collab_desktop.services.agreements.printable import (
    live_document,
    names_extra,
    role_map_of,
    text_context,
)
from collab_desktop.services.agreements.rules import (
    not_in_status,
    refuse_unless,
    signature_may_change,
)
from collab_desktop.services.agreements.snapshot import freeze
from collab_desktop.services.audit_replay import content_digest
from collab_desktop.services.errors import NotFound, StateError
from collab_desktop.services.validation import Checker, clean_line

# The gaps a template leaves for amounts: "£…", "…%" and "(partner agency)"-style names.
_BLANK = re.compile(r"£…|…\s?%|\((?:partner agency|subcontractor|posts)\)")


class Signing(AgreementsBase):
    def send_for_signatures(self, version_id: uuid.UUID) -> str:
        """Freeze the text and store its fingerprint. Returns the fingerprint."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            refuse_unless(v.number, v.status, "send", "sent for signatures")
            problems = Checker()
            if not v.responsibilities:
                problems.add("responsibilities", "Add at least one responsibility first.")
            required = [s for s in v.signatories if s.required]
            if not required:
                problems.add("signatories", "List at least one person who must sign.")
            # A template leaves a name blank when a partner has no contacts yet.
            for i, s in enumerate(v.signatories, start=1):
                if not s.name.strip():
                    problems.add(f"signatories.{i}", f"Enter the name of signatory {i} first.")
            # The money templates leave the amounts to be written in ("£… a year"): nobody
            # should sign a share that was never filled in.
            for key, title in AGREEMENT_SECTIONS.items():
                blank = _BLANK.search(getattr(v, key))
                if blank:
                    problems.add(
                        key,
                        f"The {title} section still has a blank to fill in (“{blank.group(0)}”): "
                        "write in the amount, or take the line out.",
                    )
            # Every host approves for itself: with two host prisons, one governor's approval
            # is not the other's.
            hosting = {str(m.organisation_id) for m in v.agreement.collaboration.members
                       if m.role == "host"} | set(role_map_of(v).get("host", []))  # fmt: skip
            approving = {str(s.organisation_id) for s in required if s.capacity == "host_approver"}
            for m in v.agreement.collaboration.members:
                if str(m.organisation_id) in hosting - approving:
                    problems.add(
                        "signatories",
                        f"{m.organisation.name} hosts this collaboration: add who approves it "
                        f"for {m.organisation.name} (signing as the host's approver, for that "
                        "organisation).",
                    )
            problems.raise_if_any()
            v.status = "awaiting_signatures"
            v.sent_at = utcnow()
            context = text_context(v)
            doc = live_document(v, context)
            # The names it was sent with, so a later rename is not mistaken for tampering.
            v.content = freeze(replace(doc, extra=names_extra(context)))
            v.fingerprint = content_fingerprint(doc)
            self._log(
                session,
                v,
                "sent",
                f"Sent for signatures; text frozen (fingerprint {v.fingerprint})",
                # Sealed in the history, so a rewrite of text and fingerprint together shows.
                fingerprint=v.fingerprint,
                content_sha256=content_digest(v.content),
            )
            return v.fingerprint

    def return_to_draft(self, version_id: uuid.UUID) -> None:
        """Unfreeze a version awaiting signatures so it can be changed. Any signatures already
        recorded are cleared: they were given to the old text."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            refuse_unless(v.number, v.status, "to_draft", "returned to draft")
            v.status = "draft"
            v.fingerprint = ""
            v.content = ""
            v.sent_at = None
            cleared = [s.name for s in v.signatories if s.signed_on]
            for s in v.signatories:
                _clear(s)
            note = f"; signatures cleared: {', '.join(cleared)}" if cleared else ""
            self._log(session, v, "to_draft", f"Returned to draft{note}")

    def record_signature(
        self,
        signatory_id: uuid.UUID,
        signed_on: date,
        method: str,
        recorded_by: str,
        today: date | None = None,
    ) -> str:
        """Record one signature; returns the version's status afterwards. The last required
        signature signs the version off and supersedes the version signed off before it."""
        today = today or date.today()
        check = Checker()
        check.choice("method", method, SIGNATURE_METHODS, "how it was signed")
        check.required("recorded_by", recorded_by, "your name, as the person recording this")
        if signed_on > today:
            check.add("signed_on", "The date signed cannot be in the future.")
        check.plausible_date("signed_on", signed_on, "date signed")
        check.raise_if_any()
        with self._sessions.begin() as session:
            s = session.get(Signatory, signatory_id)
            if s is None:
                raise NotFound("That signatory is no longer on the agreement.")
            v = s.version
            if s.signed_on is not None:
                raise StateError(
                    f"{s.name}'s signature was already recorded ({s.signed_on:%d/%m/%Y}, by "
                    f"{s.recorded_by}). It cannot be recorded twice."
                )
            # A witness may sign after the last party (witnessing the signed paper copy): the
            # version stays signed off, on the date its last required signature was given.
            if not signature_may_change(v.status, s.required):
                raise not_in_status(v.number, v.status, "awaiting_signatures", "signed")
            s.signed_on = signed_on
            s.method = method
            s.recorded_by = clean_line(recorded_by)
            s.recorded_at = utcnow()
            self._log(
                session, v, "signed",
                f"Signature recorded: {s.name} ({label(SIGNATORY_CAPACITIES, s.capacity)}), "
                f"signed {signed_on:%d/%m/%Y}, {label(SIGNATURE_METHODS, method).lower()}",
                recorded_by=s.recorded_by,
                signatory_id=str(s.id),
                signed_on=signed_on.isoformat(),
            )  # fmt: skip
            if v.status == "awaiting_signatures" and all(
                o.signed_on for o in v.signatories if o.required
            ):
                v.status = "signed_off"
                # A witness may have signed later; sign-off is when the last required one did.
                v.signed_off_on = max(
                    o.signed_on for o in v.signatories if o.required and o.signed_on
                )
                self._log(session, v, "signed_off", "Signed off by every required signatory")
                for older in v.agreement.versions:
                    if older is not v and older.status == "signed_off":
                        older.status = "superseded"
                        older.superseded_by_id = v.id
                        self._log(session, older, "superseded", f"Superseded by version {v.number}")
            return v.status

    def clear_signature(self, signatory_id: uuid.UUID) -> None:
        """Undo a signature recorded by mistake, while the version still awaits signatures."""
        with self._sessions.begin() as session:
            s = session.get(Signatory, signatory_id)
            if s is None:
                raise NotFound("That signatory is no longer on the agreement.")
            if not signature_may_change(s.version.status, s.required):
                raise not_in_status(
                    s.version.number, s.version.status, "awaiting_signatures", "changed"
                )
            self._log(
                session, s.version, "signature_cleared", f"Signature cleared: {s.name}",
                signatory_id=str(s.id),
            )  # fmt: skip
            _clear(s)


def _clear(s: Signatory) -> None:
    s.signed_on = None
    s.method = ""
    s.recorded_by = ""
    s.recorded_at = None
