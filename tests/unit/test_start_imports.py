"""What the start-up path leaves out for plain records kept plain by choice (issue 17): the
note it looks for is the one ui/convert_records.py writes, so the shortcut never skips the
encryption offer for records that should get it."""

from __future__ import annotations

from pathlib import Path

from collab_desktop import app
from collab_desktop.ui import convert_records


def test_the_start_looks_for_the_note_that_keeping_them_plain_writes(tmp_path: Path):
    database = tmp_path / "collab-desktop.sqlite3"
    assert app.plain_by_choice(database) == convert_records.plain_by_choice(database)
    convert_records.keep_plain(database)
    assert app.plain_by_choice(database).exists()
