"""What the records remember between exchanges: per partner and record, the fields as last
exchanged (the base of the three-way compare), and the values an import set aside."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.orm import Session

from collab_desktop.models.exchange import ExchangeBase, ExchangeHistory


def get_base(session: Session, peer_id: uuid.UUID, record_key: str) -> dict | None:
    row = session.scalar(
        select(ExchangeBase.fields).where(
            ExchangeBase.peer_id == peer_id, ExchangeBase.record_key == record_key
        )
    )
    return json.loads(row) if row is not None else None


def bases_of(session: Session, peer_id: uuid.UUID) -> dict[str, dict]:
    """Every base kept for one partner, in one query (a whole collaboration has thousands)."""
    rows = session.execute(
        select(ExchangeBase.record_key, ExchangeBase.fields).where(ExchangeBase.peer_id == peer_id)
    )
    return {key: json.loads(fields) for key, fields in rows}


def set_base(session: Session, peer_id: uuid.UUID, record_key: str, fields: dict) -> None:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    row = session.scalar(
        select(ExchangeBase).where(
            ExchangeBase.peer_id == peer_id, ExchangeBase.record_key == record_key
        )
    )
    if row is None:
        session.add(ExchangeBase(peer_id=peer_id, record_key=record_key, fields=text))
    elif row.fields != text:
        row.fields = text


def set_bases(session: Session, peer_id: uuid.UUID, records: dict[str, dict]) -> None:
    """set_base for many records at once: one read of what is kept, then only the writes."""
    known = {
        key: (row_id, fields)
        for row_id, key, fields in session.execute(
            select(ExchangeBase.id, ExchangeBase.record_key, ExchangeBase.fields).where(
                ExchangeBase.peer_id == peer_id
            )
        )
    }
    inserts, updates = [], []
    for key, fields in records.items():
        text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        if key not in known:
            inserts.append({"peer_id": peer_id, "record_key": key, "fields": text})
        elif known[key][1] != text:
            updates.append({"id": known[key][0], "fields": text})
    table: Table = ExchangeBase.__table__  # type: ignore[assignment]
    if inserts:
        session.execute(table.insert(), inserts)
    if updates:
        session.execute(
            table.update().where(ExchangeBase.id == bindparam("b_id")),
            [{"b_id": u["id"], "fields": u["fields"]} for u in updates],
        )


def keep_loser(
    session: Session,
    record_key: str,
    field: str,
    kept: Any,
    set_aside: Any,
    whose: str,
    pack_id: str = "",
) -> None:
    """Keep the value an import did not use, so a settled conflict loses nothing."""
    session.add(
        ExchangeHistory(
            record_key=record_key,
            field=field,
            kept=json.dumps(kept, ensure_ascii=False, default=str),
            set_aside=json.dumps(set_aside, ensure_ascii=False, default=str),
            whose=whose,
            pack_id=pack_id,
        )
    )


def set_aside_values(session: Session, record_key: str) -> list[ExchangeHistory]:
    return list(
        session.scalars(
            select(ExchangeHistory)
            .where(ExchangeHistory.record_key == record_key)
            .order_by(ExchangeHistory.id)
        )
    )
