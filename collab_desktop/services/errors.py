"""The errors services raise. Each carries a message a person can act on; the UI shows it
beside the field it names (or in a dialog) and keeps everything that was typed."""

from __future__ import annotations

from collab_desktop.errors import ServiceError, StorageError

__all__ = [
    "InUse",
    "NeedsConfirmation",
    "NotFound",
    "ServiceError",
    "StateError",
    "StorageError",
    "ValidationError",
]


class ValidationError(ServiceError):
    """One or more fields are wrong. `errors` maps field name to message, in form order."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(next(iter(self.errors.values())))

    @classmethod
    def single(cls, field: str, message: str) -> ValidationError:
        return cls({field: message})


class NeedsConfirmation(ServiceError):
    """Allowed, but the user should confirm first (e.g. a name very like an existing one).
    Call again with confirmed=True after the user agrees."""


class NotFound(ServiceError):
    pass


class StateError(ServiceError):
    """Not allowed in the record's current state (e.g. editing a signed-off version)."""


class InUse(ServiceError):
    """Cannot be deleted because other records depend on it."""
