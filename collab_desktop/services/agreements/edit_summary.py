"""A short, plain description of what an edit changed in an agreement version, for the audit
trail: which sections, and how many responsibilities and signatories were added, removed or
changed, with their text."""

from __future__ import annotations

from dataclasses import astuple

from collab_desktop.pdf.document import AgreementDocument


def _rows(items: list) -> list[tuple]:
    return [astuple(item)[:5] for item in items]


def _compare(kind: str, before: list[tuple], after: list[tuple]) -> tuple[list[str], dict]:
    removed = [row for row in before if row not in after]
    added = [row for row in after if row not in before]
    # A row that was edited shows as one removed and one added at the same place.
    changed = min(len(removed), len(added)) if len(before) == len(after) else 0
    parts = []
    if changed:
        parts.append(f"{changed} {kind} changed")
    elif added or removed:
        if added:
            parts.append(f"{len(added)} {kind} added")
        if removed:
            parts.append(f"{len(removed)} {kind} removed")
    elif before != after:
        parts.append(f"{kind} reordered")
    details = {}
    if added:
        details[f"{kind} now"] = [" · ".join(str(x) for x in row if x) for row in added]
    if removed:
        details[f"{kind} before"] = [" · ".join(str(x) for x in row if x) for row in removed]
    return parts, details


def describe_changes(before: AgreementDocument, after: AgreementDocument) -> tuple[str, dict]:
    parts: list[str] = []
    details: dict = {}
    if before.title != after.title:
        parts.append("title")
        details["title"] = [before.title, after.title]
    old_sections = {s.title: s.body for s in before.sections}
    for section in after.sections:
        if old_sections.get(section.title, "") != section.body:
            parts.append(section.title)
            details[section.title] = section.body
    review = ("review_frequency", "reviewers", "next_review")
    if any(getattr(before, k) != getattr(after, k) for k in review):
        parts.append("review arrangements")
    for kind, b, a in (
        ("responsibilities", before.responsibilities, after.responsibilities),
        ("signatories", before.signatories, after.signatories),
    ):
        more, extra = _compare(kind, _rows(b), _rows(a))
        parts += more
        details.update(extra)
    summary = ("Changed: " + ", ".join(parts)) if parts else "Saved with no changes"
    return summary, details
