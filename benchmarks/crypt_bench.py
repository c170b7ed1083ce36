"""Encryption at rest at scale (issue 10): the ten-year records encrypted against the same
records plain, in the same run: the app's first page, from the records unlocked to filled and
idle, in the real window (benchmarks/unlocked_start.py, cold starts alternating plain and
encrypted), a small save, a backup (each encrypted figure at most 1.25× the plain one); the
passphrase unlock (at most 1 s); the conversion of the plain database to an encrypted one
(time and peak memory, reported); and the first page's reads alone, without the window
(reported: each page they read is decrypted, about 1,200 pages, and the ratio of those few
milliseconds is what encryption costs at most, not what a person waits for).

Called from benchmarks/run.py (FIGURE_MODULES); on its own, on the cached database (never
regenerated here): `python -m benchmarks.crypt_bench [--runs N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import Figure, log, timed

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark kettle orbit meadow"
RATIO_BUDGET = 1.25
UNLOCK_BUDGET = 1.0  # seconds, on this machine

# The conversion in a child process, so that its peak memory is its own: it prints
# {"seconds": …, "peak_mib": …} on its last line.
_CONVERT = """
import json, resource, sys, time
from pathlib import Path
from collab_desktop.services.encrypt_records import convert_to_encrypted
database, key = Path(sys.argv[1]), bytes.fromhex(sys.argv[2])
began = time.perf_counter()
convert_to_encrypted(database, key)
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_mib = peak / (1024 * 1024 if sys.platform == "darwin" else 1024)
print(json.dumps({"seconds": seconds, "peak_mib": peak_mib}))
"""


def _copy_records(database: Path, folder: Path) -> Path:
    """A copy of the records with the audit trail's anchor and key beside it."""
    folder.mkdir(parents=True)
    target = folder / database.name
    shutil.copyfile(database, target)
    for companion in database.parent.glob(database.stem + ".audit-*"):
        shutil.copyfile(companion, folder / companion.name)
    return target


def _first_page(records) -> None:
    """What the home page reads for the first page (ui/home_page.HomePage.refresh, through
    services/quick_open.py), from a new open: the week, the groups that meet next (not every
    activity, since issue 17), and the week's clearance warnings."""
    from datetime import date, datetime

    from collab_desktop.services.quick_open import ACTIVITIES_AHEAD, activities_ahead, open_quickly

    quick = open_quickly(records)
    assert quick is not None, "the benchmark database is not at this version's revision"
    try:
        rows = quick.attendance.plan_and_list_week()
        activities_ahead(quick.shared_read, date.today(), datetime.now().time(), ACTIVITIES_AHEAD)
        quick.attendance.clearance_warnings([r.id for r in rows])
    finally:
        quick.close()


def _data_folder(database: Path, folder: Path) -> Path:
    """`database` and what lies beside it (its key file) moved into `folder` as an app's
    data folder holds them; plain records marked as kept plain by choice (no offer to
    encrypt them at start)."""
    from collab_desktop.config import DATABASE_NAME
    from collab_desktop.ui.convert_records import plain_by_choice

    folder.mkdir(parents=True)
    target = folder / DATABASE_NAME
    for companion in database.parent.glob(database.name + ".*"):
        companion.replace(folder / (DATABASE_NAME + companion.name[len(database.name) :]))
    database.replace(target)
    if not (folder / (DATABASE_NAME + ".key")).exists():
        plain_by_choice(target).touch()
    return folder


def _start(folder: Path, passphrase: str | None, work: Path) -> float:
    """One cold start of the app on `folder` (unlocked with `passphrase`, not typed): the
    seconds from the records unlocked (or, plain, decided) to the first page filled and the
    app idle (the app's `records` and `idle` marks, benchmarks/unlocked_start.py)."""
    stamps = work / "start-timing.txt"
    stamps.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        COLLAB_DESKTOP_TIMING=str(stamps),
        COLLAB_DESKTOP_EXIT_WHEN_IDLE="1",
    )
    env.pop("COLLAB_BENCH_PASSPHRASE", None)
    if passphrase is not None:
        env["COLLAB_BENCH_PASSPHRASE"] = passphrase
    child = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "unlocked_start.py"), "--data-dir", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    text = stamps.read_text() if stamps.exists() else ""
    moments = dict(re.findall(r"^(\w+) ([\d.]+)$", text, re.MULTILINE))
    if child.returncode != 0 or not {"records", "idle"} <= moments.keys():
        raise RuntimeError(f"the app did not start cleanly on {folder}:\n{child.stderr[-2000:]}")
    return float(moments["idle"]) - float(moments["records"])


def _starts(folders: dict[str, tuple[Path, str | None]], work: Path, runs: int) -> dict:
    """Cold starts alternating between the folders, after one unmeasured start of each (it
    warms the disk cache for both alike). Each ends at the app's first idle moment: work
    the app leaves until 30 ms after the first page (the file's check, the lock when away:
    about 25 ms on the GUI thread for the lock) is not in these figures."""
    times: dict[str, list[float]] = {name: [] for name in folders}
    for folder, passphrase in folders.values():
        _start(folder, passphrase, work)
    for _ in range(runs):
        for name, (folder, passphrase) in folders.items():
            times[name].append(_start(folder, passphrase, work))
    return times


