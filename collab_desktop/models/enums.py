"""The fixed choices of the domain, each as (stored value, label a person reads).

Plain Python with no SQLAlchemy import, so the UI shell can build its menus before the ORM is
loaded. Stored values never change once released (they are in users' databases); labels may.
"""

from __future__ import annotations

ORGANISATION_KINDS: dict[str, str] = {
    "charity": "Charity",
    "social_enterprise": "Social enterprise",
    "prison": "Prison",
    "probation": "Probation",
    "police_pcc": "Police / PCC",
    "health": "NHS / health",
    "local_authority": "Local authority",
    "university": "University",
    "funder": "Funder",
    "housing": "Housing",
    "other": "Other",
}

CONTACT_LEVELS: dict[str, str] = {
    "strategic": "Strategic",
    "operational": "Operational",
}

MEMBER_ROLES: dict[str, str] = {
    "lead": "Lead partner",
    "partner": "Partner",
    "subcontractor": "Subcontractor",
    "host": "Host",
    "funder": "Funder",
    "referral": "Referral partner",
}

SETTINGS: dict[str, str] = {
    "custody": "Custody",
    "community": "Community",
    "both": "Custody and community",
}

COLLABORATION_STATUSES: dict[str, str] = {
    "planning": "Planning",
    "active": "Active",
    "paused": "Paused",
    "ended": "Ended",
}

FUNDING_TYPES: dict[str, str] = {
    "unfunded": "Unfunded",
    "grant": "Grant",
    "contract": "Contract",
    "mixed": "Mixed",
}

AGREEMENT_STATUSES: dict[str, str] = {
    "draft": "Draft",
    "awaiting_signatures": "Awaiting signatures",
    "signed_off": "Signed off",
    "superseded": "Superseded",
    "ended": "Ended",
    "void": "Void",
}

RESPONSIBILITY_AREAS: dict[str, str] = {
    "materials": "Materials",
    "attendance": "Attendance",
    "volunteers": "Volunteers",
    "risk_assessment": "Risk assessment",
    "safeguarding": "Safeguarding",
    "monitoring": "Monitoring",
    "premises": "Premises",
    "communication": "Communication",
    "other": "Other",
}

SIGNATORY_CAPACITIES: dict[str, str] = {
    "party": "Party",
    "host_approver": "Host's approver",
    "witness": "Witness",
}

SIGNATURE_METHODS: dict[str, str] = {
    "wet_ink": "Wet ink on the printed copy",
    "typed": "Typed name",
    "drawn": "Drawn signature",
}

# The written sections of an agreement, in the order they print. Parties, responsibilities,
# review arrangements and signatures are structured data and print from their own tables.
AGREEMENT_SECTIONS: dict[str, str] = {
    "purpose": "Purpose",
    "oversight": "Joint oversight and review",
    "information_sharing": "Information sharing and data protection",
    "safeguarding": "Safeguarding and risk",
    "monitoring": "Monitoring",
    "money": "Money",
    "disputes": "Disputes",
    "changes_ending": "Changes and ending",
    "term": "Term",
}


def label(choices: dict[str, str], value: str | None) -> str:
    """The label for a stored value; an unknown value prints as itself rather than failing."""
    if not value:
        return ""
    return choices.get(value, value)


# -- delivery: activities, sessions, attendance sheets, volunteers ---------------------------

# Index is date.weekday(): Monday is 0.
WEEKDAYS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

FREQUENCIES: dict[str, str] = {
    "weekly": "Every week",
    "fortnightly": "Every two weeks",
    "four_weekly": "Every four weeks",
    "monthly": "Once a month (same week of the month)",
}

# How much of a participant's name an attendance sheet prints. Paper carried into a prison
# should carry as little as will do, so custody activities start at "initials".
NAME_PRINTING: dict[str, str] = {
    "full": "Full name",
    "first_initial": "First name and initial",
    "initials": "Initials only",
}

SESSION_STATUSES: dict[str, str] = {
    "planned": "Planned",
    "held": "Held",
    "cancelled": "Cancelled",
}

CANCEL_REASONS: dict[str, str] = {
    "lockdown": "Lock-down",
    "staff_shortage": "Staff shortage",
    "facilitator_unavailable": "Facilitator not available",
    "room_unavailable": "Room not available",
    "holiday": "Holiday",
    "low_numbers": "Too few participants",
    "other": "Other",
}

CHECKS: dict[str, str] = {
    "dbs_enhanced": "Enhanced DBS",
    "dbs_basic": "Basic DBS",
    "prison_vetting": "Prison security vetting",
    "ctc": "Counter-terrorist check (CTC)",
    "pvg": "PVG (Scotland)",
    "other": "Other",
}


# -- meetings of a collaboration (issue 14) ---------------------------------------------------

MEETING_KINDS: dict[str, str] = {
    "review": "Review",
    "board": "Board",
    "operational": "Operational",
    "other": "Other",
}

MEETING_STATUSES: dict[str, str] = {
    "planned": "Planned",
    "held": "Held",
}

# How one invited person (for one organisation) answered.
MEETING_RESPONSES: dict[str, str] = {
    "invited": "Invited",
    "attended": "Attended",
    "apologies": "Sent apologies",
    "absent": "Did not come",
}

REVIEW_OUTCOMES: dict[str, str] = {
    "": "Not recorded",
    "no_change": "Reviewed, no change",
    "new_version": "A new version started",
}

# Issue 15: why a collaboration keeps personal data (UK GDPR Article 6) and, for custody
# work, the condition for criminal-offence data (Data Protection Act 2018, Schedule 1).
LAWFUL_BASES: dict[str, str] = {
    "": "Not recorded yet",
    "consent": "Consent",
    "contract": "Contract",
    "legal_obligation": "Legal obligation",
    "vital_interests": "Vital interests",
    "public_task": "Public task",
    "legitimate_interests": "Legitimate interests",
}

OFFENCE_CONDITIONS: dict[str, str] = {
    "": "Not recorded yet",
    "consent": "Consent (Schedule 1, para 29)",
    "safeguarding": "Safeguarding of children and individuals at risk (para 18)",
    "statutory": "Statutory and government purposes (para 6)",
    "not_for_profit": "Not-for-profit bodies (para 31)",
    "legal_claims": "Legal claims (para 33)",
    "other": "Other (see the policy document)",
}

POLICY_DOCUMENT: dict[str, str] = {
    "": "Not recorded yet",
    "yes": "Yes",
    "no": "No",
}
