"""The Meetings and Returns pages' reads in plain SQL (services/list_rows.meeting_rows and
services/returns/choices.py, issue 17): on a bare sqlite3 connection they are exactly what
the services read before (read here again as they did, through SQLAlchemy) and read now, in
the same order, ties included; and they load no SQLAlchemy, as the pages read ahead while the
app is idle need."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import uuid
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks.generate import COUNTS, generate
from benchmarks.meetings_bench import _add_meetings
from collab_desktop.models import (
    Collaboration,
    Meeting,
    MeetingAction,
    MeetingAttendee,
    Member,
    MonitoringReturn,
    Organisation,
    ReturnTemplate,
)
from collab_desktop.models.enums import MEETING_KINDS, MEETING_STATUSES, label
from collab_desktop.services import list_rows
from collab_desktop.services.list_rows import MeetingRow
from collab_desktop.services.open_records import Services, open_services
from collab_desktop.services.returns import choices
from collab_desktop.services.returns.choices import TemplateChoice
from tests.integration.test_list_rows import ROOT, Read, Watched, field_types
from tests.page_read_builders import (
    Q1_2025,
    Q2_2025,
    TIED_DAY,
    TODAY,
    PageRecords,
    meetings_and_returns,
)


@pytest.fixture(scope="module")
def varied(tmp_path_factory, migrated_master) -> tuple[Path, PageRecords]:
    path = tmp_path_factory.mktemp("page-reads") / "collab-desktop.sqlite3"
    shutil.copyfile(migrated_master, path)
    services = open_services(path)
    try:
        made = meetings_and_returns(services)
    finally:
        services.close()
    return path, made


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> tuple[Path, PageRecords]:
    """The benchmark's ten years at a fiftieth of their size, with its 10,000 meetings (many
    on one day) and the returns of the varied records."""
    path = tmp_path_factory.mktemp("page-reads-generated") / "db.sqlite3"
    generate(path, today=TODAY, log=lambda *_: None, counts={k: n // 50 for k, n in COUNTS.items()})
    services = open_services(path)  # brought to this version's schema first
    try:
        made = meetings_and_returns(services)
    finally:
        services.close()
    _add_meetings(path, TODAY)
    return path, made


# -- the reads as the services made them before issue 17's change, in SQLAlchemy's terms
# (the meetings' order with the tie-break both sides now have). An oracle that shares no
# code with the plain reads, which the services now call too: without it, a broken ORDER BY
# would break both sides alike and go unseen.


def orm_meetings(session: Session, collaboration_id: uuid.UUID | None = None) -> list[MeetingRow]:
    query = (
        select(
            Meeting.id, Meeting.collaboration_id, Collaboration.name, Meeting.held_on,
            Meeting.kind, Meeting.status, Meeting.title,
        )
        .join(Collaboration, Meeting.collaboration_id == Collaboration.id)
        .order_by(Meeting.held_on.desc(), Meeting.id)
    )  # fmt: skip
    if collaboration_id is not None:
        query = query.where(Meeting.collaboration_id == collaboration_id)
    meetings = session.execute(query).all()
    ids = [m.id for m in meetings]
    came: dict[uuid.UUID, set[uuid.UUID]] = {}
    asked: dict[uuid.UUID, set[uuid.UUID]] = {}
    open_actions: dict[uuid.UUID, int] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        for meeting_id, org_id, response in session.execute(
            select(
                MeetingAttendee.meeting_id, MeetingAttendee.organisation_id,
                MeetingAttendee.response,
            ).where(MeetingAttendee.meeting_id.in_(chunk))
        ):  # fmt: skip
            asked.setdefault(meeting_id, set()).add(org_id)
            if response == "attended":
                came.setdefault(meeting_id, set()).add(org_id)
        open_actions.update(
            session.execute(
                select(MeetingAction.meeting_id, func.count())
                .where(MeetingAction.meeting_id.in_(chunk), MeetingAction.done_on.is_(None))
                .group_by(MeetingAction.meeting_id)
            ).all()
        )
    return [
        MeetingRow(
            m.id, m.collaboration_id, m.name, m.held_on, label(MEETING_KINDS, m.kind),
            label(MEETING_STATUSES, m.status), m.title,
            f"{len(came.get(m.id, ()))} of {len(asked.get(m.id, ()))} organisations"
            if m.status == "held"
            else f"{len(asked.get(m.id, ()))} invited",
            open_actions.get(m.id, 0),
        )
        for m in meetings
    ]  # fmt: skip


def orm_collaboration_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    query = select(Collaboration.id, Collaboration.name).order_by(func.lower(Collaboration.name))
    return [(i, n) for i, n in session.execute(query)]


def orm_reporting_members(session: Session, of: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    query = (
        select(Organisation.id, Organisation.name)
        .join(Member, Member.organisation_id == Organisation.id)
        .where(
            Member.collaboration_id == of, Member.role.in_(("lead", "partner", "subcontractor"))
        )
        .order_by(Member.position, Organisation.name)
    )
    return [(o, n) for o, n in session.execute(query)]


def orm_template_choices(session: Session, of: uuid.UUID) -> list[TemplateChoice]:
    query = (
        select(ReturnTemplate)
        .where(ReturnTemplate.collaboration_id == of)
        .order_by(ReturnTemplate.name, ReturnTemplate.id)
    )
    return [TemplateChoice(t.id, t.name, t.version) for t in session.scalars(query)]


def orm_latest(
    session: Session, of: uuid.UUID, organisation: uuid.UUID, first: date
) -> list[uuid.UUID | None]:
    found = session.scalars(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.collaboration_id == of,
            MonitoringReturn.organisation_id == organisation,
            MonitoringReturn.period_start == first,
        )
        .order_by(MonitoringReturn.version)
    ).all()
    return [found[-1].id if found else None]  # a list, as the other reads give


def the_reads(services: Services, made: PageRecords) -> dict[str, Read]:
    """What: (the plain read on a connection, the service's read, the oracle's)."""
    meetings, returns = services.meetings, services.returns
    reads: dict[str, Read] = {
        "meetings": (list_rows.meeting_rows, meetings.list_meetings, orm_meetings),
        "collaborations": (
            choices.collaboration_choices,
            returns.collaboration_choices,
            orm_collaboration_choices,
        ),
    }
    for name, of in (("gate", made.gate), ("shouting", made.shouting), ("nobody", made.nobody)):
        reads[f"meetings of {name}"] = (
            lambda c, of=of: list_rows.meeting_rows(c, of),
            lambda of=of: meetings.list_meetings(of),
            lambda s, of=of: orm_meetings(s, of),
        )
        reads[f"members of {name}"] = (
            lambda c, of=of: choices.reporting_members(c, of),
            lambda of=of: returns.reporting_members(of),
            lambda s, of=of: orm_reporting_members(s, of),
        )
        reads[f"templates of {name}"] = (
            lambda c, of=of: choices.template_choices(c, of),
            lambda of=of: returns.template_choices(of),
            lambda s, of=of: orm_template_choices(s, of),
        )
    for who, first in (
        ("lead", Q1_2025[0]), ("lead", Q2_2025[0]), ("partner", Q1_2025[0]),
        ("partner", Q2_2025[0]), ("host", Q1_2025[0]),
    ):  # fmt: skip
        org = getattr(made, who)
        reads[f"latest of {who} {first}"] = (
            lambda c, org=org, first=first: [choices.latest_return(c, made.gate, org, first)],
            lambda org=org, first=first: [returns.latest(made.gate, org, first)],
            lambda s, org=org, first=first: orm_latest(s, made.gate, org, first),
        )
    return reads


def compare(path: Path, made: PageRecords) -> dict[str, list]:
    """Each read three ways: plain on a bare sqlite3 connection, by the service, and by the
    oracle; the same answers (==, types too) in the same order. Returns them."""
    services = open_services(path)
    try:
        reads = the_reads(services, made)
        with Session(services.engine) as session:
            expected = {what: oracle(session) for what, (_, _, oracle) in reads.items()}
        for what, (_, service, _) in reads.items():
            assert service() == expected[what], what
    finally:
        services.close()
    with closing(sqlite3.connect(path)) as connection:
        for what, (read, _, _) in reads.items():
            rows = expected[what]
            watched = Watched(connection)
            got = read(watched)
            assert watched.all_closed(), what
            assert got == rows, what
            assert [type(r) for r in got] == [type(r) for r in rows], what
            if rows and not isinstance(rows[0], (uuid.UUID, type(None))):  # (latest's)
                assert field_types(got) == field_types(rows), what
        # Nothing holds the file: with the connection still open, a write goes through at once.
        with closing(sqlite3.connect(path, timeout=0)) as writer, writer:
            writer.execute("UPDATE organisation SET town = town")
    return expected


def test_the_pages_reads_on_a_bare_connection_are_the_services_in_their_order(varied):
    path, made = varied
    rows = compare(path, made)
    meetings = rows["meetings"]
    assert len(meetings) == 5
    tied = [m for m in meetings if m.held_on == TIED_DAY]
    assert len(tied) == 3 and len({m.collaboration_id for m in tied}) == 2
    board = next(m for m in meetings if m.title == "Board")
    # Zest came though one of its two sent apologies; the substitute counts; not the funder.
    assert (board.organisations, board.open_actions) == ("2 of 4 organisations", 2)
    assert {m.organisations for m in meetings} >= {"0 of 0 organisations", "2 invited"}
    of_gate = [m.held_on for m in rows["meetings of gate"]]
    assert of_gate == [date(2026, 3, 20), TIED_DAY, TIED_DAY, date(2024, 3, 1)]
    assert rows["meetings of nobody"] == []
    # Two names alike but for case: a tie in the order.
    names = [n for _, n in rows["collaborations"]]
    assert [n.lower() for n in names] == ["nobody yet", "through the gate", "through the gate"]
    # By position, not name; the host and the funder do not report.
    members = rows["members of gate"]
    assert [n for _, n in members] == ["Zest Futures", "Mentoring Plus", "Aspire Training"]
    assert [n for _, n in rows["members of shouting"]] == ["Mentoring Plus", "Zest Futures"]
    assert rows["members of nobody"] == []
    templates = rows["templates of gate"]
    assert [t.name for t in templates] == ["Annual report"] + ["Quarterly monitoring"] * 2
    assert sorted(t.version for t in templates) == [1, 1, 2]
    assert rows["templates of nobody"] == []
    latest = {what: found[0] for what, found in rows.items() if what.startswith("latest")}
    assert latest[f"latest of host {Q1_2025[0]}"] is None
    assert latest[f"latest of partner {Q2_2025[0]}"] is None
    services = open_services(path)
    try:
        newest = services.returns.get(latest[f"latest of lead {Q1_2025[0]}"])
    finally:
        services.close()
    assert (newest.version, newest.status) == (2, "draft")


def test_the_pages_reads_are_the_services_on_generated_records(generated):
    path, made = generated
    rows = compare(path, made)
    meetings = rows["meetings"]
    assert len(meetings) > 10_000
    days = [m.held_on for m in meetings]
    assert len(set(days)) < len(days), "meetings on one day: a tie in the order"
    assert any(m.open_actions for m in meetings) and any(not m.open_actions for m in meetings)


def test_the_reads_need_neither_sqlalchemy_nor_the_models():
    heavy = ("sqlalchemy", "cryptography", "reportlab", "PySide6")
    code = (
        "import sys, collab_desktop.services.returns.choices\n"
        "import collab_desktop.services.returns.states\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}\n"
        "    or m.startswith('collab_desktop.models.')\n"
        "    and m not in ('collab_desktop.models.enums', 'collab_desktop.models.records_file'))\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_what_moved_is_still_where_it_was():
    from collab_desktop.services.meetings.meetings import MeetingRow as OldRow
    from collab_desktop.services.returns import drafting, packs, states

    assert OldRow is MeetingRow
    assert (drafting.STATUSES, drafting.REPORTING_ROLES, packs.SENDABLE) == (
        states.STATUSES, states.REPORTING_ROLES, states.SENDABLE,
    )  # fmt: skip
