"""Opening quickly (services/quick_open.py): the first page's reads, made with sqlite3 before
SQLAlchemy is loaded, give exactly the services' rows; anything else loads the services; and
the app's first page really is drawn without SQLAlchemy."""

from __future__ import annotations

import ast
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from benchmarks.generate import COUNTS, generate
from collab_desktop.services.delivery.activities import ActivityData
from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.meetings.meetings import ActionData
from collab_desktop.services.open_records import open_services
from collab_desktop.services.quick_open import FIRST_PAGE_CACHE_KIB, QuickServices, open_quickly
from collab_desktop.services.returns.periods import periods_of_year
from collab_desktop.services.returns.templates import TemplateData
from collab_desktop.services.single_writer import AlreadyOpen
from tests.builders import add_collaboration
from tests.delivery_builders import PEOPLE, TODAY, needlework_group, session_on
from tests.page_read_builders import GATE, Q1_2025, meetings_and_returns

ROOT = Path(__file__).parents[2]


def busy_records(path: Path) -> None:
    """Two groups in two places, with a register, a cancelled, a moved and an added session,
    someone who left, and a volunteer whose clearance lapses."""
    services = open_services(path)
    group = needlework_group(services)
    services.participants.leave_activity(
        group.people["Colin Fry"], group.activity, date(2026, 2, 10)
    )
    services.attendance.save_register(
        session_on(services, group.activity, date(2026, 2, 24)),
        list(group.people.values())[:4],
        today=TODAY,
    )
    services.activities.cancel_session(
        session_on(services, group.activity, date(2026, 3, 10)), "lockdown", "Whole prison"
    )
    services.activities.move_session(
        session_on(services, group.activity, date(2026, 3, 17)),
        date(2026, 3, 19),
        time(14),
        time(16),
        "Visits hall",
    )
    services.activities.add_session(
        group.activity, date(2026, 3, 6), time(9), time(11), note="Exhibition"
    )
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer,
            clearances=[ClearanceData("prison_vetting", "HMP Leyhill", "V1", None, TODAY)],
        )
    )
    reading = add_collaboration(
        services,
        "Reading together",
        [(group.case.fine_cell_work, "lead"), (group.case.recoop, "partner")],
    )
    services.activities.save_activity(
        ActivityData(
            collaboration_id=reading,
            name="Reading group",
            venue="Library",
            weekday=3,
            start_time=time(18, 30),
            end_time=time(20),
            frequency="fortnightly",
            starts_on=date(2026, 1, 8),
            name_printing="full",
            facilitator_ids=[group.staff],
        ),
        today=TODAY,
    )
    services.close()


@pytest.fixture
def records(tmp_path, new_database) -> Path:
    path = new_database(tmp_path / "db.sqlite3")
    busy_records(path)
    return path


