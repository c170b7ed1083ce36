"""What a killed copy of the app leaves outside its data folder, removed at the next start:
the throwaway folder of the example data (`--demo`), and the hidden temporary file of a PDF
being written (pdf/files.py writes `.NAME-XXXXXXXX.tmp` beside the chosen file, then renames
it). Each is found by the name the app gave it, in the one place the app put it, and only
when it is old enough that no running copy can still be writing it. The records' own
leftovers (half-made backups, a half-copied restore) go when the records are opened:
services/database_file.remove_leftovers.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings

log = logging.getLogger("collab_desktop")

EXAMPLE_PREFIX = "collab-desktop-example-"  # app.py makes the example's folder with it
PDF_FOLDER_KEY = "pdf/last_folder"  # where ui/pdf_actions.py last saved a PDF
# mkstemp's names: a dot, the PDF's name, a dash, eight random letters, digits or _.
_PDF_TEMPORARY = re.compile(r"^\..+-[A-Za-z0-9_]{8}\.tmp$")
# Older than this, nothing of a running copy: an example opened, a PDF written in seconds.
AGE = 10 * 60


def remove_app_leftovers(now: float | None = None) -> list[Path]:
    now = time.time() if now is None else now
    removed = _example_folders(now) + _pdf_temporaries(now)
    for path in removed:
        log.info("Removed the leftover %s", path)
    return removed


def _old(path: Path, now: float) -> bool:
    try:
        return now - path.stat().st_mtime > AGE
    except OSError:
        return False


def _example_folders(now: float) -> list[Path]:
    from collab_desktop.config import DATABASE_NAME
    from collab_desktop.services.errors import ServiceError
    from collab_desktop.services.single_writer import DatabaseLock

    removed = []
    for folder in Path(tempfile.gettempdir()).glob(EXAMPLE_PREFIX + "*"):
        if not folder.is_dir() or not _old(folder, now):
            continue
        lock = DatabaseLock(folder / DATABASE_NAME)
        try:
            lock.acquire()  # refused while a copy still has this example open
        except ServiceError:
            continue
        lock.release()
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _pdf_temporaries(now: float) -> list[Path]:
    folder = QSettings().value(PDF_FOLDER_KEY)
    if not folder or not Path(str(folder)).is_dir():
        return []
    removed = []
    for path in Path(str(folder)).glob(".*.tmp"):
        if not _PDF_TEMPORARY.match(path.name) or not _old(path, now):
            continue
        try:
            with path.open("rb") as handle:
                if handle.read(5) not in (b"%PDF-", b""):
                    continue  # not a PDF of ours
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed
