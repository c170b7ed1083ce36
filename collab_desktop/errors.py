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
