"""Small files the app keeps beside the records (the audit key and anchor, the records key),
written so that a kill or a power cut leaves either the old file or the new one, whole; and
the folder synced after a rename, so that the rename itself survives a power cut."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    # Makes a rename in the folder durable; not possible (nor needed) on Windows.
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomically(path: Path, data: bytes, private: bool = False) -> None:
    """Replace `path` by `data` in one step. `private` files (keys) are readable by their
    owner only."""
    # A fixed temporary name: a write killed half way leaves one file, overwritten next time,
    # never a trail of them; the real name only ever holds a whole file.
    partial = path.with_name(path.name + ".writing")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    fd = os.open(partial, flags, 0o600 if private else 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise
    fsync_dir(path.parent)
