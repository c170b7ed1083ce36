"""Collab Desktop at scale: time what people wait for, on ten years of a busy lead partner's
records, and compare each figure with its budget (issue 6).

    .venv/bin/python benchmarks/run.py [--json PATH] [--quick]

The database (5,000 partners, 500,000 attendance marks…) is generated the first time and
cached in benchmarks/.cache (see generate.py); every run works on a throwaway copy. Each
figure is the median of several runs; cold starts are separate processes, alternating with a
bare PySide6 window started the same way, whose times the start-up budgets are ratios of.
Everything runs offscreen (QT_QPA_PLATFORM=offscreen), so no screen is needed. Exit code 0
when every figure is within budget, 1 otherwise.
"""

from __future__ import annotations

import argparse
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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import returns_bench  # noqa: E402
from benchmarks.generate import Plan, cached  # noqa: E402

START_TIMEOUT = 120  # seconds; a start that takes longer has hung (a dialog, say)


@dataclass
class Figure:
    name: str
    median: float
    unit: str
    budget: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.median <= self.budget

    def text(self, value: float) -> str:
        if self.unit == "×":
            return f"{value:.2f}×"
        if self.unit == "s":
            return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"
        if self.unit == "ms":
            return f"{value:.1f} ms"
        return f"{value:g} {self.unit}"


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


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


# -- in the running app -----------------------------------------------------------------------


def timed(action: Callable[[], object], runs: int, warm_up: int = 1) -> list[float]:
    for _ in range(warm_up):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def in_app(database: Path, plan: Plan, work: Path, runs: int) -> dict[str, list[float]]:
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    # Its own settings, so the benchmark never reads or changes a real user's.
    QCoreApplication.setOrganizationName("Collab Desktop Benchmark")
    QCoreApplication.setApplicationName("Collab Desktop Benchmark")

    from collab_desktop.pdf.agreement_pdf import write_agreement_pdf
    from collab_desktop.pdf.attendance_sheet import write_attendance_sheets
    from collab_desktop.services.open_records import open_services
    from collab_desktop.ui.agreement_editor import AgreementEditor
    from collab_desktop.ui.background import wait_for_background
    from collab_desktop.ui.events import DataEvents
    from collab_desktop.ui.partners_page import PartnersPage

    services = open_services(database)
    results: dict[str, list[float]] = {}
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
    finally:
        services.close()
    return results


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
    bare: list[Start], app: list[Start], inside: dict[str, list[float]]
) -> list[Figure]:
    def median(values: list[float]) -> float:
        return statistics.median(values)

    bare_shown, app_shown = median([s.shown for s in bare]), median([s.shown for s in app])
    bare_idle, app_idle = median([s.idle for s in bare]), median([s.idle for s in app])
    bare_rss, app_rss = median([s.max_rss_mib for s in bare]), median([s.max_rss_mib for s in app])
    return [
        Figure("Cold start: main window shown (× bare window)", app_shown / bare_shown, "×", 2,
               f"{app_shown:.2f} s vs {bare_shown:.2f} s"),
        Figure("Cold start: first page filled, app idle (× bare window)", app_idle / bare_idle,
               "×", 5, f"{app_idle:.2f} s vs {bare_idle:.2f} s"),
        Figure("Peak memory (× bare window)", app_rss / bare_rss, "×", 2,
               f"{app_rss:.0f} MiB vs {bare_rss:.0f} MiB"),
        Figure("Partners filter: one more letter, table repainted", median(inside["keystroke"]),
               "s", 0.016),
        Figure("Open the agreement with 100 responsibilities in the editor",
               median(inside["editor"]), "s", 0.150),
        Figure("Write that agreement's PDF", median(inside["pdf"]), "s", 0.300),
        Figure("Write 10 attendance sheets of 30 participants", median(inside["sheets"]), "s",
               1.0),
        Figure("One activity's figures over a year (the busiest)", median(inside["figures_year"]),
               "s", 0.100),
        Figure("Every activity's figures for the last quarter", median(inside["figures_quarter"]),
               "s", 0.300),
        # The backup includes its own full check (issue 9: none counts as good without).
        Figure("Back up the whole database", median(inside["backup"]), "s", 8.0),
        Figure("Full check of the records (in the background)", median(inside["full_check"]),
               "s", 10.0),
    ]  # fmt: skip


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
        budget = f"≤ {f.text(f.budget)}"
        lines.append(f"| {f.name} | {median} | {budget} | {'yes' if f.ok else 'NO'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    parser.add_argument("--quick", action="store_true", help="fewer runs of each (rougher)")
    parser.add_argument(
        "--regenerate", action="store_true", help="make the cached database again first"
    )
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 7
    started = time.perf_counter()

    found = None if args.regenerate else cached(log=log)
    if found is None:
        # In a process of its own: a process starts with its parent's peak memory counted as
        # its own (Linux carries it over at fork), so this one must stay small for the memory
        # figures to be the app's.
        regenerate = ["--force"] if args.regenerate else []
        subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "generate.py"), *regenerate],
            check=True,
            stdout=sys.stderr,  # the table alone goes to the standard output
        )
        found = cached(log=log)
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
        log(f"Cold starts ({runs} of each, after one to warm up)…")
        bare, app = cold_starts(data_dir, work, runs)
        log("In the app…")
        inside = in_app(database, plan, work, runs)
        log("Monitoring returns…")
        returns = returns_bench.figures(database, runs)  # issue 13
        from benchmarks.exchange_bench import exchange_figures

        exchange = [Figure(*row) for row in exchange_figures(database, work, runs)]
        log("Meetings at scale…")
        from benchmarks.meetings_bench import meeting_figures

        meetings = meeting_figures(database, runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    figures = (
        figures_from(bare, app, inside) + [Figure(*f) for f in returns] + exchange + meetings
    )
    counts = plan.counts
    print(
        f"Collab Desktop benchmark, {date.today():%d %B %Y}, on {machine()}; "
        f"{counts['organisation']:,} partners, {counts['attendance']:,} attendance marks; "
        f"medians of {runs} runs."
    )
    print()
    print(table(figures))
    print()
    within = sum(f.ok for f in figures)
    print(f"{within} of {len(figures)} figures within budget "
          f"({time.perf_counter() - started:.0f} s in all).")  # fmt: skip
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                [
                    {
                        "name": f.name,
                        "median": round(f.median, 4),
                        "unit": f.unit,
                        "budget": f.budget,
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
    return 0 if within == len(figures) else 1


if __name__ == "__main__":
    sys.exit(main())
