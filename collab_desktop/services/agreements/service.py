"""Joint agreements: drafting from a template, the sign-off lifecycle and the printable form.

Lifecycle: draft -> awaiting_signatures (text frozen, fingerprint stored) -> signed_off (every
required signatory recorded) -> superseded (a newer version signed off) or ended; any version
not yet superseded can be made void, with a reason. A version past draft is never edited: a
change is a new draft version copied from it.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, sessionmaker

from collab_desktop.models import (
    Activity,
    Agreement,
    AgreementVersion,
    AuditEntry,
    Collaboration,
    Contact,
    Member,
    Organisation,
    Responsibility,
    Signatory,
)
from collab_desktop.models.base import utcnow
from collab_desktop.models.enums import (
    AGREEMENT_SECTIONS,
    AGREEMENT_STATUSES,
    FUNDING_TYPES,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    RESPONSIBILITY_AREAS,
    SETTINGS,
    SIGNATORY_CAPACITIES,
    SIGNATURE_METHODS,
    WEEKDAYS,
    label,
)
from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SectionText,
    SignatoryLine,
    long_date,
)
from collab_desktop.services.agreements import parts as agreement_parts
from collab_desktop.services.agreements.edit_summary import describe_changes
from collab_desktop.services.agreements.fingerprint import content_fingerprint, normalise_typed
from collab_desktop.services.agreements.parts import PartsPlan
from collab_desktop.services.agreements.party_text import (
    TOKEN,
    TextContext,
    build_context,
    join_names,
    lawful_basis_text,
    org_token,
)
from collab_desktop.services.agreements.snapshot import freeze, thaw
from collab_desktop.services.agreements.templates import TemplateService
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.audit_replay import (
    SignatureOnRecord,
    content_digest,
    signing_discrepancies,
)
from collab_desktop.services.errors import NotFound, StateError, ValidationError
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line

# The gaps a template leaves for amounts: "£…", "…%" and "(partner agency)"-style names.
_BLANK = re.compile(r"£…|…\s?%|\((?:partner agency|subcontractor|posts)\)")

# Statuses from which a version may be copied into a new draft.
_OPEN = ("draft", "awaiting_signatures")


@dataclass
class ResponsibilityData:
    """Who: organisation_id, or contact_id (a named person), or neither for a joint duty."""

    what: str = ""
    area: str = "other"
    how_often: str = ""
    organisation_id: uuid.UUID | None = None
    contact_id: uuid.UUID | None = None
    since: date | None = None
    id: uuid.UUID | None = None


@dataclass
class SignatoryData:
    name: str = ""
    role: str = ""
    organisation_id: uuid.UUID | None = None
    capacity: str = "party"
    required: bool = True
    signed_on: date | None = None
    method: str = ""
    recorded_by: str = ""
    id: uuid.UUID | None = None

    @property
    def signed(self) -> bool:
        return self.signed_on is not None


@dataclass(frozen=True)
class PartyChoice:
    organisation_id: uuid.UUID
    name: str
    role: str  # label


@dataclass(frozen=True)
class VersionSummary:
    id: uuid.UUID
    number: int
    status: str


@dataclass
class VersionData:
    """Everything the agreement editor shows; the editable parts go back via save_draft."""

    id: uuid.UUID
    agreement_id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    title: str
    number: int
    status: str
    sections: dict[str, str]
    review_frequency: str
    reviewers: str
    next_review: date | None
    responsibilities: list[ResponsibilityData]
    signatories: list[SignatoryData]
    fingerprint: str
    parties: list[PartyChoice] = field(default_factory=list)
    versions: list[VersionSummary] = field(default_factory=list)
    signed_off_on: date | None = None
    void_reason: str = ""
    # A draft never sent for signatures may be deleted outright (delete_draft).
    never_sent: bool = False
    # Signs that the stored record was changed outside the app (see tamper_warnings).
    warnings: list[str] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    @property
    def allowed(self) -> frozenset[str]:
        """What this version's status allows now (ALLOWED_ACTIONS names): the editor shows
        these actions and no others, so the rules live here, beside the service that
        enforces them, and not again in the UI."""
        return allowed_actions(self)

    @property
    def status_label(self) -> str:
        return label(AGREEMENT_STATUSES, self.status)


# The actions a version can offer, by the names the editor's buttons have.
ALLOWED_ACTIONS = (
    "save",  # edit the draft
    "send",  # send for signatures
    "parts",  # change who plays which part
    "record",  # record a signature
    "clear_signature",
    "to_draft",  # back to draft
    "new_version",
    "void",
    "delete",  # a draft never sent
)


def allowed_actions(version: VersionData) -> frozenset[str]:
    status = version.status
    allowed: set[str] = set()
    if status == "draft":
        allowed |= {"save", "send", "parts"}
    if status == "awaiting_signatures":
        allowed |= {"record", "clear_signature", "to_draft"}
    if status == "signed_off":
        # A witness may sign after the last party: the version stays signed off.
        if any(not s.required and not s.signed_on for s in version.signatories):
            allowed.add("record")
        if any(not s.required and s.signed_on for s in version.signatories):
            allowed.add("clear_signature")
    if not any(v.status in ("draft", "awaiting_signatures") for v in version.versions):
        allowed.add("new_version")
    if status not in ("void", "superseded"):
        allowed.add("void")
    if version.never_sent:
        allowed.add("delete")
    return frozenset(allowed)


@dataclass(frozen=True)
class AgreementRow:
    version_id: uuid.UUID
    agreement_id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    title: str
    number: int
    status: str  # stored value
    status_label: str
    fingerprint: str
    signed_off_on: date | None
    next_review: date | None
    signatures: str  # "2 of 3"


class AgreementService:
    def __init__(
        self, sessions: sessionmaker[Session], templates: TemplateService, audit: AuditLog
    ) -> None:
        self._sessions = sessions
        self._templates = templates
        self._audit = audit

    def _log(
        self, session: Session, v: AgreementVersion, action: str, summary: str, **details: object
    ) -> None:
        self._audit.record(session, action, summary, v.agreement_id, v.number, details or None)

    # -- reading ---------------------------------------------------------------------------

    def list_versions(self, collaboration_id: uuid.UUID | None = None) -> list[AgreementRow]:
        # Columns and counts, not ORM objects: ten years bring thousands of versions, each
        # with its long frozen text, which the list does not show.
        query = (
            select(
                AgreementVersion.id, AgreementVersion.agreement_id, Agreement.collaboration_id,
                Collaboration.name, Agreement.title, AgreementVersion.number,
                AgreementVersion.status, AgreementVersion.fingerprint,
                AgreementVersion.signed_off_on, AgreementVersion.next_review,
            )
            .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
            .join(Collaboration, Agreement.collaboration_id == Collaboration.id)
            .order_by(func.lower(Collaboration.name), Agreement.title, AgreementVersion.number)
        )  # fmt: skip
        signatures = (
            select(
                Signatory.version_id,
                func.count(),
                func.count(Signatory.signed_on),
            )
            .where(Signatory.required.is_(True))
            .group_by(Signatory.version_id)
        )
        if collaboration_id is not None:
            query = query.where(Agreement.collaboration_id == collaboration_id)
            signatures = signatures.join(
                AgreementVersion, Signatory.version_id == AgreementVersion.id
            ).join(
                Agreement,
                (AgreementVersion.agreement_id == Agreement.id)
                & (Agreement.collaboration_id == collaboration_id),
            )
        with self._sessions() as session:
            counts = {v: (n, signed) for v, n, signed in session.execute(signatures)}
            return [
                AgreementRow(
                    version_id=version_id,
                    agreement_id=agreement_id,
                    collaboration_id=collaboration_id_,
                    collaboration=collaboration,
                    title=title,
                    number=number,
                    status=status,
                    status_label=label(AGREEMENT_STATUSES, status),
                    fingerprint=fingerprint,
                    signed_off_on=signed_off_on,
                    next_review=next_review,
                    signatures="{1} of {0}".format(*counts.get(version_id, (0, 0))),
                )
                for (
                    version_id, agreement_id, collaboration_id_, collaboration, title, number,
                    status, fingerprint, signed_off_on, next_review,
                ) in session.execute(query)
            ]  # fmt: skip

    def get_version(self, version_id: uuid.UUID) -> VersionData:
        """The version as the editor shows it: a draft's tokens are filled in with the names
        and facts as they are now (save_draft turns them back)."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            collaboration = v.agreement.collaboration
            # A version sent for signatures shows the names it was sent with, as it prints.
            frozen = _frozen_context(thaw(v.content)) if v.content else None
            text = (frozen or _context(v)).render
            return VersionData(
                id=v.id,
                agreement_id=v.agreement_id,
                collaboration_id=collaboration.id,
                collaboration=collaboration.name,
                title=v.agreement.title,
                number=v.number,
                status=v.status,
                sections={key: text(getattr(v, key)) for key in AGREEMENT_SECTIONS},
                review_frequency=v.review_frequency,
                reviewers=text(v.reviewers),
                next_review=v.next_review,
                responsibilities=[
                    ResponsibilityData(
                        id=r.id,
                        what=text(r.what),
                        area=r.area,
                        how_often=r.how_often,
                        organisation_id=r.organisation_id,
                        contact_id=r.contact_id,
                        since=r.since,
                    )
                    for r in v.responsibilities
                ],
                signatories=[_signatory_data(s) for s in v.signatories],
                fingerprint=self._document(v).fingerprint,
                parties=[
                    PartyChoice(m.organisation_id, m.organisation.name, _part_label(v, m))
                    for m in collaboration.members
                ],
                versions=[VersionSummary(o.id, o.number, o.status) for o in v.agreement.versions],
                signed_off_on=v.signed_off_on,
                void_reason=v.void_reason,
                warnings=self._warnings(session, v),
                never_sent=v.status == "draft" and not self._was_sent(session, v),
            )

    def document(self, version_id: uuid.UUID, printed_on: date | None = None) -> AgreementDocument:
        """The version as plain data for the PDF builder."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            doc = self._document(v, printed_on)
        return doc

    def unprintable(self, version_id: uuid.UUID) -> list[str]:
        """Characters in what this version prints that no font the app ships has (they
        print as their names in brackets), so the user can be told before printing."""
        from collab_desktop.pdf.scripts import unprintable  # loads ReportLab: only on need

        doc = self.document(version_id)
        texts = [doc.title, doc.collaboration, doc.reviewers, doc.review_frequency]
        texts += [f"{p.name} {p.details}" for p in doc.parties]
        texts += [f"{r.party} {r.what} {r.how_often}" for r in doc.responsibilities]
        texts += [s.body for s in doc.sections]
        texts += [f"{s.name} {s.role} {s.organisation}" for s in doc.signatories]
        return unprintable(" ".join(texts))

    def find_by_fingerprint(self, typed: str) -> list[AgreementRow]:
        """The versions whose fingerprint is the one typed from paper (case, spaces and
        dashes ignored). Drafts are matched on their current text."""
        wanted = normalise_typed(typed)
        if len(wanted) != 14:
            return []
        found = []
        with self._sessions() as session:
            for row in self.list_versions():
                stored = (
                    row.fingerprint
                    or self._document(self._load(session, row.version_id)).fingerprint
                )
                if stored == wanted:
                    found.append(row)
        return found

    def _tamper_warnings(self, v: AgreementVersion) -> list[str]:
        """A frozen version's stored text must still match its fingerprint, and its rows must
        still match that text. Either failing means the file was edited outside the app."""
        if not v.content:
            return []
        frozen = thaw(v.content)
        where = f"Version {v.number}"
        if content_fingerprint(frozen) != v.fingerprint:
            return [
                f"{where}'s stored text no longer matches its fingerprint {v.fingerprint}: it "
                "has been changed outside Collab Desktop since it was sent for signatures. "
                "Compare it with the signed paper copy before relying on it."
            ]
        # The names as they were when it was sent: a partner renamed since is no tampering.
        live = self._live_document(v, _frozen_context(frozen))
        changed = [
            what
            for what, old, new in (
                ("sections", [s.body for s in frozen.sections], [s.body for s in live.sections]),
                ("responsibilities",
                 [(r.area, r.what, r.how_often) for r in frozen.responsibilities],
                 [(r.area, r.what, r.how_often) for r in live.responsibilities]),
                ("signatories",
                 [(s.name, s.role, s.capacity, s.required) for s in frozen.signatories],
                 [(s.name, s.role, s.capacity, s.required) for s in live.signatories]),
            )
            if old != new
        ]  # fmt: skip
        if changed:
            return [
                f"{where}'s {' and '.join(changed)} were changed outside Collab Desktop after "
                "it was sent for signatures. What prints is the text as it was signed."
            ]
        return []

    def _warnings(self, session: Session, v: AgreementVersion) -> list[str]:
        tampered = self._tamper_warnings(v)
        return tampered + self._history_warnings(session, v, check_text=not tampered)

    def _history_warnings(
        self, session: Session, v: AgreementVersion, check_text: bool = True
    ) -> list[str]:
        """The version's signatures, status and frozen text must be what its audit trail says
        happened (a sign-off forged in SQL has no entry; see services/audit_replay.py)."""
        entries = [
            e for e in self._audit.trail_of(session, v.agreement_id) if e.version_number == v.number
        ]
        if not entries:
            # Versions made before the audit trail existed have none; one made since must.
            first = self._audit.first_entry_at(session)
            made_since = first is not None and _naive(v.created_at) > _naive(first)
            if made_since and (v.status != "draft" or any(s.signed_on for s in v.signatories)):
                return [
                    f"Version {v.number} has no history at all, yet is "
                    f"{label(AGREEMENT_STATUSES, v.status).lower()}: it was added or changed "
                    "outside Collab Desktop. Check the signed paper copy before relying on it."
                ]
            return []
        return signing_discrepancies(
            v.number, v.status, v.content, v.fingerprint,
            [SignatureOnRecord(s.id, s.name, s.signed_on) for s in v.signatories], entries,
            check_text,
        )  # fmt: skip

    # -- creating --------------------------------------------------------------------------

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

    def parts_of(self, version_id: uuid.UUID) -> PartsPlan:
        """The parts a draft's template names and who plays them now, to change later."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            members = [(m.organisation_id, m.organisation.name, m.role)
                       for m in v.agreement.collaboration.members]  # fmt: skip
            stored = _role_map(v)
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
            open_ = [o for o in source.agreement.versions if o.status in _OPEN]
            if open_:
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

    def change_parts(self, version_id: uuid.UUID, parts: dict[uuid.UUID, str]) -> list[str]:
        """Change which member plays each part of a draft's template, and mend the draft to
        match: the text follows at once (it names parts), and the duties and signature lines
        of a member who gives a part up move to the member who takes it on. Returns what
        could not be moved, for the user to sort out in the tables."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            self._require(v, "draft", "changed")
            members = v.agreement.collaboration.members
            old = _role_map(v) or {}
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
                    person = _best_contact(orgs[target])
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

    # -- editing a draft -------------------------------------------------------------------

    def validate_draft(self, data: VersionData) -> None:
        check = Checker()
        check.required("title", data.title, "a title")
        check.max_length("title", data.title, MAX_NAME, "The title")
        for key, text in data.sections.items():
            if key not in AGREEMENT_SECTIONS:
                check.add(key, "Unknown section.")
            check.max_length(key, text, MAX_TEXT, AGREEMENT_SECTIONS.get(key, key))
        check.plausible_date("next_review", data.next_review, "next review date")
        check.max_length("review_frequency", data.review_frequency, MAX_NAME, "How often")
        check.max_length("reviewers", data.reviewers, MAX_TEXT, "Who reviews")
        for i, r in enumerate(data.responsibilities, start=1):
            check.required(f"responsibilities.{i}", r.what, f"what responsibility {i} is")
            check.max_length(f"responsibilities.{i}", r.what, MAX_TEXT, f"Responsibility {i}")
            check.max_length(
                f"responsibilities.{i}", r.how_often, MAX_NAME, f"How often, in responsibility {i}"
            )
            check.choice(f"responsibilities.{i}", r.area, RESPONSIBILITY_AREAS, "an area")
            check.plausible_date(f"responsibilities.{i}", r.since, "date")
        for i, s in enumerate(data.signatories, start=1):
            check.required(f"signatories.{i}", s.name, f"the name of signatory {i}")
            # A name or job title, one line on the signature block: longer is a paste slip.
            check.max_length(f"signatories.{i}", s.name, MAX_NAME, f"Signatory {i}'s name")
            check.max_length(f"signatories.{i}", s.role, MAX_NAME, f"Signatory {i}'s role")
            check.choice(f"signatories.{i}", s.capacity, SIGNATORY_CAPACITIES, "how they sign")
        check.raise_if_any()

    def save_draft(self, data: VersionData) -> None:
        data.title = clean_line(data.title)
        self.validate_draft(data)
        with self._sessions.begin() as session:
            v = self._load(session, data.id)
            self._require(v, "draft", "edited")
            before = self._live_document(v)
            # The editor showed names where the stored text has tokens: turn them back, so a
            # later rename is followed (services/agreements/party_text.py).
            tokens = _context(v).unrender
            v.agreement.title = data.title
            for key, text in data.sections.items():
                setattr(v, key, tokens(text.strip("\n")))
            v.review_frequency = clean_line(data.review_frequency)
            v.reviewers = tokens(clean(data.reviewers))
            v.next_review = data.next_review
            _replace_rows(session, v, data, tokens)
            # Reload who each row names (its keys may have changed) before describing the edit.
            session.flush()
            for row in v.responsibilities:
                session.expire(row, ["organisation", "contact"])
            for row in v.signatories:
                session.expire(row, ["organisation"])
            summary, details = describe_changes(before, self._live_document(v))
            self._log(session, v, "edited", summary, **details)

    # -- sign-off --------------------------------------------------------------------------

    def send_for_signatures(self, version_id: uuid.UUID) -> str:
        """Freeze the text and store its fingerprint. Returns the fingerprint."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            self._require(v, "draft", "sent for signatures")
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
                       if m.role == "host"} | set(_role_map(v).get("host", []))  # fmt: skip
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
            context = _context(v)
            doc = self._live_document(v, context)
            # The names it was sent with, so a later rename is not mistaken for tampering.
            v.content = freeze(replace(doc, extra=_names_extra(context)))
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
            self._require(v, "awaiting_signatures", "returned to draft")
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
            late_witness = v.status == "signed_off" and not s.required
            if not late_witness:
                self._require(v, "awaiting_signatures", "signed")
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
            if not (s.version.status == "signed_off" and not s.required):
                self._require(s.version, "awaiting_signatures", "changed")
            self._log(
                session, s.version, "signature_cleared", f"Signature cleared: {s.name}",
                signatory_id=str(s.id),
            )  # fmt: skip
            _clear(s)

    def void(self, version_id: uuid.UUID, reason: str) -> None:
        reason = clean(reason)
        if not reason:
            raise ValidationError.single("reason", "Please say why this version is void.")
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            if v.status in ("void", "superseded"):
                raise StateError(
                    f"Version {v.number} is {label(AGREEMENT_STATUSES, v.status).lower()} "
                    "already; there is nothing to withdraw."
                )
            v.status = "void"
            v.void_reason = reason
            v.voided_at = utcnow()
            self._log(session, v, "voided", f"Made void: {reason}")

    def delete_draft(self, version_id: uuid.UUID) -> uuid.UUID | None:
        """Delete a draft that was never sent for signatures (a mistake nobody saw: voiding it
        would keep it on record for ever). The history keeps a record of it, text and all.
        Returns the version to show next, or None when the agreement had no other."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            self._require(v, "draft", "deleted")
            if self._was_sent(session, v):
                raise StateError(
                    f"Version {v.number} was sent for signatures once, so it stays on record: "
                    "make it void instead, with the reason."
                )
            agreement = v.agreement
            others = [o for o in agreement.versions if o is not v]
            self._log(
                session, v, "deleted",
                f"Draft version {v.number} deleted (it was never sent for signatures)",
                title=agreement.title, document=freeze(self._live_document(v)),
            )  # fmt: skip
            session.delete(v)
            if not others:
                session.delete(agreement)
                return None
            return max(others, key=lambda o: o.number).id

    @staticmethod
    def _was_sent(session: Session, v: AgreementVersion) -> bool:
        if v.sent_at is not None or v.fingerprint:
            return True
        sent = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.agreement_id == v.agreement_id,
                AuditEntry.version_number == v.number,
                AuditEntry.action == "sent",
            )
        )
        return bool(sent)

    def mark_ended(self, version_id: uuid.UUID) -> None:
        """The collaboration stopped: the signed-off agreement stays on record as ended."""
        with self._sessions.begin() as session:
            v = self._load(session, version_id)
            self._require(v, "signed_off", "marked as ended")
            v.status = "ended"
            self._log(session, v, "ended", "Marked as ended (the collaboration stopped)")

    def template_body(self, version_id: uuid.UUID) -> dict:
        """This version as a template: parties become their roles, so it fits any
        collaboration of the same shape."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            roles = {m.organisation_id: m.role for m in v.agreement.collaboration.members}
            stored = _role_map(v)
            for role, ids in stored.items():
                for org in ids:
                    roles[uuid.UUID(org)] = role
            context = _context(v)

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

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _load(session: Session, version_id: uuid.UUID) -> AgreementVersion:
        v = session.get(AgreementVersion, version_id)
        if v is None:
            raise NotFound("That agreement version no longer exists.")
        return v

    @staticmethod
    def _require(v: AgreementVersion, status: str, action: str) -> None:
        if v.status != status:
            now = label(AGREEMENT_STATUSES, v.status).lower()
            hint = {
                "draft": " Use “New version” to make a changed copy.",
                "awaiting_signatures": "",
            }.get(status, "")
            raise StateError(f"Version {v.number} is {now}, so it cannot be {action}.{hint}")

    @classmethod
    def _document(cls, v: AgreementVersion, printed_on: date | None = None) -> AgreementDocument:
        """What prints: the content frozen when it went for signatures (or, for a draft, the
        live records), with the current status and record of signing laid over it."""
        if not v.content:
            live = cls._live_document(v)
            return replace(live, fingerprint=content_fingerprint(live), printed_on=printed_on)
        frozen = thaw(v.content)
        return replace(
            frozen,
            status=v.status,
            status_label=label(AGREEMENT_STATUSES, v.status),
            fingerprint=v.fingerprint,
            signatories=[
                replace(
                    line,
                    signed_on=s.signed_on,
                    method=label(SIGNATURE_METHODS, s.method),
                    recorded_by=s.recorded_by,
                )
                for line, s in zip(frozen.signatories, v.signatories, strict=True)
            ],
            signed_off_on=v.signed_off_on,
            void_reason=v.void_reason,
            printed_on=printed_on,
        )

    @staticmethod
    def _live_document(
        v: AgreementVersion, context: TextContext | None = None
    ) -> AgreementDocument:
        collaboration = v.agreement.collaboration
        orgs = {m.organisation_id: m.organisation for m in collaboration.members}
        text = (context or _context(v)).render

        def party_name(r: Responsibility) -> str:
            if r.contact is not None:
                return f"{r.contact.name} ({r.contact.organisation.name})"
            if r.organisation is not None:
                return r.organisation.name
            return "Joint"

        return AgreementDocument(
            title=v.agreement.title,
            collaboration=collaboration.name,
            version=v.number,
            status=v.status,
            status_label=label(AGREEMENT_STATUSES, v.status),
            fingerprint=v.fingerprint,
            parties=[
                PartyLine(
                    name=m.organisation.name,
                    role=_part_label(v, m),
                    kind=label(ORGANISATION_KINDS, m.organisation.kind),
                    details=_org_details(m.organisation),
                )
                for m in collaboration.members
            ],
            responsibilities=[
                ResponsibilityLine(
                    party=party_name(r),
                    area=label(RESPONSIBILITY_AREAS, r.area),
                    what=text(r.what),
                    how_often=r.how_often,
                    since=r.since,
                )
                for r in v.responsibilities
            ],
            sections=[
                SectionText(title, text(getattr(v, key)))
                for key, title in AGREEMENT_SECTIONS.items()
            ],
            signatories=[
                SignatoryLine(
                    name=s.name,
                    role=s.role,
                    organisation=(s.organisation or orgs[s.organisation_id]).name
                    if s.organisation_id
                    else "",
                    capacity=label(SIGNATORY_CAPACITIES, s.capacity),
                    required=s.required,
                    signed_on=s.signed_on,
                    method=label(SIGNATURE_METHODS, s.method),
                    recorded_by=s.recorded_by,
                )
                for s in v.signatories
            ],
            setting=label(SETTINGS, collaboration.setting),
            site=collaboration.site,
            start_date=collaboration.start_date,
            end_date=collaboration.end_date,
            review_frequency=v.review_frequency,
            reviewers=text(v.reviewers),
            next_review=v.next_review,
            signed_off_on=v.signed_off_on,
            void_reason=v.void_reason,
        )


