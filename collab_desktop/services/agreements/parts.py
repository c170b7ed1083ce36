"""Which member plays each part a template names, before anything is drafted.

A template speaks of parts (lead partner, partner, host…) and assigns duties and signatures to
them; a collaboration's members have roles of their own that need not match (two charities
both recorded as "Partner", two host prisons, no lead). Guessing silently gave one charity's
duties to both and the lead's to "Joint", prison included. So the draft is made from a plan
the user has seen: each member plays one part of the template, or none, and what is left
over is said in plain words.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from collab_desktop.models.enums import MEMBER_ROLES, label
from collab_desktop.services.agreements.party_text import ROLE_PHRASES, TOKEN

NO_PART = ""


@dataclass(frozen=True)
class TemplatePart:
    role: str  # a MEMBER_ROLES key
    label: str
    duties: int
    signs: bool


@dataclass(frozen=True)
class MemberPart:
    organisation_id: uuid.UUID
    name: str
    member_role: str  # the member's own role in the collaboration (key)
    part: str  # the part it plays in this agreement, or NO_PART


@dataclass(frozen=True)
class PartsPlan:
    parts: list[TemplatePart]
    members: list[MemberPart]

    def chosen(self) -> dict[uuid.UUID, str]:
        return {m.organisation_id: m.part for m in self.members}


def template_parts(body: dict) -> list[TemplatePart]:
    """The parts a template's duties, signatures or text name, in the usual order."""
    duties: dict[str, int] = {}
    for item in body.get("responsibilities", []):
        role = item.get("party", "joint")
        duties[role] = duties.get(role, 0) + 1
    signs = {s.get("party", "") for s in body.get("signatories", [])}
    texts = [*body.get("sections", {}).values(), body.get("reviewers", "")]
    texts += [item.get("what", "") for item in body.get("responsibilities", [])]
    named = {m.group(1) for text in texts for m in TOKEN.finditer(text)}
    used = set(duties) | signs | named
    return [
        TemplatePart(role, label(MEMBER_ROLES, role), duties.get(role, 0), role in signs)
        for role in MEMBER_ROLES
        if role in used
    ]


def suggest(parts: list[TemplatePart], members: list[tuple[uuid.UUID, str, str]]) -> PartsPlan:
    """Each member plays the part of its own role when the template has one. A part nobody
    plays then goes to a member whose role several share (two "Partners": the first leads)."""
    roles = {p.role for p in parts}
    chosen = {org: (role if role in roles else NO_PART) for org, _, role in members}
    for part in parts:
        if part.role in chosen.values():
            continue
        crowded = [
            org
            for org, _, _ in members
            if chosen[org] and list(chosen.values()).count(chosen[org]) > 1
        ]
        spare = [org for org, _, _ in members if not chosen[org]]
        # Only parties move: a funder or host is not guessed into a charity's part.
        pool = [o for o in crowded + spare if _can_play(part.role, _role_of(members, o))]
        if pool:
            chosen[pool[0]] = part.role
    return PartsPlan(
        parts, [MemberPart(org, name, role, chosen[org]) for org, name, role in members]
    )


def _role_of(members: list[tuple[uuid.UUID, str, str]], org: uuid.UUID) -> str:
    return next(role for o, _, role in members if o == org)


_DELIVERING = {"lead", "partner", "subcontractor", "referral"}


def _can_play(part: str, role: str) -> bool:
    return part == role or (part in _DELIVERING and role in _DELIVERING)


def role_map(plan_members: list[MemberPart]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for m in plan_members:
        if m.part:
            found.setdefault(m.part, []).append(str(m.organisation_id))
    return found


def notes(plan: PartsPlan) -> list[str]:
    """What the user should know before drafting from this plan, in plain words."""
    said = []
    by_part: dict[str, list[str]] = {}
    for m in plan.members:
        by_part.setdefault(m.part, []).append(m.name)
    for part in plan.parts:
        players = by_part.get(part.role, [])
        what = []
        if part.duties:
            what.append(f"{part.duties} dut{'y' if part.duties == 1 else 'ies'}")
        if part.signs:
            what.append("a signature")
        gives = " and ".join(what) or "mentions in the text"
        if not players:
            said.append(
                f"Nobody plays the {part.label.lower()}: its {gives} will be left out, and "
                f"the text will say “{ROLE_PHRASES[part.role]}”."
            )
        elif len(players) > 1:
            said.append(
                f"{' and '.join(players)} all play the {part.label.lower()}: each of them "
                f"gets its {gives}."
            )
    for m in plan.members:
        if not m.part:
            said.append(
                f"{m.name} plays no part of the template: it is listed as a party, with no "
                "duties or signature until you add them."
            )
        elif m.part != m.member_role:
            said.append(
                f"{m.name} is recorded as {label(MEMBER_ROLES, m.member_role).lower()} but "
                f"plays the {label(MEMBER_ROLES, m.part).lower()} in this agreement."
            )
    return said
