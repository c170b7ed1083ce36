"""What a subject access export holds (issue 15), as plain data: the gatherer in
services/privacy/subject_access.py fills it, the PDF builder and the JSON file read it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


@dataclass
class Section:
    """One kind of record: a title, column headings and rows of plain text."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""  # e.g. why a record is kept although the person asked to be forgotten


@dataclass
class SubjectAccessReport:
    person: str
    kind: str  # "participant" or "contact"
    record_id: str
    made_on: str
    details: list[tuple[str, str]]  # the person's own record: label, value
    sections: list[Section]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2)
