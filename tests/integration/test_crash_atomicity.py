"""Kill the app's real write path at random moments; nothing committed is lost and nothing
half-done is kept.

Runs CRASH_KILLS kills (30 by default, to keep the suite quick; set COLLAB_CRASH_KILLS=200
for the long run). Each child is forked from this process, opens the database through the
app's own services (lock, check, migrations) and saves partners, each with three contacts in
one transaction, reporting each id on a pipe only after its commit returned.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import time
import uuid

import pytest

from collab_desktop.services.open_records import open_services
from collab_desktop.services.partners import ContactData, PartnerData

CRASH_KILLS = int(os.environ.get("COLLAB_CRASH_KILLS", "30"))
CONTACTS_EACH = 3


def _child(path, round_number: int, report: int) -> None:
    services = open_services(path)
    for i in range(1_000_000):
        partner_id = services.partners.save_partner(
            PartnerData(
                name=f"Round {round_number} partner {i}",
                notes="n" * (i % 7 * 500),  # varied sizes: page splits, overflow pages
                contacts=[ContactData(name=f"Person {j}") for j in range(CONTACTS_EACH)],
            ),
            confirmed=True,
        )
        os.write(report, f"{partner_id}\n".encode())


def _read_all(fd: int) -> str:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks).decode()


def _first_line(fd: int, timeout: float = 60.0) -> bytes:
    """What the child reported up to its first commit (waiting at most `timeout` s)."""
    got = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in got:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, "the child made no commit in a minute"
        chunk = os.read(fd, 4096)
        assert chunk, "the child ended before its first commit"
        got += chunk
    return got


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
def test_killed_writes_keep_every_commit_and_no_half_transaction(tmp_path):
    path = tmp_path / "db.sqlite3"
    open_services(path).close()
    rng = random.Random(20261124)
    reported: set[str] = set()
    for round_number in range(CRASH_KILLS):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            os.close(read_end)
            try:
                _child(path, round_number, write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        early = b""
        if round_number % 2:
            # Every other kill comes only after the child's first commit, however slowly a
            # busy machine opens the records: those rounds always kill a save, not the opening.
            early = _first_line(read_end)
        time.sleep(rng.uniform(0.005, 0.12))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        reported |= set((early.decode() + _read_all(read_end)).split())
        os.close(read_end)

        connection = sqlite3.connect(path)  # rolls back the killed child's open transaction
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
            stored = {
                str(uuid.UUID(hex=row[0]))
                for row in connection.execute("SELECT id FROM organisation")
            }
            missing = reported - stored
            assert not missing, f"round {round_number}: commits lost: {sorted(missing)[:3]}"
            counts = connection.execute(
                "SELECT o.id, count(c.id) FROM organisation o "
                "LEFT JOIN contact c ON c.organisation_id = o.id GROUP BY o.id"
            ).fetchall()
            assert all(n == CONTACTS_EACH for _, n in counts), "a transaction was kept in part"
        finally:
            connection.close()
    assert len(reported) >= CRASH_KILLS // 2, "the children should have committed work"