def _save(services) -> Callable[[], float]:
    """A small save (one new partner): returns its seconds."""
    from collab_desktop.services.partners import PartnerData

    counter = iter(range(10**6))

    def save() -> float:
        began = time.perf_counter()
        services.partners.save_partner(
            PartnerData(name=f"Benchmark partner {next(counter)}", kind="charity"),
            confirmed=True,
        )
        return time.perf_counter() - began

    return save


def _backup(services) -> Callable[[], float]:
    """A backup of the whole file, from an idle disk (as run.py's backup figure): its
    seconds; the backup is then deleted."""

    def backup() -> float:
        os.sync()
        began = time.perf_counter()
        made = services.backups.backup_now("manual")
        seconds = time.perf_counter() - began
        made.path.unlink()
        made.path.with_name(made.path.name + ".key").unlink(missing_ok=True)
        return seconds

    return backup


def _alternating(actions: dict[str, Callable[[], float]], runs: int, warm_up: bool) -> dict:
    """Each action `runs` times, plain and encrypted in turn: a save or a backup waits on the
    disk, whose speed drifts over a minute here, and all of one kind before all of the other
    put that drift into the ratio (a small save measured 0.90-1.49x plain that way)."""
    if warm_up:
        for action in actions.values():
            action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            times[name].append(action())
    return times


def figures(bench) -> list[Figure]:
    """Figures for run.py's table; uses bench.database, bench.work and bench.runs only."""
    return crypt_figures(Path(bench.database), Path(bench.work), bench.runs)


def crypt_figures(database: Path, work: Path, runs: int) -> list[Figure]:
    from collab_desktop.models.records_file import RecordsFile
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.records_key import (
        PASSPHRASE_KIND,
        KeyFile,
        open_with_secret,
    )

    base = work / "crypt-bench"
    try:
        log("  encryption: copying the records twice")
        plain_db = _copy_records(database, base / "plain")
        open_services(plain_db).close()  # at this version's revision (a no-op in run.py)
        encrypted_db = _copy_records(plain_db, base / "encrypted")
        size_mib = encrypted_db.stat().st_size / 2**20

        # The key file as the app makes it (the default slow, memory-hard derivation).
        new = KeyFile.beside(encrypted_db).create(PASSPHRASE, database=encrypted_db)
        unlock_times = timed(lambda: KeyFile.beside(encrypted_db).unlock(PASSPHRASE), runs)

        log(f"  encryption: converting {size_mib:.0f} MiB")
        child = subprocess.run(
            [sys.executable, "-c", _CONVERT, str(encrypted_db), new.records_key.hex()],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if child.returncode != 0:
            raise RuntimeError(f"the conversion failed:\n{child.stderr[-2000:]}")
        converted = json.loads(child.stdout.strip().splitlines()[-1])
        encrypted = open_with_secret(encrypted_db, PASSPHRASE_KIND, PASSPHRASE)
        plain = RecordsFile(plain_db)

        log("  encryption: first page, saves and backups, plain and encrypted")
        first = {
            name: timed(lambda records=records: _first_page(records), runs)
            for name, records in (("plain", plain), ("encrypted", encrypted))
        }
        opened = {
            name: open_services(records, base / f"{name}-backups")
            for name, records in (("plain", plain), ("encrypted", encrypted))
        }
        try:
            saves = _alternating(
                {name: _save(services) for name, services in opened.items()},
                max(runs, 7),
                warm_up=True,
            )
            backups = _alternating(
                {name: _backup(services) for name, services in opened.items()},
                max(3, runs // 2),
                warm_up=False,
            )
        finally:
            for services in opened.values():
                services.close()

        log("  encryption: the app's first page, cold starts, plain and encrypted")
        starts = _starts(
            {
                "plain": (_data_folder(plain_db, base / "plain-app"), None),
                "encrypted": (_data_folder(encrypted_db, base / "encrypted-app"), PASSPHRASE),
            },
            base,
            max(runs, 7),  # seven cold starts each: a start varies by 20-30% here
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)

    median = statistics.median

    def ratio(what: str, times: dict[str, list[float]], budget: float = RATIO_BUDGET) -> Figure:
        p, e = median(times["plain"]), median(times["encrypted"])
        return Figure(
            f"Encrypted records: {what} (× plain)",
            e / p,
            "×",
            budget,
            f"{e * 1000:.0f} ms encrypted, {p * 1000:.0f} ms plain",
        )

    return [
        ratio("first page, unlocked to filled and idle", starts),
        ratio("first page's reads alone, no window", first, float("inf")),
        ratio("a small save", saves),
        ratio("a backup of the whole file", backups),
        Figure("Unlock with the passphrase", median(unlock_times), "s", UNLOCK_BUDGET),
        Figure(
            f"Encrypt the {size_mib:.0f} MiB plain records (reported, no budget)",
            converted["seconds"],
            "s",
            float("inf"),
            f"peak memory {converted['peak_mib']:.0f} MiB",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    cached = sorted((ROOT / "benchmarks" / ".cache").glob("*.sqlite3"))
    if not cached:
        log("No cached benchmark database: run benchmarks/run.py once first.")
        return 1
    work = Path(tempfile.mkdtemp(prefix="collab-crypt-bench-"))
    try:
        rows = crypt_figures(cached[-1], work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for f in rows:
        verdict = "ok" if f.ok else "OVER"
        budget = "reported" if f.budget == float("inf") else f.text(f.budget)
        print(f"{f.name:<58} {f.text(f.median):>10}  budget {budget:>9}  {verdict}  {f.note}")
    return 0 if all(f.ok for f in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
