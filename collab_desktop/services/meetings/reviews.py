"""An agreement's review (issue 14): the review date of a signed-off agreement comes up
before it is due, and a review meeting either records "reviewed, no change" in the
agreement's history or starts its next version.

A signed-off version is never edited, so "no change" does not move its own next review date:
the meeting keeps when to look again (Meeting.next_review_on), and what needs attention reads
the later of the two."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import Agreement, AgreementVersion, Meeting
from collab_desktop.services.agreements.service import AgreementService
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.errors import NotFound, StateError, ValidationError

# How long before its review date an agreement starts to show as coming up for review.
REVIEW_NOTICE = timedelta(days=30)
# After "reviewed, no change", when to look again unless the meeting says otherwise.
DEFAULT_NEXT_REVIEW = timedelta(days=365)


@dataclass(frozen=True)
class ReviewDue:
    version_id: uuid.UUID
    agreement: str
    number: int
    due_on: date

    def text(self, today: date) -> str:
        if self.due_on < today:
            return (
                f"{self.agreement} (version {self.number}): review was due on "
                f"{self.due_on:%d/%m/%Y}"
            )
        days = (self.due_on - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return (
            f"{self.agreement} (version {self.number}): review due {when} ({self.due_on:%d/%m/%Y})"
        )


class ReviewService:
    def __init__(
        self, sessions: sessionmaker[Session], audit: AuditLog, agreements: AgreementService
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._agreements = agreements

    def due(
        self, collaboration_id: uuid.UUID | None = None, today: date | None = None
    ) -> list[ReviewDue]:
        """Signed-off agreements whose review is due within REVIEW_NOTICE, or overdue."""
        today = today or date.today()
        with self._sessions() as session:
            later = (
                select(Meeting.agreement_version_id, func.max(Meeting.next_review_on).label("on"))
                .where(Meeting.review_outcome == "no_change")
                .group_by(Meeting.agreement_version_id)
                .subquery()
            )
            query = (
                select(AgreementVersion.id, Agreement.title, AgreementVersion.number,
                       AgreementVersion.next_review, later.c.on)
                .join(Agreement, AgreementVersion.agreement_id == Agreement.id)
                .outerjoin(later, later.c.agreement_version_id == AgreementVersion.id)
                .where(AgreementVersion.status == "signed_off")
            )  # fmt: skip
            if collaboration_id is not None:
                query = query.where(Agreement.collaboration_id == collaboration_id)
            rows = session.execute(query).all()
        due = []
        for version_id, title, number, next_review, reviewed_until in rows:
            on = (
                max(d for d in (next_review, reviewed_until) if d)
                if (next_review or reviewed_until)
                else None
            )
            if on is not None and on <= today + REVIEW_NOTICE:
                due.append(ReviewDue(version_id, title, number, on))
        return sorted(due, key=lambda r: r.due_on)

    def quorum_of(self, version_id: uuid.UUID) -> int | None:
        with self._sessions() as session:
            v = session.get(AgreementVersion, version_id)
            if v is None:
                raise NotFound("That agreement version no longer exists.")
            return v.quorum

    def set_quorum(self, version_id: uuid.UUID, quorum: int | None) -> None:
        """The number of member organisations a meeting needs, by someone able to decide.
        Part of the agreement's text, so only a draft takes it."""
        if quorum is not None and quorum < 1:
            raise ValidationError.single(
                "quorum", "A quorum is at least one organisation (or none)."
            )
        with self._sessions.begin() as session:
            v = session.get(AgreementVersion, version_id)
            if v is None:
                raise NotFound("That agreement version no longer exists.")
            if v.status != "draft":
                raise StateError(
                    f"Version {v.number} is no longer a draft: start a new version to change "
                    "its quorum."
                )
            members = len(v.agreement.collaboration.members)
            if quorum is not None and quorum > members:
                raise ValidationError.single(
                    "quorum",
                    f"The collaboration has {members} members, so a quorum of {quorum} could "
                    "never be met.",
                )
            v.quorum = quorum
            self._audit.record(
                session, "quorum", f"Quorum set to {quorum or 'none'}",
                agreement_id=v.agreement_id, version_number=v.number,
            )  # fmt: skip

    def reviewed_no_change(
        self,
        meeting_id: uuid.UUID,
        version_id: uuid.UUID,
        next_review_on: date | None = None,
        today: date | None = None,
    ) -> date:
        """Record that the meeting reviewed the signed-off version and changed nothing: an
        entry in the agreement's history, and when to look again (returned)."""
        today = today or date.today()
        with self._sessions.begin() as session:
            m, v = self._review_pair(session, meeting_id, version_id)
            if v.status != "signed_off":
                raise StateError(
                    f"Version {v.number} is not the signed-off version: review that one."
                )
            next_on = next_review_on or m.held_on + DEFAULT_NEXT_REVIEW
            if next_on <= m.held_on:
                raise ValidationError.single(
                    "next_review_on", "The next review must come after the review meeting."
                )
            m.agreement_version_id = v.id
            m.review_outcome = "no_change"
            m.next_review_on = next_on
            self._audit.record(
                session,
                "reviewed",
                f"Reviewed at the meeting of {m.held_on:%d/%m/%Y}: no change; next review "
                f"{next_on:%d/%m/%Y}",
                agreement_id=v.agreement_id,
                version_number=v.number,
                details={"meeting_id": str(m.id), "next_review_on": next_on.isoformat()},
            )
            return next_on

    def start_new_version(self, meeting_id: uuid.UUID, version_id: uuid.UUID) -> uuid.UUID:
        """The review meeting decided to change the agreement: a new draft version from the
        reviewed one (AgreementService.new_version), noted on the meeting and in the history."""
        with self._sessions() as session:
            self._review_pair(session, meeting_id, version_id)
        new_id = self._agreements.new_version(version_id)
        with self._sessions.begin() as session:
            m, v = self._review_pair(session, meeting_id, version_id)
            m.agreement_version_id = v.id
            m.review_outcome = "new_version"
            self._audit.record(
                session,
                "reviewed",
                f"Reviewed at the meeting of {m.held_on:%d/%m/%Y}: a new version was started",
                agreement_id=v.agreement_id,
                version_number=v.number,
                details={"meeting_id": str(m.id), "new_version_id": str(new_id)},
            )
        return new_id

    @staticmethod
    def _review_pair(
        session: Session, meeting_id: uuid.UUID, version_id: uuid.UUID
    ) -> tuple[Meeting, AgreementVersion]:
        m = session.get(Meeting, meeting_id)
        if m is None:
            raise NotFound("That meeting no longer exists.")
        v = session.get(AgreementVersion, version_id)
        if v is None:
            raise NotFound("That agreement version no longer exists.")
        if v.agreement.collaboration_id != m.collaboration_id:
            raise ValidationError.single(
                "agreement_version_id", "That agreement is not one of this collaboration's."
            )
        if m.status != "held":
            raise StateError(
                "Only a meeting that has been held can record a review: mark it held first."
            )
        return m, v
