"""What an agreement version prints (pdf/document.AgreementDocument): the text frozen when it
was sent for signatures, or a draft's live records, with the names each token in the text
stands for."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from collab_desktop.models import (
    Activity,
    AgreementVersion,
    Collaboration,
    Member,
    Organisation,
    Responsibility,
)
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
from collab_desktop.services.agreements.fingerprint import content_fingerprint
from collab_desktop.services.agreements.party_text import (
    TextContext,
    build_context,
    join_names,
    lawful_basis_text,
    org_token,
)
from collab_desktop.services.agreements.snapshot import thaw


def printable_document(v: AgreementVersion, printed_on: date | None = None) -> AgreementDocument:
    """What prints: the content frozen when it went for signatures (or, for a draft, the
    live records), with the current status and record of signing laid over it."""
    if not v.content:
        live = live_document(v)
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


def live_document(v: AgreementVersion, context: TextContext | None = None) -> AgreementDocument:
    collaboration = v.agreement.collaboration
    orgs = {m.organisation_id: m.organisation for m in collaboration.members}
    text = (context or text_context(v)).render

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
                role=part_label(v, m),
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
            SectionText(title, text(getattr(v, key))) for key, title in AGREEMENT_SECTIONS.items()
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


# -- the names in the text (services/agreements/party_text.py) ------------------------------------


def role_map_of(v: AgreementVersion) -> dict[str, list[str]]:
    """part -> organisation ids (strings), as stored; {} for a version that keeps none."""
    try:
        found = json.loads(v.role_map or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def part_label(v: AgreementVersion, m: Member) -> str:
    """The part a member plays in this agreement (a charity recorded as "Partner" may lead
    it); its own role where the agreement gives it none."""
    plays = {org: role for role, ids in role_map_of(v).items() for org in ids}
    return label(MEMBER_ROLES, plays.get(str(m.organisation_id), m.role))


def text_context(v: AgreementVersion) -> TextContext:
    """What each token in this version's text stands for, from the records as they are."""
    collaboration = v.agreement.collaboration
    session = object_session(v)
    names = {m.organisation_id: m.organisation.name for m in collaboration.members}
    stored = role_map_of(v)
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
            collaboration.lawful_basis,
            collaboration.offence_condition,
            collaboration.policy_document,
            collaboration.policy_document_where,
        ),  # fmt: skip
    }
    return build_context(role_names, {org_token(k): n for k, n in names.items()}, facts)


def frozen_context(doc: AgreementDocument) -> TextContext | None:
    names = {k.removeprefix("token:"): v for k, v in doc.extra.items() if k.startswith("token:")}
    if not names:
        return None
    return TextContext(names, dict.fromkeys(names, "fact"))


def names_extra(context: TextContext) -> dict[str, str]:
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
