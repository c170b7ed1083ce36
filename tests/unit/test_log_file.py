"""The app's log (app.setup_logging, app.rotate_log): written from the start, by a plain
handler until the first page is up, then by one that keeps the file small; no line is lost
in the hand-over, and a full log rolls over into its older files."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from collab_desktop import app


@pytest.fixture
def app_log():
    logger = logging.getLogger("collab_desktop")
    before = list(logger.handlers)
    yield logger
    for handler in logger.handlers:
        if handler not in before:
            handler.close()
    logger.handlers[:] = before


def test_lines_before_and_after_the_hand_over_are_all_in_the_log(app_log, tmp_path: Path):
    log_file = app.setup_logging(tmp_path / "logs")
    assert log_file == tmp_path / "logs" / "collab-desktop.log"
    app_log.info("before the first page")
    app.rotate_log(log_file)
    ours = [h for h in app_log.handlers if getattr(h, "baseFilename", None) == str(log_file)]
    assert [type(h) for h in ours] == [RotatingFileHandler]  # the plain one has gone
    app_log.info("after the first page")
    text = log_file.read_text(encoding="utf-8")
    assert "before the first page" in text and "after the first page" in text
    assert text.count("before the first page") == 1


def test_a_full_log_rolls_over_into_its_older_files(app_log, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(app, "LOG_MAX_BYTES", 2_000)
    log_file = app.setup_logging(tmp_path)
    assert log_file is not None
    app.rotate_log(log_file)
    for i in range(100):
        app_log.info("line %d of a long day, with some words to fill it", i)
    assert log_file.with_name("collab-desktop.log.1").exists()
    assert not log_file.with_name("collab-desktop.log.4").exists()  # three older files kept
    assert log_file.stat().st_size <= 2_000


def test_a_log_folder_that_cannot_be_written_stops_nothing(app_log, tmp_path: Path):
    blocked = tmp_path / "logs"
    blocked.write_text("a file where the folder should be")
    assert app.setup_logging(blocked) is None
    app.rotate_log(blocked / "collab-desktop.log")  # nothing to replace: no error
