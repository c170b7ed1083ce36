"""Collab Desktop at scale: time what people wait for, on ten years of a busy lead partner's
records, and compare each figure with its budget (issue 6).

    .venv/bin/python benchmarks/run.py [--json PATH] [--quick] [--old-laptop] [--scale N]

The database (5,000 partners, 500,000 attendance marks…) is generated the first time and
cached in benchmarks/.cache (see generate.py); every run works on a throwaway copy. Each
figure is the median of several runs; cold starts are separate processes, alternating with a
bare PySide6 window started the same way, whose times the start-up budgets are ratios of.
Everything runs offscreen (QT_QPA_PLATFORM=offscreen), so no screen is needed. Exit code 0
when every figure is within budget, 1 otherwise.

`--scale N` runs the same figures on N times the ten years' records (generated once and
cached for that scale: about 40 s for 1× here, a minute and a half for 2×, three minutes for
4×). benchmarks/growth.py puts runs at several scales side by side (their --json files).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import returns_bench  # noqa: E402
from benchmarks.common import Bench, Figure, log, timed  # noqa: E402
from benchmarks.generate import Plan, cached  # noqa: E402
from benchmarks.growth import may_grow  # noqa: E402

# Bench modules of other parts of the app: each has figures(bench: Bench) -> list[Figure],
# called in the app after the figures here (benchmarks/common.Bench says what it holds).
FIGURE_MODULES: tuple[str, ...] = ("benchmarks.crypt_bench",)

START_TIMEOUT = 120  # seconds; a start that takes longer has hung (a dialog, say)


# -- cold starts ------------------------------------------------------------------------------


@dataclass
class Start:
    shown: float
    filled: float
    idle: float
    max_rss_mib: float


def cold_start(command: list[str], work: Path) -> Start:
    """Launch, wait for it to report idle and exit; times are from just before launch."""
    stamps = work / f"timing-{uuid.uuid4().hex}.txt"
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        COLLAB_DESKTOP_TIMING=str(stamps),
        COLLAB_DESKTOP_EXIT_WHEN_IDLE="1",
    )
    launched = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    timer = threading.Timer(START_TIMEOUT, process.kill)
    timer.start()
    try:
        # wait4, not wait: the peak memory of this one child, not of all children so far.
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.stderr and process.stderr.close()
    moments = {}
    if stamps.exists():
        for line in stamps.read_text().splitlines():
            moment, value = line.split()
            moments[moment] = float(value) - launched
        stamps.unlink()
    if process.returncode != 0 or "idle" not in moments:
        raise RuntimeError(
            f"{' '.join(command)} did not start cleanly (exit {process.returncode}, "
            f"moments {sorted(moments)}):\n{errors[-2000:]}"
        )
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Start(moments["shown"], moments["filled"], moments["idle"], rss)


def cold_starts(data_dir: Path, work: Path, runs: int) -> tuple[list[Start], list[Start]]:
    python = sys.executable
    bare_cmd = [python, str(ROOT / "benchmarks" / "bare_window.py")]
    app_cmd = [python, "-m", "collab_desktop", "--data-dir", str(data_dir)]
    bare: list[Start] = []
    app: list[Start] = []
    # One unmeasured start of each first: it warms the disk cache for both alike, and lets
    # the app plan sessions that fell due since the database was generated.
    cold_start(bare_cmd, work)
    cold_start(app_cmd, work)
    for i in range(runs):
        log(f"  cold start {i + 1} of {runs}")
        bare.append(cold_start(bare_cmd, work))
        app.append(cold_start(app_cmd, work))
    return bare, app


# -- each page's first show ------------------------------------------------------------------

# A person's first click comes about a second after the first page appears, at the soonest:
# the pages are clicked that long after the app reports idle (see page_shows.py).
CLICK_AFTER = 1.0


def page_names() -> list[str]:
    """The sections of the main window after the home page (ui/main_window.PAGES), read in a
    process of its own: importing Qt here would count towards the children's peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", "from collab_desktop.ui.main_window import PAGES; "
         "print('\\n'.join(PAGES[1:]))"],
        cwd=ROOT, check=True, capture_output=True, text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    ).stdout  # fmt: skip
    return [line for line in out.splitlines() if line.strip()]


