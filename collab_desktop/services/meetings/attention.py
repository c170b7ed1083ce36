"""What needs attention, for the home page (issue 14): agreements due for review or waiting
for signatures, overdue actions, past sessions with no register, clearances running out.

The home page is the first page, answered before SQLAlchemy is loaded (services/quick_open.py),
so this module uses plain sqlite3 over a read-only connection and imports nothing heavier.
Each kind of item is one indexed query, with a limit: ten years of records cost no more than
one. Other parts add their own kinds through SOURCES: a function (connection, today,
settings) -> list[AttentionItem]. `settings` carries what a kind needs from the user's
preferences (which this module cannot read: they are Qt's): the laptop's own organisation, for
its monitoring returns, and the retention rules (issue 15).
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from collab_desktop.models.enums import CHECKS, MEETING_KINDS, label
from collab_desktop.models.records_file import RecordsFile, read_connection, records_of
from collab_desktop.services.privacy.rules import RetentionRules, months_before, years_before
from collab_desktop.services.returns.periods import period_containing, period_name
from collab_desktop.services.returns.states import REPORTING_ROLES

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
RETURN = "return"  # a monitoring return: `ref` is a ReturnRef (there may be no return yet)
RETENTION = "retention"  # the review of what the retention rules say is due (no id)

# Kept in step with services/returns (board.returns_needing_attention's soon_days), which may
# not be imported here; tests/unit/test_attention_privacy.py checks the two agree on the same
# records.
RETURN_NOTICE_DAYS = 14


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # "review", "signatures", "action", "register", "clearance", …
    text: str
    target: str  # AGREEMENT, MEETING, SESSION, VOLUNTEER, or another part's own
    target_id: uuid.UUID | None
    on: date | None = None  # the date it is about (due, expiry…), for ordering
    more: int = 0  # on the last item of a kind: how many more there are not shown
    ref: object = None  # what the target needs beyond an id (a ReturnRef)


@dataclass(frozen=True)
class ReturnRef:
    """Which return an item is about: the partner's return for a collaboration and period,
    and the newest version of it if one is drafted (None: not started)."""

    collaboration_id: uuid.UUID
    organisation_id: uuid.UUID
    period_start: date
    return_id: uuid.UUID | None


@dataclass(frozen=True)
class AttentionSettings:
    """What some kinds need from the user's preferences."""

    organisation_id: uuid.UUID | None = None  # this laptop's organisation; None: every member's
    retention: RetentionRules | None = None  # None: the retention item is not asked for


NO_SETTINGS = AttentionSettings()

Source = Callable[[sqlite3.Connection, date, AttentionSettings], list[AttentionItem]]


def connect_read_only(where: RecordsFile | Path) -> sqlite3.Connection:
    # The records file's own connection: its key (encrypted records), busy_timeout, temp_store.
    return records_of(where).connect("ro")


def needs_attention(
    where: RecordsFile | Path | Callable[[], Any],
    today: date | None = None,
    settings: AttentionSettings = NO_SETTINGS,
) -> list[AttentionItem]:
    """Everything that needs attention, most pressing kind first. `where`: the records file,
    or a call that gives a connection to read on (QuickServices.shared_read: on the first
    page, so that an encrypted file's pages it shares with the week are decrypted once)."""
    today = today or date.today()
    connection = read_connection(where)
    try:
        items: list[AttentionItem] = []
        for source in SOURCES:
            items.extend(source(connection, today, settings))
        return items
    finally:
        connection.close()


def retention_attention(
    where: RecordsFile | Path, today: date, rules: RetentionRules
) -> list[AttentionItem]:
    """Only the retention items, over their own connection: at ten years' scale the registers
    rule reads every participant's attendance (a few tenths of a second), so the home page
    asks for these off the GUI thread and adds them when they come."""
    connection = connect_read_only(where)
    try:
        return retention_due(connection, today, AttentionSettings(retention=rules))
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

# From the versions' review index alone (migration 0013): due is the later of the version's
# review date and a "no change" review meeting's next date, so only versions whose own date
# is within the notice can be due (`next_review <= ?`). No title here: it is read for the few
# shown (at four times ten years' scale, 2,790 versions due, each title a page to read and,
# in encrypted records, decrypt: the first page's cost over plain grew with them).
_REVIEWS = """
SELECT v.id, v.agreement_id, v.number, max(coalesce(v.next_review, '0'), coalesce(
    (SELECT max(m.next_review_on) FROM meeting AS m
     WHERE m.agreement_version_id = v.id AND m.review_outcome = 'no_change'), '0')) AS due
FROM agreement_version AS v
WHERE v.status = 'signed_off' AND v.next_review IS NOT NULL AND v.next_review <= :horizon
"""


