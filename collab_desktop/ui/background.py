"""Run slow work (backups, large PDFs) off the GUI thread; results come back by signal.

Like Anki's taskman: the work function runs on a pool thread and must not touch widgets;
`done` or `failed` is called on the GUI thread afterwards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger("collab_desktop")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as error:
            self.signals.failed.emit(error)
        else:
            self.signals.done.emit(result)


_running: set[_Task] = set()


def run_in_background(
    work: Callable[[], Any],
    done: Callable[[Any], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
) -> None:
    task = _Task(work)
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
    QThreadPool.globalInstance().start(task)


def wait_for_background(msecs: int = 30_000) -> bool:
    """Block until background work is finished (on close, before the last backup)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
