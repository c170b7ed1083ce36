"""First contact between two laptops whose partners were typed in separately: the same charity
has a different UUID on each. A partner in a pack (or the pack's sender) that is not known here
by UUID, but has the same name as a partner here, is taken to be that partner ("same as X",
the default in the preview) instead of being added a second time; the user may say it is a
different one. The link (their UUID -> ours) is kept, so every later pack maps the same way.

Links are kept in `exchange_base` under a reserved partner id (LINKS) rather than a table of
their own: they are bookkeeping of the exchange, like the bases, and need no migration."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models import Organisation
from collab_desktop.models.exchange import ExchangeBase
from collab_desktop.services.exchange.kinds import Choices, Sender
from collab_desktop.services.exchange.recordset import MODELS, table
from collab_desktop.services.partners import normalise_name

LINKS = uuid.UUID(int=0)  # the reserved "partner" whose bases are the links
_PREFIX = "link:organisation:"
LINK = "link"  # the choice's field name: "same" (default) or "new"
DIFFERENT = "new"


@dataclass(frozen=True)
class Match:
    theirs: str  # their UUID for the partner
    ours: str  # ours
    name: str  # the name here


def _normal(name: object) -> str:
    # As the partners page decides "the same name" (case, punctuation, "Ltd" ignored).
    return normalise_name(str(name or ""))


def links(session: Session) -> dict[str, str]:
    """Every kept link: their UUID -> ours (as strings)."""
    rows = session.execute(
        select(ExchangeBase.record_key, ExchangeBase.fields).where(ExchangeBase.peer_id == LINKS)
    )
    return {key[len(_PREFIX) :]: json.loads(fields)["here"] for key, fields in rows}


def here_id(session: Session, their_id: uuid.UUID) -> uuid.UUID:
    """Our UUID for a partner they call `their_id` (itself when not linked)."""
    fields = session.scalar(
        select(ExchangeBase.fields).where(
            ExchangeBase.peer_id == LINKS, ExchangeBase.record_key == f"{_PREFIX}{their_id}"
        )
    )
    return uuid.UUID(json.loads(fields)["here"]) if fields else their_id


def there_id(session: Session, our_id: uuid.UUID) -> uuid.UUID:
    """Their UUID for our partner `our_id`, if a link says so (for addressing a pack)."""
    for theirs, ours in links(session).items():
        if ours == str(our_id):
            return uuid.UUID(theirs)
    return our_id


def keep_link(session: Session, match: Match) -> None:
    key = f"{_PREFIX}{match.theirs}"
    if session.scalar(
        select(ExchangeBase.id).where(ExchangeBase.peer_id == LINKS, ExchangeBase.record_key == key)
    ):
        return
    fields = json.dumps({"here": match.ours, "name": match.name}, sort_keys=True)
    session.add(ExchangeBase(peer_id=LINKS, record_key=key, fields=fields))


def suggest(
    session: Session, records: dict[str, list[dict]], sender: Sender, kept: dict[str, str]
) -> dict[str, Match]:
    """Partners in the pack (and its sender) unknown here by UUID and not yet linked, that
    have the same name as exactly one partner here which the pack does not carry itself."""
    incoming = {r["id"]: r["fields"].get("name", "") for r in records.get("organisation", [])}
    if str(sender.organisation_id) not in incoming:
        incoming[str(sender.organisation_id)] = sender.name
    wanted = {i: n for i, n in incoming.items() if i not in kept}
    if not wanted:
        return {}
    known = {
        str(i)
        for i in session.scalars(
            select(Organisation.id).where(Organisation.id.in_([uuid.UUID(i) for i in wanted]))
        )
    }
    by_name: dict[str, list[tuple[str, str]]] = {}
    for oid, name in session.execute(select(Organisation.id, Organisation.name)):
        if str(oid) not in incoming and str(oid) not in kept.values():
            by_name.setdefault(_normal(name), []).append((str(oid), name))
    found: dict[str, Match] = {}
    for their_id, name in wanted.items():
        candidates = by_name.get(_normal(name), [])
        if their_id in known or len(candidates) != 1 or not _normal(name):
            continue
        found[their_id] = Match(their_id, candidates[0][0], candidates[0][1])
    return found


def declined(choices: Choices, match: Match) -> bool:
    return choices.get(line_key(match), {}).get(LINK) == DIFFERENT


def line_key(match: Match) -> str:
    return f"organisation:{match.theirs}"


def _organisation_columns() -> dict[str, list[str]]:
    """Per table, the columns that name a partner (foreign keys to organisation.id)."""
    found: dict[str, list[str]] = {}
    for model in MODELS:
        for column in table(model).columns:
            if any(fk.column.table.name == "organisation" for fk in column.foreign_keys):
                found.setdefault(model.__tablename__, []).append(column.name)
    return found


_COLUMNS = _organisation_columns()


def translate(records: dict[str, list[dict]], mapping: dict[str, str]) -> dict[str, list[dict]]:
    """A copy of `records` with their UUIDs for partners replaced by ours (the pack's own data
    is left as it was)."""
    if not mapping:
        return records
    out: dict[str, list[dict]] = {}
    for tablename, rows in records.items():
        names = _COLUMNS.get(tablename, [])
        if tablename != "organisation" and not names and tablename != "agreement_version":
            out[tablename] = rows
            continue
        copied = []
        for r in rows:
            fields = dict(r["fields"])
            for name in names:
                if fields.get(name) in mapping:
                    fields[name] = mapping[fields[name]]
            if tablename == "agreement_version" and fields.get("role_map"):
                text = fields["role_map"]
                for theirs, ours in mapping.items():
                    text = text.replace(theirs, ours)
                fields["role_map"] = text
            rid = mapping.get(r["id"], r["id"]) if tablename == "organisation" else r["id"]
            copied.append({**r, "id": rid, "fields": fields})
        out[tablename] = copied
    return out


def link_sender(session: Session, sender: Sender) -> None:
    """For packs that carry no partner records (signatures, acknowledgements): a sender not
    known here by UUID, named like exactly one partner here, is linked to it, so its key
    shows on that partner's record."""
    if sender.organisation_id != here_id(session, sender.organisation_id):
        return
    if session.get(Organisation, sender.organisation_id) is not None:
        return
    found = [
        (str(oid), name)
        for oid, name in session.execute(select(Organisation.id, Organisation.name))
        if _normal(name) == _normal(sender.name) and _normal(name)
    ]
    taken = set(links(session).values())
    if len(found) == 1 and found[0][0] not in taken:
        keep_link(session, Match(str(sender.organisation_id), found[0][0], found[0][1]))
