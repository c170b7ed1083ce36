"""Records as plain JSON-able fields and back, generically over the ORM's columns, so that a
pack carries exactly what a table holds (every table has a UUID key: services match by it,
never by name) and a new column travels without a change here."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Date, DateTime, LargeBinary, Time, Uuid, inspect
from sqlalchemy.orm import Session

from collab_desktop.models.base import Base

# Kept by the app itself on each laptop; not part of what partners agree on.
LOCAL_COLUMNS = {"id", "created_at", "updated_at"}


def record_key(table: str, record_id: uuid.UUID | str) -> str:
    return f"{table}:{record_id}"


def to_json(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def fields_of(row: Base, skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    mapper = inspect(type(row))
    return {
        c.key: to_json(getattr(row, c.key))
        for c in mapper.column_attrs
        if c.key not in LOCAL_COLUMNS and c.key not in skip
    }


def from_json(model: type[Base], name: str, value: Any) -> Any:
    if value is None:
        return None
    column = inspect(model).columns[name]
    kind = column.type
    if isinstance(kind, Uuid):
        return uuid.UUID(str(value))
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Time):
        return time.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        raise ValueError("binary columns do not travel")
    return value


def column_names(model: type[Base]) -> list[str]:
    return [c.key for c in inspect(model).column_attrs if c.key not in LOCAL_COLUMNS]


def create(session: Session, model: type[Base], record_id: str, fields: dict) -> Base:
    row = model(id=uuid.UUID(record_id))
    for name in column_names(model):
        if name in fields:
            setattr(row, name, from_json(model, name, fields[name]))
    session.add(row)
    return row


def update(row: Base, fields: dict) -> None:
    model = type(row)
    for name, value in fields.items():
        setattr(row, name, from_json(model, name, value))