def reviews_due(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
    horizon = (today + timedelta(days=REVIEW_NOTICE_DAYS)).isoformat()
    # One pass over the index, the few due counted here rather than by a second query; ties
    # by version id, so that the same few are shown each time.
    rows = connection.execute(
        f"SELECT * FROM ({_REVIEWS}) WHERE due <= :horizon ORDER BY due, id",
        {"horizon": horizon},
    ).fetchall()
    shown = rows[:PER_KIND]
    marks = ", ".join("?" * len(shown))
    titles = dict(
        connection.execute(
            f"SELECT id, title FROM agreement WHERE id IN ({marks})", [r[1] for r in shown]
        ).fetchall()
    ) if shown else {}  # fmt: skip
    items = []
    for version_id, agreement_id, number, due in shown:
        title = titles.get(agreement_id, "")
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


def waiting_for_signatures(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
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


def overdue_actions(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
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


def sessions_without_register(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
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


def clearances_running_out(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
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


def _due_dates(text: str) -> dict[date, date]:
    # As services/returns/templates._due_parse: "period start=due day", one a line.
    found = {}
    for line in (text or "").splitlines():
        start, _, day = line.partition("=")
        if start and day:
            found[date.fromisoformat(start)] = date.fromisoformat(day)
    return found


_TEMPLATES = """
SELECT t.collaboration_id, t.lead_id, t.period_kind, t.due_days, t.due_dates, c.name
FROM return_template AS t JOIN collaboration AS c ON t.collaboration_id = c.id
WHERE c.status != 'ended'
"""
_REPORTING = f"""
SELECT o.id, o.name FROM member AS m JOIN organisation AS o ON m.organisation_id = o.id
WHERE m.collaboration_id = ? AND m.role IN ({", ".join("?" * len(REPORTING_ROLES))})
"""
# The unique (collaboration, organisation, period_start, version) index answers this.
_NEWEST_RETURN = """
SELECT id, status FROM monitoring_return
WHERE collaboration_id = ? AND organisation_id = ? AND period_start = ?
ORDER BY version DESC LIMIT 1
"""


def returns_due(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
    """The last period's returns due within two weeks or late and not signed off, and any
    queried: services/returns/board.returns_needing_attention, in plain sqlite3. A few
    templates and members, one indexed look-up each: no slower with ten years of returns."""
    own = settings.organisation_id.hex if settings.organisation_id else None
    if own and not connection.execute("SELECT 1 FROM organisation WHERE id = ?", (own,)).fetchone():
        own = None  # remembered from other records: every member's, as with none chosen
    found = []
    for collaboration_id, lead_id, kind, due_days, due_dates, collaboration in (
        connection.execute(_TEMPLATES).fetchall()
    ):
        last_ended = period_containing(kind, today)[0]
        first, last = period_containing(kind, last_ended - timedelta(days=1))
        due = _due_dates(due_dates).get(first) or last + timedelta(days=due_days)
        period = period_name(first, last)
        members = connection.execute(_REPORTING, (collaboration_id, *REPORTING_ROLES))
        for org, name in members.fetchall():
            if own not in (None, org, lead_id):
                continue
            newest = connection.execute(
                _NEWEST_RETURN, (collaboration_id, org, first.isoformat())
            ).fetchone()
            return_id, status = newest if newest else (None, None)
            if status == "queried":
                text = f"{name}: {period} return queried ({collaboration})"
            elif status in (None, "draft") and today >= due - timedelta(days=RETURN_NOTICE_DAYS):
                state = "late" if today > due else f"due {due:%d %b}"
                text = f"{name}: {period} return {state} ({collaboration})"
            else:
                continue
            ref = ReturnRef(
                _uuid(collaboration_id), _uuid(org), first, _uuid(return_id) if return_id else None
            )
            found.append(AttentionItem("return", text, RETURN, ref.return_id, due, ref=ref))
    found.sort(key=lambda a: (a.on, a.text))
    return _limited(found[:PER_KIND], len(found))


# Who the retention rules say is due (services/privacy/retention.due, counted not listed):
# participants who left long enough ago, or whose every register is old enough and who are
# enrolled nowhere now; volunteers who stopped long enough ago with clearance details kept.
# Each an indexed look-up per participant (attendance.participant_id, enrolment.participant_id).
_LEFT = "SELECT id FROM participant WHERE anonymised_on IS NULL AND left_on < ?"
# (The slow one: each participant enrolled nowhere now, their attendance read to the last.)
_OLD_REGISTERS = """
SELECT p.id FROM participant AS p WHERE p.anonymised_on IS NULL
AND NOT EXISTS (SELECT 1 FROM enrolment AS e WHERE e.participant_id = p.id AND e.left_on IS NULL)
AND EXISTS (SELECT 1 FROM attendance AS a WHERE a.participant_id = p.id)
AND NOT EXISTS (SELECT 1 FROM attendance AS a JOIN activity_session AS s ON a.session_id = s.id
    WHERE a.participant_id = p.id AND s."on" >= ?)
"""
_STOPPED = """
SELECT count(*) FROM volunteer AS v WHERE v.stopped_on < ?
AND EXISTS (SELECT 1 FROM clearance AS k WHERE k.volunteer_id = v.id)
"""


def retention_due(
    connection: sqlite3.Connection, today: date, settings: AttentionSettings = NO_SETTINGS
) -> list[AttentionItem]:
    rules = settings.retention
    if rules is None:
        return []
    parts, params = [], []
    if rules.participants_years:
        parts.append(_LEFT)
        params.append(years_before(today, rules.participants_years).isoformat())
    if rules.register_years:
        parts.append(_OLD_REGISTERS)
        params.append(years_before(today, rules.register_years).isoformat())
    people = 0
    if parts:
        union = " UNION ".join(parts)
        people = connection.execute(f"SELECT count(*) FROM ({union})", params).fetchone()[0]
    stopped = 0
    if rules.clearance_months:
        before = months_before(today, rules.clearance_months).isoformat()
        stopped = connection.execute(_STOPPED, (before,)).fetchone()[0]
    items = []
    if people:
        are = "participant is" if people == 1 else "participants are"
        text = f"{people} {are} due for anonymising under your retention rules"
        items.append(AttentionItem("retention", text, RETENTION, None))
    if stopped:
        whose = "volunteer's" if stopped == 1 else "volunteers'"
        text = f"{stopped} {whose} clearance details are due for removal under your retention rules"
        items.append(AttentionItem("retention", text, RETENTION, None))
    return items


# In the order they show.
SOURCES: list[Source] = [
    overdue_actions,
    returns_due,
    reviews_due,
    waiting_for_signatures,
    sessions_without_register,
    clearances_running_out,
    retention_due,
]
