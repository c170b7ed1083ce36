"""Run slow work (backups, large PDFs) off the GUI thread; results come back by signal.

Like Anki's taskman: the work function runs on a pool thread and must not touch widgets;
`done` or `failed` is called on the GUI thread afterwards. Work that nobody waits for (the
start-up check of the file) can run at a `low_priority`, on a thread of a pool of its own
(a thread's priority, once lowered, cannot be raised again without privileges): it then
takes a small share of a busy processor and all of an idle one. Low, not the system's idle
class: an idle-class thread gets no time at all while anything else runs, and closing the
app waits for it (a test run beside another starved it for good).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, QThreadPool, Signal

log = logging.getLogger("collab_desktop")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


# Ten steps nicer than the app: about a tenth of a busy processor against its other threads.
LOW_NICENESS = 10


def _lower_this_threads_priority() -> None:
    if sys.platform.startswith("linux"):
        # Linux keeps a niceness per thread (Qt's thread priorities do nothing there but the
        # idle class); raising one's own niceness needs no privilege. Ten steps above the
        # app's main thread (the app may have been started with `nice`), at most 19; the
        # same target each time, as the pool's threads are reused.
        thread = threading.get_native_id()
        try:
            target = min(os.getpriority(os.PRIO_PROCESS, os.getpid()) + LOW_NICENESS, 19)
            if os.getpriority(os.PRIO_PROCESS, thread) < target:
                os.setpriority(os.PRIO_PROCESS, thread, target)
        except OSError as error:
            log.info("Could not lower a background thread's priority: %s", error)
    else:
        QThread.currentThread().setPriority(QThread.Priority.LowestPriority)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], low_priority: bool = False) -> None:
        super().__init__()
        self.work = work
        self.low_priority = low_priority
        self.signals = _Signals()

    def run(self) -> None:
        if self.low_priority:
            _lower_this_threads_priority()
        try:
            result = self.work()
        except Exception as error:
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


_running: set[_Task] = set()
_low_pool: QThreadPool | None = None


def _pool(low_priority: bool) -> QThreadPool:
    global _low_pool
    if not low_priority:
        return QThreadPool.globalInstance()
    if _low_pool is None:
        _low_pool = QThreadPool()
        # Two: the retention count need not queue behind the file's full check (seconds).
        _low_pool.setMaxThreadCount(2)
    return _low_pool


def run_in_background(
    work: Callable[[], Any],
    done: Callable[[Any], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
    low_priority: bool = False,
) -> None:
    task = _Task(work, low_priority)
    task.setAutoDelete(False)
    _running.add(task)  # keeps the signals object alive until the result is delivered

    def finish() -> None:
        _running.discard(task)

    if done is not None:
        task.signals.done.connect(done)
    if failed is not None:
        task.signals.failed.connect(failed)
    else:
        task.signals.failed.connect(lambda error: log.error("Background task failed: %s", error))
    task.signals.done.connect(finish)
    task.signals.failed.connect(finish)
    _pool(low_priority).start(task)


def wait_for_background(msecs: int = 30_000) -> bool:
    """Block until background work is finished (on close, before the last backup), for
    `msecs` at most in all."""
    deadline = time.monotonic() + msecs / 1000
    done = QThreadPool.globalInstance().waitForDone(msecs)
    if _low_pool is None:
        return done
    left = max(0, int((deadline - time.monotonic()) * 1000))
    return _low_pool.waitForDone(left) and done
