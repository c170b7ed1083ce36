"""Each page's first show, as a person meets it: the app started on the records, the first page
filled and the app idle, then (after `--wait` seconds, a person's reaction) one click on the
page in the list of sections, timed until the page is filled and the app idle again: "cold".
A long list clicked before the idle loading read it is filled with its first screen at once
and every row soon after (ListPage.show_first): "complete" is the click to every row shown.
Then the home page and the same page again, twice: "warm" (the page is built and filled).

    python benchmarks/page_shows.py --data-dir DIR --page Partners --out FILE [--wait S]

Run by benchmarks/run.py in a process of its own for each page and run (the first show of a
page is only cold once per start). Writes "cold <s>", "complete <s>" and "warm <s>" lines to
FILE, and
"preloaded <s>" if the app reported that its idle loading had finished by then (for the
memory figure: the process's peak is read by the parent).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

WARM_RUNS = 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--page", required=True, help="its name in the list of sections")
    parser.add_argument("--out", required=True)
    parser.add_argument("--wait", type=float, default=0.0, help="seconds after idle")
    parser.add_argument(
        "--until-preloaded",
        action="store_true",
        help="wait for the idle loading to finish, then exit (peak memory)",
    )
    args = parser.parse_args(argv)
    # The app's own start-up marks go nowhere; this driver keeps its own.
    os.environ.pop("COLLAB_DESKTOP_EXIT_WHEN_IDLE", None)
    os.environ["COLLAB_DESKTOP_TIMING"] = os.devnull

    from collab_desktop import app, timing

    out = Path(args.out)
    lines: list[str] = []

    def finish() -> None:
        out.write_text("".join(lines), encoding="utf-8")
        os._exit(0)  # no closing backup: the records are a throwaway copy

    def at_idle() -> None:
        # Replaces the app's "idle" mark: the first page is filled and the loop is free.
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "main_window")
        if args.until_preloaded:
            started = time.perf_counter()

            def poll() -> None:
                if getattr(window, "preloaded", True) or time.perf_counter() - started > 60:
                    lines.append(f"preloaded {time.perf_counter() - started:.6f}\n")
                    finish()
                else:
                    QTimer.singleShot(20, poll)

            poll()
            return
        QTimer.singleShot(int(args.wait * 1000), lambda: click_through(window))

    def click_through(window) -> None:
        from PySide6.QtCore import QTimer

        from collab_desktop.ui.main_window import PAGES

        row = PAGES.index(args.page)
        moves = [("cold", row)]
        for _ in range(WARM_RUNS):
            moves += [("home", 0), ("warm", row)]

        painted = PaintWatch(window)

        def next_move() -> None:
            if not moves:
                finish()
                return
            what, target = moves.pop(0)
            painted.reset()
            started = time.perf_counter()
            click(window, target)

            def wait() -> None:
                # Filled, then painted (Qt paints after the other posted events, so a
                # zero timer alone fires before the page is on the screen), then idle.
                if not painted.seen and time.perf_counter() - started < 10:
                    QTimer.singleShot(1, wait)
                    return
                QTimer.singleShot(0, idle)

            def idle() -> None:
                if what != "home":
                    lines.append(f"{what} {time.perf_counter() - started:.6f}\n")
                if what == "cold":
                    QTimer.singleShot(0, complete)
                else:
                    QTimer.singleShot(50, next_move)

            def complete() -> None:
                name = window.stack.currentWidget().objectName()
                if not window.is_page_ready(name) and time.perf_counter() - started < 30:
                    QTimer.singleShot(2, complete)
                    return
                lines.append(f"complete {time.perf_counter() - started:.6f}\n")
                QTimer.singleShot(50, next_move)

            QTimer.singleShot(0, wait)

        next_move()

    timing._idle = at_idle
    return app.main(["--data-dir", args.data_dir])


class PaintWatch:
    """Whether the page now showing has been painted since reset()."""

    def __init__(self, window) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication, QWidget

        stack = window.stack
        watch = self

        class Filter(QObject):
            def eventFilter(self, watched, event) -> bool:
                # Windows (QWindow) get paint events too: only widgets can be in the page.
                # (isAncestorOf(a QWindow) raised here, and the app's apology for it, a modal
                # box in an event filter, hung or crashed the child: the "hang" of two runs.)
                if (
                    event.type() == QEvent.Type.Paint
                    and not watch.seen
                    and isinstance(watched, QWidget)
                ):
                    page = stack.currentWidget()
                    if page is not None and (watched is page or page.isAncestorOf(watched)):
                        watch.seen = True
                return False

        self.seen = False
        self._filter = Filter()
        QApplication.instance().installEventFilter(self._filter)

    def reset(self) -> None:
        self.seen = False


def click(window, row: int) -> None:
    """A real click on the section's name (press and release on its item)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    nav = window.nav
    rect = nav.visualItemRect(nav.item(row))
    QTest.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


if __name__ == "__main__":
    sys.exit(main())
