"""What benchmarks/run.py and the bench modules hooked into it share (see FIGURE_MODULES
in run.py): a figure with its budget, the context a module is given, and a timer."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Figure:
    name: str
    median: float
    unit: str
    budget: float
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.median <= self.budget

    def text(self, value: float) -> str:
        if self.unit == "×":
            return f"{value:.2f}×"
        if self.unit == "s":
            return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"
        if self.unit == "ms":
            return f"{value:.1f} ms"
        return f"{value:g} {self.unit}"


@dataclass
class Bench:
    """What a bench module's figures(bench) is given, inside the running benchmark."""

    services: Any  # collab_desktop.services.open_records.Services, open on `database`
    database: Path  # a throwaway copy of the cached database
    plan: Any  # benchmarks.generate.Plan
    work: Path  # a scratch folder, deleted afterwards
    runs: int
    app: Any  # the QApplication
    old_laptop: bool = False  # pinned to one core: run.py doubles the absolute budgets


def log(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


def timed(action: Callable[[], object], runs: int, warm_up: int = 1) -> list[float]:
    for _ in range(warm_up):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times