# The benchmark's ten years of records at a fiftieth of the size (about a second to make):
# forty groups, a few hundred people, some of whom left, and volunteers' clearances.
SMALL = {name: count // 50 for name, count in COUNTS.items()}


@pytest.fixture(scope="module")
def generated_records(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "db.sqlite3"
    generate(path, today=TODAY, log=lambda *_: None, counts=SMALL)
    return path


def compare_first_page_reads(records: Path, weeks: list[date]) -> dict:
    """Asserts that the quick reads give the services' rows for each week; returns the
    services' answers (week, activities, clearance warnings, cancellations) by day."""
    full = open_services(records)
    expected = {}
    for day in weeks:
        week = full.attendance.plan_and_list_week(day)
        expected[day] = (
            week,
            full.activities.list_activities(day),
            full.activities.list_activities(day, time(13, 0)),  # today's may have finished
            full.attendance.clearance_warnings([r.id for r in week]),
            [
                full.attendance.cancelled_between(a.id, day, day + timedelta(weeks=4))
                for a in full.activities.list_activities(day)
            ],
        )
    full.close()

    quick = open_quickly(records)
    assert isinstance(quick, QuickServices)
    try:
        for day in weeks:
            week = quick.attendance.plan_and_list_week(day)
            activities = quick.activities.list_activities(day)
            got = (
                week,
                activities,
                quick.activities.list_activities(day, time(13, 0)),
                quick.attendance.clearance_warnings([r.id for r in week]),
                [
                    quick.attendance.cancelled_between(a.id, day, day + timedelta(weeks=4))
                    for a in activities
                ],
            )
            assert got == expected[day], day
        assert not quick.loaded, "all of it without loading the services"
    finally:
        quick.close()
    return expected


def test_the_first_pages_reads_are_the_services_rows(records):
    weeks = [TODAY + timedelta(weeks=n) for n in range(-9, 4)]
    expected = compare_first_page_reads(records, weeks)
    assert any(expected[d][3] for d in weeks), "a clearance warning was compared"
    assert any(any(r.moved for r in expected[d][0]) for d in weeks)
    needlework = [r for r in expected[TODAY][1] if r.name == "Needlework group"]
    assert [r.enrolled for r in needlework] == [len(PEOPLE) - 1], "someone who left"


def test_the_first_pages_reads_are_the_services_rows_on_generated_records(generated_records):
    # Weeks around "today", and weeks of groups that finished years ago.
    weeks = [TODAY + timedelta(weeks=n) for n in (*range(-3, 3), -52, -150, -300)]
    expected = compare_first_page_reads(generated_records, weeks)
    assert any(expected[d][3] for d in weeks), "a clearance warning was compared"
    assert any(any(r.status == "cancelled" for r in expected[d][0]) for d in weeks)
    with sqlite3.connect(generated_records) as db:
        leavers = db.execute(
            "SELECT count(DISTINCT activity_id) FROM enrolment WHERE left_on IS NOT NULL"
        ).fetchone()[0]
    db.close()
    assert leavers, "groups some of whose people left were compared"


def test_settings_wait_for_the_services_and_anything_else_loads_them(records):
    quick = open_quickly(records)
    try:
        quick.audit.user = "Ffion Evans"
        quick.activities.name_printing_default = "full"
        assert quick.audit.user == "Ffion Evans" and not quick.loaded
        partners = quick.partners.list_partners()  # a list page's read: no loading
        assert partners and not quick.loaded
        assert quick.partners.get_partner(partners[0].id)  # anything else loads them
        assert quick.loaded
        assert quick.audit.user == "Ffion Evans"
        assert quick.activities.name_printing_default == "full"
        assert quick.attendance.plan_and_list_week(TODAY)  # the services' own, now
    finally:
        quick.close()
    open_services(records).close()  # the lock was released


def list_reads(services) -> dict:
    """Every list page's read (ui/preload.py reads them ahead with the quick services), and
    the Returns page's (with the meetings and returns of tests/page_read_builders.py)."""
    first = services.agreements.list_versions()[0].collaboration_id
    returns = services.returns
    collaborations = returns.collaboration_choices()
    gate = next(c for c, name in collaborations if name == GATE)
    (lead, _), *_ = returns.reporting_members(gate)
    return {
        "partners": services.partners.list_partners(),
        # By keyword too, as the app calls them (a stand-in's own names once failed here).
        "partners with archived": services.partners.list_partners(include_archived=True),
        "collaborations": services.collaborations.list_collaborations(),
        "agreements": services.agreements.list_versions(),
        "one collaboration's": services.agreements.list_versions(collaboration_id=first),
        "participants": services.participants.list_participants(),
        "still there": services.participants.list_participants(include_left=False),
        "volunteers": services.volunteers.list_volunteers(TODAY),
        "volunteers today": services.volunteers.list_volunteers(today=TODAY),
        "meetings": services.meetings.list_meetings(),
        "one collaboration's meetings": services.meetings.list_meetings(collaboration_id=gate),
        "returns' collaborations": collaborations,
        "reporting": returns.reporting_members(gate),
        "reporting, by keyword": returns.reporting_members(collaboration_id=gate),
        "templates": returns.template_choices(gate),
        "templates, by keyword": returns.template_choices(collaboration_id=gate),
        "latest return": [returns.latest(gate, lead, Q1_2025[0])],
        "latest, by keyword": [
            returns.latest(collaboration_id=gate, organisation_id=lead, first=Q1_2025[0])
        ],
    }


@pytest.fixture(scope="module")
def generated_with_meetings(generated_records, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("with-meetings") / "db.sqlite3"
    shutil.copyfile(generated_records, path)
    services = open_services(path)
    try:
        meetings_and_returns(services)
    finally:
        services.close()
    return path


def test_the_list_pages_reads_are_the_services_rows_without_loading_them(
    generated_with_meetings,
):
    full = open_services(generated_with_meetings)
    expected = list_reads(full)
    full.close()
    assert all(expected.values()), "every list had rows to compare"
    quick = open_quickly(generated_with_meetings)
    try:
        assert list_reads(quick) == expected
        # On a worker too (the idle loading's threads), each read on a connection of its own.
        with ThreadPoolExecutor(max_workers=1) as worker:
            assert worker.submit(list_reads, quick).result() == expected
        assert not quick.loaded
    finally:
        quick.close()
    open_services(generated_with_meetings).close()  # no read kept the lock or the file


def test_a_week_not_yet_planned_is_left_to_the_services(records):
    services = open_services(records)
    services.engine.dispose()
    with services.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE activity SET planned_until = NULL")
    services.close()
    quick = open_quickly(records)
    try:
        assert quick.attendance.plan_and_list_week(TODAY) and quick.loaded
    finally:
        quick.close()


def test_only_a_current_file_opens_quickly(tmp_path, records):
    assert open_quickly(tmp_path / "new.sqlite3") is None
    full = open_services(records)
    with pytest.raises(AlreadyOpen):
        open_quickly(records)
    full.close()


def test_the_apps_first_page_is_drawn_without_sqlalchemy(records):
    services = open_services(records)
    services.attendance.plan_and_list_week(
        date.today()
    )  # planned up to this week, as after a start
    services.close()
    script = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from collab_desktop.ui.import_hook import skip_source_scans
        skip_source_scans()
        from collab_desktop.ui.main_window import MainWindow
        from collab_desktop.ui.opening import open_with_dialogs
        window = MainWindow(Path({str(records.parent)!r}))
        window.show()
        services = open_with_dialogs(window, Path({str(records)!r}), defer_check=True)
        window.attach(services)
        app.processEvents()
        print("ROWS", window.home_page.activities.count())
        print("LOADED", sorted({{m.split(".")[0] for m in sys.modules}} & {{"sqlalchemy",
              "alembic", "reportlab"}}))
        services.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert "ROWS 2" in done.stdout, done.stdout + done.stderr
    assert "LOADED []" in done.stdout, done.stdout


def meetings_and_a_return(services) -> dict:
    """For the collaboration the Returns page opens on (the first by name) and its first
    reporting member, as the page chooses them: a meeting held, with an open action, and one
    planned; a template; and this quarter's return, signed off and then drafted again. What
    the Meetings and Returns pages are to show of them."""
    today = date.today()
    (collaboration, name), *_ = services.returns.collaboration_choices()
    (organisation, member), *_ = services.returns.reporting_members(collaboration)
    held = services.meetings.new_meeting(collaboration, today - timedelta(days=7))
    held.status, held.kind = "held", "board"
    held.attendees[0].response = "attended"
    held.actions = [ActionData("Book the room", organisation, due_on=today + timedelta(days=7))]
    services.meetings.save_meeting(held, today=today)
    planned = services.meetings.new_meeting(collaboration, today + timedelta(days=30))
    services.meetings.save_meeting(planned, today=today)
    template = services.returns.save_template(
        TemplateData(collaboration_id=collaboration, lead_id=organisation, name="Quarterly")
    )
    first, last = periods_of_year("quarter", today.year)[(today.month - 1) // 3]
    signed = services.returns.draft(collaboration, organisation, first, last, template, today)
    services.returns.sign_off(signed, "Ffion Evans", today)
    services.returns.draft(
        collaboration, organisation, first, last, template, today, confirmed=True
    )
    return {
        "MEETINGS": [
            (str(r.id), r.organisations, r.open_actions)
            for r in services.meetings.list_meetings()
        ],
        "RETURNS": (name, member, "Quarterly (version 1)"),
    }


def test_the_pages_are_read_ahead_without_sqlalchemy_until_a_page_is_clicked(
    records, tmp_path
):
    # Issue 17's memory: idle after start, every list page is filled and SQLAlchemy is not
    # loaded (the Meetings and Returns pages too, with their meetings and this quarter's
    # return); the first click on a later page loads it in the background. The Returns
    # page shows the return it found once it is shown: that needs the services.
    services = open_services(records)
    services.attendance.plan_and_list_week(date.today())
    expected = meetings_and_a_return(services)
    services.close()
    assert len(expected["MEETINGS"]) == 2
    script = textwrap.dedent(
        f"""
        import os, sys, time
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
            QSettings.setPath(fmt, QSettings.Scope.UserScope, {str(tmp_path / "settings")!r})
        from collab_desktop.ui.main_window import MainWindow, PAGES
        from collab_desktop.ui.opening import open_with_dialogs
        from collab_desktop.ui.preload import WITHOUT_SERVICES

        def wait(done):
            started = time.monotonic()
            while not done() and time.monotonic() - started < 60:
                app.processEvents()
                time.sleep(0.005)

        def loaded():
            return "sqlalchemy" in sys.modules

        window = MainWindow(Path({str(records.parent)!r}))
        window.show()
        services = open_with_dialogs(window, Path({str(records)!r}), defer_check=True)
        window.attach(services)
        wait(lambda: window.preloaded)
        print("READY", all(window.is_page_ready(n) for n in WITHOUT_SERVICES),
              window.is_page_ready("meetings_page"), window.is_page_ready("returns_page"))
        print("IDLE LOADED", loaded(), services.loaded)
        print("PARTNERS", window.partners_page.model.rowCount())
        meetings = window.meetings_page.model
        print("MEETINGS", [(str(r.id), r.organisations, r.open_actions)
                           for r in map(meetings.row_at, range(meetings.rowCount()))])
        returns = window.returns_page
        print("RETURNS", (returns.collaboration.currentText(),
                          returns.organisation.currentText(), returns.template.currentText()))
        print("OPENING", returns.status.text())
        print("STILL IDLE", loaded(), services.loaded)
        window.nav.setCurrentRow(PAGES.index("Returns"))
        wait(lambda: returns.return_id is not None)
        print("SHOWN", returns.status.text())
        wait(lambda: services.loaded)
        print("CLICKED LOADED", loaded(), services.loaded)
        services.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    out = done.stdout + done.stderr
    printed = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert printed.get("READY") == "True True True", out
    assert printed.get("IDLE") == "LOADED False False", out
    assert int(printed.get("PARTNERS", 0)) > 0, out
    assert ast.literal_eval(printed.get("MEETINGS", "None")) == expected["MEETINGS"], out
    assert ast.literal_eval(printed.get("RETURNS", "None")) == expected["RETURNS"], out
    # Found while filled ahead, shown (with the services loaded) once the page is shown.
    assert printed.get("OPENING") == "Opening this period's return…", out
    assert printed.get("STILL") == "IDLE False False", out
    assert "version 2: Draft" in printed.get("SHOWN", ""), out
    assert printed.get("CLICKED") == "LOADED True True", out


def test_the_first_pages_reads_share_one_connection_and_never_hold_the_file(records):
    # One connection for all of them (an encrypted page is decrypted once, not once per
    # read); after each read no statement is left open, so a save elsewhere never waits.
    days = (TODAY, TODAY + timedelta(days=7))
    full = open_services(records)
    for day in days:
        full.attendance.plan_and_list_week(day)  # planned: the quick reads answer alone
    full.close()
    quick = open_quickly(records)
    try:
        reads = quick._reads
        for day in days:
            week = quick.attendance.plan_and_list_week(day)
            quick.activities.list_activities(day)
            quick.attendance.clearance_warnings([r.id for r in week])
            shared = reads._connection
            assert shared is not None and reads._connect()._connection is shared
            # Plain records: a small page cache, kept until the services load (memory).
            [(cache,)] = shared.execute("PRAGMA cache_size").fetchall()
            assert cache == -FIRST_PAGE_CACHE_KIB
            writer = sqlite3.connect(records, timeout=0)  # no waiting at all
            try:
                writer.execute("UPDATE organisation SET notes = notes || ''")
                writer.commit()
            finally:
                writer.close()
        quick.load()  # the full services take over: the shared connection is closed
        assert reads._connection is None
    finally:
        quick.close()


def test_warnings_for_sessions_not_of_the_week_just_read_are_the_services_too(
    generated_records,
):
    # clearance_warnings takes the week just read from memory; sessions of another week (and
    # an id twice) are read from the file, in the same order as the services give them.
    full = open_services(generated_records)
    try:
        weeks = [full.attendance.plan_and_list_week(TODAY + timedelta(weeks=n)) for n in (0, 1)]
        ids = [r.id for r in weeks[1]] + [r.id for r in weeks[1][:1]]
        expected = full.attendance.clearance_warnings(ids)
    finally:
        full.close()
    assert expected, "a warning to compare"
    quick = open_quickly(generated_records)
    assert isinstance(quick, QuickServices)
    try:
        quick.attendance.plan_and_list_week(TODAY)  # this week in memory, not the next
        assert quick.attendance.clearance_warnings(ids) == expected
        assert not quick.loaded
    finally:
        quick.close()


def test_needs_attention_reads_on_the_first_pages_connection(generated_records, monkeypatch):
    # The home page's "Needs attention" on the quick services' one connection: no connection
    # of its own, so an encrypted file's pages it shares with the week are decrypted once.
    from collab_desktop.models.records_file import RecordsFile
    from collab_desktop.services.meetings.attention import needs_attention

    expected = needs_attention(generated_records, TODAY)
    assert expected, "something to compare"
    quick = open_quickly(generated_records)
    assert isinstance(quick, QuickServices)
    try:
        quick.attendance.plan_and_list_week(TODAY)
        opened: list[str] = []
        connect = RecordsFile.connect

        def counted(self, mode="rw"):
            opened.append(mode)
            return connect(self, mode)

        monkeypatch.setattr(RecordsFile, "connect", counted)
        assert needs_attention(quick.shared_read, TODAY) == expected
        assert opened == [], "a connection of its own"
        quick.attendance.plan_and_list_week(TODAY)  # the shared connection is still open
    finally:
        quick.close()
