"""The start-up figures alone, for measuring one change on a busy machine: N cold starts of the
app alternating with N of the bare window (as run.py makes them), printed as the three ratios
and each run's times. Much quicker than the whole benchmark, so a before/after pair can be run
in the same minute.

    python benchmarks/start_ratio.py --data-dir DIR [--runs N] [--one-core]

DIR holds a database (a throwaway copy: the app may plan sessions in it and takes its lock).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.run import cold_start  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--one-core", action="store_true", help="taskset -c 0, as --old-laptop")
    args = parser.parse_args(argv)
    pin = ["taskset", "-c", "0"] if args.one_core else []
    bare_cmd = [*pin, sys.executable, str(ROOT / "benchmarks" / "bare_window.py")]
    app_cmd = [*pin, sys.executable, "-m", "collab_desktop", "--data-dir", args.data_dir]
    work = Path(tempfile.mkdtemp(prefix="collab-start-"))
    cold_start(bare_cmd, work)
    cold_start(app_cmd, work)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(cold_start(bare_cmd, work))
        app.append(cold_start(app_cmd, work))
        b, a = bare[-1], app[-1]
        print(
            f"bare shown {b.shown:.3f} idle {b.idle:.3f} {b.max_rss_mib:.0f} MiB | app shown "
            f"{a.shown:.3f} filled {a.filled:.3f} idle {a.idle:.3f} {a.max_rss_mib:.0f} MiB",
            flush=True,
        )

    def median(starts, what: str) -> float:
        return statistics.median(getattr(s, what) for s in starts)

    print(
        f"shown {median(app, 'shown') / median(bare, 'shown'):.2f}×  "
        f"idle {median(app, 'idle') / median(bare, 'idle'):.2f}×  "
        f"memory {median(app, 'max_rss_mib') / median(bare, 'max_rss_mib'):.2f}×  "
        f"(app idle {median(app, 'idle'):.3f} s, bare {median(bare, 'idle'):.3f} s, "
        f"{median(app, 'max_rss_mib'):.0f} vs {median(bare, 'max_rss_mib'):.0f} MiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
