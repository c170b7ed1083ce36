"""Monitoring returns at scale (issue 13), on the benchmark's ten-year database (already a
throwaway copy, opened and migrated by run.py):

- one organisation's quarterly return of the busiest collaboration (most sessions held in
  the last full quarter), drafted: counted, written (budget 100 ms);
- the lead's board and totals for 20 partners × 4 quarters (budget 300 ms): the 20 partners'
  signed-off returns are made first, as received returns, in the copy;
- each export of the collated year: PDF, CSV, XLSX (budget 1 s each).

    figures(database, runs) -> [(name, median seconds, "s", budget, note)]  (run.py's Figure)
"""

from __future__ import annotations

import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

PARTNERS = 20


def _timed(action: Callable[[], object], runs: int) -> float:
    action()  # warm up (imports, caches)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _last_quarter(today: date) -> tuple[date, date]:
    end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    return date(end.year, end.month - 2, 1), end


def _busiest(database: Path, first: date, last: date) -> uuid.UUID:
    connection = sqlite3.connect(database)
    try:
        [(collaboration_id,)] = connection.execute(
            "SELECT a.collaboration_id FROM activity_session s JOIN activity a"
            " ON a.id = s.activity_id WHERE s.status = 'held' AND s.\"on\" BETWEEN ? AND ?"
            " GROUP BY a.collaboration_id ORDER BY count(*) DESC LIMIT 1",
            (first.isoformat(), last.isoformat()),
        ).fetchall()
    finally:
        connection.close()
    return uuid.UUID(collaboration_id)


def figures(database: Path, runs: int) -> list[tuple[str, float, str, float, str]]:
    from sqlalchemy import select

    from collab_desktop.models import Member, MonitoringReturn, Organisation, ReturnFigure
    from collab_desktop.pdf.returns_pdf import build_collated_pdf
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.returns.compute import compute
    from collab_desktop.services.returns.periods import periods_of_year
    from collab_desktop.services.returns.templates import IndicatorData, TemplateData

    today = date.today()
    first, last = _last_quarter(today)
    collaboration = _busiest(database, first, last)
    services = open_services(database)
    try:
        sessions = services.returns._sessions
        with sessions.begin() as session:
            members = list(
                session.scalars(
                    select(Member)
                    .where(Member.collaboration_id == collaboration)
                    .order_by(Member.position)
                )
            )
            lead = members[0].organisation_id
            # Twenty reporting partners: the collaboration's own, then others made members.
            have = {m.organisation_id for m in members}
            for m in members:
                m.role = "lead" if m.organisation_id == lead else "partner"
            extra = session.scalars(
                select(Organisation.id).where(Organisation.id.not_in(have)).limit(PARTNERS)
            ).all()
            for n, org in enumerate(extra[: PARTNERS - len(have)]):
                session.add(
                    Member(collaboration_id=collaboration, organisation_id=org, role="partner",
                           position=100 + n)
                )  # fmt: skip
        template = services.returns.save_template(
            TemplateData(
                collaboration_id=collaboration, lead_id=lead, name="Quarterly monitoring",
                indicators=[
                    IndicatorData("family_contacts", "Family contacts", kind="typed",
                                  required=True, breakdowns=["Under 25", "25 and over"]),
                    IndicatorData("reached", "People reached", kind="counted",
                                  measure="participants", unit="people"),
                ],
            )
        )  # fmt: skip
        draft_time = _timed(
            lambda: services.returns.draft(collaboration, lead, first, last, template, today),
            runs,
        )
        with sessions() as session:
            measures = compute(session, collaboration, first, last, today).measures

        # The partners' year, as received returns.
        year = last.year
        quarters = periods_of_year("quarter", year)
        partners = services.returns.reporting_members(collaboration)
        stamp = datetime.now(timezone.utc)
        with sessions.begin() as session:
            for p, (org, _name) in enumerate(partners):
                if org == lead:
                    continue
                for q, (start, end) in enumerate(quarters):
                    rows = [(m.code, m.breakdown, m.name, m.unit, "counted", m.value + p + q)
                            for m in measures]  # fmt: skip
                    typed = "Family contacts"
                    rows += [
                        ("family_contacts", "", typed, "", "typed", 10.0 + p),
                        ("family_contacts", "Under 25", typed, "", "typed", 3.0),
                        ("family_contacts", "25 and over", typed, "", "typed", 7.0 + p),
                        ("reached", "", "People reached", "people", "counted", 5.0 + q),
                    ]
                    session.add(
                        MonitoringReturn(
                            collaboration_id=collaboration, organisation_id=org,
                            template_id=template, template_version=1, period_start=start,
                            period_end=end, version=1, status="received", origin="received",
                            signed_off_by="Bench", signed_off_at=stamp, received_at=stamp,
                            figures=[ReturnFigure(position=i, code=c, breakdown=b, name=n,
                                                  unit=u, source=s, value=v)
                                     for i, (c, b, n, u, s, v) in enumerate(rows)],
                        )
                    )  # fmt: skip
        board_time = _timed(
            lambda: services.returns.board(collaboration, template, quarters, today), runs
        )
        collated = services.returns.collated(collaboration, template, quarters, today, 5)
        assert len(collated.boards[0].cells) >= PARTNERS, len(collated.boards[0].cells)

        def pdf() -> None:
            c = services.returns.collated(collaboration, template, quarters, today, 5)
            build_collated_pdf(c.report)

        def csv() -> None:
            services.returns.collated(collaboration, template, quarters, today, 5).csv()

        def xlsx() -> None:
            services.returns.collated(collaboration, template, quarters, today, 5).xlsx()

        pdf_time, csv_time, xlsx_time = (_timed(f, max(3, runs // 2)) for f in (pdf, csv, xlsx))
    finally:
        services.close()
    n = len(partners)
    return [
        ("A partner's quarterly return, busiest collaboration (drafted)", draft_time, "s", 0.1, ""),
        (f"Lead's board and totals, {n} partners × 4 quarters", board_time, "s", 0.3, ""),
        ("Collated year as PDF (board included)", pdf_time, "s", 1.0, ""),
        ("Collated year as CSV (board included)", csv_time, "s", 1.0, ""),
        ("Collated year as XLSX (board included)", xlsx_time, "s", 1.0, ""),
    ]
