"""Changing who plays which part of a draft's template, and mending the draft to match."""

from __future__ import annotations

import json
import uuid

from collab_desktop.models import Responsibility, Signatory
from collab_desktop.models.enums import MEMBER_ROLES, label
from collab_desktop.services.agreements import parts as agreement_parts
from collab_desktop.services.agreements.base import AgreementsBase
from collab_desktop.services.agreements.drafting import best_contact
from collab_desktop.services.agreements.parts import PartsPlan
from collab_desktop.services.agreements.printable import role_map_of
from collab_desktop.services.agreements.rules import refuse_unless
from collab_desktop.services.errors import NotFound


class PartsChanges(AgreementsBase):
    def parts_of(self, version_id: uuid.UUID) -> PartsPlan:
        """The parts a draft's template names and who plays them now, to change later."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            members = [(m.organisation_id, m.organisation.name, m.role)
                       for m in v.agreement.collaboration.members]  # fmt: skip
            stored = role_map_of(v)
            key = v.template_key
        body = self._template_body_or_empty(key)
        parts = agreement_parts.template_parts(body)
        known = {p.role for p in parts}
        # Parts the draft already gives out count too (a template since deleted).
        extra = [r for r in stored if r not in known and r in MEMBER_ROLES]
        parts += [agreement_parts.TemplatePart(r, label(MEMBER_ROLES, r), 0, False) for r in extra]
        if not stored:
            return agreement_parts.suggest(parts, members)
        playing = {org: role for role, orgs in stored.items() for org in orgs}
        return PartsPlan(
            parts,
            [
                agreement_parts.MemberPart(org, name, role, playing.get(str(org), ""))
                for org, name, role in members
            ],
        )

    def _template_body_or_empty(self, key: str | None) -> dict:
        if not key:
            return {}
        try:
            return self._templates.get(key).body
        except NotFound:
            return {}

    def change_parts(self, version_id: uuid.UUID, parts: dict[uuid.UUID, str]) -> list[str]:
        """Change which member plays each part of a draft's template, and mend the draft to
        match: the text follows at once (it names parts), and the duties and signature lines
        of a member who gives a part up move to the member who takes it on. Returns what
        could not be moved, for the user to sort out in the tables."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            refuse_unless(v.number, v.status, "parts", "changed")
            members = v.agreement.collaboration.members
            old = role_map_of(v) or {}
            if not old:
                for m in members:
                    old.setdefault(m.role, []).append(str(m.organisation_id))
            plan = [
                agreement_parts.MemberPart(m.organisation_id, m.organisation.name, m.role,
                                           parts.get(m.organisation_id, ""))
                for m in members
            ]  # fmt: skip
            new = agreement_parts.role_map(plan)
            names = {str(m.organisation_id): m.organisation.name for m in members}
            moved: dict[str, str] = {}
            copies: list[tuple[str, str]] = []  # (copy the rows of, onto)
            left: list[str] = []
            for role in [*old, *(r for r in new if r not in old)]:
                before, after = old.get(role, []), new.get(role, [])
                for a, b in zip(before, after, strict=False):
                    if a != b:
                        moved[a] = b
                copies += [(before[0], b) for b in after[len(before) :] if before]
                for a in before[len(after) :]:
                    if a not in after and names.get(a):
                        left.append(
                            f"{names[a]} no longer plays the {label(MEMBER_ROLES, role).lower()}"
                            ": its duties and signature line are still in the tables; "
                            "reassign or remove them."
                        )
            orgs = {str(m.organisation_id): m.organisation for m in members}
            rows = list(v.responsibilities)
            signers = list(v.signatories)
            for source, target in copies:
                rows += [
                    Responsibility(organisation_id=uuid.UUID(target), area=r.area, what=r.what,
                                   how_often=r.how_often, since=r.since)
                    for r in v.responsibilities
                    if str(r.organisation_id) == source
                ]  # fmt: skip
                signers += [
                    Signatory(name="", role=s.role, organisation_id=uuid.UUID(target),
                              capacity=s.capacity, required=s.required)
                    for s in v.signatories
                    if str(s.organisation_id) == source
                ]  # fmt: skip
            for r in rows:
                target = moved.get(str(r.organisation_id))
                if target and r.contact_id is None:
                    r.organisation_id = uuid.UUID(target)
            for s in signers:
                target = moved.get(str(s.organisation_id)) or (
                    str(s.organisation_id) if not s.name else None
                )
                if target and target in orgs:
                    person = best_contact(orgs[target])
                    s.organisation_id = uuid.UUID(target)
                    s.name = person.name if person else ""
                    s.role = (person.job_title if person else "") or s.role
            for position, r in enumerate(rows):
                r.position = position
            for position, s in enumerate(signers):
                s.position = position
            v.responsibilities = rows
            v.signatories = signers
            v.role_map = json.dumps(new)
            said = [
                f"{names.get(org, '?')} plays the {label(MEMBER_ROLES, role).lower()}"
                for role, ids in new.items()
                for org in ids
            ]
            self._log(session, v, "edited", "Parts changed: " + ("; ".join(said) or "none"))
            return left
