"""SQLAlchemy 2 typed ORM classes and the database set-up. No Qt here.

The classes are loaded on first use (`from collab_desktop.models import Activity` works as
ever), all together, so that their metadata is complete. Until then this package costs
nothing: collab_desktop.models.enums, which the first page uses, must not load SQLAlchemy
(services/quick_open.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        LeaderMinutes,
        Participant,
        SessionLeader,
    )
    from collab_desktop.models.exchange import (
        ExchangeBase,
        ExchangeHistory,
        ExchangeIdentity,
        ExchangePeer,
    )
    from collab_desktop.models.meeting import (
        Meeting,
        MeetingAction,
        MeetingAttendee,
        MeetingDecision,
    )
    from collab_desktop.models.organisation import Contact, Organisation
    from collab_desktop.models.privacy import ErasureRequest
    from collab_desktop.models.returns import (
        MonitoringReturn,
        ReturnFigure,
        ReturnQuery,
        ReturnTemplate,
        TemplateIndicator,
    )
    from collab_desktop.models.volunteer import Clearance, Volunteer

__all__ = [
    "AuditEntry",
    "Activity",
    "ActivitySession",
    "Attendance",
    "Clearance",
    "Enrolment",
    "ErasureRequest",
    "Facilitator",
    "LeaderMinutes",
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
    "MonitoringReturn",
    "ReturnFigure",
    "ReturnQuery",
    "ReturnTemplate",
    "TemplateIndicator",
    "ExchangeBase",
    "ExchangeHistory",
    "ExchangeIdentity",
    "ExchangePeer",
    "Meeting",
    "MeetingAction",
    "MeetingAttendee",
    "MeetingDecision",
]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from collab_desktop.models import (
        agreement,
        audit,
        base,
        collaboration,
        delivery,
        exchange,
        meeting,
        organisation,
        privacy,
        returns,
        volunteer,
    )

    modules = (
        agreement, audit, base, collaboration, delivery, exchange, meeting, organisation,
        privacy, returns, volunteer,
    )
    for module in modules:
        for attribute in __all__:
            if hasattr(module, attribute):
                globals()[attribute] = getattr(module, attribute)
    return globals()[name]
