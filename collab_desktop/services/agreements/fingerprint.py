"""A short fingerprint of an agreement's content, printed on every page and shown in the app,
so that a paper copy can be matched to the version it came from.

It covers what the parties agree to (text, parties, responsibilities, who must sign) and not
the record of signing, so the copy sent out for signature and the signed copy share it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date

from collab_desktop.pdf.document import AgreementDocument


def _default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def content_fingerprint(doc: AgreementDocument) -> str:
    content = {
        "title": doc.title,
        "collaboration": doc.collaboration,
        "version": doc.version,
        "setting": doc.setting,
        "site": doc.site,
        "dates": [doc.start_date, doc.end_date],
        "parties": [asdict(p) for p in doc.parties],
        "responsibilities": [asdict(r) for r in doc.responsibilities],
        "sections": [asdict(s) for s in doc.sections],
        "review": [doc.review_frequency, doc.reviewers, doc.next_review],
        "signatories": [[s.name, s.role, s.organisation, s.capacity, s.required]
                        for s in doc.signatories],
    }  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_default)
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest().upper()
    # 48 bits: plenty to tell an agreement's versions apart, short enough to read aloud.
    return "-".join(digest[i : i + 4] for i in (0, 4, 8))


def normalise_typed(fingerprint: str) -> str:
    """What a person typed from paper, in the stored form (case, spaces, dashes ignored)."""
    raw = "".join(ch for ch in fingerprint.upper() if ch.isalnum())
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
