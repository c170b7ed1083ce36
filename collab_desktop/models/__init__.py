"""SQLAlchemy 2 typed ORM classes and the database set-up. No Qt here."""

from collab_desktop.models.agreement import (
    Agreement,
    AgreementVersion,
    Responsibility,
    Signatory,
    Template,
)
from collab_desktop.models.base import Base
from collab_desktop.models.collaboration import Collaboration, Member
from collab_desktop.models.organisation import Contact, Organisation

__all__ = [
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
