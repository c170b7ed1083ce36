"""Composition root: arguments, data folder, logging, window, then database and services.

The window is shown before SQLAlchemy, Alembic and ReportLab are imported (together about a
second on an old laptop), so the app appears at once and fills itself a moment later.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from logging.handlers import RotatingFileHandler
from pathlib import Path

from collab_desktop import APP_NAME, __version__
from collab_desktop.config import ENV_DATA_DIR, database_path, log_dir, resolve_data_dir

log = logging.getLogger("collab_desktop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="collab-desktop", description=APP_NAME)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder for the database, backups and logs (also ${ENV_DATA_DIR}; "
        "default: your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway database filled with four example collaborations",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    return parser.parse_args(argv)


def setup_logging(folder: Path) -> Path | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            folder / "collab-desktop.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None  # a read-only folder must not stop the app; errors still show in dialogs
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    demo_dir = Path(tempfile.mkdtemp(prefix="collab-desktop-example-")) if args.demo else None
    home_dir = resolve_data_dir(args.data_dir)
    data_dir = demo_dir or home_dir
    # The log stays in the real data folder even for the throwaway example, so that what
    # went wrong there can still be read after it closes.
    log_file = setup_logging(log_dir(home_dir))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from collab_desktop.ui.errors import install_excepthook, set_log_file, show_unexpected
    from collab_desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Collab Desktop")
    set_log_file(log_file)
    install_excepthook()

    window = MainWindow(data_dir, demo=args.demo, logs=log_dir(home_dir))
    window.show()
    opened = {}

    def open_database() -> None:
        from collab_desktop.services.errors import ServiceError
        from collab_desktop.services.store import open_services

        try:
            services = open_services(database_path(data_dir))
            if args.demo:
                from collab_desktop.services.demo import load_demo

                load_demo(services)
        except (ServiceError, OSError) as error:
            message = getattr(error, "message", None) or f"{error.strerror}: {error.filename}"
            log.error("Could not open the database in %s: %s", data_dir, message)
            QMessageBox.critical(
                window,
                "Cannot open your records",
                f"Collab Desktop could not open its database in\n{data_dir}\n\n{message}",
            )
            app.exit(1)
            return
        except Exception as error:  # noqa: BLE001 - last resort: apologise, never a traceback
            show_unexpected(window, error)
            app.exit(1)
            return
        opened["services"] = services
        window.attach(services)
        log.info("Opened %s", services.path)

    QTimer.singleShot(0, open_database)
    code = app.exec()
    if "services" in opened:
        opened["services"].close()
    if demo_dir is not None:
        logging.shutdown()
        shutil.rmtree(demo_dir, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
