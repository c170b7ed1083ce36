"""The base of every error a person is shown. Plain Python at the bottom of the layers, so
that the database layer can raise one too (see models/database.py), and the window's error
handling can be set up before SQLAlchemy is loaded."""

from __future__ import annotations


class ServiceError(Exception):
    """Something the user asked for cannot be done; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageError(ServiceError):
    """The disk would not take a write (full, read-only, no permission, gone). The
    transaction was rolled back: nothing was half-saved, and what was typed is still on
    screen to save again once the cause is fixed."""


class DamagedStorage(StorageError):
    """A read or write met damage in the records file (SQLite: malformed, not a database).
    The window takes it as a sign to check the file and offer the newest good backup."""


# SQLite's words for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), lower case.
DAMAGED_WORDS = ("database disk image is malformed", "file is not a database", "could not decode")
DAMAGED_MESSAGE = (
    "Part of the records file is damaged, so this could not be read or saved, and nothing "
    "has been changed. Collab Desktop will offer the newest good backup."
)


def is_damage(error: BaseException) -> bool:
    """Whether a sqlite3 error (or a text decoding one from a damaged page) means damage."""
    text = str(error).lower()
    return any(words in text for words in DAMAGED_WORDS)
