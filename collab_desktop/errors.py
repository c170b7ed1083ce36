"""The base of every error a person is shown. Plain Python at the bottom of the layers, so
that the database layer can raise one too (see models/database.StorageError)."""

from __future__ import annotations


class ServiceError(Exception):
    """Something the user asked for cannot be done; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
