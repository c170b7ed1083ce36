"""How each benchmark figure grows with the records: runs of benchmarks/run.py at several
scales (their --json files), side by side.

    .venv/bin/python benchmarks/run.py --quick --json /tmp/x1.json
    .venv/bin/python benchmarks/run.py --quick --scale 2 --json /tmp/x2.json
    .venv/bin/python benchmarks/growth.py 1=/tmp/x1.json 2=/tmp/x2.json

Issue 17: nothing a person waits for may grow faster than the records do, and the first
page, a filter keystroke and opening a dialog should not grow at all. A figure "does not
grow" here if it stays within 1.5× of its 1× value (timings on a shared machine are noisy);
"grows no faster than the records" if its growth is at most the records' (plus that noise).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

NOISE = 1.5  # this much either way is noise on a busy machine, not growth

# Figures that should not grow at all: what a person meets at every click.
# (Every later page's first show reads all its rows, so grows with them, as may the rest.)
FLAT = ("Cold start", "Peak memory at the first page", "filter", "dialog", "Open the register")


def may_grow(name: str) -> bool:
    """Whether the figure `name` may grow with the records (as fast as they do, no faster)."""
    return not any(word in name for word in FLAT)


def growth_table(runs: dict[int, list[dict]]) -> str:
    scales = sorted(runs)
    base = {f["name"]: f for f in runs[scales[0]]}
    header = "| Figure | " + " | ".join(f"{n}×" for n in scales) + " | Growth | Allowed | OK |"
    lines = [header, "|" + " --- |" * (len(scales) + 4)]
    for name, first in base.items():
        values = []
        for n in scales:
            found = next((f for f in runs[n] if f["name"] == name), None)
            values.append(found)
        if any(v is None for v in values):
            continue
        last = values[-1]
        records = scales[-1] / scales[0]
        grew = last["median"] / first["median"] if first["median"] else 1.0
        flat = not may_grow(name)
        allowed = NOISE if flat else records * NOISE
        cells = [_text(v["median"], v["unit"]) for v in values]
        lines.append(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {grew:.2f}× | "
            + ("none" if flat else f"≤ records ({records:g}×)")
            + f" | {'yes' if grew <= allowed else 'NO'} |"
        )
    return "\n".join(lines)


def _text(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "×":
        return f"{value:.2f}×"
    return f"{value:g} {unit}"


def main(argv: list[str]) -> int:
    runs: dict[int, list[dict]] = {}
    for arg in argv:
        scale, _, path = arg.partition("=")
        if not path or not scale.isdigit():
            print(__doc__, file=sys.stderr)
            return 2
        runs[int(scale)] = json.loads(Path(path).read_text(encoding="utf-8"))
    if len(runs) < 2:
        print("Give at least two runs: SCALE=PATH …", file=sys.stderr)
        return 2
    print(growth_table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
