"""Composition root: arguments, data folder, logging, window, then database and services.

The window is shown before SQLAlchemy, Alembic and ReportLab are imported (together about a
second on an old laptop), so the app appears at once and fills itself a moment later.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from collab_desktop import APP_NAME, __version__, timing
from collab_desktop.config import ENV_DATA_DIR, database_path, log_dir, resolve_data_dir

log = logging.getLogger("collab_desktop")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="collab-desktop", description=APP_NAME)
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder for the database, backups and logs (also ${ENV_DATA_DIR}; "
        "default: your user data folder)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a throwaway database filled with four example collaborations",
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation without a screen, on example records in a temporary "
        "folder; exit 0 if all is well",
    )
    parser.add_argument(
        "--keep", metavar="DIR", help="with --self-test: leave its database and PDFs in DIR"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="give the records and every backup the full check, without a window, changing "
        "nothing; one line per file, then the newest good backup; exit 1 if the records "
        "are damaged",
    )
    args = parser.parse_args(argv)
    if args.keep and not args.self_test:
        parser.error("--keep goes with --self-test")
    return args


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_MAX_BYTES, LOG_BACKUPS = 1_000_000, 3  # the log and its three older files


def setup_logging(folder: Path) -> Path | None:
    """The log, written from now on. Until the first page is up its lines go through a plain
    file handler: logging.handlers, where the rotating one is, imports socket, pickle and
    queue, 11 ms before the window could be shown (issue 17). rotate_log() then puts the
    rotating handler in its place, on the same file."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "collab-desktop.log", encoding="utf-8")
    except OSError:
        return None  # a read-only folder must not stop the app; errors still show in dialogs
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    return Path(handler.baseFilename)


