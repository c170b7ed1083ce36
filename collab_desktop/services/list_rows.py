"""The rows of the list pages, read with plain SQL on any DB-API connection (issue 17).

The list pages are read ahead while the app is idle (ui/preload.py), and importing SQLAlchemy,
the models and the services for that would cost about 70 MiB and 0.8 s. So each list is read
here with nothing but a connection (sqlite3's, or sqlcipher3's for encrypted records: the same
API), and the services read their lists through these same functions on their session's own
connection (models/database.driver_connection): one implementation of each list, whoever
reads it. Nothing here may load SQLAlchemy, the ORM models, cryptography, ReportLab or Qt
(tests/integration/test_list_rows.py checks, and that the rows are the services' own).

Values are read as SQLAlchemy's types store them in SQLite: a Uuid as 32 hex digits, a Date
as 'YYYY-MM-DD', a Boolean as 0 or 1. Every cursor is read to the end and closed before a
function returns: the caller may keep the connection open for other reads, and a cursor left
half-read would hold a lock on the file against the next save.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TypeVar

from collab_desktop.models.enums import (
    AGREEMENT_STATUSES,
    CHECKS,
    COLLABORATION_STATUSES,
    MEETING_KINDS,
    MEETING_STATUSES,
    MEMBER_ROLES,
    ORGANISATION_KINDS,
    SETTINGS,
    label,
)
from collab_desktop.services.agreements.version_data import AgreementRow
from collab_desktop.services.read_turns import wait_turn

__all__ = [
    "AgreementRow",
    "CollaborationRow",
    "MeetingRow",
    "ParticipantRow",
    "PartnerRow",
    "VolunteerRow",
    "agreement_rows",
    "collaboration_rows",
    "meeting_rows",
    "participant_rows",
    "partner_rows",
    "volunteer_rows",
]


# The longest lists keep each record's id as its number (`key`), and make the UUID only when
# `id` is asked for (opening a record, selecting it again): a UUID object and its number are
# 104 bytes, the number alone 48, which for the pages read ahead at ten years' scale was
# 1.7 MiB (issue 17's memory budget). Rows compare by their fields, so key for key.


@dataclass(frozen=True, slots=True)  # no __dict__ each: thousands are kept
class PartnerRow:
    """One line of the partners list."""

    key: int  # the organisation's id, as a number (see above)
    name: str
    kind: str  # label
    town: str
    contacts: int
    archived: bool

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.key)


@dataclass(frozen=True, slots=True)
class CollaborationRow:
    id: uuid.UUID
    name: str
    setting: str  # label
    site: str
    status: str  # label
    members: str  # "Fine Cell Work (Lead partner), RECOOP (Partner), …"
    start_date: date | None
    end_date: date | None
    agreements: int


@dataclass(frozen=True, slots=True)
class MeetingRow:
    id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    held_on: date
    kind: str  # label
    status: str  # label
    title: str
    organisations: str  # "12 of 17 organisations"
    open_actions: int


class ParticipantRow(NamedTuple):
    """A row of the list: a tuple (light: ten years bring tens of thousands of them)."""

    key: int  # the person's id, as a number (see PartnerRow)
    name: str
    reference: str
    joined_on: date | None
    left_on: date | None
    activities: str
    attendances: int

    @property
    def id(self) -> uuid.UUID:
        return uuid.UUID(int=self.key)


class VolunteerRow(NamedTuple):
    """A row of the list: a tuple (light: hundreds to thousands of them are kept)."""

    contact_id: uuid.UUID
    name: str
    organisation: str
    clearances: str  # "Enhanced DBS; Prison security vetting (HMP Leyhill)"
    next_expiry: date | None
    risk_assessed_on: date | None
    training_on: date | None
    hours: float
    attention: str  # "" or what needs doing, e.g. "Clearance expired 3 Mar 2026"


_T = TypeVar("_T")


def _sharing() -> Callable[[_T], _T]:
    """A function returning each value as the first equal one it was given. SQLite hands
    back a new string for every row, so a long list's repeated towns, collaboration names,
    titles and dates were each one object per row, all kept while the pages read ahead are
    (issue 17's memory budget); shared, they are one object each. For one read: what it
    holds goes with the read."""
    seen: dict[Any, Any] = {}
    return lambda value: seen.setdefault(value, value)


def _days() -> Callable[[str | None], date | None]:
    """A function reading a stored date ('YYYY-MM-DD', or None or '' for none), each day
    made once: ten years of rows hold a few thousand different days, not one per row."""
    made: dict[str | None, date | None] = {None: None, "": None}

    def day(text: str | None) -> date | None:
        try:
            return made[text]
        except KeyError:  # a day not met before in this read (text is not None here)
            found = made[text] = date.fromisoformat(text)  # type: ignore[arg-type]
            return found

    return day


# Rows fetched at a time: between batches, a read in the background lets a page clicked
# meanwhile be read first (services/read_turns.py).
BATCH = 256


def _all(connection: Any, sql: str, parameters: tuple[Any, ...] = ()) -> list[Any]:
    """Every row of a query, its cursor closed (see the module's note)."""
    cursor = connection.execute(sql, parameters)
    try:
        rows: list[Any] = []
        while batch := cursor.fetchmany(BATCH):
            wait_turn()  # a page clicked meanwhile is read first (services/read_turns.py)
            rows += batch
        return rows
    finally:
        cursor.close()


def _each(connection: Any, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[Any]:
    """The rows of a query one by one (run when first asked for), its cursor closed once
    they are all read: a long list's rows as read are not all held beside the rows made of
    them, which at ten years' scale stayed in the app's memory afterwards (issue 17)."""
    cursor = connection.execute(sql, parameters)
    try:
        while batch := cursor.fetchmany(BATCH):
            wait_turn()
            yield from batch
    finally:
        cursor.close()


# -- partners ------------------------------------------------------------------------------

_PARTNERS = (
    "SELECT o.id, o.name, o.kind, o.town, coalesce(c.n, 0), o.archived_at FROM organisation AS o"
    " LEFT OUTER JOIN (SELECT organisation_id, count(*) AS n FROM contact"
    " GROUP BY organisation_id) AS c ON c.organisation_id = o.id"
)


def partner_rows(connection: Any, include_archived: bool = False) -> list[PartnerRow]:
    where = "" if include_archived else " WHERE o.archived_at IS NULL"
    rows = _each(connection, f"{_PARTNERS}{where} ORDER BY lower(o.name)")
    share = _sharing()
    return [
        PartnerRow(
            int(id_, 16),
            name,
            label(ORGANISATION_KINDS, kind),
            share(town),
            n,
            archived is not None,
        )
        for id_, name, kind, town, n, archived in rows
    ]


# -- collaborations ------------------------------------------------------------------------


def collaboration_rows(connection: Any) -> list[CollaborationRow]:
    # Columns, not ORM objects: thousands of collaborations after some years. Ids stay as
    # stored (hex) to match the counts and members to their collaboration.
    counts: dict[str, int] = dict(
        _all(
            connection, "SELECT collaboration_id, count(*) FROM agreement GROUP BY collaboration_id"
        )
    )
    members: dict[str, list[str]] = {}
    share, day = _sharing(), _days()
    for collaboration_id, organisation, role in _all(
        connection,
        "SELECT m.collaboration_id, o.name, m.role FROM member AS m"
        " JOIN organisation AS o ON m.organisation_id = o.id"
        " ORDER BY m.collaboration_id, m.position",
    ):
        members.setdefault(collaboration_id, []).append(
            f"{organisation} ({label(MEMBER_ROLES, role)})"
        )
    collaborations = _each(
        connection,
        "SELECT id, name, setting, site, status, start_date, end_date FROM collaboration"
        " ORDER BY lower(name)",
    )
    return [
        CollaborationRow(
            id=uuid.UUID(hex=id_),
            name=name,
            setting=label(SETTINGS, setting),
            site=share(site),
            status=label(COLLABORATION_STATUSES, status),
            members=share(", ".join(members.get(id_, ()))),
            start_date=day(start_date),
            end_date=day(end_date),
            agreements=counts.get(id_, 0),
        )
        for id_, name, setting, site, status, start_date, end_date in collaborations
    ]


# -- agreements ----------------------------------------------------------------------------

# Only the signatures a version needs count ("2 of 3"): `required IS 1`, as SQLAlchemy
# writes Signatory.required.is_(True) for SQLite.
_AGREEMENTS = (
    "SELECT v.id, v.agreement_id, a.collaboration_id, c.name, a.title, v.number, v.status,"
    " v.fingerprint, v.signed_off_on, v.next_review, coalesce(s.needed, 0),"
    " coalesce(s.signed, 0) FROM agreement_version AS v"
    " JOIN agreement AS a ON v.agreement_id = a.id"
    " LEFT OUTER JOIN (SELECT version_id, count(*) AS needed, count(signed_on) AS signed"
    " FROM signatory WHERE required IS 1 GROUP BY version_id) AS s ON s.version_id = v.id"
    " JOIN collaboration AS c ON a.collaboration_id = c.id"
)


def agreement_rows(
    connection: Any, collaboration_id: uuid.UUID | None = None
) -> list[AgreementRow]:
    # Columns and counts, not ORM objects: ten years bring thousands of versions, each with
    # its long frozen text, which the list does not show. The ids are made UUIDs once each (a
    # collaboration's id repeats on every version of its agreements): turning 20,000 ids
    # into UUIDs was half the time of the list.
    where = ""
    parameters: tuple[str, ...] = ()
    if collaboration_id is not None:
        where = " WHERE a.collaboration_id = ?"
        parameters = (collaboration_id.hex,)  # as stored
    rows = _each(
        connection,
        f"{_AGREEMENTS}{where} ORDER BY lower(c.name), a.title, v.number",
        parameters,
    )
    ids: dict[str, uuid.UUID] = {}

    def uuid_of(stored: str) -> uuid.UUID:
        found = ids.get(stored)
        if found is None:
            found = ids[stored] = uuid.UUID(hex=stored)
        return found

    statuses = {status: label(AGREEMENT_STATUSES, status) for status in AGREEMENT_STATUSES}
    share, day = _sharing(), _days()
    return [
        AgreementRow(
            version_key=int(version_id, 16),
            agreement_id=uuid_of(agreement_id),
            collaboration_id=uuid_of(collaboration_id_),
            collaboration=share(collaboration),
            title=share(title),
            number=number,
            status=share(status),
            status_label=statuses.get(status) or label(AGREEMENT_STATUSES, status),
            fingerprint=fingerprint,
            signed_off_on=day(signed_off_on),
            next_review=day(next_review),
            signatures=share(f"{signed} of {needed}"),
        )
        for (
            version_id, agreement_id, collaboration_id_, collaboration, title, number, status,
            fingerprint, signed_off_on, next_review, needed, signed,
        ) in rows
    ]  # fmt: skip


# -- participants --------------------------------------------------------------------------

# Between a person's activities as SQLite joins them (the unit separator,
# which services/validation.py drops from every name typed).
_APART = "\x1f"


def participant_rows(
    connection: Any, include_left: bool = True, first: int | None = None
) -> list[ParticipantRow]:
    """Everyone, by name; or the `first` so many by name alone (a long list's first screen,
    shown while the rest is read: ui/list_page.ListPage.show_first)."""
    # Tuples, not the ORM's typed rows: ten years bring tens of thousands of people, and
    # converting every column of every row through SQLAlchemy's types took most of a second.
    where = "" if include_left else " WHERE left_on IS NULL"
    people = f"participant AS p{where}"
    parameters: tuple[int, ...] = ()
    if first is not None:
        # The first by name, found before their activities and attendance are counted: those
        # are counted for the few alone. (lower() as the sort below, for the letters A-Z;
        # the page sorts what it shows itself.)
        people = f"(SELECT * FROM participant{where} ORDER BY lower(display_name) LIMIT ?) AS p"
        parameters = (first,)
    share, day = _sharing(), _days()

    def activities(names: str | None) -> str:
        # Most people are on one activity, or on the same few as many others: one string.
        if not names:
            return ""
        if _APART in names:
            names = ", ".join(sorted(names.split(_APART), key=str.casefold))
        return share(names)

    make = ParticipantRow._make  # tuple.__new__: no keyword handling per row
    # Each person made into a row as it is read, with their activities and count of
    # attendance found by their indexes: all the rows read first, and then the counts and
    # activities by id, were 10 MiB more at the peak at ten years' scale, kept by the app
    # afterwards (issue 17's memory budget).
    rows = [
        make((
            int(id_, 16),
            name,
            reference,
            day(joined_on),
            day(left_on),
            activities(enrolled),
            attended,
        ))
        for id_, name, reference, joined_on, left_on, enrolled, attended in _each(
            connection,
            "SELECT p.id, p.display_name, p.reference, p.joined_on, p.left_on,"
            " (SELECT group_concat(a.name, char(31)) FROM enrolment AS e"
            " JOIN activity AS a ON e.activity_id = a.id"
            " WHERE e.participant_id = p.id AND e.left_on IS NULL),"
            " (SELECT count(*) FROM attendance AS t WHERE t.participant_id = p.id)"
            f" FROM {people}",
            parameters,
        )
    ]  # fmt: skip
    # Sorted here rather than by SQLite (a temporary b-tree of every name: slower).
    rows.sort(key=lambda r: r.name.lower())
    return rows


# -- volunteers ----------------------------------------------------------------------------


def volunteer_rows(connection: Any, today: date) -> list[VolunteerRow]:
    # Tuples, not ORM objects with their contacts, organisations and clearances loaded (most
    # of the list's first show at ten years' scale). Hours from the totals the database
    # keeps (leader_minutes): adding up every held session's leaders on each show took most
    # of it after ten years.
    volunteers = _all(
        connection,
        "SELECT v.id, v.contact_id, p.name, o.name, v.risk_assessed_on,"
        " v.training_on, v.risk_review_due, coalesce(k.minutes, 0) FROM volunteer AS v"
        " JOIN contact AS p ON v.contact_id = p.id"
        " JOIN organisation AS o ON p.organisation_id = o.id"
        " LEFT JOIN leader_minutes AS k ON k.contact_id = v.contact_id",
    )
    share, day = _sharing(), _days()
    clearances: dict[str, list[tuple[str, str, date | None]]] = {}
    for volunteer_id, kind, site, expires_on in _all(
        connection,
        "SELECT volunteer_id, kind, site, expires_on FROM clearance"
        " ORDER BY volunteer_id, position",
    ):
        clearances.setdefault(volunteer_id, []).append((kind, site, day(expires_on)))
    rows = []
    for (
        volunteer_id, contact_hex, name, organisation, assessed, trained, review, minutes,
    ) in volunteers:  # fmt: skip
        kept = clearances.get(volunteer_id, [])
        expiries = [expires for _, _, expires in kept if expires]
        upcoming = [d for d in expiries if d >= today]
        review_due = day(review)
        attention = []
        if any(d < today for d in expiries) and not upcoming:
            attention.append(f"Clearance expired {max(expiries):%d/%m/%Y}")
        if not kept:
            attention.append("No clearance recorded")
        if review_due and review_due < today:
            attention.append(f"Risk assessment review due {review_due:%d/%m/%Y}")
        rows.append(
            VolunteerRow(
                uuid.UUID(hex=contact_hex),
                name,
                share(organisation),
                share(
                    "; ".join(
                        label(CHECKS, kind) + (f" ({site})" if site else "")
                        for kind, site, _ in kept
                    )
                ),
                min(upcoming) if upcoming else None,
                day(assessed),
                day(trained),
                round(minutes / 60, 2),
                share("; ".join(attention)),
            )
        )
    rows.sort(key=lambda r: r.name.casefold())
    return rows


# -- meetings ------------------------------------------------------------------------------

_MEETINGS = (
    "SELECT m.id, m.collaboration_id, c.name, m.held_on, m.kind, m.status, m.title"
    " FROM meeting AS m JOIN collaboration AS c ON m.collaboration_id = c.id"
)
# The organisations asked to each meeting, and those that came (by anyone: several people
# may come for one).
_INVITED = (
    "SELECT meeting_id, count(DISTINCT organisation_id),"
    " count(DISTINCT CASE WHEN response = 'attended' THEN organisation_id END)"
    " FROM meeting_attendee"
)
# One collaboration's meetings, for the attendees and actions of those alone (their
# meeting_id indexes). Its actions not done are found by that index too: `+done_on` keeps
# SQLite from choosing the index of every collaboration's open actions instead (2,000 of
# them at ten years' scale, read to find a handful).
_OF_ONE = "meeting_id IN (SELECT id FROM meeting WHERE collaboration_id = ?)"
_OPEN_ACTIONS = "SELECT meeting_id, count(*) FROM meeting_action WHERE done_on IS NULL"
_OPEN_ACTIONS_OF_ONE = (
    f"SELECT meeting_id, count(*) FROM meeting_action WHERE {_OF_ONE} AND +done_on IS NULL"
)


def meeting_rows(connection: Any, collaboration_id: uuid.UUID | None = None) -> list[MeetingRow]:
    # Counted by SQLite, in one grouped query each for the attendees and the open actions,
    # not by the meetings' ids bound in chunks of 500 (under SQLite's limit on variables)
    # as the services' ORM query did: 10,000 meetings of ten years took 0.44 s that way,
    # 0.1 s this way (issue 17).
    parameters: tuple[str, ...] = ()
    where, invited_sql, open_sql = "", _INVITED, _OPEN_ACTIONS
    if collaboration_id is not None:
        parameters = (collaboration_id.hex,)  # as stored
        where = " WHERE m.collaboration_id = ?"
        invited_sql, open_sql = f"{_INVITED} WHERE {_OF_ONE}", _OPEN_ACTIONS_OF_ONE
    invited: dict[str, tuple[int, int]] = {
        meeting_id: (asked, came)
        for meeting_id, asked, came in _all(
            connection, f"{invited_sql} GROUP BY meeting_id", parameters
        )
    }
    open_actions: dict[str, int] = dict(
        _all(connection, f"{open_sql} GROUP BY meeting_id", parameters)
    )
    collaborations: dict[str, uuid.UUID] = {}  # each made a UUID once: they repeat
    share, day = _sharing(), _days()
    rows = []
    # Newest first; the id breaks a tie of dates, so that meetings of one day come in the
    # same order every time (the services read through this function too).
    for id_, collaboration_hex, collaboration, held_on, kind, status, title in _each(
        connection, f"{_MEETINGS}{where} ORDER BY m.held_on DESC, m.id", parameters
    ):
        asked, came = invited.get(id_, (0, 0))
        held = day(held_on)
        assert held is not None  # (the column is NOT NULL)
        of = collaborations.get(collaboration_hex)
        if of is None:
            of = collaborations[collaboration_hex] = uuid.UUID(hex=collaboration_hex)
        rows.append(
            MeetingRow(
                id=uuid.UUID(hex=id_),
                collaboration_id=of,
                collaboration=share(collaboration),
                held_on=held,
                kind=label(MEETING_KINDS, kind),
                status=label(MEETING_STATUSES, status),
                title=share(title),
                organisations=share(
                    f"{came} of {asked} organisations" if status == "held" else f"{asked} invited"
                ),
                open_actions=open_actions.get(id_, 0),
            )
        )
    return rows
