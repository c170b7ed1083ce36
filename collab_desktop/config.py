"""Where the data lives: --data-dir, else $COLLAB_DESKTOP_DATA_DIR, else the user's data folder
(platformdirs). Never imports Qt or SQLAlchemy: it runs before the window is shown."""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "COLLAB_DESKTOP_DATA_DIR"
DATABASE_NAME = "collab-desktop.sqlite3"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Collab Desktop", appauthor=False, roaming=True))


def resolve_data_dir(option: str | None) -> Path:
    chosen = option or os.environ.get(ENV_DATA_DIR)
    return Path(chosen).expanduser().resolve() if chosen else default_data_dir()


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_NAME


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"
