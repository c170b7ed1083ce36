"""The backup's byte copy (services/backups.copy_in_steps) of encrypted records: the same key,
no re-encryption, and still a copy of one moment while saves go on: no commit can land inside
a step (the step holds SQLite's SHARED lock), and a commit between steps starts the copy
again, so the backup holds the records as last saved and passes the full check."""

from __future__ import annotations

import builtins

import pytest

from collab_desktop.models.records_file import RecordsFile
from collab_desktop.services import backups as backups_module
from collab_desktop.services.backups import BackupService
from collab_desktop.services.file_check import full_check
from collab_desktop.services.open_records import open_services
from collab_desktop.services.records_key import create_encrypted
from tests.builders import add_partner

FAST = {"kdf": "argon2id", "iterations": 1, "lanes": 1, "memory_kib": 64}


@pytest.fixture
def encrypted(tmp_path) -> RecordsFile:
    database = tmp_path / "data" / "collab-desktop.sqlite3"
    database.parent.mkdir()
    records, _ = create_encrypted(database, "kettle orbit meadow", kdf=dict(FAST))
    services = open_services(records)
    for i in range(60):
        add_partner(services, f"Partner {i:03d}")
    services.close()
    return records


def _save(records: RecordsFile, notes: str) -> None:
    """A save from another connection that refuses to wait ("locked" at once if held)."""
    writer = records.connect("rw")
    try:
        writer.execute("PRAGMA busy_timeout = 0")
        writer.execute("UPDATE organisation SET notes = ?", (notes,))
        writer.commit()
    finally:
        writer.close()


def _notes(records: RecordsFile) -> list[str]:
    with records.connection("ro") as connection:
        return [n for (n,) in connection.execute("SELECT DISTINCT notes FROM organisation")]


def test_saves_between_steps_go_in_at_once_and_the_backup_is_of_the_last(
    encrypted, tmp_path, monkeypatch
):
    monkeypatch.setattr(backups_module, "STEP_PAGES", 2)
    steps = encrypted.path.stat().st_size // (2 * 4096)
    saves: list[str] = []
    pauses = [0]

    class Pause:  # stands in for time.sleep between the steps
        @staticmethod
        def sleep(_seconds: float) -> None:
            # In the second half of a copy: the first half, copied already, is then older
            # than the save, unless the copy starts again.
            pauses[0] += 1
            if len(saves) < 3 and pauses[0] % steps >= steps // 2:
                saves.append(f"save {len(saves)}")
                _save(encrypted, saves[-1])  # would raise "locked" if the copy held it

    monkeypatch.setattr(backups_module, "time", Pause)
    info = BackupService(encrypted, tmp_path / "backups").backup_now("manual")

    assert len(saves) == 3
    copy = encrypted.with_path(info.path)
    assert full_check(copy) is None, "opens with the records' key and is sound"
    assert _notes(copy) == ["save 2"], "a copy of the records as last saved"
    assert info.path.read_bytes()[:16] == encrypted.path.read_bytes()[:16], "same salt"


def test_no_save_lands_inside_a_step(encrypted, tmp_path, monkeypatch):
    """While a step reads the file, a save cannot commit: tried with no wait, it is refused
    ("database is locked"), so the bytes of one step are of one moment."""
    monkeypatch.setattr(backups_module, "STEP_PAGES", 4)
    refused: list[str] = []
    real_open = builtins.open

    class Reader:
        def __init__(self, handle):
            self._handle = handle

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._handle.close()

        def read(self, size: int) -> bytes:
            try:
                _save(encrypted, "inside a step")
            except encrypted.errors as error:
                refused.append(str(error))
            return self._handle.read(size)

    def fake_open(path, mode="r", *args, **kwargs):
        handle = real_open(path, mode, *args, **kwargs)
        return Reader(handle) if mode == "rb" else handle

    monkeypatch.setattr(backups_module, "open", fake_open, raising=False)
    before = _notes(encrypted)
    info = BackupService(encrypted, tmp_path / "backups").backup_now("manual")

    assert refused and all("locked" in r for r in refused)
    assert _notes(encrypted) == before, "no save went in during a step"
    assert full_check(encrypted.with_path(info.path)) is None


def test_saves_at_every_pause_cannot_stop_an_encrypted_backup(encrypted, tmp_path, monkeypatch):
    monkeypatch.setattr(backups_module, "STEP_PAGES", 2)
    saves: list[int] = []

    class Pause:
        @staticmethod
        def sleep(_seconds: float) -> None:
            saves.append(len(saves))
            _save(encrypted, f"save {len(saves)}")

    monkeypatch.setattr(backups_module, "time", Pause)
    info = BackupService(encrypted, tmp_path / "backups").backup_now("manual")

    assert len(saves) >= backups_module.MAX_RESTARTS
    copy = encrypted.with_path(info.path)
    assert info.good and full_check(copy) is None
    assert _notes(copy) == _notes(encrypted), "the last copy, in one step, is of the last save"


def test_the_lock_byte_page_is_copied_as_zeros_wherever_the_steps_fall(
    encrypted, tmp_path, monkeypatch
):
    """SQLite never uses the page at 1 GiB; records that big are slow to make in a test, so
    the page is pretended to be the second-to-last one (which the test then expects as
    zeros in the copy, the rest byte for byte), in steps of three pages."""
    data = encrypted.path.read_bytes()
    page = 4096
    fake = len(data) - 2 * page
    monkeypatch.setattr(backups_module, "_LOCK_BYTE", fake)
    monkeypatch.setattr(backups_module, "STEP_PAGES", 3)
    partial = tmp_path / "copy.partial"
    backups_module.copy_in_steps(encrypted, partial)
    copied = partial.read_bytes()
    assert copied[fake : fake + page] == bytes(page)
    assert copied[:fake] == data[:fake] and copied[fake + page :] == data[fake + page :]
