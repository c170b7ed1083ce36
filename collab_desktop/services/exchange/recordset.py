"""A set of records carried by a pack (a whole collaboration, or one agreement version with
what it names), previewed against the records here and applied in the caller's transaction.

Plain SQL (Core) rather than ORM objects: a busy collaboration with its registers is tens of
thousands of rows, and the preview must take about a second (benchmarks/exchange_bench.py).
Rows are matched by UUID only; a record that would clash with a different one here (the same
member twice, two sessions of an activity on one day) is refused, never duplicated."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, select, tuple_
from sqlalchemy.orm import Session

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Agreement,
    AgreementVersion,
    Attendance,
    Collaboration,
    Contact,
    Enrolment,
    Facilitator,
    Member,
    Organisation,
    Participant,
    Responsibility,
    SessionLeader,
    Signatory,
)
from collab_desktop.models.base import Base
from collab_desktop.services.exchange import memory
from collab_desktop.services.exchange.kinds import FieldLine, Preview, RecordLine
from collab_desktop.services.exchange.merge import three_way
from collab_desktop.services.exchange.records import (
    LOCAL_COLUMNS,
    from_json,
    record_key,
    to_json,
)

# Parents before children, so every foreign key finds its row when applied in this order.
MODELS: list[type[Base]] = [
    Organisation, Contact, Collaboration, Member, Agreement, AgreementVersion, Responsibility,
    Signatory, Activity, Facilitator, ActivitySession, SessionLeader, Participant, Enrolment,
    Attendance,
]  # fmt: skip
BY_TABLE: dict[str, type[Base]] = {m.__tablename__: m for m in MODELS}
PERSONAL_TABLES = {"participant", "enrolment", "attendance"}
WHAT = {
    "organisation": "Partner", "contact": "Contact", "collaboration": "Collaboration",
    "member": "Member", "agreement": "Agreement", "agreement_version": "Agreement version",
    "responsibility": "Responsibility", "signatory": "Signatory", "activity": "Activity",
    "facilitator": "Facilitator", "activity_session": "Session",
    "session_leader": "Session leader", "participant": "Participant",
    "enrolment": "Enrolment", "attendance": "Attendance",
}  # fmt: skip
# Unique together (besides the UUID): a new row clashing with a different one is refused.
NATURAL = {
    "member": ("collaboration_id", "organisation_id"),
    "facilitator": ("activity_id", "contact_id"),
    "activity_session": ("activity_id", "on"),
    "session_leader": ("session_id", "contact_id"),
    "enrolment": ("activity_id", "participant_id"),
    "attendance": ("session_id", "participant_id"),
    "agreement_version": ("agreement_id", "number"),
}
# What may still change on a version past draft (its status and the record of signing);
# everything else of it is the frozen text that was signed.
VERSION_MAY_CHANGE = {"status", "signed_off_on", "superseded_by_id", "void_reason", "voided_at"}
SIGNATORY_MAY_CHANGE = {"signed_on", "method", "recorded_by", "recorded_at"}
FROZEN = ("awaiting_signatures", "signed_off", "superseded", "ended", "void")
CHUNK = 500


def table(model: type[Base]) -> Table:
    return model.__table__  # type: ignore[return-value]


def columns(model: type[Base]) -> list[str]:
    return [c.name for c in table(model).columns if c.name not in LOCAL_COLUMNS]


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def read_rows(session: Session, model: type[Base], where: Any) -> list[dict]:
    """[{"id": "<uuid>", "fields": {...}}] of the rows of `model` matching `where`."""
    t = table(model)
    names = columns(model)
    query = select(t.c.id, *(t.c[n] for n in names)).where(where).order_by(t.c.id)
    return [
        {"id": str(row[0]), "fields": {n: to_json(v) for n, v in zip(names, row[1:], strict=True)}}
        for row in session.execute(query)
    ]


def local_fields(session: Session, model: type[Base], ids: list[str]) -> dict[str, dict]:
    t = table(model)
    names = columns(model)
    found: dict[str, dict] = {}
    for chunk in _chunks([uuid.UUID(i) for i in ids]):
        for row in session.execute(select(t.c.id, *(t.c[n] for n in names)).where(
            t.c.id.in_(chunk)
        )):  # fmt: skip
            found[str(row[0])] = {n: to_json(v) for n, v in zip(names, row[1:], strict=True)}
    return found


def _label(tablename: str, fields: dict, version_titles: dict[str, str]) -> str:
    for name in ("name", "title", "display_name"):
        if fields.get(name):
            return str(fields[name])
    if tablename == "agreement_version":
        title = version_titles.get(str(fields.get("agreement_id")), "Agreement")
        return f"{title}, version {fields.get('number')}"
    if tablename == "activity_session":
        return f"Session on {fields.get('on')}"
    if tablename == "responsibility":
        return str(fields.get("what", ""))[:60]
    return ""


@dataclass
class Plan:
    """The preview of a record set, with what apply needs to carry it out."""

    preview: Preview
    # record key -> (table, id, fields to write, new?)
    actions: dict[str, tuple[str, str, dict, bool]] = field(default_factory=dict)
    # record key -> the full incoming fields, kept as the new base with that partner
    incoming: dict[str, dict] = field(default_factory=dict)


def plan(
    session: Session,
    records: dict[str, list[dict]],
    peer_id: uuid.UUID,
    personal_allowed: bool = True,
) -> Plan:
    bases = memory.bases_of(session, peer_id)
    result = Plan(Preview())
    titles = {r["id"]: r["fields"].get("title", "") for r in records.get("agreement", [])}
    local_versions: dict[str, dict] = {}
    for model in MODELS:
        tablename = model.__tablename__
        rows = records.get(tablename, [])
        if not rows:
            continue
        if tablename in PERSONAL_TABLES and not personal_allowed:
            continue
        allowed = set(columns(model))
        here = local_fields(session, model, [r["id"] for r in rows])
        clashes = _clashes(session, model, [r for r in rows if r["id"] not in here])
        if tablename == "agreement_version":
            local_versions = here
        for r in rows:
            rid, theirs = r["id"], {k: v for k, v in r["fields"].items() if k in allowed}
            key = record_key(tablename, rid)
            ours = here.get(rid)
            state, lines = three_way(ours, theirs, bases.get(key))
            if tablename == "signatory":
                state = _same_signature(ours, theirs, state, lines)
            line = RecordLine(key, WHAT[tablename], _label(tablename, theirs, titles), state,
                              fields=[f for f in lines if f.state != "same"])  # fmt: skip
            result.incoming[key] = theirs
            if state == "new" and rid in clashes:
                line.state = "refused"
                line.reason = clashes[rid]
            elif state in ("update", "conflict"):
                refusal = _frozen_refusal(tablename, ours or {}, lines, local_versions, here)
                if refusal:
                    line.state, line.reason = "refused", refusal
            if line.state == "new":
                line.reason = "Not here yet: it will be added."
                result.actions[key] = (tablename, rid, theirs, True)
            elif line.state == "update":
                line.reason = "Changed there since you last exchanged it: their change is taken."
                result.actions[key] = (tablename, rid, _taken(lines), False)
            elif line.state == "conflict":
                line.reason = "Changed both here and there since you last exchanged it: choose."
                result.actions[key] = (tablename, rid, _taken(lines), False)
            elif line.state == "same":
                line.reason = (
                    "Already here, as in the pack."
                    if not any(f.state == "ours" for f in lines)
                    else "Changed only here since you last exchanged it: yours stays."
                )
            result.preview.lines.append(line)
    return result


# Who recorded a signature, and when, differs by laptop ("Tom Rhys" there is "Tom Rhys
# (RECOOP)" here, recorded from their pack): not a conflict when the signature is the same.
_RECORDING = {"method", "recorded_by", "recorded_at"}


def _same_signature(ours: dict | None, theirs: dict, state: str, lines: list[FieldLine]) -> str:
    if not ours or not ours.get("signed_on") or ours.get("signed_on") != theirs.get("signed_on"):
        return state
    for f in lines:
        if f.name in _RECORDING and f.state in ("update", "conflict"):
            f.state = "ours"
    states = {f.state for f in lines}
    return "conflict" if "conflict" in states else "update" if "update" in states else "same"


def _taken(lines: list[FieldLine]) -> dict:
    return {f.name: f.theirs for f in lines if f.state == "update"}


def _frozen_refusal(
    tablename: str,
    ours: dict,
    lines: list[FieldLine],
    local_versions: dict[str, dict],
    here: dict[str, dict],
) -> str:
    changing = {f.name for f in lines if f.state in ("update", "conflict")}
    if tablename == "agreement_version" and ours.get("status") in FROZEN:
        text = changing - VERSION_MAY_CHANGE
        if text:
            return (
                f"Version {ours.get('number')} is {str(ours.get('status')).replace('_', ' ')} "
                "here, so its text is frozen and was not changed. If the text must change, "
                "the sender should make a new version and send that."
            )
    if tablename in ("responsibility", "signatory"):
        version = local_versions.get(str(ours.get("version_id")))
        if version is None:
            return ""
        if version.get("status") in FROZEN:
            extra = changing - (SIGNATORY_MAY_CHANGE if tablename == "signatory" else set())
            if extra:
                return (
                    f"Its agreement version is {str(version.get('status')).replace('_', ' ')} "
                    "here, so this was not changed: the signed text stays as it was."
                )
    return ""


def _clashes(session: Session, model: type[Base], new_rows: list[dict]) -> dict[str, str]:
    natural = NATURAL.get(model.__tablename__)
    if not natural or not new_rows:
        return {}
    t = table(model)
    wanted = {
        tuple(from_json(model, n, r["fields"].get(n)) for n in natural): r["id"] for r in new_rows
    }
    found: dict[str, str] = {}
    keys = list(wanted)
    for chunk in _chunks(keys, 300):
        query = select(t.c.id, *(t.c[n] for n in natural)).where(
            tuple_(*(t.c[n] for n in natural)).in_(chunk)
        )
        for row in session.execute(query):
            incoming = wanted.get(tuple(row[1:]))
            if incoming is not None and str(row[0]) != incoming:
                found[incoming] = (
                    f"A different {WHAT[model.__tablename__].lower()} record is already here "
                    "for the same thing (it was entered on both laptops separately), so this "
                    "one was not added twice."
                )
    return found


def apply_plan(
    session: Session,
    result: Plan,
    peer_id: uuid.UUID,
    choices: dict[str, dict[str, str]],
    keep_loser_as: str,
    pack_id: str,
) -> dict[str, int]:
    """Write the plan (in the caller's transaction); returns applied counts by state."""
    counts = {"new": 0, "update": 0, "conflict": 0}
    lines = {line.key: line for line in result.preview.lines}
    inserts: dict[str, list[dict]] = {}
    updates: list[tuple[str, str, dict]] = []
    new_bases: dict[str, dict] = {}
    for key, (tablename, rid, fields, is_new) in result.actions.items():
        model = BY_TABLE[tablename]
        line = lines[key]
        if is_new:
            row = {n: from_json(model, n, v) for n, v in fields.items()}
            row["id"] = uuid.UUID(rid)
            inserts.setdefault(tablename, []).append(row)
            counts["new"] += 1
            new_bases[key] = result.incoming[key]
            continue
        writes = dict(fields)
        base = dict(result.incoming[key])
        for f in line.fields:
            if f.state == "ours":
                base[f.name] = f.theirs  # theirs is the base now; ours stays, a later change
            if f.state != "conflict":
                continue
            pick = choices.get(key, {}).get(f.name, "ours")
            if pick == "theirs":
                writes[f.name] = f.theirs
                memory.keep_loser(session, key, f.name, f.theirs, f.ours, "here", pack_id)
            else:
                memory.keep_loser(session, key, f.name, f.ours, f.theirs, keep_loser_as, pack_id)
        if writes:
            updates.append((tablename, rid, writes))
        counts[line.state] += 1
        new_bases[key] = base
    progress = session.info.get("progress")
    tables = [m for m in MODELS if inserts.get(m.__tablename__)]
    for done, model in enumerate(tables):
        rows = inserts[model.__tablename__]
        if progress is not None:
            # Between 30% and 80% of the import: the inserts are most of its work.
            what = WHAT[model.__tablename__].lower()
            progress(f"Adding {len(rows)} new record(s): {what}…", 0.3 + 0.5 * done / len(tables))
        session.execute(table(model).insert(), rows)
    if progress is not None and updates:
        progress(f"Updating {len(updates)} record(s)…", 0.8)
    for tablename, rid, writes in updates:
        model = BY_TABLE[tablename]
        values = {n: from_json(model, n, v) for n, v in writes.items()}
        t = table(model)
        session.execute(t.update().where(t.c.id == uuid.UUID(rid)).values(**values))
    # Same records: their base is what both now hold.
    for line in result.preview.lines:
        if line.state == "same":
            new_bases[line.key] = result.incoming[line.key]
    memory.set_bases(session, peer_id, new_bases)
    return counts


def rows_by_ids(session: Session, model: type[Base], ids: Iterable[uuid.UUID]) -> list[dict]:
    wanted = sorted(set(ids))
    out: list[dict] = []
    for chunk in _chunks(wanted):
        out += read_rows(session, model, table(model).c.id.in_(chunk))
    return out


def encoded_size(records: dict[str, list[dict]]) -> int:
    return len(json.dumps(records, default=str))


__all__ = ["MODELS", "Plan", "apply_plan", "bindparam", "plan", "read_rows", "rows_by_ids"]
