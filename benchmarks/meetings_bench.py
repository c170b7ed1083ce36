"""Meetings at ten years' scale (issue 14): 10,000 meetings and 50,000 actions added to a copy
of the cached database, then the home page's "Needs attention" and the engagement view of a
17-member board (the Golden Key board, with two years of quarterly meetings).

Called from run.py with the copy it has already opened (so at this version's revision); run
alone with `python -m benchmarks.meetings_bench DATABASE` on a copy you do not mind changing.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

MEETINGS = 10_000
ACTIONS_PER_MEETING = 5
# The first page's budget in run.py is for the whole page; the list's own share of it.
ATTENTION_BUDGET = 0.100
ENGAGEMENT_BUDGET = 0.150
# The retention count is made off the GUI thread (ui/home_page.py): nobody waits on it, but it
# should still be done well within a second.
RETENTION_BUDGET = 1.0


def _add_meetings(path: Path, today: date) -> None:
    rng = random.Random(20261202)
    db = sqlite3.connect(path)
    try:
        members: dict[str, list[str]] = {}
        for c, o in db.execute("SELECT collaboration_id, organisation_id FROM member"):
            members.setdefault(c, []).append(o)
        collaborations = sorted(members)
        now = datetime.now().isoformat(" ")
        meetings, attendees, actions = [], [], []
        for n in range(MEETINGS):
            c = collaborations[n % len(collaborations)]
            held = today - timedelta(days=rng.randrange(1, 3650))
            m = uuid.uuid4().hex
            meetings.append((m, c, held.isoformat(), "board", "held", "", "", "", "", now, now))
            for i, o in enumerate(members[c]):
                response = "attended" if rng.random() < 0.8 else "apologies"
                attendees.append((uuid.uuid4().hex, m, i, o, None, "", response, "", 1, now, now))
            for i in range(ACTIONS_PER_MEETING):
                due = held + timedelta(days=rng.randrange(7, 90))
                done = (due - timedelta(days=1)).isoformat() if rng.random() < 0.95 else None
                owner = rng.choice(members[c])
                actions.append((uuid.uuid4().hex, m, i, f"Action {n}.{i}", owner, None, "",
                                due.isoformat(), done, None, now, now))  # fmt: skip
        db.executemany(
            "INSERT INTO meeting (id, collaboration_id, held_on, kind, status, title, notes,"
            " review_outcome, minutes_approved_by, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            meetings,
        )
        db.executemany(
            "INSERT INTO meeting_attendee (id, meeting_id, position, organisation_id, contact_id,"
            " name, response, substitute_for, can_decide, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            attendees,
        )
        db.executemany(
            "INSERT INTO meeting_action (id, meeting_id, position, what, organisation_id,"
            " contact_id, owner_name, due_on, done_on, responsibility_id, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            actions,
        )
        db.commit()
    finally:
        db.close()


def _timed(action, runs: int) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def meeting_figures(database: Path, runs: int) -> list:
    """The figures (run.Figure) of meetings at scale, over `database`, which is changed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.run import Figure
    from collab_desktop.services.meetings.attention import (
        AttentionSettings,
        needs_attention,
        retention_attention,
    )
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.privacy.rules import RetentionRules
    from tests.meeting_builders import board_meeting, golden_key_board

    today = date.today()
    services = open_services(database)
    try:
        board = golden_key_board(
            services, start=today - timedelta(days=3 * 365), suffix=" (benchmark)"
        )
        for quarter in range(8):
            board_meeting(services, board, today - timedelta(days=30 + 91 * quarter), today=today)
    finally:
        services.close()
    _add_meetings(database, today)
    services = open_services(database)
    try:
        # What the home page waits for (everything but the retention count, issue 15), and
        # the retention count it makes in the background.
        settings = AttentionSettings()
        attention = _timed(lambda: needs_attention(database, today, settings), runs)
        retention = _timed(lambda: retention_attention(database, today, RetentionRules()), runs)
        engagement = _timed(
            lambda: services.engagement.engagement(board.collaboration, today), runs
        )
    finally:
        services.close()
    return [
        Figure("Needs attention (10,000 meetings, 50,000 actions)", attention, "s",
               ATTENTION_BUDGET),
        Figure("Engagement view, 17-member board", engagement, "s", ENGAGEMENT_BUDGET),
        Figure("Retention due, counted in the background (20,000 participants)", retention, "s",
               RETENTION_BUDGET),
    ]  # fmt: skip


if __name__ == "__main__":
    for figure in meeting_figures(Path(sys.argv[1]), runs=5):
        print(f"{figure.name}: {figure.text(figure.median)} (budget {figure.text(figure.budget)})")
