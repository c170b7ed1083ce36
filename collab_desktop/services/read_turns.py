"""A read someone waits for goes first: a page read ahead in the background (ui/preload.py)
steps aside, between batches of rows, while the GUI thread reads a page clicked before the
idle loading reached it.

Two reads side by side share Python's lock: each row made in one waits for the other's turn
(about 5 ms at a time), so a page clicked while another was being read ahead took three or
four times as long as its read alone (Volunteers 60 ms -> 210 ms at four times ten years'
scale, issue 17). The background read loses the time the click's read takes, which is what
the person is waiting for. No Qt here: the services' list reads (services/list_rows.py) call
`wait_turn()`, and the window wraps its own reads in `foreground()`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

# How long a background read waits at most before it looks again: a foreground read always
# ends (foreground() lets go in a finally), this only bounds a wait missed by a race.
LOOK_AGAIN_S = 0.5

_main = threading.main_thread()
_lock = threading.Lock()
_readers = 0  # foreground reads under way (a read may start another: nested)
_free = threading.Event()
_free.set()


@contextmanager
def foreground() -> Iterator[None]:
    """Around a read on the GUI thread that someone waits for: background reads pause."""
    global _readers
    with _lock:
        _readers += 1
        _free.clear()
    try:
        yield
    finally:
        with _lock:
            _readers -= 1
            if _readers == 0:
                _free.set()


def wait_turn() -> None:
    """Called by a read between batches of rows: in a background thread, wait while a
    foreground read is under way. On the GUI thread, never waits (it is the one waited for)."""
    while not _free.is_set() and threading.current_thread() is not _main:
        _free.wait(LOOK_AGAIN_S)
