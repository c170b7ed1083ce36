"""Collaborations and their members."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import Activity, Agreement, Collaboration, Member, Organisation
from collab_desktop.models.database import driver_connection
from collab_desktop.models.enums import (
    COLLABORATION_STATUSES,
    FUNDING_TYPES,
    MEMBER_ROLES,
    SETTINGS,
)
from collab_desktop.services.delivery.activities import replan
from collab_desktop.services.errors import InUse, NotFound, ValidationError
from collab_desktop.services.list_rows import CollaborationRow, collaboration_rows
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean_line


@dataclass
class MemberData:
    organisation_id: uuid.UUID
    role: str = "partner"
    organisation: str = ""  # filled in when read; ignored when saving


@dataclass
class CollaborationData:
    name: str = ""
    purpose: str = ""
    setting: str = "custody"
    site: str = ""
    start_date: date | None = None
    end_date: date | None = None
    status: str = "planning"
    funding_type: str = "unfunded"
    funder_id: uuid.UUID | None = None
    funding_from: date | None = None
    funding_until: date | None = None
    notes: str = ""
    members: list[MemberData] = field(default_factory=list)
    id: uuid.UUID | None = None
    # Issue 15: why personal data is kept (enums.LAWFUL_BASES, OFFENCE_CONDITIONS, POLICY_DOCUMENT).
    lawful_basis: str = ""
    offence_condition: str = ""
    policy_document: str = ""
    policy_document_where: str = ""


class CollaborationService:
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def list_collaborations(self) -> list[CollaborationRow]:
        # The read the collaborations page also runs ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return collaboration_rows(connection)

    def get_collaboration(self, collaboration_id: uuid.UUID) -> CollaborationData:
        with self._sessions() as session:
            c = session.get(Collaboration, collaboration_id)
            if c is None:
                raise NotFound("That collaboration no longer exists.")
            return CollaborationData(
                id=c.id,
                name=c.name,
                purpose=c.purpose,
                setting=c.setting,
                site=c.site,
                start_date=c.start_date,
                end_date=c.end_date,
                status=c.status,
                funding_type=c.funding_type,
                funder_id=c.funder_id,
                funding_from=c.funding_from,
                funding_until=c.funding_until,
                notes=c.notes,
                lawful_basis=c.lawful_basis,
                offence_condition=c.offence_condition,
                policy_document=c.policy_document,
                policy_document_where=c.policy_document_where,
                members=[
                    MemberData(m.organisation_id, m.role, m.organisation.name) for m in c.members
                ],
            )

    def validate(self, data: CollaborationData) -> None:
        check = Checker()
        check.required("name", data.name, "a name for the collaboration")
        check.max_length("name", data.name, MAX_NAME, "The name")
        check.max_length("purpose", data.purpose, MAX_TEXT, "The purpose")
        check.choice("setting", data.setting, SETTINGS, "a setting")
        check.choice("status", data.status, COLLABORATION_STATUSES, "a status")
        check.choice("funding_type", data.funding_type, FUNDING_TYPES, "the kind of funding")
        check.plausible_date("start_date", data.start_date, "start date")
        check.plausible_date("end_date", data.end_date, "end date")
        check.date_order("end_date", data.start_date, data.end_date, "start date", "end date")
        check.date_order(
            "funding_until", data.funding_from, data.funding_until, "funding start", "funding end"
        )
        seen: set[uuid.UUID] = set()
        for i, member in enumerate(data.members):
            check.choice(f"members.{i}.role", member.role, MEMBER_ROLES, "a role")
            if member.organisation_id in seen:
                check.add(
                    "members",
                    f"{member.organisation or 'A partner'} is listed twice: give each "
                    "organisation one role.",
                )
            seen.add(member.organisation_id)
        check.raise_if_any()

    def save_collaboration(self, data: CollaborationData) -> uuid.UUID:
        data.name = clean_line(data.name)
        self.validate(data)
        with self._sessions.begin() as session:
            if data.funder_id and session.get(Organisation, data.funder_id) is None:
                raise ValidationError.single("funder_id", "That funder no longer exists.")
            if data.id is None:
                c = Collaboration()
                session.add(c)
            else:
                c = session.get(Collaboration, data.id)
                if c is None:
                    raise NotFound("That collaboration was deleted while you were editing it.")
            for attr in (
                "name", "purpose", "setting", "site", "start_date", "end_date", "status",
                "funding_type", "funder_id", "funding_from", "funding_until", "notes",
                "lawful_basis", "offence_condition", "policy_document", "policy_document_where",
            ):  # fmt: skip
                setattr(c, attr, getattr(data, attr))
            c.site = clean_line(c.site)
            self._sync_members(session, c, data.members)
            session.flush()
            # Its dates bound its activities' sessions: plan those again on the next look.
            replan(session, Activity.collaboration_id == c.id)
            return c.id

    @staticmethod
    def _sync_members(session: Session, c: Collaboration, wanted: list[MemberData]) -> None:
        for member in wanted:
            if session.get(Organisation, member.organisation_id) is None:
                raise ValidationError.single("members", "One of the partners no longer exists.")
        existing = {m.organisation_id: m for m in c.members}
        members = []
        for position, data in enumerate(wanted):
            member = existing.pop(data.organisation_id, None) or Member(
                organisation_id=data.organisation_id
            )
            member.role = data.role
            member.position = position
            members.append(member)
        c.members = members

    def delete_collaboration(self, collaboration_id: uuid.UUID) -> None:
        with self._sessions.begin() as session:
            c = session.get(Collaboration, collaboration_id)
            if c is None:
                return
            if session.execute(
                select(Agreement.id).where(Agreement.collaboration_id == c.id).limit(1)
            ).first():
                raise InUse(
                    f"“{c.name}” has agreements, which must stay on record. Set its status to "
                    "Ended instead."
                )
            if session.execute(
                select(Activity.id).where(Activity.collaboration_id == c.id).limit(1)
            ).first():
                raise InUse(
                    f"“{c.name}” has activities, whose sessions and attendance must stay on "
                    "record. Set its status to Ended instead."
                )
            session.delete(c)
