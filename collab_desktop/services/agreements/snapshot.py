"""The printable content of a version, frozen when it is sent for signatures.

A version's parties and place come from live records (partners, the collaboration) that may
be edited later. What was signed must keep printing as it was signed, so the whole document is
stored as JSON at that moment; only the record of signing is laid over it afterwards.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date

from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SectionText,
    SignatoryLine,
)

_DATE_FIELDS = {"since", "signed_on", "start_date", "end_date", "next_review", "signed_off_on",
                "printed_on"}  # fmt: skip
_LISTS = {
    "parties": PartyLine,
    "responsibilities": ResponsibilityLine,
    "sections": SectionText,
    "signatories": SignatoryLine,
}


def freeze(doc: AgreementDocument) -> str:
    def default(value: object) -> str:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    return json.dumps(asdict(doc), ensure_ascii=False, default=default)


def _dates(values: dict) -> dict:
    return {k: (date.fromisoformat(v) if k in _DATE_FIELDS and v else v) for k, v in values.items()}


def thaw(text: str) -> AgreementDocument:
    raw = json.loads(text)
    known = {f.name for f in fields(AgreementDocument)}
    values = _dates({k: v for k, v in raw.items() if k in known})
    for key, kind in _LISTS.items():
        values[key] = [kind(**_dates(item)) for item in raw.get(key, [])]
    return AgreementDocument(**values)
