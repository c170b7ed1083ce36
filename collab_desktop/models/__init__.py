"""SQLAlchemy 2 typed ORM classes and the database set-up. No Qt here."""

from collab_desktop.models.agreement import (
    Agreement,
    AgreementVersion,
    Responsibility,
    Signatory,
    Template,
)
from collab_desktop.models.audit import AuditEntry
from collab_desktop.models.base import Base
from collab_desktop.models.collaboration import Collaboration, Member
from collab_desktop.models.delivery import (
    Activity,
    ActivitySession,
    Attendance,
    Enrolment,
    Facilitator,
    Participant,
    SessionLeader,
)
from collab_desktop.models.organisation import Contact, Organisation
from collab_desktop.models.volunteer import Clearance, Volunteer

__all__ = [
    "AuditEntry",
    "Activity",
    "ActivitySession",
    "Attendance",
    "Clearance",
    "Enrolment",
    "Facilitator",
    "Participant",
    "SessionLeader",
    "Volunteer",
    "Agreement",
    "AgreementVersion",
    "Base",
    "Collaboration",
    "Contact",
    "Member",
    "Organisation",
    "Responsibility",
    "Signatory",
    "Template",
]
