"""Two laptops for exchange tests: each a fresh data folder with the real services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from collab_desktop.services.open_records import Services, open_services


@contextmanager
def two_laptops(tmp_path: Path, new_database) -> Iterator[tuple[Services, Services]]:
    """Two data folders, "a" and "b", each with its own services (use in a fixture)."""
    a = open_services(new_database(tmp_path / "a" / "collab-desktop.sqlite3"))
    b = open_services(new_database(tmp_path / "b" / "collab-desktop.sqlite3"))
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def table_counts(services: Services) -> dict[str, int]:
    import sqlite3

    connection = sqlite3.connect(services.path)
    try:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )]  # fmt: skip
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        connection.close()


def write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path