def _child(command: list[str], out: Path) -> tuple[dict[str, list[float]], float]:
    """Run a page_shows.py child; its lines, and its peak memory in MiB."""
    # A crash prints its threads' stacks (a child that failed once said nothing at all).
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONFAULTHANDLER="1")
    process = subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    timer = threading.Timer(START_TIMEOUT, process.kill)
    timer.start()
    try:
        _, status, usage = os.wait4(process.pid, 0)
    finally:
        timer.cancel()
    errors = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.stderr and process.stderr.close()
    found: dict[str, list[float]] = {}
    if out.exists():
        for line in out.read_text().splitlines():
            what, value = line.split()
            found.setdefault(what, []).append(float(value))
        out.unlink()
    code = os.waitstatus_to_exitcode(status)
    if code != 0 or not found:
        raise RuntimeError(
            f"{' '.join(command)} failed (exit {code}, {len(found)} figures):\n{errors[-4000:]}"
        )
    return found, usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def page_shows(data_dir: Path, work: Path, runs: int):
    """{page: (cold times, warm times, complete times)}, and the peak memory once the idle
    loading is done."""
    script = str(ROOT / "benchmarks" / "page_shows.py")
    base = [sys.executable, script, "--data-dir", str(data_dir)]
    shows: dict[str, tuple[list[float], list[float], list[float]]] = {}
    names = page_names()
    for i in range(runs):
        log(f"  first shows {i + 1} of {runs}")
        for page in names:
            out = work / f"shows-{uuid.uuid4().hex}.txt"
            found, _ = _child(
                [*base, "--page", page, "--out", str(out), "--wait", str(CLICK_AFTER)], out
            )
            cold, warm, complete = shows.setdefault(page, ([], [], []))
            cold += found["cold"]
            warm += found["warm"]
            complete += found["complete"]
    peaks = []
    for _ in range(max(1, runs // 2)):
        out = work / f"preload-{uuid.uuid4().hex}.txt"
        _, peak = _child([*base, "--page", names[0], "--out", str(out), "--until-preloaded"], out)
        peaks.append(peak)
    return shows, statistics.median(peaks)


# -- in the running app -----------------------------------------------------------------------


def in_app(database: Path, plan: Plan, work: Path, runs: int, old_laptop: bool = False):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # PySide6 6.12.0's reference leak would end the run, as it would the app: the app's guard.
    from collab_desktop.ui.none_guard import guard_none

    guard_none(app)
    # Its own settings, so the benchmark never reads or changes a real user's.
    QCoreApplication.setOrganizationName("Collab Desktop Benchmark")
    QCoreApplication.setApplicationName("Collab Desktop Benchmark")

    from collab_desktop.pdf.agreement_pdf import write_agreement_pdf
    from collab_desktop.pdf.attendance_sheet import write_attendance_sheets
    from collab_desktop.services.open_records import open_services
    from collab_desktop.ui.agreements.editor import AgreementEditor
    from collab_desktop.ui.background import wait_for_background
    from collab_desktop.ui.events import DataEvents
    from collab_desktop.ui.partners_page import PartnersPage

    services = open_services(database)
    results: dict[str, list[float]] = {}
    extra: list[Figure] = []
    try:
        events = DataEvents()

        # (3) One more letter in the partners filter, until the table has been repainted.
        page = PartnersPage(services, events)
        page.resize(1000, 640)
        page.show()
        QTest.qWaitForWindowExposed(page)
        app.processEvents()
        words = ["car", "hmp", "tru", "llan", "wom", "cym", "ab", "fou", "sw", "hou", "ne"]
        letters = "difaeyroanw"

        def keystroke_times() -> list[float]:
            times = []
            for word, letter in zip(words, letters, strict=True):
                page.filter.setText(word)
                app.processEvents()
                started = time.perf_counter()
                QTest.keyClick(page.filter, letter)
                app.processEvents()  # the proxy's filter, then the view's repaint
                times.append(time.perf_counter() - started)
            page.filter.clear()
            app.processEvents()
            return times

        keystroke_times()  # warm up
        results["keystroke"] = [t for _ in range(max(1, runs // 2)) for t in keystroke_times()]
        page.close()
        page.deleteLater()
        app.processEvents()

        # (4) The agreement editor on the version with 100 responsibilities.
        version_id = uuid.UUID(plan.big_version)

        def open_editor() -> None:
            editor = AgreementEditor(services, events, version_id)
            assert editor.resp_table.rowCount() == 100
            editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            editor.close()

        times = []
        for _ in range(runs + 1):
            started = time.perf_counter()
            open_editor()
            times.append(time.perf_counter() - started)
            # The editor checks the audit trail in the background; let that finish (untimed)
            # so that it does not slow the next run or the next figure.
            wait_for_background()
            app.processEvents()
        results["editor"] = times[1:]

        # (5) Its PDF: the document from the database, then the file.
        pdf = work / "agreement.pdf"

        def agreement_pdf() -> None:
            write_agreement_pdf(services.agreements.document(version_id, date.today()), pdf)

        results["pdf"] = timed(agreement_pdf, runs)

        # (6) Ten attendance sheets of the 30-strong group, for its next ten sessions.
        activity_id = uuid.UUID(plan.sheet_activity)
        upcoming = services.attendance.upcoming(activity_id, 26)
        session_ids = [r.id for r in upcoming][:10]
        sheets_pdf = work / "sheets.pdf"

        def ten_sheets() -> None:
            sheets = services.attendance.sheets(session_ids, date.today())
            assert len(sheets) == 10 and all(len(s.names) == 30 for s in sheets), [
                len(s.names) for s in sheets
            ]
            write_attendance_sheets(sheets, sheets_pdf)

        results["sheets"] = timed(ten_sheets, runs)

        # (7) Figures: the busiest group of the last year over that year (the most sessions
        # held, so the most to count); every group over the last full quarter.
        today = date.today()
        year_ago = today - timedelta(days=364)
        busiest = busiest_activity(database, year_ago, today)
        results["figures_year"] = timed(
            lambda: services.figures.figures(busiest, year_ago, today), runs
        )
        quarter_end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
        quarter_start = date(quarter_end.year, quarter_end.month - 2, 1)
        results["figures_quarter"] = timed(
            lambda: services.figures.all_figures(quarter_start, quarter_end, today), runs
        )

        # (8) A backup of the whole database (written, checked, renamed into place). Each
        # starts with the disk idle, as a daily or closing backup does: the previous run's
        # 400 MB are flushed first (untimed) and deleted, so a run is not slowed by them.
        backup_times = []
        for _ in range(max(3, runs // 2)):
            os.sync()
            started = time.perf_counter()
            made = services.backups.backup_now("manual")
            backup_times.append(time.perf_counter() - started)
            made.path.unlink()
        results["backup"] = backup_times

        # (9) The full check of the records (integrity_check and foreign_key_check), which
        # runs in the background after start and gives way to every save (issue 9).
        from collab_desktop.services.file_check import full_check

        results["full_check"] = timed(lambda: full_check(database), max(3, runs // 2))

        dialog_times(services, events, plan, app, runs, results)
        results["save_in_backup"] = save_during_backup(services, runs)

        bench = Bench(services, database, plan, work, runs, app, old_laptop)
        for module in FIGURE_MODULES:
            import importlib

            log(f"  {module}")
            extra.extend(importlib.import_module(module).figures(bench))
    finally:
        services.close()
    return results, extra


def dialog_times(services, events, plan: Plan, app, runs: int, results) -> None:
    """Each dialog that opens a record, on a record of the ten years, from nothing to shown
    and idle; the register on a session of a group of 60."""
    from sqlalchemy import select

    from collab_desktop.models import Organisation, Volunteer
    from collab_desktop.ui.delivery.activity_dialog import ActivityDialog
    from collab_desktop.ui.delivery.participants_page import ParticipantDialog
    from collab_desktop.ui.delivery.register_dialog import RegisterDialog
    from collab_desktop.ui.delivery.volunteers_page import VolunteerDialog
    from collab_desktop.ui.partner_dialog import PartnerDialog

    activity_id = uuid.UUID(plan.sheet_activity)
    with services.activities._sessions() as session:
        partner_id = session.scalars(
            select(Organisation.id).where(Organisation.archived_at.is_(None)).limit(1)
        ).one()
        volunteer = session.scalars(select(Volunteer.contact_id).limit(1)).one()
    # The group grows from 30 to 60 (on this throwaway copy), for the register.
    enrolled = {p.id for p in services.participants.enrolled(activity_id)}
    people = [r.id for r in services.participants.list_participants() if r.id not in enrolled]
    for person in people[: 60 - len(enrolled)]:
        services.participants.enrol(person, activity_id, date.today() - timedelta(days=400))
    participant = people[0]
    held = [r for r in services.attendance.upcoming(activity_id, 4)]
    session_id = held[0].id

    openers = {
        "dialog_partner": lambda: PartnerDialog(services, events, partner_id),
        # Not timed: opened again and again with 5,000 partners in its member combos, it
        # crashed PySide6 ("none_dealloc", in QComboBox.addItem) on 2 December 2026.
        "dialog_activity": lambda: ActivityDialog(services, events, activity_id),
        "dialog_participant": lambda: ParticipantDialog(services, events, participant),
        "dialog_volunteer": lambda: VolunteerDialog(services, events, volunteer),
        "dialog_register": lambda: RegisterDialog(services, events, session_id),
    }
    for key, make in openers.items():

        def open_and_close(make=make) -> None:
            dialog = make()
            dialog.show()
            app.processEvents()
            dialog.close()
            dialog.deleteLater()

        times = timed(open_and_close, runs)
        app.processEvents()
        results[key] = times


def save_during_backup(services, runs: int) -> list[float]:
    """How long a small save waits while a backup of the whole file is being made."""
    from sqlalchemy import select

    from collab_desktop.models import Organisation

    with services.activities._sessions() as session:
        partner_id = session.scalars(select(Organisation.id).limit(1)).one()
    waits = []
    for _ in range(max(3, runs // 2)):
        made = []
        backup = threading.Thread(
            target=lambda made=made: made.append(services.backups.backup_now("manual"))
        )
        backup.start()
        time.sleep(0.5)  # well into the backup
        for archived in (True, False):
            started = time.perf_counter()
            services.partners.set_archived(partner_id, archived)
            waits.append(time.perf_counter() - started)
        backup.join()
        for info in made:
            info.path.unlink()
    return waits


def busiest_activity(database: Path, first: date, last: date) -> uuid.UUID:
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        [(activity_id,)] = connection.execute(
            "SELECT activity_id FROM activity_session WHERE status = 'held' AND \"on\" >= ?"
            ' AND "on" <= ? GROUP BY activity_id ORDER BY count(*) DESC LIMIT 1',
            (first.isoformat(), last.isoformat()),
        ).fetchall()
    finally:
        connection.close()
    return uuid.UUID(activity_id)


# -- the report -------------------------------------------------------------------------------


def figures_from(
    bare: list[Start],
    app: list[Start],
    inside: dict[str, list[float]],
    shows: dict[str, tuple[list[float], list[float], list[float]]],
    preloaded_rss: float,
    extra: list[Figure],
    old_laptop: bool = False,
) -> list[Figure]:
    """The figures and their budgets. In the old-laptop profile (one core) the budgets in
    seconds are doubled; the ratios to the bare window, measured pinned too, stay."""
    slack = 2.0 if old_laptop else 1.0

    def median(values: list[float]) -> float:
        return statistics.median(values)

    bare_shown, app_shown = median([s.shown for s in bare]), median([s.shown for s in app])
    bare_idle, app_idle = median([s.idle for s in bare]), median([s.idle for s in app])
    bare_rss, app_rss = median([s.max_rss_mib for s in bare]), median([s.max_rss_mib for s in app])
    pages = []
    for page, (cold, warm, complete) in shows.items():
        pages.append(
            Figure(
                f"{page}: first show, click to filled and idle (cold)",
                median(cold),
                "s",
                0.150 * slack,
            )
        )
        if median(complete) > median(cold) + 0.005:
            # Clicked before the idle loading read it: filled with its first screen at once
            # (ListPage.show_first), every row once read. Reported: the person sees the list
            # and can work in it meanwhile.
            pages.append(
                Figure(f"{page}: every row shown (cold, after its first screen)",
                       median(complete), "s", float("inf"))  # fmt: skip
            )
        pages.append(Figure(f"{page}: shown again (warm)", median(warm), "s", 0.050 * slack))
    dialogs = [
        Figure(f"Open a {what}'s dialog", median(inside[f"dialog_{key}"]), "s", 0.100 * slack)
        for key, what in (
            ("partner", "partner"),
            ("activity", "activity"),
            ("participant", "participant"),
            ("volunteer", "volunteer"),
        )
    ] + [
        Figure(
            "Open the register of a session of 60 participants",
            median(inside["dialog_register"]),
            "s",
            0.100 * slack,
        ),
        Figure(
            "A save made during a backup: its wait",
            max(inside["save_in_backup"]),
            "s",
            0.100 * slack,
            "the longest",
        ),
    ]
    return [
        Figure("Cold start: main window shown (× bare window)", app_shown / bare_shown, "×",
               1.5, f"{app_shown:.2f} s vs {bare_shown:.2f} s"),
        Figure("Cold start: first page filled, app idle (× bare window)", app_idle / bare_idle,
               "×", 3, f"{app_idle:.2f} s vs {bare_idle:.2f} s"),
        Figure("Peak memory at the first page (× bare window)", app_rss / bare_rss, "×", 1.6,
               f"{app_rss:.0f} MiB vs {bare_rss:.0f} MiB"),
        Figure("Peak memory once every page is loaded while idle (× bare window)",
               preloaded_rss / bare_rss, "×", 2, f"{preloaded_rss:.0f} MiB"),
        *pages,
        *dialogs,
        Figure("Partners filter: one more letter, table repainted", median(inside["keystroke"]),
               "s", 0.016 * slack),
        Figure("Open the agreement with 100 responsibilities in the editor",
               median(inside["editor"]), "s", 0.150 * slack),
        Figure("Write that agreement's PDF", median(inside["pdf"]), "s", 0.300 * slack),
        Figure("Write 10 attendance sheets of 30 participants", median(inside["sheets"]), "s",
               1.0 * slack),
        Figure("One activity's figures over a year (the busiest)", median(inside["figures_year"]),
               "s", 0.100 * slack),
        Figure("Every activity's figures for the last quarter", median(inside["figures_quarter"]),
               "s", 0.300 * slack),
        # The backup includes its own full check (issue 9: none counts as good without).
        Figure("Back up the whole database", median(inside["backup"]), "s", 8.0 * slack),
        Figure("Full check of the records (in the background)", median(inside["full_check"]),
               "s", 10.0 * slack),
        *extra,
    ]  # fmt: skip


def for_scale(figures: list[Figure], scale: int) -> list[Figure]:
    """The budgets at `scale` times the ten years' records. Issue 17: nothing a person waits
    for may grow faster than the records, and the first page, a filter keystroke and opening a
    dialog should not grow at all (growth.py). So a figure in seconds that may grow has
    `scale` times its budget, and of the memory once every page is loaded the part above the
    bare window (1×) grows so. Those that may not grow keep theirs, as do the other ratios:
    the same work done two ways (encrypted and plain) costs the same ratio however much of
    it there is."""
    if scale == 1:
        return figures
    scaled = []
    for figure in figures:
        memory = figure.unit == "×" and figure.name.startswith("Peak memory")
        if figure.budget == float("inf") or not may_grow(figure.name):
            scaled.append(figure)
            continue
        if figure.unit == "s":
            budget = figure.budget * scale
        elif memory:
            budget = 1 + (figure.budget - 1) * scale
        else:
            scaled.append(figure)
            continue
        note = f"budget ×{scale}" + (f"; {figure.note}" if figure.note else "")
        scaled.append(dataclasses.replace(figure, budget=budget, note=note))
    return scaled


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    system = f"{platform.system()} {platform.release()}"
    try:
        release = dict(
            line.split("=", 1)
            for line in Path("/etc/os-release").read_text().splitlines()
            if "=" in line
        )
        system = f"{release['PRETTY_NAME'].strip(chr(34))} (Linux {platform.release()})"
    except (OSError, KeyError, ValueError):
        pass
    from importlib.metadata import version

    stack = ", ".join(
        f"{name} {version(name)}" for name in ("PySide6-Essentials", "SQLAlchemy", "reportlab")
    )
    return (
        f"{os.cpu_count()} × {cpu}{memory}, {system}, Python {platform.python_version()}, {stack}"
    )


def table(figures: list[Figure]) -> str:
    lines = [
        "| Figure | Median | Budget | Within budget |",
        "| --- | --- | --- | --- |",
    ]
    for f in figures:
        median = f.text(f.median) + (f" ({f.note})" if f.note else "")
        budget = "reported" if f.budget == float("inf") else f"≤ {f.text(f.budget)}"
        lines.append(f"| {f.name} | {median} | {budget} | {'yes' if f.ok else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer runs of each (rougher)")
    parser.add_argument(
        "--regenerate", action="store_true", help="make the cached database again first"
    )
    parser.add_argument(
        "--old-laptop",
        action="store_true",
        help="then the same figures with everything pinned to one core (taskset), as a "
        "one-core laptop would feel them; both tables are printed",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        metavar="N",
        help="N times the ten years' records (each scale generated once and cached)",
    )
    parser.add_argument("--one-core", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be a whole number, 1 or more")
    runs = 3 if args.quick else 7
    started = time.perf_counter()

    found = None if args.regenerate else cached(log=log, scale=args.scale)
    if found is None:
        # In a process of its own: a process starts with its parent's peak memory counted as
        # its own (Linux carries it over at fork), so this one must stay small for the memory
        # figures to be the app's.
        regenerate = ["--force"] if args.regenerate else []
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), *regenerate,
             "--scale", str(args.scale)],
            check=True,
            stdout=sys.stderr,  # the table alone goes to the standard output
        )  # fmt: skip
        found = cached(log=log, scale=args.scale)
        assert found is not None
    database_file, plan = found
    # Byte-compiled, as an installed app is: with PYTHONDONTWRITEBYTECODE set (as in some
    # shells and containers) every start would otherwise compile the app's source again.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "collab_desktop")], check=True
    )
    work = Path(tempfile.mkdtemp(prefix="collab-bench-"))
    try:
        data_dir = work / "data"
        data_dir.mkdir()
        database = data_dir / "collab-desktop.sqlite3"
        shutil.copyfile(database_file, database)
        # Plain records by choice (ui/convert_records.py): no encryption offer at each start.
        (data_dir / "collab-desktop.sqlite3.plain-by-choice").write_text("benchmark\n")
        log(f"Cold starts ({runs} of each, after one to warm up)…")
        bare, app = cold_starts(data_dir, work, runs)
        log("In the app…")
        log("Each page's first show…")
        shows, preloaded_rss = page_shows(data_dir, work, runs)
        log("In the app…")
        inside, extra = in_app(database, plan, work, runs, args.one_core)
        log("Monitoring returns…")
        extra += [Figure(*f) for f in returns_bench.figures(database, runs)]  # issue 13
        log("Exchange packs…")
        from benchmarks.exchange_bench import exchange_figures  # issue 12

        extra += [Figure(*row) for row in exchange_figures(database, work, runs)]
        log("Meetings at scale…")
        from benchmarks.meetings_bench import meeting_figures  # issue 14

        extra += meeting_figures(database, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    figures = for_scale(
        figures_from(bare, app, inside, shows, preloaded_rss, extra, args.one_core), args.scale
    )
    counts = plan.counts
    profile = (
        " Old-laptop profile: the app, the bare window and this benchmark pinned to one core "
        "(taskset -c 0); budgets in seconds doubled."
        if args.one_core
        else ""
    )
    scale = (
        f" ({args.scale}× the ten years' records; the budgets of figures that may grow with the"
        f" records ×{args.scale}, of the rest as at 1×)"
        if args.scale != 1
        else ""
    )
    print(
        f"Collab Desktop benchmark, {date.today():%d %B %Y}, on {machine()}; "
        f"{counts['organisation']:,} partners, {counts['attendance']:,} attendance marks"
        f"{scale}; medians of {runs} runs.{profile}"
    )
    print()
    print(table(figures))
    print()
    budgeted = [f for f in figures if f.budget != float("inf")]  # not those only reported
    within = sum(f.ok for f in budgeted)
    print(f"{within} of {len(budgeted)} figures within budget, {len(figures) - len(budgeted)} "
          f"reported ({time.perf_counter() - started:.0f} s in all).")  # fmt: skip
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {
                        "name": f.name,
                        "median": round(f.median, 4),
                        "unit": f.unit,
                        # null for a figure only reported (JSON has no infinity)
                        "budget": None if f.budget == float("inf") else f.budget,
                        "ok": f.ok,
                    }
                    for f in figures
                ],  # fmt: skip
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
    code = 0 if within == len(budgeted) else 1
    if args.old_laptop and not args.one_core:
        print()
        # Every process of the run on one core: the app, the bare window, and the in-app
        # figures, which run in the benchmark's own process.
        command = ["taskset", "-c", "0", sys.executable, str(Path(__file__).resolve()),
                   "--one-core", "--scale", str(args.scale),
                   *(["--quick"] if args.quick else [])]  # fmt: skip
        log("Old-laptop profile (one core)…")
        sys.stdout.flush()
        code = max(code, subprocess.run(command).returncode)
    return code


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Not through the interpreter's clean-up, which would only cost time here.
    os._exit(code)
