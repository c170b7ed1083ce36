import os

# Before any Qt import: the suite runs with no screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from collab_desktop.services.store import Services, open_services  # noqa: E402


@pytest.fixture
def services(tmp_path) -> Services:
    """A fresh, migrated database in a temporary folder, with the real services over it."""
    opened = open_services(tmp_path / "data" / "collab-desktop.sqlite3")
    yield opened
    opened.close()
