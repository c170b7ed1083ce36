"""A fault campaign anyone can run (issue 9): kill the app's own write paths at random
moments, damage the records file, put other files in its place, and check after each that
nothing confirmed was lost, nothing is corrupt, and a good backup is offered.

    .venv/bin/python -m benchmarks.fault_campaign [--kills N] [--big-kills N] [--seed S]

Not part of the test run (a few minutes). On a small database (the self-test's records plus
a few hundred partners) and on a copy of the benchmark database (ten years of a busy lead
partner, see generate.py; made and cached the first time), each round forks a child that
opens the records through the app's own services (lock, checks, migrations) and runs one
write path in a loop: saving partners, saving a register with a newcomer, backing up,
restoring a backup, updating the schema from the previous revision, writing an attendance
sheet PDF. The child reports each save only after its commit returned. It is SIGKILLed at a
random moment; then the records get the full check (integrity_check, foreign_key_check),
every reported save is looked for, the PDF (if any) must be whole, and the app's own
opening must offer a good backup. Then bytes are flipped in copies of the records and the
file is replaced by foreign files (zeroed header, text, PNG, another program's database):
each must be refused with a good backup offered (flips that change nothing SQLite can see
are counted apart: SQLite keeps no checksums of values). Prints a table; exit code 1 on any
loss, corruption or missing good backup.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PATHS = ("save", "register", "backup", "restore", "migration", "pdf")


@dataclass
class Tally:
    kills: int = 0
    corrupt: int = 0
    lost: int = 0
    offered: int = 0
    checked: int = 0
    saves: int = 0
    by_path: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# -- the children: one write path each, in a loop until killed -------------------------------


def _child(kind: str, db: Path, report: int, work: Path) -> None:
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.partners import PartnerData

    services = open_services(db)
    if kind == "migration":
        os.write(report, b"migrated\n")
    i = 0
    while True:
        i += 1
        if kind in ("save", "migration"):
            pid = services.partners.save_partner(
                PartnerData(name=f"Campaign {os.getpid()} {i}", notes="n" * (i % 5 * 700)),
                confirmed=True,
            )
            os.write(report, f"organisation {pid.hex}\n".encode())
        elif kind == "register":
            from collab_desktop.services.delivery.attendance import Newcomer

            session = _a_session(services)
            saved = services.attendance.save_register(
                session, set(), newcomers=[Newcomer(f"Newcomer {os.getpid()} {i}")]
            )
            for pid in saved.new_participants:
                os.write(report, f"participant {pid.hex}\n".encode())
        elif kind == "backup":
            services.backups.backup_now("manual")
        elif kind == "restore":
            # As the Backups page does (ui/opening.restore_file): close, restore holding the
            # lock, open again. The parent made the backup just before: nothing confirmed
            # is older than it.
            from collab_desktop.services.backups import BackupService
            from collab_desktop.services.single_writer import DatabaseLock

            backup = services.backups.newest_good()
            path, folder = services.path, services.backups.folder
            services.close()
            lock = DatabaseLock(path)
            lock.acquire()
            try:
                BackupService(path, folder).restore(backup.path)
            finally:
                lock.release()
            services = open_services(path)
        elif kind == "pdf":
            from collab_desktop.pdf.attendance_sheet import write_attendance_sheets

            sheets = services.attendance.sheets([_a_session(services)], printed_on=date.today())
            write_attendance_sheets(sheets, work / "sheet.pdf")


def _a_session(services) -> uuid.UUID:
    week = services.attendance.plan_and_list_week()
    held = [s for s in week if s.status != "cancelled"]
    return (held or week)[0].id


# -- the parent ------------------------------------------------------------------------------


def _read_all(fd: int) -> list[str]:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode().split("\n")


def _run_child(kind: str, db: Path, work: Path, delay: float) -> list[str]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into the campaign
        os.close(read_end)
        code = 0
        try:
            _child(kind, db, write_end, work)
        except BaseException as error:
            os.write(write_end, f"error {type(error).__name__}: {error}\n".encode())
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    lines = _read_all(read_end)
    os.close(read_end)
    return [line for line in lines if line]


def _stored(db: Path, table: str) -> set[str]:
    connection = sqlite3.connect(db)
    try:
        return {row[0] for row in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


def _check_round(db: Path, folder: Path, confirmed: dict[str, set[str]], tally: Tally) -> None:
    from collab_desktop.services.backups import BackupService
    from collab_desktop.services.file_check import full_check

    # writable: SQLite rolls back what the killed child left half-done, as the app would.
    problem = full_check(db, writable=True)
    if problem is not None:
        tally.corrupt += 1
        tally.notes.append(f"corrupt after a kill: {problem[:200]}")
        return
    for table, ids in confirmed.items():
        missing = ids - _stored(db, table)
        if missing:
            tally.lost += len(missing)
            tally.notes.append(f"{len(missing)} confirmed {table} rows lost")
    tally.checked += 1
    if BackupService(db, folder).newest_good() is not None:
        tally.offered += 1
    else:
        tally.notes.append("no good backup offered")


def _pdf_whole(path: Path) -> bool:
    if not path.exists():
        return True
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def _older_revision(db: Path, target: Path) -> None:
    """A copy of `db` at the previous schema revision, for the migration path."""
    from alembic import command

    from collab_desktop.migrations import alembic_config
    from collab_desktop.models.database import make_engine
    from collab_desktop.services.file_check import known_revisions

    shutil.copyfile(db, target)
    engine = make_engine(target)
    try:
        command.downgrade(alembic_config(engine), known_revisions()[-2])
    finally:
        engine.dispose()


def campaign(
    db: Path, kills: int, rng: random.Random, shortest: float, longest: float, work: Path
) -> Tally:
    """`kills` rounds on the records `db` (changed in place), each path in turn."""
    from collab_desktop.services.backups import BackupService
    from collab_desktop.services.database_file import default_backup_folder
    from collab_desktop.services.file_check import revision_of

    tally = Tally()
    folder = default_backup_folder(db)
    backups = BackupService(db, folder)
    backups.backup_now("manual")
    confirmed: dict[str, set[str]] = {"organisation": set(), "participant": set()}
    old = work / "older-revision.sqlite3"
    migrating = work / "migration" / db.name
    if "migration" in PATHS:
        _older_revision(db, old)
    for round_number in range(kills):
        kind = PATHS[round_number % len(PATHS)]
        delay = rng.uniform(shortest, longest)
        target = db
        if kind == "migration":
            shutil.rmtree(migrating.parent, ignore_errors=True)
            migrating.parent.mkdir(parents=True)
            shutil.copyfile(old, migrating)
            # With the backups a user of the previous version would have.
            BackupService(migrating, default_backup_folder(migrating)).backup_now("close")
            target = migrating
        if kind == "restore":
            backups.backup_now("manual")  # holds every save confirmed so far
        lines = _run_child(kind, target, work, delay)
        tally.kills += 1
        tally.by_path[kind] += 1
        errors = [line for line in lines if line.startswith("error")]
        if errors:
            tally.notes.append(f"{kind}: the child failed before its kill: {errors[0]}")
        reported: dict[str, set[str]] = {"organisation": set(), "participant": set()}
        for line in lines:
            table, _, value = line.partition(" ")
            if table in reported:
                reported[table].add(value)
        tally.saves += sum(len(ids) for ids in reported.values())
        if kind == "migration":
            _check_round(migrating, default_backup_folder(migrating), reported, tally)
            revision = revision_of(migrating)
            if "migrated" in lines and revision is None:
                tally.corrupt += 1
                tally.notes.append("a migration lost the schema revision")
            continue
        for table, ids in reported.items():
            confirmed[table] |= ids
        _check_round(db, folder, confirmed, tally)
        if kind == "pdf" and not _pdf_whole(work / "sheet.pdf"):
            tally.corrupt += 1
            tally.notes.append("a half-written PDF under the chosen name")
    return tally


def damage_trials(db: Path, trials: int, rng: random.Random, work: Path) -> dict[str, int]:
    """Flip bytes in copies of `db`, and replace it with foreign files; open each the app's
    way and see what it says."""
    from collab_desktop.services.backups import BackupService
    from collab_desktop.services.database_file import DamagedDatabase, default_backup_folder
    from collab_desktop.services.file_check import full_check
    from collab_desktop.services.open_records import open_services

    found = Counter()
    trial_dir = work / "trials"
    folder = default_backup_folder(db)
    size = db.stat().st_size

    def opened_the_apps_way(path: Path) -> DamagedDatabase | None:
        try:
            services = open_services(path, BackupService(path, folder).folder, defer_check=True)
        except DamagedDatabase as damage:
            return damage
        try:
            return services.startup_check.run()
        finally:
            services.close()

    def dump(path: Path) -> list[str] | None:
        try:
            connection = sqlite3.connect(path)
            try:
                return list(connection.iterdump())
            finally:
                connection.close()
        except (sqlite3.Error, ValueError):
            return None

    before = dump(db)
    for trial in range(trials + 4):
        shutil.rmtree(trial_dir, ignore_errors=True)
        trial_dir.mkdir()
        path = trial_dir / db.name
        shutil.copyfile(db, path)
        if trial < trials:
            kind = "flip"
            data = bytearray(path.read_bytes())
            start = rng.randrange(0, size - 64)
            for offset in range(start, start + rng.choice((1, 6, 16, 64))):
                data[offset] ^= rng.randrange(1, 256)
            path.write_bytes(bytes(data))
        else:
            kind = ("zeroed header", "text", "PNG", "another program's")[trial - trials]
            if kind == "zeroed header":
                data = bytearray(path.read_bytes())
                data[:100] = bytes(100)
                path.write_bytes(bytes(data))
            elif kind == "text":
                path.write_text("Minutes of the partnership board\n" * 50)
            elif kind == "PNG":
                path.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
            else:
                path.unlink()
                other = sqlite3.connect(path)
                other.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
                other.commit()
                other.close()
        damage = opened_the_apps_way(path)
        if damage is not None:
            found["refused"] += 1
            found["offered"] += damage.backup is not None
        elif full_check(path) is None and dump(path) == before:
            found["harmless"] += 1  # the flip hit bytes nothing reads (free space, padding)
        else:
            found["unseen"] += 1  # a value changed that SQLite keeps no checksum of
        found["trials"] += 1
    shutil.rmtree(trial_dir, ignore_errors=True)
    return found


def small_database(work: Path) -> Path:
    from collab_desktop.config import DATABASE_NAME
    from collab_desktop.self_test import run_self_test
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.partners import PartnerData

    data = work / "small"
    with contextlib.redirect_stdout(io.StringIO()):
        passed = run_self_test(data) == 0
    if not passed:
        raise SystemExit("the self-test failed: no small database to work on")
    db = data / DATABASE_NAME
    services = open_services(db)
    for i in range(300):
        services.partners.save_partner(PartnerData(name=f"Small Partner {i:03d}"), confirmed=True)
    services.close()
    for leftover in data.glob("*.pdf"):
        leftover.unlink()
    return db


def big_database(work: Path) -> Path:
    from benchmarks.generate import cached_database

    source, _plan = cached_database(log=log)
    data = work / "big"
    data.mkdir()
    db = data / "collab-desktop.sqlite3"
    shutil.copyfile(source, db)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=200, help="kills on the small database")
    parser.add_argument("--big-kills", type=int, default=18, help="kills on the big one")
    parser.add_argument("--flips", type=int, default=40, help="byte-flip trials (small)")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args(argv)
    # The app logs each damaged file it meets; here that is the point, not news.
    logging.getLogger("collab_desktop").setLevel(logging.CRITICAL)
    rng = random.Random(args.seed)
    started = time.monotonic()
    rows = []
    with tempfile.TemporaryDirectory(prefix="collab-fault-campaign-") as temp:
        work = Path(temp)
        small = small_database(work)
        log(f"Small database: {small.stat().st_size / 1e6:.1f} MB; {args.kills} kills")
        rows.append(("small", campaign(small, args.kills, rng, 0.005, 0.4, work)))
        flips = damage_trials(small, args.flips, rng, work)
        if args.big_kills:
            big = big_database(work)
            log(f"Big database: {big.stat().st_size / 1e6:.0f} MB; {args.big_kills} kills")
            rows.append(("benchmark", campaign(big, args.big_kills, rng, 0.5, 5.0, work)))
    print(
        "| Database | Kills (save, register, backup, restore, migration, PDF) | Confirmed "
        "saves | Corrupt | Lost | Good backup offered |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, t in rows:
        paths = ", ".join(str(t.by_path[p]) for p in PATHS)
        print(
            f"| {name} | {t.kills} ({paths}) | {t.saves:,} | {t.corrupt} | {t.lost} | "
            f"{t.offered} of {t.checked} |"
        )
    print()
    print(
        f"Damage trials on the small database: {flips['trials']} ({args.flips} byte flips, "
        f"4 foreign files): {flips['refused']} refused with a good backup offered in "
        f"{flips['offered']}; {flips['harmless']} flips changed nothing; {flips['unseen']} "
        "changed a value no check can see."
    )
    print(f"Took {time.monotonic() - started:.0f} s.")
    failed = False
    for name, t in rows:
        for note in dict.fromkeys(t.notes):
            log(f"{name}: {note}")
        failed |= bool(t.corrupt or t.lost or t.offered < t.checked)
    failed |= flips["offered"] < flips["refused"]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
