"""The yardstick for start-up: a bare PySide6 main window with an (empty) table, the same size
as the app's, reporting the same moments in the same way as collab_desktop/timing.py."""

from __future__ import annotations

import os
import sys
import time


def mark(moment: str) -> None:
    path = os.environ.get("COLLAB_DESKTOP_TIMING")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{moment} {time.perf_counter():.6f}\n")


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1180, 680)
    window.show()
    mark("shown")
    mark("filled")  # nothing to fill

    def idle() -> None:
        mark("idle")
        if os.environ.get("COLLAB_DESKTOP_EXIT_WHEN_IDLE"):
            os._exit(0)

    QTimer.singleShot(0, idle)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
