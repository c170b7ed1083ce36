"""A meeting's minutes as the PDF prints them (pdf/minutes_document.py), with a fingerprint
of their content made the way the agreement's is (services/agreements/fingerprint.py): short
enough to read aloud, printed on every page, so a paper copy can be matched to the record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date

from collab_desktop.pdf.minutes_document import MinutesDocument


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def minutes_fingerprint(doc: MinutesDocument) -> str:
    """Covers what the minutes record, not when they were printed or approved: the draft
    sent round and the approved copy share it, as an agreement's do."""
    content = {
        "title": doc.title,
        "collaboration": doc.collaboration,
        "held_on": doc.held_on,
        "kind": doc.kind,
        "attendance": [asdict(a) for a in doc.attendance],
        "decisions": [asdict(d) for d in doc.decisions],
        "actions": [[a.what, a.owner, a.due_on, a.responsibility] for a in doc.actions],
        "notes": doc.notes,
        "review": doc.review,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_default)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest().upper()
    return "-".join(digest[i : i + 4] for i in (0, 4, 8))
