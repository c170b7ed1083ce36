"""Starting agreements: who would play each part of a template, the first draft from a
template (or blank), a new draft version copied from an old one, and a version saved as a
template."""

from __future__ import annotations

import json
import re
import uuid

from sqlalchemy.orm import Session

from collab_desktop.models import (
    Agreement,
    AgreementVersion,
    Collaboration,
    Contact,
    Member,
    Organisation,
    Responsibility,
    Signatory,
)
from collab_desktop.models.enums import AGREEMENT_SECTIONS, AGREEMENT_STATUSES, label
from collab_desktop.services.agreements import parts as agreement_parts
from collab_desktop.services.agreements.base import AgreementsBase
from collab_desktop.services.agreements.parts import PartsPlan
from collab_desktop.services.agreements.party_text import TOKEN
from collab_desktop.services.agreements.printable import role_map_of, text_context
from collab_desktop.services.agreements.rules import OPEN_STATUSES, may_start_version
from collab_desktop.services.errors import NotFound, StateError, ValidationError
from collab_desktop.services.validation import MAX_NAME, clean_line


class Drafting(AgreementsBase):
    def plan_parts(self, collaboration_id: uuid.UUID, template_key: str | None) -> PartsPlan:
        """Who would play each part of the template: the suggestion the user sees, and may
        change, before drafting (see services/agreements/parts.py)."""
        body = self._templates.get(template_key).body if template_key else {}
        with self._sessions() as session:
            collaboration = session.get(Collaboration, collaboration_id)
            if collaboration is None:
                raise NotFound("That collaboration no longer exists.")
            members = [
                (m.organisation_id, m.organisation.name, m.role) for m in collaboration.members
            ]
        return agreement_parts.suggest(agreement_parts.template_parts(body), members)

    def create_agreement(
        self,
        collaboration_id: uuid.UUID,
        template_key: str | None,
        title: str = "",
        parts: dict[uuid.UUID, str] | None = None,
    ) -> uuid.UUID:
        """A new agreement with a first draft version, from a template or blank. `parts`
        says which part of the template each member plays (see plan_parts, which is used
        when it is not given)."""
        body = self._templates.get(template_key).body if template_key else {}
        title = clean_line(title) or body.get("title") or "Joint agreement"
        if len(title) > MAX_NAME:
            raise ValidationError.single("title", "The title is too long.")
        with self._sessions.begin() as session:
            collaboration = session.get(Collaboration, collaboration_id)
            if collaboration is None:
                raise NotFound("That collaboration no longer exists.")
            if len(collaboration.members) < 2:
                raise ValidationError.single(
                    "collaboration",
                    f"“{collaboration.name}” has fewer than two partners. An agreement is made "
                    "between partners: add them to the collaboration first.",
                )
            agreement = Agreement(collaboration=collaboration, title=title)
            version = AgreementVersion(
                agreement=agreement, number=1, template_key=template_key or ""
            )
            session.add_all([agreement, version])
            if parts is None:
                parts = self.plan_parts(collaboration_id, template_key).chosen()
            plan = [
                agreement_parts.MemberPart(
                    m.organisation_id, "", m.role, parts.get(m.organisation_id, "")
                )
                for m in collaboration.members
            ]
            roles = agreement_parts.role_map(plan)
            version.role_map = json.dumps(roles) if template_key else ""
            _apply_template(
                session, version, collaboration.members, body, roles if template_key else None
            )
            session.flush()
            source = body.get("name") or (template_key and self._templates.get(template_key).name)
            self._log(
                session, version, "created",
                f"Agreement started from “{source}”" if source else "Blank agreement started",
            )  # fmt: skip
            return version.id

    def new_version(self, version_id: uuid.UUID) -> uuid.UUID:
        """A draft copy of a version, numbered after the newest one."""
        with self._sessions.begin() as session:
            source = self._load(session, version_id)
            if not may_start_version(o.status for o in source.agreement.versions):
                open_ = [o for o in source.agreement.versions if o.status in OPEN_STATUSES]
                state = label(AGREEMENT_STATUSES, open_[0].status).lower()
                raise StateError(
                    f"Version {open_[0].number} is still {state}. "
                    "Finish or void it before starting another."
                )
            number = max(o.number for o in source.agreement.versions) + 1
            copy = AgreementVersion(
                agreement=source.agreement, number=number, template_key=source.template_key
            )
            session.add(copy)
            for key in AGREEMENT_SECTIONS:
                setattr(copy, key, getattr(source, key))
            copy.role_map = source.role_map
            copy.review_frequency = source.review_frequency
            copy.reviewers = source.reviewers
            copy.next_review = source.next_review
            copy.quorum = source.quorum  # issue 14: meetings count it by organisation
            copy.responsibilities = [
                Responsibility(
                    position=r.position, organisation_id=r.organisation_id, contact_id=r.contact_id,
                    area=r.area, what=r.what, how_often=r.how_often, since=r.since,
                )
                for r in source.responsibilities
            ]  # fmt: skip
            copy.signatories = [
                Signatory(
                    position=s.position, name=s.name, role=s.role,
                    organisation_id=s.organisation_id, capacity=s.capacity, required=s.required,
                )
                for s in source.signatories
            ]  # fmt: skip
            session.flush()
            self._log(
                session,
                copy,
                "new_version",
                f"Version {number} drafted from version {source.number}",
            )
            return copy.id

    def template_body(self, version_id: uuid.UUID) -> dict:
        """This version as a template: parties become their roles, so it fits any
        collaboration of the same shape."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            roles = {m.organisation_id: m.role for m in v.agreement.collaboration.members}
            stored = role_map_of(v)
            for role, ids in stored.items():
                for org in ids:
                    roles[uuid.UUID(org)] = role
            context = text_context(v)

            def general(text: str) -> str:
                # A named organisation becomes its part where it plays one alone; any other
                # name stays written out, as the agreement said it.
                def swap(match: re.Match[str]) -> str:
                    key = match.group(1)
                    if key.startswith("org:"):
                        role = roles.get(uuid.UUID(key.removeprefix("org:")))
                        alone = role and len([o for o, r in roles.items() if r == role]) == 1
                        if role and alone:
                            return "{{" + role + "}}"
                        return context.values.get(key, "")
                    return match.group(0)

                return TOKEN.sub(swap, text)

            def party(org_id: uuid.UUID | None) -> str:
                return roles.get(org_id, "joint") if org_id else "joint"

            def owner(r: Responsibility) -> uuid.UUID | None:
                return r.contact.organisation_id if r.contact else r.organisation_id

            return {
                "title": v.agreement.title,
                "review_frequency": v.review_frequency,
                "reviewers": general(v.reviewers),
                "sections": {key: general(getattr(v, key)) for key in AGREEMENT_SECTIONS},
                "responsibilities": [
                    {
                        "party": party(owner(r)),
                        "area": r.area, "what": general(r.what), "how_often": r.how_often,
                    }
                    for r in v.responsibilities
                ],
                "signatories": [
                    {"party": party(s.organisation_id), "capacity": s.capacity, "role": s.role,
                     "required": s.required}
                    for s in v.signatories
                ],
            }  # fmt: skip


def _apply_template(
    session: Session,
    v: AgreementVersion,
    members: list[Member],
    body: dict,
    roles: dict[str, list[str]] | None = None,
) -> None:
    """Draft the template's text, duties and signatures for the members who play its parts
    (roles: part -> organisation ids). A part nobody plays gives nobody its duties: they are
    never silently shared out as "joint" or copied onto look-alike members."""
    by_id = {str(m.organisation_id): m for m in members}
    by_role: dict[str, list[Member]] = {}
    if roles is None:
        for m in members:
            by_role.setdefault(m.role, []).append(m)
    else:
        for role, ids in roles.items():
            by_role[role] = [by_id[i] for i in ids if i in by_id]
    for key in AGREEMENT_SECTIONS:
        setattr(v, key, body.get("sections", {}).get(key, ""))
    v.review_frequency = body.get("review_frequency", "")
    v.reviewers = body.get("reviewers", "")

    responsibilities = []
    for item in body.get("responsibilities", []):
        role = item.get("party", "joint")
        if role == "joint":
            owners: list[Member | None] = [None]
        else:
            # Nobody plays this part: the user was told before drafting (agreement_parts).
            owners = list(by_role.get(role, []))
        for owner in owners:
            responsibilities.append(
                Responsibility(
                    organisation_id=owner.organisation_id if owner else None,
                    area=item.get("area", "other"),
                    what=item.get("what", ""),
                    how_often=item.get("how_often", ""),
                )
            )
    signatory_specs = body.get("signatories") or _default_signatories(by_role)
    signatories = []
    for spec in signatory_specs:
        for m in by_role.get(spec.get("party", ""), []):
            person = best_contact(m.organisation)
            signatories.append(
                Signatory(
                    name=person.name if person else "",
                    # The person's own job title, as recorded, before the template's guess.
                    role=(person.job_title if person else "") or spec.get("role", ""),
                    organisation_id=m.organisation_id,
                    capacity=spec.get("capacity", "party"),
                    required=spec.get("required", True) and spec.get("capacity") != "witness",
                )
            )
    for position, row in enumerate(responsibilities):
        row.position = position
    for position, row in enumerate(signatories):
        row.position = position
    v.responsibilities = responsibilities
    v.signatories = signatories


def _default_signatories(by_role: dict[str, list[Member]]) -> list[dict]:
    specs = [{"party": role, "capacity": "party"} for role in ("lead", "partner", "subcontractor")]
    specs.append({"party": "host", "capacity": "host_approver"})
    return [s for s in specs if by_role.get(s["party"])]


def best_contact(org: Organisation) -> Contact | None:
    """Who usually signs for an organisation: its first strategic contact, else anyone."""
    strategic = [c for c in org.contacts if c.level == "strategic"]
    candidates = strategic or org.contacts
    return candidates[0] if candidates else None
