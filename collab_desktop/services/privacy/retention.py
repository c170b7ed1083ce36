"""Keeping records no longer than needed (issue 15): per kind of record, how long after it
ends it is kept, what is due under those rules, and applying them.

The rules are the user's preferences (kept with the other settings, ui/preferences.py) and
reach here as a RetentionRules. Nothing changes until the user has seen the list: apply() is
given the items of due() that they confirmed, and changes them all in one transaction, so a
run cut off by a crash or a kill leaves no one half-anonymised.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import (
    ActivitySession,
    Attendance,
    Contact,
    Enrolment,
    Participant,
    Volunteer,
)
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.privacy.erasure import (
    anonymise_participant,
    log_request,
    remove_clearance_details,
    secure_delete_on,
    vacuum,
)
from collab_desktop.services.privacy.rules import (
    DEFAULT_RULES,
    RetentionRules,
    months_before,
    years_before,
)

PARTICIPANTS_LEFT = "participants_left"
CLEARANCES = "clearances"
REGISTERS = "registers"


@dataclass(frozen=True)
class DueItem:
    rule: str  # PARTICIPANTS_LEFT, CLEARANCES or REGISTERS
    id: uuid.UUID  # a participant or a volunteer's contact
    who: str  # shown in the list the user confirms; never stored
    why: str

    @property
    def what(self) -> str:
        if self.rule == CLEARANCES:
            return "Clearance details removed"
        return "Anonymised"


def due(session: Session, rules: RetentionRules, today: date) -> list[DueItem]:
    items: list[DueItem] = []
    seen: set[uuid.UUID] = set()
    if rules.participants_years:
        before = years_before(today, rules.participants_years)
        for id_, name, left in session.execute(
            select(Participant.id, Participant.display_name, Participant.left_on)
            .where(Participant.anonymised_on.is_(None), Participant.left_on < before)
            .order_by(Participant.left_on)
        ):
            seen.add(id_)
            items.append(DueItem(PARTICIPANTS_LEFT, id_, name, f"left on {left:%d %b %Y}"))
    if rules.register_years:
        # People whose every register is older than the rule and who are not enrolled now:
        # the registers keep their counts, no longer a name.
        before = years_before(today, rules.register_years)
        last = (
            select(Attendance.participant_id, func.max(ActivitySession.on).label("last"))
            .join(ActivitySession, Attendance.session_id == ActivitySession.id)
            .group_by(Attendance.participant_id)
            .subquery()
        )
        current = select(Enrolment.participant_id).where(Enrolment.left_on.is_(None))
        for id_, name, last_on in session.execute(
            select(Participant.id, Participant.display_name, last.c.last)
            .join(last, last.c.participant_id == Participant.id)
            .where(Participant.anonymised_on.is_(None), last.c.last < before)
            .where(Participant.id.not_in(current))
            .order_by(last.c.last)
        ):
            if id_ not in seen:
                items.append(
                    DueItem(REGISTERS, id_, name, f"last in a register on {last_on:%d %b %Y}")
                )
    if rules.clearance_months:
        before = months_before(today, rules.clearance_months)
        for contact_id, name, stopped in session.execute(
            select(Volunteer.contact_id, Contact.name, Volunteer.stopped_on)
            .join(Contact, Volunteer.contact_id == Contact.id)
            .where(Volunteer.stopped_on < before)
            .where(Volunteer.clearances.any())
            .order_by(Volunteer.stopped_on)
        ):
            items.append(
                DueItem(CLEARANCES, contact_id, name, f"stopped volunteering {stopped:%d %b %Y}")
            )
    return items


class RetentionService:
    def __init__(self, sessions: sessionmaker[Session], audit: AuditLog, engine: Engine) -> None:
        self._sessions = sessions
        self._audit = audit
        self._engine = engine

    def due(
        self, rules: RetentionRules = DEFAULT_RULES, today: date | None = None
    ) -> list[DueItem]:
        rules.check()
        with self._sessions() as session:
            return due(session, rules, today or date.today())

    def apply(
        self, confirmed: list[DueItem], today: date | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> int:  # fmt: skip
        """Apply the items the user confirmed, all in one transaction; returns how many.
        `progress(n)` is called after each item (for a progress bar; tests use it to kill the
        process half-way)."""
        today = today or date.today()
        done = 0
        with self._sessions.begin() as session:
            secure_delete_on(session)
            for item in confirmed:
                if item.rule == CLEARANCES:
                    remove_clearance_details(session, item.id)
                    log_request(session, "volunteer_clearances", "clearances_removed",
                                "retention rule", today, self._audit.user)  # fmt: skip
                else:
                    p = session.get(Participant, item.id)
                    if p is None or p.anonymised_on is not None:
                        continue  # erased or anonymised since the list was made
                    anonymise_participant(session, p, today)
                    log_request(session, "participant", "anonymised", "retention rule", today,
                                self._audit.user)  # fmt: skip
                done += 1
                if progress is not None:
                    session.flush()  # written to the file (uncommitted) before reporting
                    progress(done)
            if done:
                self._audit.record(
                    session,
                    "retention",
                    f"The retention rules were applied to {done} record{'s' if done != 1 else ''}.",
                )
        if done:
            vacuum(self._engine)
        return done
