"""Joint agreements: drafting from a template, the sign-off lifecycle and the printable form.

Lifecycle: draft -> awaiting_signatures (text frozen, fingerprint stored) -> signed_off (every
required signatory recorded) -> superseded (a newer version signed off) or ended; any version
not yet superseded can be made void, with a reason. A version past draft is never edited: a
change is a new draft version copied from it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

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
from collab_desktop.models.base import utcnow
from collab_desktop.models.enums import (
    AGREEMENT_SECTIONS,
    AGREEMENT_STATUSES,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    RESPONSIBILITY_AREAS,
    SETTINGS,
    SIGNATORY_CAPACITIES,
    SIGNATURE_METHODS,
    label,
)
from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SectionText,
    SignatoryLine,
)
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.changes import describe_changes
from collab_desktop.services.errors import NotFound, StateError, ValidationError
from collab_desktop.services.fingerprint import content_fingerprint, normalise_typed
from collab_desktop.services.snapshot import freeze, thaw
from collab_desktop.services.templates import TemplateService
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line

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
    # Signs that the stored record was changed outside the app (see tamper_warnings).
    warnings: list[str] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    @property
    def status_label(self) -> str:
        return label(AGREEMENT_STATUSES, self.status)


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
        with self._sessions() as session:
            v = self._load(session, version_id)
            collaboration = v.agreement.collaboration
            return VersionData(
                id=v.id,
                agreement_id=v.agreement_id,
                collaboration_id=collaboration.id,
                collaboration=collaboration.name,
                title=v.agreement.title,
                number=v.number,
                status=v.status,
                sections={key: getattr(v, key) for key in AGREEMENT_SECTIONS},
                review_frequency=v.review_frequency,
                reviewers=v.reviewers,
                next_review=v.next_review,
                responsibilities=[
                    ResponsibilityData(
                        id=r.id,
                        what=r.what,
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
                    PartyChoice(m.organisation_id, m.organisation.name, label(MEMBER_ROLES, m.role))
                    for m in collaboration.members
                ],
                versions=[VersionSummary(o.id, o.number, o.status) for o in v.agreement.versions],
                signed_off_on=v.signed_off_on,
                void_reason=v.void_reason,
                warnings=self._tamper_warnings(v),
            )

    def document(self, version_id: uuid.UUID, printed_on: date | None = None) -> AgreementDocument:
        """The version as plain data for the PDF builder."""
        with self._sessions() as session:
            v = self._load(session, version_id)
            doc = self._document(v, printed_on)
        return doc

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
        live = self._live_document(v)
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

    # -- creating --------------------------------------------------------------------------

    def create_agreement(
        self, collaboration_id: uuid.UUID, template_key: str | None, title: str = ""
    ) -> uuid.UUID:
        """A new agreement with a first draft version, from a template or blank. The
        template's parties ("lead", "partner", "host"…) become the members in those roles."""
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
            _apply_template(session, version, collaboration.members, body)
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
            copy.review_frequency = source.review_frequency
            copy.reviewers = source.reviewers
            copy.next_review = source.next_review
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
        for i, r in enumerate(data.responsibilities, start=1):
            check.required(f"responsibilities.{i}", r.what, f"what responsibility {i} is")
            check.choice(f"responsibilities.{i}", r.area, RESPONSIBILITY_AREAS, "an area")
            check.plausible_date(f"responsibilities.{i}", r.since, "date")
        for i, s in enumerate(data.signatories, start=1):
            check.required(f"signatories.{i}", s.name, f"the name of signatory {i}")
            check.choice(f"signatories.{i}", s.capacity, SIGNATORY_CAPACITIES, "how they sign")
        check.raise_if_any()

    def save_draft(self, data: VersionData) -> None:
        data.title = clean_line(data.title)
        self.validate_draft(data)
        with self._sessions.begin() as session:
            v = self._load(session, data.id)
            self._require(v, "draft", "edited")
            before = self._live_document(v)
            v.agreement.title = data.title
            for key, text in data.sections.items():
                setattr(v, key, text.strip("\n"))
            v.review_frequency = clean_line(data.review_frequency)
            v.reviewers = clean(data.reviewers)
            v.next_review = data.next_review
            _replace_rows(session, v, data)
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
            hosts = [m for m in v.agreement.collaboration.members if m.role == "host"]
            if hosts and not any(s.capacity == "host_approver" and s.required for s in required):
                problems.add(
                    "signatories",
                    f"{hosts[0].organisation.name} hosts this collaboration: add who signs it "
                    "off for them (as the host's approver).",
                )
            problems.raise_if_any()
            v.status = "awaiting_signatures"
            v.sent_at = utcnow()
            doc = self._live_document(v)
            v.content = freeze(doc)
            v.fingerprint = content_fingerprint(doc)
            self._log(
                session,
                v,
                "sent",
                f"Sent for signatures; text frozen (fingerprint {v.fingerprint})",
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
            )  # fmt: skip
            if all(o.signed_on for o in v.signatories if o.required):
                v.status = "signed_off"
                # A witness may have signed later; sign-off is when the last required one did.
                v.signed_off_on = max(o.signed_on for o in v.signatories if o.required)
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
            self._require(s.version, "awaiting_signatures", "changed")
            self._log(session, s.version, "signature_cleared", f"Signature cleared: {s.name}")
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

            def party(org_id: uuid.UUID | None) -> str:
                return roles.get(org_id, "joint") if org_id else "joint"

            def owner(r: Responsibility) -> uuid.UUID | None:
                return r.contact.organisation_id if r.contact else r.organisation_id

            return {
                "title": v.agreement.title,
                "review_frequency": v.review_frequency,
                "reviewers": v.reviewers,
                "sections": {key: getattr(v, key) for key in AGREEMENT_SECTIONS},
                "responsibilities": [
                    {
                        "party": party(owner(r)),
                        "area": r.area, "what": r.what, "how_often": r.how_often,
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
    def _live_document(v: AgreementVersion) -> AgreementDocument:
        collaboration = v.agreement.collaboration
        orgs = {m.organisation_id: m.organisation for m in collaboration.members}

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
                    role=label(MEMBER_ROLES, m.role),
                    kind=label(ORGANISATION_KINDS, m.organisation.kind),
                    details=_org_details(m.organisation),
                )
                for m in collaboration.members
            ],
            responsibilities=[
                ResponsibilityLine(
                    party=party_name(r),
                    area=label(RESPONSIBILITY_AREAS, r.area),
                    what=r.what,
                    how_often=r.how_often,
                    since=r.since,
                )
                for r in v.responsibilities
            ],
            sections=[
                SectionText(title, getattr(v, key)) for key, title in AGREEMENT_SECTIONS.items()
            ],
            signatories=[
                SignatoryLine(
                    name=s.name,
                    role=s.role,
                    organisation=(s.organisation or orgs.get(s.organisation_id)).name
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
            reviewers=v.reviewers,
            next_review=v.next_review,
            signed_off_on=v.signed_off_on,
            void_reason=v.void_reason,
        )


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


def _replace_rows(session: Session, v: AgreementVersion, data: VersionData) -> None:
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
        row.what = clean(r.what)
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
    session: Session, v: AgreementVersion, members: list[Member], body: dict
) -> None:
    by_role: dict[str, list[Member]] = {}
    for m in members:
        by_role.setdefault(m.role, []).append(m)
    for key in AGREEMENT_SECTIONS:
        setattr(v, key, body.get("sections", {}).get(key, ""))
    v.review_frequency = body.get("review_frequency", "")
    v.reviewers = body.get("reviewers", "")

    responsibilities = []
    for item in body.get("responsibilities", []):
        role = item.get("party", "joint")
        # A role no member holds becomes a joint duty: the user reassigns it in the table.
        owners = by_role.get(role) or [None]
        for owner in owners:
            responsibilities.append(
                Responsibility(
                    organisation_id=owner.organisation_id if owner else None,
                    area=item.get("area", "other"),
                    what=item.get("what", ""),
                    how_often=item.get("how_often", ""),
                )
            )
    signatory_specs = body.get("signatories") or _default_signatories(members)
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


def _default_signatories(members: list[Member]) -> list[dict]:
    specs = [{"party": role, "capacity": "party"} for role in ("lead", "partner", "subcontractor")]
    specs.append({"party": "host", "capacity": "host_approver"})
    return [s for s in specs if any(m.role == s["party"] for m in members)]


def _best_contact(org: Organisation) -> Contact | None:
    """Who usually signs for an organisation: its first strategic contact, else anyone."""
    strategic = [c for c in org.contacts if c.level == "strategic"]
    return (strategic or org.contacts or [None])[0]
