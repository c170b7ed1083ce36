"""A read someone waits for goes first (services/read_turns.py, issue 17): a list read in a
background thread pauses between batches of rows while the GUI thread reads a page clicked
meanwhile, and goes on once it is done; the GUI thread itself never waits."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

from collab_desktop.services import list_rows
from collab_desktop.services.read_turns import foreground, wait_turn


def _table(path: Path, rows: int) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE t (n INTEGER)")
        connection.executemany("INSERT INTO t VALUES (?)", ((n,) for n in range(rows)))
        connection.commit()


def _read_in_background(path: Path, into: list[int]) -> threading.Thread:
    def read() -> None:
        with closing(sqlite3.connect(path)) as connection:
            into.extend(row[0] for row in list_rows._all(connection, "SELECT n FROM t ORDER BY n"))

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_background_read_waits_while_a_foreground_read_runs_then_reads_every_row(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rows.sqlite3"
    total = list_rows.BATCH * 4
    _table(path, total)
    rows: list[int] = []
    with foreground():
        thread = _read_in_background(path, rows)
        thread.join(1.0)
        # Still waiting after its first batch: the page clicked is read alone.
        assert thread.is_alive()
        assert rows == []
    thread.join(5.0)
    assert not thread.is_alive()
    assert rows == list(range(total))


def test_nested_foreground_reads_hold_the_background_until_the_outer_one_ends(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rows.sqlite3"
    _table(path, list_rows.BATCH * 2)
    rows: list[int] = []
    with foreground():
        thread = _read_in_background(path, rows)
        with foreground():
            pass
        thread.join(0.7)
        assert thread.is_alive()
    thread.join(5.0)
    assert len(rows) == list_rows.BATCH * 2


def test_the_gui_thread_never_waits_for_its_own_turn(tmp_path: Path) -> None:
    path = tmp_path / "rows.sqlite3"
    _table(path, list_rows.BATCH * 3)
    finished = threading.Event()

    def waited_for() -> None:
        with foreground():
            wait_turn()  # on the main thread: returns at once
            with closing(sqlite3.connect(path)) as connection:
                assert len(list_rows._all(connection, "SELECT n FROM t")) == list_rows.BATCH * 3
        finished.set()

    # pytest runs tests on the main thread, as the GUI's reads are.
    assert threading.current_thread() is threading.main_thread()
    waited_for()
    assert finished.is_set()
