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


def test_the_first_page_of_plain_records_does_not_load_cryptography():
    # About 7 MiB of the first page's memory (issue 17) for nothing: plain records never
    # unwrap a key. The modules the first page imports must leave it out.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import collab_desktop.services.quick_open, collab_desktop.services.backups\n"
        "import collab_desktop.services.database_file, collab_desktop.services.records_key\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'cryptography'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_window_is_shown_without_the_logging_handlers_module():
    # logging.handlers imports socket, pickle and queue: 11 ms before the window could be
    # shown (issue 17's budget); the log's rotating handler comes once the first page is up.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import collab_desktop.app, collab_desktop.resources\n"
        "from collab_desktop.ui import errors, import_hook, main_window, none_guard\n"
        "from collab_desktop.ui import preferences, style, welcome\n"
        "print('logging.handlers' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert result.stdout.strip() == "False"
