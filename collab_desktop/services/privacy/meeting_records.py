"""Meetings in everything about a person (issue 15, with issue 14's meetings): the meetings a
contact was invited to (and how they answered, or whom they stood in for) and the actions
they were given. Added to every subject access export through register_gatherer().

Attendees and action owners keep the contact's id and a copy of the name (the id is cleared
if the contact is removed), so both are matched: a name alone only where no id is kept."""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from collab_desktop.models import Collaboration, Meeting, MeetingAction, MeetingAttendee
from collab_desktop.models.enums import MEETING_KINDS, MEETING_RESPONSES, label
from collab_desktop.pdf.subject_access_data import Section
from collab_desktop.services.privacy.people import CONTACT
from collab_desktop.services.privacy.subject_access import Subject, _d, register_gatherer


def _theirs(contact_column, name_column, who: Subject):
    return or_(
        contact_column == who.ref.id, and_(contact_column.is_(None), name_column == who.name)
    )


def meetings_attended(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != CONTACT:
        return None
    section = Section(
        "Meetings they were invited to",
        ["Date", "Meeting", "Collaboration", "Answer", "Standing in for"],
    )
    for held_on, kind, title, collaboration, response, substitute_for in session.execute(
        select(Meeting.held_on, Meeting.kind, Meeting.title, Collaboration.name,
               MeetingAttendee.response, MeetingAttendee.substitute_for)
        .select_from(MeetingAttendee)
        .join(Meeting, MeetingAttendee.meeting_id == Meeting.id)
        .join(Collaboration, Meeting.collaboration_id == Collaboration.id)
        .where(_theirs(MeetingAttendee.contact_id, MeetingAttendee.name, who))
        .order_by(Meeting.held_on)
    ):  # fmt: skip
        meeting = title or f"{label(MEETING_KINDS, kind)} meeting"
        section.rows.append([
            _d(held_on), meeting, collaboration, label(MEETING_RESPONSES, response),
            substitute_for,
        ])  # fmt: skip
    return section


def actions_owned(session: Session, who: Subject) -> Section | None:
    if who.ref.kind != CONTACT:
        return None
    section = Section(
        "Actions from meetings given to them", ["Meeting", "Collaboration", "Action", "Due", "Done"]
    )
    for held_on, kind, collaboration, what, due_on, done_on in session.execute(
        select(Meeting.held_on, Meeting.kind, Collaboration.name, MeetingAction.what,
               MeetingAction.due_on, MeetingAction.done_on)
        .select_from(MeetingAction)
        .join(Meeting, MeetingAction.meeting_id == Meeting.id)
        .join(Collaboration, Meeting.collaboration_id == Collaboration.id)
        .where(_theirs(MeetingAction.contact_id, MeetingAction.owner_name, who))
        .order_by(Meeting.held_on, MeetingAction.position)
    ):  # fmt: skip
        meeting = f"{label(MEETING_KINDS, kind)} meeting, {_d(held_on)}"
        section.rows.append([meeting, collaboration, what, _d(due_on), _d(done_on) or "not yet"])
    return section


register_gatherer(meetings_attended)
register_gatherer(actions_owned)
