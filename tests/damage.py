"""Ways to damage a records file on purpose, for the tests that expect the app to notice."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def flip_name(path: Path, table: str, name: str, count: int = 6) -> None:
    """Flip the case of `count` letters of `name` inside its table row only, not its index
    entry: still valid text, so SQLite's quick check passes, but the index no longer agrees
    with the table, which only the full check (integrity_check) finds."""
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        # Table b-tree pages: the root and its leaves (a small table fits one page).
        pages = [
            row[0]
            for row in connection.execute(
                "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,)
            )
        ] or [connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]]  # fmt: skip
    except sqlite3.OperationalError:  # no dbstat in this SQLite
        pages = [
            connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()[0]
        ]
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    for page in pages:
        start = (page - 1) * page_size
        at = data.find(encoded, start, start + page_size)
        if at >= 0:
            data[at : at + count] = bytes(b ^ 0x20 for b in encoded[:count])
            path.write_bytes(bytes(data))
            return
    raise AssertionError(f"{name!r} is not in a page of {table}")


def flip_page_header(path: Path, table: str, count: int = 16) -> None:
    """Flip the first `count` bytes of a table's root page (its b-tree page header): reading
    that table then fails, as does SQLite's quick check."""
    connection = sqlite3.connect(path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
    finally:
        connection.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    for offset in range(start, start + count):
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
