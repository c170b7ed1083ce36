"""A version's record of signing, checked against its history.

Every change of status and every signature is written to the audit trail in the same
transaction as the change itself (services/agreements/service.py). So a version whose signatures,
dates or status differ from what its history says happened was changed outside the app: a
sign-off forged in SQL, say. Likewise its frozen text must be the text whose digest (and
fingerprint) the history recorded when it was sent for signatures, which catches a rewrite of
the text, the rows and the fingerprint together, made consistent with the app's own hash.

The history is trusted here; AuditLog.check() is what shows that the history itself is whole.
Entries written before these details were recorded are read from their summaries.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from collab_desktop.models.enums import AGREEMENT_STATUSES, label
from collab_desktop.services.audit import TrailEntry

# What each action leaves the status as (actions not listed leave it alone).
_STATUS_AFTER = {
    "created": "draft",
    "new_version": "draft",
    "to_draft": "draft",
    "sent": "awaiting_signatures",
    "signed_off": "signed_off",
    "superseded": "superseded",
    "voided": "void",
    "ended": "ended",
}
_SIGNED = re.compile(
    r"^Signature recorded: (?P<name>.*) \([^()]*\), signed (?P<on>\d\d/\d\d/\d{4})"
)
_CLEARED = re.compile(r"^Signature cleared: (?P<name>.*)$")
_FINGERPRINT = re.compile(r"fingerprint (?P<fp>[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})")


def content_digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SignatureOnRecord:
    id: uuid.UUID
    name: str
    signed_on: date | None


@dataclass
class _Expected:
    status: str | None = None
    fingerprint: str = ""
    digest: str = ""
    # Signatures the history recorded and did not clear: by signatory id, or by name for
    # entries made before the id was recorded. Values: the date signed (None if unknown).
    by_id: dict[str, date | None] = field(default_factory=dict)
    by_name: dict[str, date | None] = field(default_factory=dict)


def _replay(entries: list[TrailEntry]) -> _Expected:
    expected = _Expected()
    for e in entries:
        expected.status = _STATUS_AFTER.get(e.action, expected.status)
        if e.action == "sent":
            found = _FINGERPRINT.search(e.summary)
            expected.fingerprint = e.details.get("fingerprint") or (found["fp"] if found else "")
            expected.digest = e.details.get("content_sha256", "")
        elif e.action == "to_draft":
            expected.fingerprint = expected.digest = ""
            expected.by_id.clear()
            expected.by_name.clear()
        elif e.action == "signed":
            found = _SIGNED.match(e.summary)
            on = e.details.get("signed_on")
            signed_on = (
                date.fromisoformat(on)
                if on
                else (datetime.strptime(found["on"], "%d/%m/%Y").date() if found else None)
            )
            if e.details.get("signatory_id"):
                expected.by_id[e.details["signatory_id"]] = signed_on
            elif found:
                expected.by_name[found["name"]] = signed_on
        elif e.action == "signature_cleared":
            if e.details.get("signatory_id"):
                expected.by_id.pop(e.details["signatory_id"], None)
            found = _CLEARED.match(e.summary)
            if found:
                expected.by_name.pop(found["name"], None)
    return expected


def signing_discrepancies(
    number: int,
    status: str,
    content: str,
    fingerprint: str,
    signatures: list[SignatureOnRecord],
    entries: list[TrailEntry],
    check_text: bool = True,
) -> list[str]:
    """What in a version's stored record of signing its history does not account for, in
    plain words (empty if it all matches). `entries` are the version's own entries;
    `check_text` False when the text is already reported as changed (one warning is enough)."""
    where = f"Version {number}"
    if not entries:
        return []
    expected = _replay(entries)
    problems = []
    if check_text and content and (expected.digest or expected.fingerprint):
        rewritten = (expected.digest and content_digest(content) != expected.digest) or (
            expected.fingerprint and fingerprint != expected.fingerprint
        )
        if rewritten:
            problems.append(
                f"{where}'s frozen text is not the text its history recorded when it was "
                f"sent for signatures (fingerprint {expected.fingerprint or 'unknown'}): it "
                "was rewritten outside Collab Desktop. Compare it with the signed paper copy "
                "before relying on it."
            )
    unrecorded, changed, missing = [], [], []
    for s in signatures:
        key = str(s.id)
        if key in expected.by_id:
            recorded = expected.by_id[key]
        elif s.name in expected.by_name:
            recorded = expected.by_name[s.name]
        else:
            if s.signed_on is not None:
                unrecorded.append(s.name)
            continue
        if s.signed_on is None:
            missing.append(s.name)
        elif recorded is not None and recorded != s.signed_on:
            changed.append(s.name)
    if unrecorded:
        problems.append(
            f"{where} shows signatures that its history never recorded ({', '.join(unrecorded)}): "
            "they were set outside Collab Desktop. Check the signed paper copy before "
            "relying on them."
        )
    if changed:
        problems.append(
            f"{where}'s signature dates of {', '.join(changed)} differ from those its history "
            "recorded: they were changed outside Collab Desktop."
        )
    if missing:
        problems.append(
            f"{where}'s signatures of {', '.join(missing)} are recorded in its history but "
            "missing from the agreement: they were removed outside Collab Desktop."
        )
    if expected.status is not None and status != expected.status:
        problems.append(
            f"{where} is marked “{label(AGREEMENT_STATUSES, status)}”, but its history says "
            f"it is “{label(AGREEMENT_STATUSES, expected.status)}”: its status was changed "
            "outside Collab Desktop."
        )
    return problems
