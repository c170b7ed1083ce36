"""Exchange packs at scale (issue 12): export and import preview of the busiest collaboration
of the ten-year database, with its participants and registers; applying it into an empty data
folder; importing it again (nothing to do). Called from benchmarks/run.py; on its own:
`python -m benchmarks.exchange_bench` (uses the cached database; never regenerates it)."""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "benchmark passphrase"


def busiest_collaboration(database: Path) -> uuid.UUID:
    connection = sqlite3.connect(database)
    try:
        [(cid,)] = connection.execute(
            "SELECT a.collaboration_id FROM attendance t JOIN activity_session s"
            " ON t.session_id = s.id JOIN activity a ON s.activity_id = a.id"
            " GROUP BY a.collaboration_id ORDER BY count(*) DESC LIMIT 1"
        ).fetchall()
    finally:
        connection.close()
    return uuid.UUID(cid)


def _own(services) -> uuid.UUID:
    return services.partners.list_partners()[0].id


def _time(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times


def exchange_figures(database: Path, work: Path, runs: int) -> list[tuple]:
    """[(name, median seconds, "s", budget, note)] for run.py's Figure."""
    from collab_desktop.services.open_records import open_services

    cid = busiest_collaboration(database)
    sender = open_services(database)
    try:
        own = _own(sender)
        request = {"collaboration_id": str(cid), "participants": True}
        exports = _time(
            lambda: sender.exchange.export_pack("collaboration", request, own,
                                                passphrase=PASSPHRASE), runs,
        )  # fmt: skip
        out = sender.exchange.export_pack("collaboration", request, own, passphrase=PASSPHRASE)
    finally:
        sender.close()
    empty = work / "exchange-empty" / "collab-desktop.sqlite3"
    receiver = open_services(empty)
    try:
        opened = receiver.exchange.read_pack(out.data, None, PASSPHRASE)
        previews = _time(
            lambda: receiver.exchange.preview(
                receiver.exchange.read_pack(out.data, None, PASSPHRASE)
            ),
            runs,
        )
        lines = len(receiver.exchange.preview(opened).lines)
        began = time.perf_counter()
        result = receiver.exchange.apply(opened, None, None)
        applied = time.perf_counter() - began
        assert result.changed
        again = _time(
            lambda: receiver.exchange.apply(
                receiver.exchange.read_pack(out.data, None, PASSPHRASE), None, None
            ),
            runs,
        )
    finally:
        receiver.close()
    note = f"{lines:,} records, {len(out.data) / 2**20:.1f} MB pack"
    return [
        ("Exchange: export the busiest collaboration with registers",
         statistics.median(exports), "s", 1.0, note),
        ("Exchange: read and preview that pack", statistics.median(previews), "s", 1.0, ""),
        ("Exchange: apply it into an empty data folder (with its backup)", applied, "s", 2.0, ""),
        ("Exchange: import it again (nothing changes)", statistics.median(again), "s", 1.0, ""),
    ]  # fmt: skip


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import cached

    found = cached(log=lambda *parts: print(*parts, file=sys.stderr))
    if found is None:
        print("No cached benchmark database yet: run benchmarks/run.py first.", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="collab-exchange-bench-"))
    try:
        database = work / "data" / "collab-desktop.sqlite3"
        database.parent.mkdir()
        shutil.copyfile(found[0], database)
        for name, median, _unit, budget, note in exchange_figures(database, work, 3):
            print(f"| {name} | {median:.2f} s{f' ({note})' if note else ''} | ≤ {budget} s |")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