def rotate_log(log_file: Path) -> None:
    """setup_logging's plain handler of `log_file` replaced by one that keeps the file under
    LOG_MAX_BYTES (it rolls over at the next line written past that)."""
    from logging.handlers import RotatingFileHandler

    plain = [
        h for h in log.handlers
        if type(h) is logging.FileHandler and Path(h.baseFilename) == log_file
    ]  # fmt: skip
    if not plain:
        return
    try:
        rotating = RotatingFileHandler(
            log_file, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return  # the plain handler goes on writing
    rotating.setFormatter(logging.Formatter(LOG_FORMAT))
    log.addHandler(rotating)  # before the plain one goes: no line is lost between them
    for handler in plain:
        log.removeHandler(handler)
        handler.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:  # before any Qt import: it runs where there is no display
        from collab_desktop.self_test import run_self_test

        return run_self_test(Path(args.keep) if args.keep else None)
    home_dir = resolve_data_dir(args.data_dir)
    if args.check:  # no window, no log, nothing written
        return run_check(home_dir)
    # The log stays in the real data folder even for the throwaway example, so that what
    # went wrong there can still be read after it closes.
    log_file = setup_logging(log_dir(home_dir))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    from collab_desktop.ui.import_hook import skip_source_scans

    skip_source_scans()  # before SQLAlchemy and the rest are imported: see import_hook.py
    from collab_desktop.resources import app_icon
    from collab_desktop.ui.errors import install_excepthook, set_log_file, show_unexpected
    from collab_desktop.ui.main_window import MainWindow
    from collab_desktop.ui.preferences import backup_folder
    from collab_desktop.ui.style import apply_style
    from collab_desktop.ui.welcome import EXAMPLE, WelcomeDialog, is_first_run

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from collab_desktop.ui.none_guard import guard_none

    guard_none(app)  # PySide6 6.12.0's leak would otherwise end the app: see none_guard.py
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Collab Desktop")
    app.setWindowIcon(app_icon())
    apply_style(app)
    set_log_file(log_file)
    install_excepthook()

    # Backups go where the preferences say (read once: a change applies from the next start).
    backups = backup_folder()
    demo = args.demo
    welcome = None
    if not demo and is_first_run(database_path(home_dir)):
        welcome = WelcomeDialog(database_path(home_dir), backups)
        if welcome.exec() != QDialog.DialogCode.Accepted:
            return 0
        # The example is opened as --demo opens it; the data folder stays empty, so the
        # welcome shows again next time.
        demo = welcome.choice == EXAMPLE
    demo_dir = Path(tempfile.mkdtemp(prefix="collab-desktop-example-")) if demo else None
    data_dir = demo_dir or home_dir
    # The records file and its key, decided once, before anything opens it.
    records, new_key = _records_to_open(database_path(data_dir), demo, welcome, backups)
    if records is None:
        return 0 if new_key is None else 1
    # The records are unlocked (or plain): what follows is the first page's own work, timed
    # from here for encrypted and plain records alike (benchmarks/crypt_bench.py).
    timing.mark("records")

    window = MainWindow(data_dir, demo=demo, logs=log_dir(home_dir))
    window.show()
    timing.mark("shown")  # no-op unless benchmarking (see timing.py)
    opened = {}

    from collab_desktop.ui.opening import rescue_of

    rescue = rescue_of(window, None if demo else backups)

    def reopened(services) -> None:
        from collab_desktop.ui.preferences import apply_preferences

        apply_preferences(services)
        window.attach(services)

    rescue.reopened = reopened

    def open_database() -> None:
        from collab_desktop.errors import DamagedStorage
        from collab_desktop.ui.opening import (
            CHECK_AFTER_MS,
            open_with_dialogs,
            watch_startup_check,
        )

        # Damage found meanwhile (by the background check, or by a read) waits until the
        # records are open and this has finished, then is answered once (ui/opening.Rescue).
        rescue.busy = True
        try:
            # The file's check waits until the first page is up (a large file takes a while
            # to read through); a damaged one is then reported at once.
            services = open_with_dialogs(
                window, records, None if demo else backups, defer_check=True
            )
            if services is not None and welcome is not None:
                # Only now: a copy refused (already open elsewhere) changes nothing. Before
                # the Recovery sheet, which prints the organisation named in the welcome.
                welcome.remember_identity()
            if services is not None and new_key is not None:
                _show_recovery_sheet(window, new_key, data_dir)
            if services is not None and demo:
                from collab_desktop.services.demo import load_demo

                load_demo(services)
            if services is not None and welcome is not None and not demo:
                _first_records(window, services)
        except Exception as error:
            show_unexpected(window, error)
            services = None
        if services is None:
            rescue.busy = False
            app.exit(1)
            return
        opened["services"] = services
        from collab_desktop.ui.preferences import apply_preferences

        # The name the audit trail records changes under, and how names print on new
        # activities' sheets (both set in preferences).
        apply_preferences(services)
        try:
            window.attach(services)
        except DamagedStorage:
            # The first page met the damage before the check reported it: one rescue.
            rescue.damaged()
        finally:
            rescue.busy = False
        timing.filled()
        # The file's check once the first page is up and the pages are read ahead (see
        # ui/opening.CHECK_AFTER_MS): beside them, it held them back. A write before then
        # runs it first.
        watch_startup_check(window, services, None if demo else backups, CHECK_AFTER_MS)
        log.info("Opened %s", services.path)
        opened["lock"] = None

        def lock_when_away() -> None:
            if opened.get("closing"):  # quit within the delay: a dialog of the close ran it
                return
            from collab_desktop.ui.encryption import install_lock
            from collab_desktop.ui.preferences import load_preferences

            # The idle time chosen in the preferences (10 minutes unless changed).
            opened["lock"] = install_lock(window, records, load_preferences().idle_lock_minutes)
            if opened["lock"] is not None and hasattr(window, "add_lock"):
                window.add_lock(opened["lock"])

        if records.encrypted:  # plain records have no lock (nor its imports at start-up)
            # Once the first page is up, as the file's check: its imports and the session's
            # lock signal (D-Bus) took 25 ms of the encrypted first page.
            QTimer.singleShot(CHECK_AFTER_MS, window, lock_when_away)
        if not demo:
            daily.start()
        # What a killed earlier start left (example folders, PDF temporaries: only those ten
        # minutes old, never this start's own), cleared once the first page is up: scanning
        # the temporary folder is no reason to keep the window waiting.
        QTimer.singleShot(LEFTOVERS_AFTER_MS, _remove_leftovers)
        if log_file is not None:
            QTimer.singleShot(ROTATE_LOG_AFTER_MS, lambda: rotate_log(log_file))

    # While the app stays open (some never close it), a backup at most once a day.
    daily = QTimer()
    daily.setInterval(60 * 60 * 1000)
    daily.timeout.connect(lambda: _daily_backup(window.services, window))

    QTimer.singleShot(0, open_database)
    code = app.exec()
    opened["closing"] = True
    daily.stop()
    if opened.get("lock") is not None:
        opened["lock"].stop()
    services = window.services or opened.get("services")
    if services is not None:
        _close(services, back_up=not demo)
    if demo_dir is not None:
        logging.shutdown()
        shutil.rmtree(demo_dir, ignore_errors=True)
    return code


LEFTOVERS_AFTER_MS = 3000
# The rotating log handler, a moment after the first page (its imports: setup_logging).
ROTATE_LOG_AFTER_MS = 2000


def _remove_leftovers() -> None:
    from collab_desktop.ui.leftovers import remove_app_leftovers

    try:
        remove_app_leftovers()
    except OSError:
        log.warning("Could not clear an earlier start's leftovers", exc_info=True)


def _records_to_open(database: Path, demo: bool, welcome, backups: Path | None = None):
    """(records, new_key): the records file to open (None: do not go on; new_key is then
    None to end quietly, or True after a message) and the NewKey of records just encrypted
    (to show their Recovery sheet once)."""
    from collab_desktop.models.records_file import RecordsFile, is_plain_sqlite

    if demo:
        return RecordsFile(database), None  # made-up people, in a throwaway folder
    if welcome is not None and welcome.records is not None:
        return welcome.records, None  # restored from a backup, with its key
    if welcome is None and is_plain_sqlite(database) and plain_by_choice(database).exists():
        # Plain records kept plain on purpose: nothing to unlock or offer, so the key file's
        # cryptography (7 MiB, before the window shows) is not loaded at all.
        return RecordsFile(database), None
    from collab_desktop.services import records_key
    from collab_desktop.services.errors import ServiceError
    from collab_desktop.ui.encryption import key_missing, unlock_at_start

    if welcome is not None and welcome.passphrase is not None:
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            return records_key.create_encrypted(database, welcome.passphrase)
        except (ServiceError, OSError) as error:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(None, "The records were not made", str(error))
            return None, True
    state = records_key.records_state(database)
    if state in (records_key.NEW, records_key.PLAIN) and welcome is not None:
        # "Continue without a passphrase…" was chosen and explained: not asked again.
        from collab_desktop.ui import convert_records

        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            convert_records.keep_plain(database)
        except OSError:
            log.warning("Could not note that the records stay plain", exc_info=True)
    if state == records_key.ENCRYPTED:
        return unlock_at_start(None, database, backups), None
    if state == records_key.KEY_MISSING:  # put back from a backup's copy, never made anew
        return key_missing(None, database, backups), None
    if state == records_key.PLAIN and welcome is None:
        # Plain records from before encryption: encrypting them is offered at each start.
        from collab_desktop.ui import convert_records

        encrypted = convert_records.offer_at_start(None, database, [backups] if backups else [])
        if encrypted is not None:
            return encrypted, None
    return RecordsFile(database), None


def plain_by_choice(database: Path) -> Path:
    """ui/convert_records.plain_by_choice, without importing it (it loads the cryptography
    of the key file); tests/unit/test_start_imports.py checks that the two agree."""
    return database.with_name(database.name + ".plain-by-choice")


def _show_recovery_sheet(window, new_key, data_dir: Path) -> None:
    from collab_desktop.ui.encryption import RecoverySheetDialog
    from collab_desktop.ui.preferences import load_preferences

    preferences = load_preferences()
    RecoverySheetDialog(
        new_key, data_dir, preferences.organisation, preferences.user_name, window
    ).exec()


def _first_records(window, services) -> None:
    """After the welcome: the organisation the user named becomes a partner (or, in restored
    records, is found among them), ready to be chosen."""
    from collab_desktop.services.errors import ServiceError
    from collab_desktop.ui.errors import show_problem
    from collab_desktop.ui.preferences import load_preferences, remember_own_organisation

    try:
        remember_own_organisation(services, load_preferences().organisation)
    except ServiceError as error:
        show_problem(window, error, "Your organisation was not added")


def _daily_backup(services, window=None) -> None:
    from collab_desktop.ui.background import run_in_background
    from collab_desktop.ui.errors import show_problem

    if services is not None and services.backups.due_daily():
        # A failure is shown (damage found by the backup's full check goes to the rescue).
        run_in_background(
            lambda: services.backups.backup_now("daily"),
            failed=lambda error: show_problem(window, error, "The daily backup was not made"),
        )


def _close(services, back_up: bool) -> None:
    """The closing backup, then release the database. A failed backup is logged and shown,
    never allowed to stop the app closing."""
    from PySide6.QtWidgets import QMessageBox

    from collab_desktop.services.errors import ServiceError
    from collab_desktop.ui.background import wait_for_background

    if services.startup_check is not None:
        services.startup_check.stop()  # a full check still waiting for quiet need not finish
    wait_for_background()
    if back_up:
        try:
            services.backups.backup_now("close")
        except (ServiceError, OSError) as error:
            log.error("The closing backup failed: %s", error)
            message = getattr(error, "message", None) or str(error)
            try:
                earlier = bool(services.backups.list_backups())
            except OSError:
                earlier = False
            QMessageBox.warning(
                None,
                "The closing backup was not made",
                f"{message}\n\nYour records are closed"
                + (
                    "; the backups made before are kept as they were."
                    if earlier
                    else ". There is no backup of them yet: make one (File → Back up now) "
                    "once there is room."
                ),
            )
    services.close()


def run_check(data_dir: Path) -> int:
    """collab-desktop --check (see parse_args): for support staff and scripts."""
    from collab_desktop.config import database_path
    from collab_desktop.models.records_file import RecordsFile
    from collab_desktop.services import records_key
    from collab_desktop.services.backups import BackupService
    from collab_desktop.services.database_file import check_report, default_backup_folder
    from collab_desktop.services.errors import ServiceError

    path = database_path(data_dir)
    records = RecordsFile(path)
    if records_key.records_state(path) == records_key.ENCRYPTED:
        # Encrypted records: the passphrase from COLLAB_DESKTOP_PASSPHRASE, or asked here.
        passphrase = records_key.passphrase_from_terminal(f"Passphrase for {path}: ")
        if passphrase is None:
            print(
                f"{path}: encrypted; give the passphrase in ${records_key.PASSPHRASE_ENV} "
                "or run this in a terminal",
                file=sys.stderr,
            )
            return 2
        try:
            records = records_key.open_with_secret(path, records_key.PASSPHRASE_KIND, passphrase)
        except ServiceError as error:
            print(error.message, file=sys.stderr)
            return 2
    folders = [default_backup_folder(path)]
    chosen = _chosen_backup_folder()
    if chosen is not None and chosen not in folders:
        folders.insert(0, chosen)
    lines, sound = check_report(records, [BackupService(records, folder) for folder in folders])
    print("\n".join(lines))
    return 0 if sound else 1


def _chosen_backup_folder() -> Path | None:
    """The backup folder chosen in preferences, read without starting a window."""
    from PySide6.QtCore import QSettings

    value = QSettings("Collab Desktop", APP_NAME).value("backups/folder") or ""
    return Path(str(value)).expanduser() if str(value).strip() else None


if __name__ == "__main__":
    sys.exit(main())
