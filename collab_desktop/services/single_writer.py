"""One copy of the app writes to a database at a time.

An OS lock on a file beside the database (filelock: fcntl on POSIX, msvcrt on Windows) is
held while the database is open. The OS releases it when the process ends, however it ends,
so a crash never leaves the database locked out.
"""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout

from collab_desktop.services.errors import ServiceError


class AlreadyOpen(ServiceError):
    pass


class DatabaseLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._lock = FileLock(self.path, is_singleton=False)

    def acquire(self) -> None:
        try:
            self._lock.acquire(timeout=0)
        except Timeout as error:
            # A copy just closed may still be making its closing backup, with no window
            # left to show for it (ten years of records: ten seconds or more).
            raise AlreadyOpen(
                "These records are already open in another Collab Desktop window (perhaps "
                "another user's, on this computer), or a copy just closed is still making "
                "its closing backup. Close the other window, or wait a moment, then start "
                "again: only one copy may change the records at a time, so nothing is lost."
            ) from error
        except OSError as error:
            raise ServiceError(
                f"The data folder {self.path.parent} cannot be written to ({error.strerror}). "
                "Choose a folder you can write to."
            ) from error

    def release(self) -> None:
        self._lock.release()

    @property
    def held(self) -> bool:
        return self._lock.is_locked
