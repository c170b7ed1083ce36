"""What a service call changed: the kinds of record and their ids, so the window can tell every
page once and each page refresh only what concerns it (ui/operations.py broadcasts it).

The services do not each have to remember to say it: a ChangeRecorder listens to the session
factory they share and notes every object a commit inserted, updated or deleted, mapped to its
kind (and its owner's id: a contact is a change to its organisation). Work rolled back is never
reported. A new model is registered once with register_kind(), beside the service that writes
it; an unregistered one is reported as OTHER, so nothing goes missing silently.

Anki's OpChanges is the model (rslib returns what an operation changed, and the Qt side
broadcasts it once); here the ORM's own bookkeeping is the source, so an import that writes
twelve kinds of record is one Changes value."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the pages import Changes before SQLAlchemy is loaded (start-up time)
    from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

T = TypeVar("T")

# The kinds of record pages listen for (the same strings the string signal used to carry).
PARTNERS = "partners"  # organisations and their contacts
COLLABORATIONS = "collaborations"
AGREEMENTS = "agreements"  # agreements, their versions, templates and their audit trail
ACTIVITIES = "activities"
SESSIONS = "sessions"  # a session planned, moved, cancelled, or its register saved
PARTICIPANTS = "participants"
VOLUNTEERS = "volunteers"
MEETINGS = "meetings"  # meetings, their attendance, decisions and actions (issue 14)
RETURNS = "returns"  # monitoring returns and their templates (issue 13)
OTHER = "other"  # a model nobody registered
EVERYTHING = "everything"  # the records were replaced (a restore): every page refreshes


@dataclass(frozen=True)
class Changes:
    """Kinds of record changed, and the ids of the records (and their owners) changed."""

    kinds: frozenset[str] = frozenset()
    ids: frozenset[uuid.UUID] = frozenset()

    @classmethod
    def of(cls, kind: str, *ids: uuid.UUID) -> Changes:
        return cls(frozenset({kind}), frozenset(ids))

    @classmethod
    def everything(cls) -> Changes:
        return cls(frozenset({EVERYTHING}))

    def touches(self, *kinds: str) -> bool:
        """Whether a page showing records of these kinds should refresh."""
        return EVERYTHING in self.kinds or not self.kinds.isdisjoint(kinds)

    def touches_record(self, record_id: uuid.UUID | None) -> bool:
        return EVERYTHING in self.kinds or record_id in self.ids

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.ids | other.ids)

    def __bool__(self) -> bool:
        return bool(self.kinds)


NOTHING = Changes()


@dataclass(frozen=True)
class _Kind:
    kind: str
    owners: tuple[str, ...]  # attributes holding the id of the record this one belongs to


_KINDS: dict[type, list[_Kind]] = {}


def register_kind(model: type, kind: str, owners: Iterable[str] = ()) -> None:
    """Report writes to `model` as changes of `kind`; `owners` name its attributes that hold
    the ids of the records it belongs to (a contact's organisation_id). A model may be
    registered under more than one kind."""
    entries = _KINDS.setdefault(model, [])
    if all(entry.kind != kind for entry in entries):
        entries.append(_Kind(kind, tuple(owners)))


def _register_ours() -> None:
    from collab_desktop import models as m

    for model, kind, owners in (
        (m.Organisation, PARTNERS, ()),
        (m.Contact, PARTNERS, ("organisation_id",)),
        (m.Collaboration, COLLABORATIONS, ()),
        (m.Member, COLLABORATIONS, ("collaboration_id", "organisation_id")),
        (m.Agreement, AGREEMENTS, ("collaboration_id",)),
        (m.AgreementVersion, AGREEMENTS, ("agreement_id",)),
        (m.Responsibility, AGREEMENTS, ("version_id",)),
        (m.Signatory, AGREEMENTS, ("version_id",)),
        (m.Template, AGREEMENTS, ()),
        (m.AuditEntry, AGREEMENTS, ("agreement_id",)),
        (m.Activity, ACTIVITIES, ("collaboration_id",)),
        (m.Facilitator, ACTIVITIES, ("activity_id", "contact_id")),
        (m.ActivitySession, SESSIONS, ("activity_id",)),
        (m.SessionLeader, SESSIONS, ("session_id", "contact_id")),
        (m.Attendance, SESSIONS, ("session_id", "participant_id")),
        (m.Participant, PARTICIPANTS, ()),
        (m.Enrolment, PARTICIPANTS, ("participant_id", "activity_id")),
        (m.Volunteer, VOLUNTEERS, ("contact_id",)),
        (m.Clearance, VOLUNTEERS, ("volunteer_id",)),
        (m.Meeting, MEETINGS, ("collaboration_id",)),
        (m.MeetingAttendee, MEETINGS, ("meeting_id",)),
        (m.MeetingDecision, MEETINGS, ("meeting_id",)),
        (m.MeetingAction, MEETINGS, ("meeting_id",)),
        (m.ReturnTemplate, RETURNS, ()),
        (m.TemplateIndicator, RETURNS, ()),
        (m.MonitoringReturn, RETURNS, ()),
        (m.ReturnFigure, RETURNS, ()),
        (m.ReturnQuery, RETURNS, ()),
    ):
        register_kind(model, kind, owners)


def changes_of(objects: Iterable[object]) -> Changes:
    kinds: set[str] = set()
    ids: set[uuid.UUID] = set()
    for obj in objects:
        entries = _KINDS.get(type(obj)) or [_Kind(OTHER, ())]
        own = getattr(obj, "id", None)
        if isinstance(own, uuid.UUID):
            ids.add(own)
        for entry in entries:
            kinds.add(entry.kind)
            for name in entry.owners:
                owner = getattr(obj, name, None)
                if isinstance(owner, uuid.UUID):
                    ids.add(owner)
    return Changes(frozenset(kinds), frozenset(ids))


def _changes_of_statement(state: ORMExecuteState) -> Changes:
    """An UPDATE or DELETE run as a statement (not through objects): its kind, no ids."""
    mapper = state.bind_mapper
    if mapper is None:
        return Changes(frozenset({OTHER}))
    entries = _KINDS.get(mapper.class_) or [_Kind(OTHER, ())]
    return Changes(frozenset(entry.kind for entry in entries))


_PENDING = "collab_desktop.changes"  # Session.info key: flushed, not yet committed


@dataclass
class ChangeRecorder:
    """Listens to one session factory; during() returns what a call committed."""

    sessions: sessionmaker[Session]
    _collected: list[Changes] = field(default_factory=list)
    _thread: int | None = None  # the thread of the call being recorded

    def __post_init__(self) -> None:
        from sqlalchemy import event

        if not _KINDS:
            _register_ours()
        event.listen(self.sessions, "after_flush", self._flushed)
        event.listen(self.sessions, "do_orm_execute", self._executed)
        event.listen(self.sessions, "after_commit", self._committed)
        event.listen(self.sessions, "after_rollback", self._rolled_back)

    def during(self, call: Callable[[], T]) -> tuple[T, Changes]:
        """Run `call`; return its result and what it committed. A call that raises reports
        nothing to its caller (ui/operations.py broadcasts only on success); the services
        commit once per call, so a failed call has changed nothing."""
        outer, self._collected = self._collected, []
        outer_thread, self._thread = self._thread, threading.get_ident()
        try:
            result = call()
            changes = NOTHING
            for part in self._collected:
                changes = changes | part
            return result, changes
        finally:
            # A call inside another's during() is part of the outer call's changes too.
            self._collected = outer + self._collected if outer_thread is not None else []
            self._thread = outer_thread

    def _recording(self) -> bool:
        # Only the call being recorded: a background read or check on another thread
        # is not part of it.
        return self._thread == threading.get_ident()

    def _pending(self, session: Session) -> list[Changes]:
        return session.info.setdefault(_PENDING, [])

    def _flushed(self, session: Session, _context: Any) -> None:
        if self._recording():
            # `dirty` also holds objects whose attributes were set to what they were.
            dirty = [obj for obj in session.dirty if session.is_modified(obj)]
            objects = [*session.new, *dirty, *session.deleted]
            if objects:
                self._pending(session).append(changes_of(objects))

    def _executed(self, state: ORMExecuteState) -> None:
        if self._recording() and (state.is_update or state.is_delete or state.is_insert):
            self._pending(state.session).append(_changes_of_statement(state))

    def _committed(self, session: Session) -> None:
        self._collected.extend(session.info.pop(_PENDING, []))

    def _rolled_back(self, session: Session) -> None:
        session.info.pop(_PENDING, None)
