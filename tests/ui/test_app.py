"""The composition root: arguments, data folder, example data, and what the user sees when
something unexpected goes wrong."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from collab_desktop import __version__, app
from collab_desktop.config import DATABASE_NAME, ENV_DATA_DIR, resolve_data_dir
from collab_desktop.services.demo import load_demo
from collab_desktop.ui.errors import install_excepthook, set_log_file
from collab_desktop.ui.main_window import PAGES, MainWindow
from collab_desktop.ui.opening import CHECK_AFTER_MS


@pytest.fixture
def welcome(monkeypatch):
    """How a first start's welcome is answered (by default: Start empty), and the welcomes
    shown. Set `welcome.answer` to a function of the dialog to answer otherwise."""
    from types import SimpleNamespace

    from collab_desktop.ui.welcome import WelcomeDialog

    answers = SimpleNamespace(shown=[], answer=lambda dialog: dialog.start_button.click())

    def fake_exec(dialog) -> int:
        answers.shown.append(dialog)
        answers.answer(dialog)
        return dialog.result()

    monkeypatch.setattr(WelcomeDialog, "exec", fake_exec)
    return answers


@pytest.fixture
def run_main(monkeypatch, qtbot, welcome):
    """Run app.main() in this process: the event loop runs until the window has its records,
    and each page is looked at once (pages fill when first shown) before it closes."""
    windows: list[MainWindow] = []

    def fake_exec() -> int:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        windows.append(window)
        qtbot.waitUntil(lambda: window.services is not None, timeout=10_000)
        # What starts once the first page is up (the file's check, the lock when away).
        qtbot.wait(CHECK_AFTER_MS + 50)
        for row in range(len(PAGES)):
            window.nav.setCurrentRow(row)
        window.close()
        return 0

    def run(*argv: str):
        for stray in QApplication.topLevelWidgets():  # left open by an earlier test
            if isinstance(stray, MainWindow):
                stray.close()
        return app.main(list(argv)), windows[-1]

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    yield run
    logging.getLogger("collab_desktop").handlers.clear()


def test_data_dir_option_beats_environment_which_beats_default(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "from-env"))
    assert resolve_data_dir(str(tmp_path / "from-option")) == tmp_path / "from-option"
    assert resolve_data_dir(None) == tmp_path / "from-env"
    monkeypatch.delenv(ENV_DATA_DIR)
    assert resolve_data_dir(None).name == "Collab Desktop"


def test_start_on_a_fresh_folder_makes_a_database_and_a_log(run_main, tmp_path):
    data = tmp_path / "new data"
    code, window = run_main("--data-dir", str(data))
    assert code == 0
    assert (data / DATABASE_NAME).exists()
    assert (data / "logs" / "collab-desktop.log").exists()
    assert window.partners_page.model.rowCount() == 0
    assert window.windowTitle() == "Collab Desktop"


def test_environment_variable_chooses_the_data_folder(run_main, tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env data"))
    run_main()
    assert (tmp_path / "env data" / DATABASE_NAME).exists()


def test_demo_is_thrown_away_and_leaves_real_data_alone(run_main, tmp_path):
    real = tmp_path / "real"
    code, window = run_main("--demo", "--data-dir", str(real))
    assert code == 0
    assert window.findChild(QWidget, "demo_banner") is not None
    assert window.agreements_page.model.rowCount() == 4
    assert window.partners_page.model.rowCount() > 10
    assert not window.data_dir.exists(), "the example database is deleted on close"
    assert not (real / DATABASE_NAME).exists()


def test_pages_switch_from_the_keyboard(qtbot, services, tmp_path):
    load_demo(services)
    window = MainWindow(tmp_path, demo=True)
    qtbot.addWidget(window)
    window.show()
    window.attach(services)
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.partners_page.filter, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.agreements_page
    qtbot.keyClick(window.agreements_page.filter, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.collaborations_page
    assert window.collaborations_page.model.rowCount() == 4


def test_unexpected_error_is_logged_and_apologised_for(tmp_path, boxes, monkeypatch, qapp):
    log_file = tmp_path / "logs" / "collab-desktop.log"
    log_file.parent.mkdir()
    handler = logging.FileHandler(log_file)
    logging.getLogger("collab_desktop").addHandler(handler)
    set_log_file(log_file)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook()
    try:
        raise RuntimeError("wires crossed")
    except RuntimeError as error:
        sys.excepthook(type(error), error, error.__traceback__)
    finally:
        logging.getLogger("collab_desktop").removeHandler(handler)
        handler.close()
        set_log_file(None)
    [box] = boxes.of("critical")
    assert str(log_file) in box.text
    assert "Traceback" not in box.text and "wires crossed" not in box.text
    logged = log_file.read_text()
    assert "RuntimeError: wires crossed" in logged and "Traceback" in logged


def test_a_database_from_a_newer_app_is_refused_plainly(run_main, tmp_path, boxes, monkeypatch):
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    db = sqlite3.connect(data / DATABASE_NAME)
    db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    db.execute("INSERT INTO alembic_version VALUES ('9999')")
    db.commit()
    db.close()
    before = (data / DATABASE_NAME).read_bytes()
    exits = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(lambda code=0: exits.append(code)))

    def fake_exec() -> int:
        return 1

    monkeypatch.setattr(QApplication, "exec", staticmethod(fake_exec))
    app.main(["--data-dir", str(data)])
    from PySide6.QtTest import QTest

    QTest.qWait(50)
    assert exits == [1]
    [box] = boxes.of("critical")
    assert "newer version" in box.text
    assert (data / DATABASE_NAME).read_bytes() == before
    logging.getLogger("collab_desktop").handlers.clear()


def test_version_from_the_command_line():
    done = subprocess.run(
        [sys.executable, "-m", "collab_desktop", "--version"],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parents[2],
        timeout=60,
    )
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_closing_makes_a_backup_but_the_example_does_not(run_main, tmp_path):
    data = tmp_path / "data"
    run_main("--data-dir", str(data))
    reasons = [p.name for p in (data / "backups").iterdir()]
    assert len(reasons) == 1 and reasons[0].endswith("-close.checked.sqlite3")
    run_main("--demo", "--data-dir", str(tmp_path / "other"))
    assert not (tmp_path / "other" / "backups").exists()


# -- the first start: the welcome ---------------------------------------------------------


def _partner_names(window: MainWindow) -> list[str]:
    model = window.partners_page.model
    return [model.row_at(r).name for r in range(model.rowCount())]


def test_first_start_welcomes_and_remembers_who_is_working(run_main, welcome, tmp_path):
    from PySide6.QtCore import QSettings

    def answer(dialog) -> None:
        dialog.user_name.setText("Ffion  Evans ")
        dialog.organisation.setText("Stitching Futures")
        dialog.start_button.click()

    welcome.answer = answer
    data = tmp_path / "data"
    code, window = run_main("--data-dir", str(data))
    assert code == 0 and len(welcome.shown) == 1
    assert (data / DATABASE_NAME).exists()
    # The organisation is a partner already, remembered by its id, ready to be chosen.
    assert _partner_names(window) == ["Stitching Futures"]
    own = window.partners_page.model.row_at(0).id
    settings = QSettings()
    assert settings.value("user/organisation_id") == str(own)
    assert settings.value("user/name") == "Ffion Evans"
    # The audit trail records the person and their organisation.
    assert window.services.audit.user == "Ffion Evans (Stitching Futures)"

    # The next start goes straight to the records, and adds no second partner.
    code, window = run_main("--data-dir", str(data))
    assert len(welcome.shown) == 1
    assert _partner_names(window) == ["Stitching Futures"]


def test_exploring_the_example_leaves_the_data_folder_empty(run_main, welcome, tmp_path):
    welcome.answer = lambda dialog: dialog.example_button.click()
    data = tmp_path / "data"
    code, window = run_main("--data-dir", str(data))
    assert code == 0
    assert window.demo and window.findChild(QWidget, "demo_banner") is not None
    assert window.agreements_page.model.rowCount() == 4
    assert "Stitching Futures" not in _partner_names(window)
    assert not window.data_dir.exists(), "the example is thrown away on close"
    assert not (data / DATABASE_NAME).exists()
    assert not (data / "backups").exists()
    # So the welcome shows again next time.
    run_main("--data-dir", str(data))
    assert len(welcome.shown) == 2


def test_first_start_can_restore_a_backup_file(run_main, welcome, tmp_path):
    import shutil

    from PySide6.QtCore import QSettings

    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.partners import PartnerData

    old = open_services(tmp_path / "old laptop" / DATABASE_NAME)
    own = old.partners.save_partner(PartnerData(name="Stitching Futures"))
    old.partners.save_partner(PartnerData(name="HMP Leyhill", kind="prison"))
    made = old.backups.backup_now("manual")
    old.close()
    stick = tmp_path / "usb stick"
    stick.mkdir()
    copy = stick / made.path.name
    shutil.copy(made.path, copy)

    def answer(dialog) -> None:
        dialog.organisation.setText("stitching futures")
        dialog.ask_for_backup = lambda: str(copy)
        dialog.restore_button.click()

    welcome.answer = answer
    data = tmp_path / "data"
    code, window = run_main("--data-dir", str(data))
    assert code == 0
    assert _partner_names(window) == ["HMP Leyhill", "Stitching Futures"]
    # The organisation named is the one in the backup, not a copy of it.
    assert QSettings().value("user/organisation_id") == str(own)
    assert QSettings().value("user/organisation") == "Stitching Futures"
    assert copy.exists(), "the backup file chosen is left as it was"


def test_quitting_the_welcome_makes_nothing(welcome, tmp_path):
    welcome.answer = lambda dialog: dialog.reject()
    data = tmp_path / "data"
    try:
        assert app.main(["--data-dir", str(data)]) == 0
    finally:
        logging.getLogger("collab_desktop").handlers.clear()
    assert len(welcome.shown) == 1
    assert not (data / DATABASE_NAME).exists()


def test_backups_go_to_the_folder_chosen_in_preferences(run_main, tmp_path):
    from PySide6.QtCore import QSettings

    data, elsewhere = tmp_path / "data", tmp_path / "usb stick" / "backups"
    run_main("--data-dir", str(data))
    QSettings().setValue("backups/folder", str(elsewhere))
    _code, window = run_main("--data-dir", str(data))
    assert window.services.backups.folder == elsewhere
    assert [p.name.endswith("-close.checked.sqlite3") for p in elsewhere.iterdir()] == [True]


def test_the_application_has_its_icon_and_focus_style(run_main, tmp_path):
    run_main("--data-dir", str(tmp_path / "data"))
    icon = QApplication.windowIcon()
    assert not icon.isNull()
    assert "QCommandLinkButton:focus" in QApplication.instance().styleSheet()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 48, 64, 128}
