"""Work nobody waits for (the start-up check of the file) runs at a low priority, so that it
does not hold back the first page and the pages read ahead (issue 17); other work does not."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from collab_desktop.ui.background import LOW_NICENESS, run_in_background, wait_for_background


def _niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a niceness per thread")
def test_low_priority_work_runs_nicer_and_other_work_does_not(qtbot):
    seen: dict[str, int] = {}
    run_in_background(_niceness, done=lambda n: seen.__setitem__("low", n), low_priority=True)
    run_in_background(_niceness, done=lambda n: seen.__setitem__("normal", n))
    assert wait_for_background(10_000)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5_000)  # delivered on the GUI thread
    base = _niceness()
    assert seen == {"low": min(base + LOW_NICENESS, 19), "normal": base}


def test_closing_waits_for_low_priority_work_too(qtbot):
    finished = threading.Event()

    def slow() -> None:
        finished.wait(0.3)
        finished.set()

    run_in_background(slow, low_priority=True)
    assert wait_for_background(10_000)
    assert finished.is_set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a niceness per thread")
def test_a_reused_thread_is_lowered_once(qtbot):
    seen: list[int] = []
    for _ in range(4):  # the pool's threads are reused: each is lowered the first time only
        run_in_background(_niceness, done=seen.append, low_priority=True)
        assert wait_for_background(10_000)
    qtbot.waitUntil(lambda: len(seen) == 4, timeout=5_000)
    assert set(seen) == {min(_niceness() + LOW_NICENESS, 19)}
