"""The one place where engines and connections are made, so that every connection setting
(and, later, an encryption key) is decided once."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

# Why these settings:
# - foreign_keys: SQLite leaves them off by default; our integrity rules rely on them.
# - journal_mode=DELETE with synchronous=FULL: the database stays one self-contained file that
#   can be copied to a USB stick or backed up by hand at any moment the app is closed, and a
#   commit survives a power cut. WAL would be faster, but leaves -wal/-shm side files and is
#   unsafe on network shares; our write volume is tiny.
# - busy_timeout: a brief lock (a backup, a second window) waits instead of failing at once.
CONNECTION_PRAGMAS = (
    "PRAGMA foreign_keys = ON",
    "PRAGMA journal_mode = DELETE",
    "PRAGMA synchronous = FULL",
    "PRAGMA busy_timeout = 5000",
)


def make_engine(path: Path) -> Engine:
    # URL.create, not an f-string: a "?" in a folder name would start the URL's query string.
    engine = create_engine(URL.create("sqlite", database=str(path)), future=True)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record) -> None:  # noqa: ANN001 - DB-API object
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin, so that
        # PRAGMAs run outside one and BEGIN covers every statement of a unit of work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in CONNECTION_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection) -> None:  # noqa: ANN001
        connection.exec_driver_sql("BEGIN")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: services hand detached objects and dataclasses to the UI after
    # the session closes; they must keep their loaded values.
    return sessionmaker(engine, expire_on_commit=False)
