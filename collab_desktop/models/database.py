"""The one place where engines are made: every connection comes from the records file
(models/records_file.RecordsFile), which decides the path, the encryption key and every
connection setting once, for SQLAlchemy and for the plain sqlite3 readers alike."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from collab_desktop.errors import DAMAGED_MESSAGE, DAMAGED_WORDS, DamagedStorage, StorageError
from collab_desktop.models.records_file import RecordsFile, records_of, sqlcipher, sqlite_errors

__all__ = [
    "CONNECTION_PRAGMAS",
    "DAMAGED_MESSAGE",
    "StorageError",
    "driver_connection",
    "make_engine",
    "make_session_factory",
]

# The settings themselves (and why) are in models/records_file.py; named here too, where
# callers have always found them.
CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA temp_store = MEMORY",
)


# SQLite's wording (lower case) -> what the user can do about it.
_STORAGE_PROBLEMS = (
    ("disk is full", "The disk is full, so nothing was saved. Free some space (empty the "
     "recycle bin, move old files), then save again."),
    ("readonly database", "The records are on a disk or in a file that cannot be written "
     "to (read-only), so nothing was saved. Check the USB stick's lock switch or the "
     "file's permissions, then save again."),
    ("unable to open database file", "The records' folder could not be written to (it may "
     "have been removed, or you lack permission), so nothing was saved."),
    ("disk i/o error", "The disk reported an error while saving, so nothing was saved. If "
     "the records are on a USB stick, check it is still plugged in."),
    ("database is locked", "Another program is using the records file right now, so "
     "nothing was saved. Wait a moment and save again."),
)  # fmt: skip


# A damaged file, met by a read before the start-up check has finished
# (services/database_file.StartupCheck) or by damage done since: errors.DamagedStorage.
_DAMAGED = DAMAGED_WORDS


def storage_problem(error: BaseException) -> str | None:
    # sqlite3's classes for a plain file, sqlcipher3's (not subclasses of them) for an
    # encrypted one.
    if not isinstance(error, sqlite_errors("DatabaseError")):
        return None
    text = str(error).lower()
    if any(words in text for words in _DAMAGED):
        return DAMAGED_MESSAGE
    if not isinstance(error, sqlite_errors("OperationalError")):
        return None
    return next((message for words, message in _STORAGE_PROBLEMS if words in text), None)


def storage_error(error: BaseException) -> StorageError | None:
    """The error a person is shown for this one of SQLite's, or None if it is none of ours."""
    message = storage_problem(error)
    if message == DAMAGED_MESSAGE:
        return DamagedStorage(message)
    return None if message is None else StorageError(message)


@contextmanager
def driver_connection(session: Session) -> Iterator[Any]:
    """The DB-API connection (sqlite3's or sqlcipher3's) under the session's own, inside its
    transaction, for the reads written in plain SQL (services/list_rows.py, which the list
    pages also run without SQLAlchemy: issue 17). SQLAlchemy's handle_error does not see
    what goes straight to the driver, so SQLite's refusals are turned here into the errors
    the engine gives (a damaged page: DamagedStorage, which offers the newest backup)."""
    connection = session.connection().connection.driver_connection
    try:
        yield connection
    except sqlite_errors("Error") as error:
        translated = storage_error(error)
        if translated is None:
            raise
        raise translated from error


def make_engine(records: RecordsFile | Path) -> Engine:
    """A SQLAlchemy engine over the records file (a bare Path: a plain file), every connection
    made by RecordsFile.connect, so with its key and settings."""
    records = records_of(records)

    def creator() -> Any:
        connection = records.connect("rwc")
        # Let SQLAlchemy, not the DB-API module, decide where transactions begin, so that
        # PRAGMAs run outside one and BEGIN covers every statement of a unit of work.
        connection.isolation_level = None
        return connection

    # The DB-API module decides which exception classes SQLAlchemy wraps: sqlcipher3's for an
    # encrypted file, or its errors would reach the caller unwrapped. The URL names the file
    # (engine.url.database) but connections come from `creator`. URL.create, not an f-string:
    # a "?" in a folder name would start the URL's query string.
    engine = create_engine(
        URL.create("sqlite", database=str(records.path)),
        creator=creator,
        module=sqlcipher() if records.encrypted else sqlite3,
        poolclass=QueuePool,
        future=True,
    )

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:
        connection.exec_driver_sql("BEGIN")

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> None:
        # One place turns the disk's refusals into messages a person can act on; every
        # service's transaction is rolled back by its own `with` block as the error passes.
        translated = storage_error(context.original_exception)
        if translated is not None:
            raise translated from context.original_exception

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand detached objects and dataclasses to the UI after
    # the session closes; they must keep their loaded values.
    return sessionmaker(engine, expire_on_commit=False)
