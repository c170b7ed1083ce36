"""The reviews due on the first page's "Needs attention" (services/meetings/attention.py),
found from the versions' review index alone and the few shown given their agreement's title
(issue 17): the same items as the query that read every due agreement's title, on the
benchmark's records at a fiftieth of their size."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import pytest

from benchmarks.generate import COUNTS, generate
from collab_desktop.services.meetings import attention
from collab_desktop.services.meetings.attention import PER_KIND, REVIEW_NOTICE_DAYS, reviews_due

TODAY = date(2026, 3, 2)

# The query as it was (every due version joined to its agreement for the title): the oracle.
ORACLE = """
SELECT v.id, a.title, v.number, max(coalesce(v.next_review, '0'), coalesce(
    (SELECT max(m.next_review_on) FROM meeting AS m
     WHERE m.agreement_version_id = v.id AND m.review_outcome = 'no_change'), '0')) AS due
FROM agreement_version AS v JOIN agreement AS a ON v.agreement_id = a.id
WHERE v.status = 'signed_off' AND v.next_review IS NOT NULL
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "db.sqlite3"
    generate(path, today=TODAY, log=lambda *_: None, counts={k: n // 50 for k, n in COUNTS.items()})
    return path


@pytest.mark.parametrize("days", [0, 200, 2000])
def test_the_reviews_due_are_those_the_whole_query_found(generated, days):
    today = TODAY + timedelta(days=days)
    horizon = (today + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat()
    with closing(sqlite3.connect(generated)) as connection:
        expected = connection.execute(
            f"SELECT * FROM ({ORACLE}) WHERE due <= ? ORDER BY due, id", (horizon,)
        ).fetchall()
        items = reviews_due(connection, today)
    assert len(expected) > PER_KIND  # some left out, counted on the last item
    assert len(items) == PER_KIND and items[-1].more == len(expected) - PER_KIND
    for item, (version_id, title, number, due) in zip(items, expected[:PER_KIND], strict=True):
        assert item.target_id.hex == version_id and item.on == date.fromisoformat(due)
        assert f"{title} (version {number})" in item.text


def test_none_due_gives_nothing(services):
    with closing(sqlite3.connect(services.path)) as connection:
        assert attention.reviews_due(connection, TODAY) == []
