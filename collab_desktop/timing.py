"""Start-up timestamps for benchmarks/run.py. Off (one environment lookup) unless
COLLAB_DESKTOP_TIMING names a file.

The app then appends a line "<moment> <time.perf_counter()>" at each moment: `records` when
the records file is decided (encrypted records unlocked), `shown` when window.show() has
returned, `filled` when the first page shows the records, and `idle` when
the event loop next has nothing to do (after painting the filled page). On Linux perf_counter
is the system-wide monotonic clock, so the benchmark compares these with its own clock when it
launched the process. With COLLAB_DESKTOP_EXIT_WHEN_IDLE set too, the process ends at `idle`
(exit code 0, no closing backup: it is for timing start-up on a throwaway copy).

No Qt import at module level: app.py imports this before the window exists.
"""

from __future__ import annotations

import os
import time

ENV_FILE = "COLLAB_DESKTOP_TIMING"
ENV_EXIT = "COLLAB_DESKTOP_EXIT_WHEN_IDLE"


def mark(moment: str) -> None:
    path = os.environ.get(ENV_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{moment} {time.perf_counter():.6f}\n")


def filled() -> None:
    """The first page is filled: mark it, and mark `idle` when the event loop is next free."""
    if not os.environ.get(ENV_FILE):
        return
    mark("filled")
    from PySide6.QtCore import QTimer

    QTimer.singleShot(0, _idle)


def _idle() -> None:
    mark("idle")
    if os.environ.get(ENV_EXIT):
        os._exit(0)  # skip the closing backup and clean-up: nothing here is kept
