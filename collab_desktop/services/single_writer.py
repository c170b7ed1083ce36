"""One copy of the app writes to a database at a time.

An OS lock on a file beside the database is held while the database is open: flock() on
POSIX, msvcrt.locking() on Windows, the calls the filelock library makes (so a copy of an
earlier version, which used it, and this one still keep each other out). The OS releases it
when the process ends, however it ends, so a crash never leaves the database locked out.

Made here rather than with filelock, which the app used until issue 17: its import (it
loads OpenSSL through `secrets`, `decimal` and `inspect` for options the app never uses)
took 12 ms and 6.7 MiB before the window could be shown, a tenth of the start's budget over
a bare window, for the two calls below.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from collab_desktop.services.errors import ServiceError

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        # One byte, as filelock locks it: another process's lock fails at once with EACCES
        # (or EDEADLOCK), never waits.
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    _HELD_ELSEWHERE = (errno.EACCES, errno.EDEADLOCK)
else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    _HELD_ELSEWHERE = (errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES)


class AlreadyOpen(ServiceError):
    pass


class DatabaseLock:
    def __init__(self, database: Path) -> None:
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise ServiceError(
                f"The data folder {self.path.parent} cannot be written to ({error.strerror}). "
                "Choose a folder you can write to."
            ) from error
        try:
            _try_lock(fd)
        except OSError as error:
            os.close(fd)
            if error.errno not in _HELD_ELSEWHERE:
                raise ServiceError(
                    f"The records in {self.path.parent} could not be locked for this copy of "
                    f"the app ({error.strerror}). Choose a folder on this computer's own disk."
                ) from error
            # A copy just closed may still be making its closing backup, with no window
            # left to show for it (ten years of records: ten seconds or more).
            raise AlreadyOpen(
                "These records are already open in another Collab Desktop window (perhaps "
                "another user's, on this computer), or a copy just closed is still making "
                "its closing backup. Close the other window, or wait a moment, then start "
                "again: only one copy may change the records at a time, so nothing is lost."
            ) from error
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)  # closing lets go of the lock too, if unlocking failed

    @property
    def held(self) -> bool:
        return self._fd is not None
