"""ReturnService: each user action on returns in one transaction (the functions it calls
work in a session and never commit; see drafting.py, templates.py, board.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import Collaboration, MonitoringReturn, Organisation
from collab_desktop.models.database import driver_connection
from collab_desktop.pdf.returns_data import CollatedReport, ReturnSheet
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.delivery.activities import ActivityService
from collab_desktop.services.returns import board as boards
from collab_desktop.services.returns import choices, drafting, exports, templates
from collab_desktop.services.returns.compute import Trace, trace
from collab_desktop.services.returns.drafting import Check, Key, ReturnData
from collab_desktop.services.returns.periods import period_name
from collab_desktop.services.returns.templates import TemplateData


@dataclass(frozen=True)
class ReturnRow:
    """One line of a list of returns."""

    id: uuid.UUID
    collaboration: str
    organisation: str
    period_start: date
    period_end: date
    period: str
    version: int
    status: str  # label
    origin: str
    signed_off_by: str


@dataclass(frozen=True)
class Collated:
    """The lead's collated year (or any periods): the board, the returns it counted, and the
    exports made from them."""

    boards: list[boards.PeriodBoard]
    returns: list[ReturnData]  # the counted version of each partner's return, by period
    template: TemplateData
    report: CollatedReport
    hide_below: int | None

    def csv(self) -> str:
        return exports.returns_csv(self.returns, self.hide_below)

    def xlsx(self, made_on: date | None = None) -> bytes:
        return exports.returns_xlsx(
            self.returns, self.template, self.boards, self.hide_below, self.report.title, made_on
        )


class ReturnService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        activities: ActivityService,
        audit: AuditLog | None = None,
    ) -> None:
        self._sessions = sessions
        self._activities = activities
        # Sign-off, query and answer go in the audit trail in the same transaction as the
        # change (sending and receiving are recorded by the exchange as it makes or opens the
        # pack, with the pack's summary naming the return).
        self._audit = audit

    def _record(self, session: Session, r: MonitoringReturn, action: str, summary: str,
                details: dict | None = None) -> None:  # fmt: skip
        if self._audit is None:
            return
        organisation = session.get(Organisation, r.organisation_id)
        who = organisation.name if organisation else "?"
        period = period_name(r.period_start, r.period_end)
        what = f"{who}'s return for {period}, version {r.version}"
        self._audit.record(
            session, action, f"{summary}: {what}",
            details={"return_id": str(r.id), "version": r.version, **(details or {})},
        )  # fmt: skip

    # -- templates (the lead) -------------------------------------------------------------

    def save_template(self, data: TemplateData) -> uuid.UUID:
        with self._sessions.begin() as session:
            return templates.save_template(session, data).id

    def get_template(self, template_id: uuid.UUID) -> TemplateData:
        with self._sessions() as session:
            return templates.template_data(templates.get_template(session, template_id))

    def templates_of(self, collaboration_id: uuid.UUID) -> list[TemplateData]:
        with self._sessions() as session:
            return [
                templates.template_data(t)
                for t in templates.templates_of(session, collaboration_id)
            ]

    def due_date(self, template_id: uuid.UUID, first: date, last: date) -> date:
        with self._sessions() as session:
            return templates.due_date(templates.get_template(session, template_id), first, last)

    # -- a partner's return ---------------------------------------------------------------

    def draft(
        self,
        collaboration_id: uuid.UUID,
        organisation_id: uuid.UUID,
        first: date,
        last: date,
        template_id: uuid.UUID | None = None,
        today: date | None = None,
        confirmed: bool = False,
    ) -> uuid.UUID:
        today = today or date.today()
        # Sessions not yet made as rows would not be counted as planned.
        self._activities.plan_ahead(last, today)
        with self._sessions.begin() as session:
            r = drafting.draft_return(
                session, collaboration_id, organisation_id, first, last, today, template_id,
                confirmed,
            )  # fmt: skip
            return r.id

    def get(self, return_id: uuid.UUID) -> ReturnData:
        with self._sessions() as session:
            return drafting.return_data(session, drafting.get_return(session, return_id))

    def versions(self, return_id: uuid.UUID) -> list[ReturnData]:
        """Every version of the same organisation's return for the same period, oldest first."""
        with self._sessions() as session:
            r = drafting.get_return(session, return_id)
            found = drafting.versions(
                session, r.collaboration_id, r.organisation_id, r.period_start
            )
            return [drafting.return_data(session, v) for v in found]

    def counted_version(self, return_id: uuid.UUID) -> int | None:
        """Which version of this organisation's return for the period the totals count."""
        with self._sessions() as session:
            r = drafting.get_return(session, return_id)
            counted = drafting.latest_counted(
                session, r.collaboration_id, r.organisation_id, r.period_start
            )
            return counted.version if counted else None

    def latest(
        self, collaboration_id: uuid.UUID, organisation_id: uuid.UUID, first: date
    ) -> uuid.UUID | None:
        """The newest version of an organisation's return for the period starting `first`."""
        # Read as the Returns page also reads it ahead without SQLAlchemy (issue 17).
        with self._sessions() as session, driver_connection(session) as connection:
            return choices.latest_return(connection, collaboration_id, organisation_id, first)

    def save_draft(
        self,
        return_id: uuid.UUID,
        typed: dict[Key, float | None],
        went_well: str = "",
        problems: str = "",
        case_study: str = "",
    ) -> None:
        with self._sessions.begin() as session:
            drafting.save_draft(session, return_id, typed, went_well, problems, case_study)

    def checks(self, return_id: uuid.UUID, today: date | None = None) -> list[Check]:
        today = today or date.today()
        with self._sessions() as session:
            return drafting.checks(session, drafting.get_return(session, return_id), today)

    def sign_off(
        self, return_id: uuid.UUID, by: str, today: date | None = None, now: datetime | None = None
    ) -> None:
        with self._sessions.begin() as session:
            r = drafting.sign_off(session, return_id, by, today or date.today(), now)
            self._record(session, r, "return_signed_off", f"Signed off by {r.signed_off_by}")

    def trace(
        self, return_id: uuid.UUID, code: str, breakdown: str = "", today: date | None = None
    ) -> Trace:
        """The sessions and people behind one counted figure of an own return."""
        with self._sessions() as session:
            r = drafting.get_return(session, return_id)
            return trace(
                session, r.collaboration_id, r.period_start, r.period_end, code, breakdown,
                today or date.today(), r.organisation_id,
            )  # fmt: skip

    def answer(self, return_id: uuid.UUID, answer: str) -> None:
        with self._sessions.begin() as session:
            r = drafting.answer_queries(session, return_id, answer)
            self._record(session, r, "return_query_answered", "Query answered",
                         {"answer": r.queries[-1].answer if r.queries else ""})  # fmt: skip

    def list_returns(self, collaboration_id: uuid.UUID | None = None) -> list[ReturnRow]:
        with self._sessions() as session:
            query = (
                select(MonitoringReturn, Collaboration.name, Organisation.name)
                .join(Collaboration, MonitoringReturn.collaboration_id == Collaboration.id)
                .join(Organisation, MonitoringReturn.organisation_id == Organisation.id)
                .order_by(MonitoringReturn.period_start.desc(), Organisation.name,
                          MonitoringReturn.version.desc())
            )  # fmt: skip
            if collaboration_id is not None:
                query = query.where(MonitoringReturn.collaboration_id == collaboration_id)
            return [
                ReturnRow(
                    r.id,
                    c,
                    o,
                    r.period_start,
                    r.period_end,
                    period_name(r.period_start, r.period_end),
                    r.version,
                    drafting.STATUSES.get(r.status, r.status),
                    r.origin,
                    r.signed_off_by,
                )  # fmt: skip
                for r, c, o in session.execute(query).all()
            ]

    # The Returns page's choices, which it also reads ahead without SQLAlchemy (issue 17).

    def collaboration_choices(self) -> list[tuple[uuid.UUID, str]]:
        """Every collaboration's id and name, as the collaborations list orders them: all the
        Returns page's list needs. (collaborations.list_collaborations also reads members and
        agreement counts: most of the page's first show on ten years of records.)"""
        with self._sessions() as session, driver_connection(session) as connection:
            return choices.collaboration_choices(connection)

    def reporting_members(self, collaboration_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        with self._sessions() as session, driver_connection(session) as connection:
            return choices.reporting_members(connection, collaboration_id)

    def template_choices(self, collaboration_id: uuid.UUID) -> list[choices.TemplateChoice]:
        """The collaboration's templates by id, name and version (no indicators), as
        templates_of orders them: what the page's list of templates shows."""
        with self._sessions() as session, driver_connection(session) as connection:
            return choices.template_choices(connection, collaboration_id)

    # -- the lead -------------------------------------------------------------------------

    def ask(self, return_id: uuid.UUID, question: str, by: str = "") -> None:
        with self._sessions.begin() as session:
            r = drafting.ask_query(session, return_id, question, by)
            self._record(session, r, "return_queried", "Query sent back",
                         {"question": r.queries[-1].question})  # fmt: skip

    def board(
        self,
        collaboration_id: uuid.UUID,
        template_id: uuid.UUID,
        periods: list[tuple[date, date]],
        today: date | None = None,
    ) -> list[boards.PeriodBoard]:
        with self._sessions() as session:
            return boards.board(
                session, collaboration_id, template_id, periods, today or date.today()
            )

    def needing_attention(
        self, today: date | None = None, organisation_id: uuid.UUID | None = None
    ) -> list[boards.Attention]:
        with self._sessions() as session:
            return boards.returns_needing_attention(session, today or date.today(), organisation_id)

    # -- exports --------------------------------------------------------------------------

    def sheets(
        self, return_ids: list[uuid.UUID], hide_below: int | None = None
    ) -> list[ReturnSheet]:
        return [exports.return_sheet(self.get(i), hide_below) for i in return_ids]

    def csv(self, return_ids: list[uuid.UUID], hide_below: int | None = None) -> str:
        return exports.returns_csv([self.get(i) for i in return_ids], hide_below)

    def sessions_csv(self, return_id: uuid.UUID, today: date | None = None) -> str:
        return exports.sessions_csv(self.trace(return_id, "sessions_planned", "", today))

    def xlsx(
        self,
        return_ids: list[uuid.UUID],
        hide_below: int | None = None,
        made_on: date | None = None,
    ) -> bytes:
        found = [self.get(i) for i in return_ids]
        template_id = next((r.template_id for r in found if r.template_id), None)
        template = self.get_template(template_id) if template_id else None
        return exports.returns_xlsx(found, template, None, hide_below, made_on=made_on)

    def collated(
        self,
        collaboration_id: uuid.UUID,
        template_id: uuid.UUID,
        periods: list[tuple[date, date]],
        today: date | None = None,
        hide_below: int | None = None,
    ) -> Collated:
        today = today or date.today()
        with self._sessions() as session:
            found = boards.board(session, collaboration_id, template_id, periods, today)
            template = templates.template_data(templates.get_template(session, template_id))
            c = session.get(Collaboration, collaboration_id)
            counted: dict[tuple[str, date], ReturnData] = {}
            for b in found:
                for cell in b.cells:
                    if cell.counted_version is None:
                        continue
                    r = drafting.latest_counted(
                        session, collaboration_id, cell.organisation_id, b.first
                    )
                    if r is not None:
                        counted[(cell.organisation, b.first)] = drafting.return_data(session, r)
        name = c.name if c else ""
        years = sorted({p[0].year for p in periods})
        title = "Monitoring returns" + (f", {years[0]}" if len(years) == 1 else "")
        report = exports.collated_report(name, found, counted, hide_below, title, today)
        return Collated(found, list(counted.values()), template, report, hide_below)
