import os

# Before any Qt import: the suite runs with no screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from collab_desktop.services.open_records import Services, open_services


@pytest.fixture(scope="session")
def migrated_master(tmp_path_factory) -> Path:
    """A new database brought to this version's schema by the app itself, once per test run.

    Running every migration costs 0.06-0.4 s a database and copying the result about 0.02 s,
    so each test copies this one (as Anki's pylib/tests/shared.py copies a prepared
    collection). Tests of the migrations themselves open a new file and run them instead."""
    path = tmp_path_factory.mktemp("migrated-master") / "collab-desktop.sqlite3"
    open_services(path).close()
    return path


@pytest.fixture
def new_database(migrated_master) -> Callable[[Path], Path]:
    """new_database(path) puts a copy of the migrated master at `path` (as a database newly
    made there would be, schema and built-in rows included) and returns `path`. Any file the
    app keeps beside the database, named after it, is copied too, renamed to go with `path`;
    the one-writer lock is not."""

    def copy(path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(migrated_master, path)
        for companion in migrated_master.parent.glob(f"{migrated_master.stem}.*"):
            if companion != migrated_master and not companion.name.endswith(".lock"):
                suffix = companion.name[len(migrated_master.stem) :]
                shutil.copyfile(companion, path.with_name(path.stem + suffix))
        return path

    return copy


@pytest.fixture
def services(tmp_path, new_database) -> Services:
    """A fresh, migrated database in a temporary folder, with the real services over it."""
    opened = open_services(new_database(tmp_path / "data" / "collab-desktop.sqlite3"))
    yield opened
    opened.close()
