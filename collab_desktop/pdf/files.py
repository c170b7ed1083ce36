"""Writing a finished document to disk so that a crash, a full disk or a lost USB stick never
leaves half a file under the real name."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(data: bytes, path: Path) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it over
    `path`. OSError (missing folder, no permission, disk full, file open in another program on
    Windows) reaches the caller, which tells the user; the temporary file is removed first."""
    path = Path(path)
    try:
        _write_via_temporary(data, path)
    except OSError as error:
        # The temporary file's hidden name means nothing to the person who chose `path`: the
        # error names the file they chose (same errno, so the same subclass and hint).
        if error.errno is None:
            raise
        raise OSError(error.errno, error.strerror, str(path)) from error


def _write_via_temporary(data: bytes, path: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); a saved document should be as readable as
        # any other the user saves, and keep the mode of the file it replaces.
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
        os.chmod(tmp_name, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