def _naive(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they are all stored in UTC."""
    return (
        moment.replace(tzinfo=None)
        if moment.tzinfo is None
        else moment.astimezone(timezone.utc).replace(tzinfo=None)
    )


# -- the names in the text (services/agreements/party_text.py) ------------------------------------


def _role_map(v: AgreementVersion) -> dict[str, list[str]]:
    """part -> organisation ids (strings), as stored; {} for a version that keeps none."""
    try:
        found = json.loads(v.role_map or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _part_label(v: AgreementVersion, m: Member) -> str:
    """The part a member plays in this agreement (a charity recorded as "Partner" may lead
    it); its own role where the agreement gives it none."""
    plays = {org: role for role, ids in _role_map(v).items() for org in ids}
    return label(MEMBER_ROLES, plays.get(str(m.organisation_id), m.role))


def _context(v: AgreementVersion) -> TextContext:
    """What each token in this version's text stands for, from the records as they are."""
    collaboration = v.agreement.collaboration
    session = object_session(v)
    names = {m.organisation_id: m.organisation.name for m in collaboration.members}
    stored = _role_map(v)
    if stored:
        playing = {role: [uuid.UUID(i) for i in ids] for role, ids in stored.items()}
    else:  # no parts kept: each member plays the part of its own role
        playing = {}
        for m in collaboration.members:
            playing.setdefault(m.role, []).append(m.organisation_id)
    for ids in playing.values():
        for org_id in ids:
            if org_id not in names and session is not None:
                org = session.get(Organisation, org_id)
                names[org_id] = org.name if org else ""
    role_names = {role: [names[i] for i in ids if names.get(i)] for role, ids in playing.items()}
    facts = {
        "collaboration": collaboration.name,
        "purpose": collaboration.purpose.strip(),
        "site": collaboration.site or join_names(role_names.get("host", [])),
        "activity": _activities_text(session, collaboration),
        "funding": _funding_text(collaboration),
        "lawful_basis": lawful_basis_text(  # issue 15: the data-protection section's reasons
            collaboration.lawful_basis, collaboration.offence_condition,
            collaboration.policy_document, collaboration.policy_document_where,
        ),  # fmt: skip
    }
    return build_context(role_names, {org_token(k): n for k, n in names.items()}, facts)


def _frozen_context(doc: AgreementDocument) -> TextContext | None:
    names = {k.removeprefix("token:"): v for k, v in doc.extra.items() if k.startswith("token:")}
    if not names:
        return None
    return TextContext(names, dict.fromkeys(names, "fact"))


def _names_extra(context: TextContext) -> dict[str, str]:
    return {f"token:{key}": value for key, value in context.values.items()}


_EVERY = {
    "weekly": "{day}s",
    "fortnightly": "every other {day}",
    "four_weekly": "every fourth {day}",
    "monthly": "one {day} a month",
}


def _activities_text(session: Session | None, collaboration: Collaboration) -> str:
    """'Tuesdays, 10:00 to 12:00, in the Lobster Pot' for each of its activities."""
    if session is None:
        return ""
    activities = session.scalars(
        select(Activity)
        .where(Activity.collaboration_id == collaboration.id)
        .order_by(Activity.name)
    ).all()
    said = []
    for a in activities:
        when = _EVERY.get(a.frequency, "{day}s").format(day=WEEKDAYS[a.weekday])
        when = when[:1].upper() + when[1:]
        text = f"{when}, {a.start_time:%H:%M} to {a.end_time:%H:%M}"
        if a.venue:
            text += f", in {a.venue}"
        said.append(text)
    if not said:
        return "at the day, time and place agreed with " + (collaboration.site or "the host")
    return "; ".join(said)


def _funding_text(c: Collaboration) -> str:
    if c.funding_type == "unfunded" or not c.funding_type:
        return "no outside funding"
    kind = label(FUNDING_TYPES, c.funding_type).lower()
    text = {"grant": "a grant", "contract": "a contract", "mixed": "mixed funding"}.get(
        c.funding_type, kind
    )
    if c.funder is not None:
        text += f" {'with' if c.funding_type == 'contract' else 'from'} {c.funder.name}"
    if c.funding_from and c.funding_until:
        text += f", {long_date(c.funding_from)} to {long_date(c.funding_until)}"
    elif c.funding_until:
        text += f", until {long_date(c.funding_until)}"
    elif c.funding_from:
        text += f", from {long_date(c.funding_from)}"
    return text


def _org_details(org: Organisation) -> str:
    parts = []
    if org.charity_number:
        parts.append(f"Registered charity {org.charity_number}")
    if org.company_number:
        parts.append(f"Company {org.company_number}")
    address = ", ".join(p for p in (org.address.replace("\n", ", "), org.town, org.postcode) if p)
    if address:
        parts.append(address)
    return " · ".join(parts)


def _signatory_data(s: Signatory) -> SignatoryData:
    return SignatoryData(
        id=s.id,
        name=s.name,
        role=s.role,
        organisation_id=s.organisation_id,
        capacity=s.capacity,
        required=s.required,
        signed_on=s.signed_on,
        method=s.method,
        recorded_by=s.recorded_by,
    )


def _clear(s: Signatory) -> None:
    s.signed_on = None
    s.method = ""
    s.recorded_by = ""
    s.recorded_at = None


def _replace_rows(
    session: Session,
    v: AgreementVersion,
    data: VersionData,
    tokens: Callable[[str], str] = str,
) -> None:
    """Replace the version's responsibilities and signatories with the edited lists, keeping
    the rows (and their keys) that survive, in the new order."""
    known_orgs = {m.organisation_id for m in v.agreement.collaboration.members}
    for r in data.responsibilities:
        if r.contact_id and session.get(Contact, r.contact_id) is None:
            raise ValidationError.single("responsibilities", "A named contact no longer exists.")
        unknown = r.organisation_id and r.organisation_id not in known_orgs
        if unknown and session.get(Organisation, r.organisation_id) is None:
            raise ValidationError.single("responsibilities", "A partner no longer exists.")
    for s in data.signatories:
        unknown = s.organisation_id and s.organisation_id not in known_orgs
        if unknown and session.get(Organisation, s.organisation_id) is None:
            raise ValidationError.single("signatories", "A signer's organisation no longer exists.")
    old = {r.id: r for r in v.responsibilities}
    rows = []
    for position, r in enumerate(data.responsibilities):
        row = old.pop(r.id, None) if r.id else None
        row = row or Responsibility()
        row.position = position
        row.what = tokens(clean(r.what))
        row.area = r.area
        row.how_often = clean_line(r.how_often)
        row.contact_id = r.contact_id
        row.organisation_id = None if r.contact_id else r.organisation_id
        row.since = r.since
        rows.append(row)
    v.responsibilities = rows
    old_s = {s.id: s for s in v.signatories}
    signatories = []
    for position, s in enumerate(data.signatories):
        row = old_s.pop(s.id, None) if s.id else None
        row = row or Signatory(name="")
        row.position = position
        row.name = clean_line(s.name)
        row.role = clean_line(s.role)
        row.organisation_id = s.organisation_id
        row.capacity = s.capacity
        row.required = s.required if s.capacity != "witness" else False
        signatories.append(row)
    v.signatories = signatories


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
            person = _best_contact(m.organisation)
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


def _best_contact(org: Organisation) -> Contact | None:
    """Who usually signs for an organisation: its first strategic contact, else anyone."""
    strategic = [c for c in org.contacts if c.level == "strategic"]
    candidates = strategic or org.contacts
    return candidates[0] if candidates else None
