"""`collab-desktop --self-test`: from source in a child process with no display, as the bundle
runs it, and its failure paths in this process."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from collab_desktop import app, self_test
from collab_desktop.config import DATABASE_NAME
from collab_desktop.models.records_file import is_plain_sqlite
from collab_desktop.self_test import AGREEMENT_PDF, ATTENDANCE_PDF, PASSPHRASE_FILE, run_self_test
from collab_desktop.services.records_key import PASSPHRASE_KIND, open_with_secret
from tests.unit.test_layers import PACKAGE, QT, imported_roots

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    # No display of any kind: the self-test must not need one.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def failure_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("self-test failed: ")
    return lines[0]


def test_self_test_from_source_keeps_its_database_and_pdf(tmp_path):
    kept = tmp_path / "kept"
    result = run_cli("-m", "collab_desktop", "--self-test", "--keep", str(kept))

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert all(line.startswith("self-test: ") for line in lines)
    assert lines[-1].startswith("self-test: passed in ")
    steps = [line.split(": ")[1] for line in lines[1:-1]]
    assert steps[:8] == [
        "resources",
        "pages",
        "database",
        "reference case",
        "agreement",
        "sign-off",
        "agreement PDF",
        "agreement PDF read back",
    ]
    assert steps[8:] == ["attendance sheet", "return", "reopen", "exchange", "encrypted at rest"]
    assert (kept / DATABASE_NAME).stat().st_size > 0
    # Issue 10: encrypted, and the passphrase written beside it opens the kept folder again.
    reopen = next(line for line in lines if ": reopen: " in line)
    assert "with the passphrase and with the recovery code" in reopen and "refused" in reopen
    assert not is_plain_sqlite(kept / DATABASE_NAME)
    passphrase = (kept / PASSPHRASE_FILE).read_text(encoding="utf-8").strip()
    records = open_with_secret(kept / DATABASE_NAME, PASSPHRASE_KIND, passphrase)
    with records.connection("ro") as connection:
        names = {n for (n,) in connection.execute("SELECT name FROM organisation")}
    assert {"Fine Cell Work", "RECOOP", "HMP Leyhill"} <= names
    for path in kept.rglob("*"):
        if path.is_file() and path.suffix not in (".pdf", ".csv", ".xlsx"):
            data = path.read_bytes()
            assert b"SQLite format 3" not in data, path
            assert b"Sarah Bennett" not in data and b"RECOOP" not in data, path
    pages = PdfReader(io.BytesIO((kept / AGREEMENT_PDF).read_bytes())).pages
    fingerprint = next(line for line in lines if ": sign-off: " in line).split()[-3]
    assert len(pages) >= 1
    assert all(fingerprint in page.extract_text() for page in pages)
    sheet = " ".join(p.extract_text() for p in PdfReader(kept / ATTENDANCE_PDF).pages)
    assert "G. Ŵ. J." in sheet
    assert "Gareth" not in sheet
    # Issue 13: the partner's quarterly return, kept as PDF, CSV and XLSX.
    returned = " ".join(p.extract_text() for p in PdfReader(kept / "monitoring-return.pdf").pages)
    assert "Monitoring return: Q" in returned and "RECOOP" in returned
    csv_text = (kept / "monitoring-return.csv").read_text(encoding="utf-8")
    assert csv_text.startswith("period_start,period_end,period,")
    assert (kept / "monitoring-return.xlsx").read_bytes().startswith(b"PK")


def test_self_test_imports_no_qt():
    code = (
        "import sys; from collab_desktop.app import main; code = main(['--self-test']); "
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')); "
        "print('QT', qt); sys.exit(code)"
    )
    result = run_cli("-c", code)
    assert result.returncode == 0, result.stderr
    assert "QT []" in result.stdout
    assert not imported_roots(PACKAGE / "self_test.py") & QT


def test_a_folder_that_cannot_be_made_fails_with_one_line(tmp_path):
    # Under a regular file nothing can be made, even by root (whom permissions do not stop).
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    result = run_cli("-m", "collab_desktop", "--self-test", "--keep", str(blocker / "kept"))
    assert result.returncode == 1
    assert "cannot use" in failure_line(result.stderr)


def test_an_existing_database_is_never_touched(tmp_path, capsys):
    kept = tmp_path / "real data"
    kept.mkdir()
    database = kept / DATABASE_NAME
    database.write_bytes(b"someone's records")

    assert run_self_test(kept) == 1

    assert "already holds a database" in failure_line(capsys.readouterr().err)
    assert database.read_bytes() == b"someone's records"
    assert sorted(p.name for p in kept.iterdir()) == [DATABASE_NAME]


def test_a_failing_step_names_itself_and_cleans_up(tmp_path, monkeypatch, capsys):
    made: list[Path] = []
    real_mkdtemp = self_test.tempfile.mkdtemp

    def mkdtemp(**kwargs: str) -> str:
        made.append(Path(real_mkdtemp(dir=tmp_path, **kwargs)))
        return str(made[-1])

    def disk_full(doc: object, path: Path) -> None:
        raise OSError(28, "No space left on device\n(second line)")

    monkeypatch.setattr(self_test.tempfile, "mkdtemp", mkdtemp)
    monkeypatch.setattr("collab_desktop.pdf.agreement_pdf.write_agreement_pdf", disk_full)

    assert run_self_test(None) == 1

    out = capsys.readouterr()
    reason = "OSError: [Errno 28] No space left on device (second line)"
    assert failure_line(out.err) == f"self-test failed: agreement PDF: {reason}"
    assert "sign-off: sent, 3 signatures recorded" in out.out
    assert made and not made[0].exists()


def test_a_plain_file_in_the_kept_folder_fails_the_self_test(tmp_path, monkeypatch, capsys):
    from collab_desktop.services.exchange import self_test as exchange_step

    real = exchange_step.exchange_round_trip
    # As if the exchange step still made its records unencrypted.
    monkeypatch.setattr(
        exchange_step, "exchange_round_trip", lambda folder, passphrase=None: real(folder)
    )

    assert run_self_test(tmp_path / "kept") == 1

    line = failure_line(capsys.readouterr().err)
    assert line.startswith("self-test failed: encrypted at rest: exchange-")
    assert "unencrypted database" in line


def test_full_names_on_a_custody_sheet_fail_the_self_test(tmp_path, monkeypatch, capsys):
    from collab_desktop.services.delivery import attendance
    # As if the sheet ignored the activity's name printing and showed everyone in full.
    monkeypatch.setattr(attendance, "sheet_labels", lambda names, mode: dict(names))

    assert run_self_test(tmp_path / "kept") == 1

    line = failure_line(capsys.readouterr().err)
    assert line.startswith("self-test failed: attendance sheet: ")
    assert "prints full names: Peter Stone, Gareth Ŵyn Jones, Alan Barker" in line


def test_keep_goes_only_with_self_test(capsys):
    with pytest.raises(SystemExit) as stopped:
        app.parse_args(["--keep", "somewhere"])
    assert stopped.value.code == 2
    assert "--keep goes with --self-test" in capsys.readouterr().err
    assert app.parse_args(["--self-test", "--keep", "x"]).keep == "x"


def test_the_pages_step_fails_when_a_page_is_missing_from_the_copy(monkeypatch):
    # The bundle once left out every page the window imports by name: this step catches it.
    from collab_desktop.ui import pages

    assert "9 pages" in self_test._SelfTest().check_pages()
    monkeypatch.setattr(
        pages, "LATER_PAGES", (*pages.LATER_PAGES, ("gone", "collab_desktop.ui.gone_page", "X"))
    )
    with pytest.raises(self_test.CheckFailed, match="collab_desktop.ui.gone_page"):
        self_test._SelfTest().check_pages()
