"""What needs attention, for the home page (issue 14): agreements due for review or waiting
for signatures, overdue actions, past sessions with no register, clearances running out.

The home page is the first page, answered before SQLAlchemy is loaded (services/quick_open.py),
so this module uses plain sqlite3 over a read-only connection and imports nothing heavier.
Each kind of item is one indexed query, with a limit: ten years of records cost no more than
one. Other parts add their own kinds through SOURCES (the monitoring returns due or late will:
a function (connection, today) -> list[AttentionItem], appended to SOURCES at import).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from collab_desktop.models.enums import CHECKS, MEETING_KINDS, label
from collab_desktop.models.records_file import RecordsFile, records_of

# Kept in step with services/meetings/reviews.py (which may not be imported here: SQLAlchemy).
REVIEW_NOTICE_DAYS = 30
CLEARANCE_NOTICE_DAYS = 60
# A clearance that lapsed longer ago than this, with nothing newer, belongs to someone who no
# longer volunteers there: not something to deal with each morning.
LAPSED_DAYS = 365
# How far back a session with no register is still worth asking about.
REGISTER_DAYS = 60
# Items of one kind shown; the rest are counted ("and 12 more").
PER_KIND = 5

# Where each item is dealt with: the window opens that page at that record.
AGREEMENT = "agreement"  # an agreement version's id
MEETING = "meeting"  # a meeting's id
SESSION = "session"  # an activity session's id: its register
VOLUNTEER = "volunteer"  # the volunteer's contact id (as the Volunteers page keys its rows)


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # "review", "signatures", "action", "register", "clearance", …
    text: str
    target: str  # AGREEMENT, MEETING, SESSION, VOLUNTEER, or another part's own
    target_id: uuid.UUID | None
    on: date | None = None  # the date it is about (due, expiry…), for ordering
    more: int = 0  # on the last item of a kind: how many more there are not shown


Source = Callable[[sqlite3.Connection, date], list[AttentionItem]]


def connect_read_only(where: RecordsFile | Path) -> sqlite3.Connection:
    # The records file's own connection: its key (encrypted records), busy_timeout, temp_store.
    return records_of(where).connect("ro")


def needs_attention(where: RecordsFile | Path, today: date | None = None) -> list[AttentionItem]:
    """Everything that needs attention, most pressing kind first."""
    today = today or date.today()
    connection = connect_read_only(where)
    try:
        items: list[AttentionItem] = []
        for source in SOURCES:
            items.extend(source(connection, today))
        return items
    finally:
        connection.close()


def _uuid(text: str) -> uuid.UUID:
    return uuid.UUID(hex=text)


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _limited(items: list[AttentionItem], total: int) -> list[AttentionItem]:
    if total > len(items) and items:
        last = items[-1]
        items[-1] = AttentionItem(
            last.kind, last.text, last.target, last.target_id, last.on, total - len(items)
        )
    return items


def _count(connection: sqlite3.Connection, sql: str, params: tuple) -> int:
    return connection.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


# -- the kinds ------------------------------------------------------------------------------

_REVIEWS = """
SELECT v.id, a.title, v.number, max(coalesce(v.next_review, '0'), coalesce(
    (SELECT max(m.next_review_on) FROM meeting AS m
     WHERE m.agreement_version_id = v.id AND m.review_outcome = 'no_change'), '0')) AS due
FROM agreement_version AS v JOIN agreement AS a ON v.agreement_id = a.id
WHERE v.status = 'signed_off' AND v.next_review IS NOT NULL
"""


def reviews_due(connection: sqlite3.Connection, today: date) -> list[AttentionItem]:
    horizon = (today + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat()
    # One pass (reading agreement_version rows is the cost: they hold the frozen text), the
    # few due counted here rather than by a second query.
    rows = connection.execute(
        f"SELECT * FROM ({_REVIEWS}) WHERE due <= ? ORDER BY due", (horizon,)
    ).fetchall()
    items = []
    for version_id, title, number, due in rows[:PER_KIND]:
        on = date.fromisoformat(due)
        if on < today:
            text = f"Review overdue: {title} (version {number}) was due for review on {on:%d/%m/%Y}"
        else:
            text = (
                f"Review coming up: {title} (version {number}) is due for review on {on:%d/%m/%Y}"
            )
        items.append(AttentionItem("review", text, AGREEMENT, _uuid(version_id), on))
    return _limited(items, len(rows))


_WAITING = """
SELECT v.id, a.title, v.number, v.sent_at,
    (SELECT count(*) FROM signatory AS s
     WHERE s.version_id = v.id AND s.required = 1 AND s.signed_on IS NULL) AS unsigned
FROM agreement_version AS v JOIN agreement AS a ON v.agreement_id = a.id
WHERE v.status = 'awaiting_signatures'
"""


def waiting_for_signatures(connection: sqlite3.Connection, today: date) -> list[AttentionItem]:
    rows = connection.execute(f"{_WAITING} ORDER BY v.sent_at").fetchall()
    items = []
    for version_id, title, number, sent_at, unsigned in rows[:PER_KIND]:
        sent = _date(sent_at[:10]) if sent_at else None
        since = f" since {sent:%d/%m/%Y}" if sent else ""
        n = f"{unsigned} signature{'s' if unsigned != 1 else ''}"
        text = f"Waiting for {n}{since}: {title} (version {number})"
        items.append(AttentionItem("signatures", text, AGREEMENT, _uuid(version_id), sent))
    return _limited(items, len(rows))


# The composite index ix_meeting_action_open_due answers "not done, due before today".
_OVERDUE = """
SELECT x.id, x.what, x.due_on, x.owner_name, o.name, m.id, m.kind, m.held_on, c.name
FROM meeting_action AS x
JOIN meeting AS m ON x.meeting_id = m.id
JOIN collaboration AS c ON m.collaboration_id = c.id
LEFT OUTER JOIN organisation AS o ON x.organisation_id = o.id
WHERE x.done_on IS NULL AND x.due_on < ?
"""


def overdue_actions(connection: sqlite3.Connection, today: date) -> list[AttentionItem]:
    params = (today.isoformat(),)
    total = connection.execute(
        "SELECT count(*) FROM meeting_action WHERE done_on IS NULL AND due_on < ?", params
    ).fetchone()[0]
    if not total:
        return []
    rows = connection.execute(
        f"{_OVERDUE} ORDER BY x.due_on DESC LIMIT {PER_KIND}", params
    ).fetchall()
    items = []
    for _, what, due_on, owner, org, meeting_id, kind, held_on, collaboration in rows:
        who = ", ".join(w for w in (owner, org) if w) or "no owner"
        short = " ".join(what.split())
        short = short if len(short) <= 60 else short[:59] + "…"
        meeting = f"{label(MEETING_KINDS, kind).lower()} meeting of {_date(held_on):%d/%m/%Y}"
        text = (
            f"Action overdue since {_date(due_on):%d/%m/%Y}: “{short}” ({who}), from the "
            f"{collaboration} {meeting}"
        )
        items.append(AttentionItem("action", text, MEETING, _uuid(meeting_id), _date(due_on)))
    return _limited(items, total)


_NO_REGISTER = """
SELECT s.id, s."on", a.name FROM activity_session AS s
JOIN activity AS a ON s.activity_id = a.id
WHERE s."on" >= ? AND s."on" < ? AND s.status = 'planned'
"""


def sessions_without_register(connection: sqlite3.Connection, today: date) -> list[AttentionItem]:
    params = ((today - timedelta(days=REGISTER_DAYS)).isoformat(), today.isoformat())
    total = _count(connection, _NO_REGISTER, params)
    if not total:
        return []
    rows = connection.execute(
        f'{_NO_REGISTER} ORDER BY s."on" DESC, a.name LIMIT {PER_KIND}', params
    ).fetchall()
    items = [
        AttentionItem(
            "register",
            f"No register yet: {name} on {_date(on):%A %d/%m/%Y}",
            SESSION,
            _uuid(session_id),
            _date(on),
        )
        for session_id, on, name in rows
    ]
    return _limited(items, total)


# A clearance counts only if it is the newest of its volunteer's for that check and site: the
# renewed one replaces it.
_CLEARANCES = """
SELECT v.contact_id, p.name, k.kind, k.site, k.expires_on FROM clearance AS k
JOIN volunteer AS v ON k.volunteer_id = v.id
JOIN contact AS p ON v.contact_id = p.id
WHERE k.expires_on IS NOT NULL AND k.expires_on <= ? AND k.expires_on >= ?
AND NOT EXISTS (SELECT 1 FROM clearance AS n WHERE n.volunteer_id = k.volunteer_id
    AND n.kind = k.kind AND n.site = k.site AND n.expires_on > k.expires_on)
"""


def clearances_running_out(connection: sqlite3.Connection, today: date) -> list[AttentionItem]:
    params = (
        (today + timedelta(days=CLEARANCE_NOTICE_DAYS)).isoformat(),
        (today - timedelta(days=LAPSED_DAYS)).isoformat(),
    )
    total = _count(connection, _CLEARANCES, params)
    if not total:
        return []
    rows = connection.execute(
        f"{_CLEARANCES} ORDER BY k.expires_on LIMIT {PER_KIND}", params
    ).fetchall()
    items = []
    for volunteer_id, name, kind, site, expires_on in rows:
        on = _date(expires_on)
        assert on is not None  # the query asks for a date
        check = label(CHECKS, kind) + (f" for {site}" if site else "")
        if on < today:
            text = f"Clearance lapsed: {name}'s {check} ran out on {on:%d/%m/%Y}"
        else:
            text = f"Clearance running out: {name}'s {check} expires on {on:%d/%m/%Y}"
        items.append(AttentionItem("clearance", text, VOLUNTEER, _uuid(volunteer_id), on))
    return _limited(items, total)


# In the order they show. Returns due or late (another part) append their own source here.
SOURCES: list[Source] = [
    overdue_actions,
    reviews_due,
    waiting_for_signatures,
    sessions_without_register,
    clearances_running_out,
]
