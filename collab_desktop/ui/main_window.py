"""The main window. It is built and shown before the database and its heavy libraries are
loaded (see app.py), then `attach()` gives it the services and fills the first page; every
other page is built and filled the first time it is shown (or asked for), so opening ten
years of records costs no more than opening an empty file.

It remembers its size and position, the split between the sections and the pages, and the
column widths of every list (QSettings), and owns the menus: the standard shortcuts (New,
Save as PDF, Print, Find, Close, Quit) act on the page that is showing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# QEvent, QMessageBox, QUrl and QDesktopServices are imported where used, after the window is
# shown: PySide6 makes a class's Python enums when the class is first imported (QEvent's
# list of event types alone, 2.6 ms), and the window shown is 1.5x a bare window at most.
from PySide6.QtCore import QObject, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from collab_desktop import APP_NAME
from collab_desktop.resources import action_icon
from collab_desktop.services.read_turns import foreground
from collab_desktop.ui.pages import LATER_PAGES

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QCloseEvent

    from collab_desktop.models.records_file import RecordsFile
    from collab_desktop.services.open_records import Services

# Columns fit the first rows of a list, not a thousand (Qt's default: each row measured is a
# dozen calls into Python per cell).
FIT_COLUMNS_TO_ROWS = 60


class _PageBuiltOnFirstUse:
    """A page attribute (window.partners_page, …): the page, built and filled when first
    asked for, if it has not been shown yet."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, window: MainWindow | None, owner: type | None = None):
        return self if window is None else window._page(self.name)


PAGES = (
    "This week",
    "Partners",
    "Collaborations",
    "Agreements",
    "Activities",
    "Participants",
    "Volunteers",
    "Backups",
    "Returns",
    "Meetings",
)
# Ctrl+0 is the home page; Ctrl+1 to Ctrl+9 follow the list in order.
HOME = 0
# The Go menu's items, each with its own Alt letter.
GO_TEXTS = (
    "&This week",
    "&Partners",
    "&Collaborations",
    "A&greements",
    "&Activities",
    "Pa&rticipants",
    "&Volunteers",
    "&Backups",
    "R&eturns",
    "&Meetings",
)

GEOMETRY_KEY = "window/geometry"
STATE_KEY = "window/state"
SPLITTER_KEY = "window/splitter"
TABLE_KEY = "tables/{}/header"
TABLE_COLUMNS_KEY = "tables/{}/columns"

# The first size: fits a 1366x768 laptop screen with a taskbar and the window's title bar.
FIRST_SIZE = QSize(1180, 680)
FRAME_ALLOWANCE = QSize(40, 60)

# Page buttons that share an action icon with the menus (by objectName).
BUTTON_ICONS = {
    "new": (
        "partners_new",
        "collaborations_new",
        "agreements_new",
        "activities_new",
        "participants_new",
        "volunteers_add",
    ),
    "print": ("home_print_week", "home_print_ahead", "agreements_print"),
    "pdf": ("home_save_week", "home_save_ahead", "agreements_save_pdf"),
    "backup": ("backups_now",),
}


def first_geometry(room: QRect) -> QRect:
    """Where the window opens the first time, on a screen whose free area (without the
    taskbar) is `room`: FIRST_SIZE or less, leaving room for the frame and title bar, centred
    with the title bar on the screen. On a 1366x768 laptop with a 40-pixel taskbar that is
    1180x668."""
    width = min(FIRST_SIZE.width(), room.width() - FRAME_ALLOWANCE.width())
    height = min(FIRST_SIZE.height(), room.height() - FRAME_ALLOWANCE.height())
    x = room.x() + max(0, (room.width() - width) // 2)
    y = room.y() + max(0, (room.height() - height - FRAME_ALLOWANCE.height()) // 2)
    return QRect(x, y, width, height)


def _keys(standard: QKeySequence.StandardKey, fallback: str) -> list[QKeySequence]:
    """A platform's own keys for a standard action, or `fallback` where it has none (Windows
    has no Quit key of its own: Ctrl+Q is what people try)."""
    return QKeySequence.keyBindings(standard) or [QKeySequence(fallback)]


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, demo: bool = False, logs: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.data_dir = data_dir
        self.logs = logs or data_dir / "logs"
        self.demo = demo
        self.services: Services | None = None
        self.events = None
        self.setWindowTitle(f"{APP_NAME} — example data" if demo else APP_NAME)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Sections")
        self.nav.addItems(PAGES)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setMaximumWidth(200)
        self.nav.setMinimumWidth(150)
        # Large, well-spaced targets: the sections are the app's top level.
        self.nav.setStyleSheet(
            "QListWidget { font-size: 11pt; } QListWidget::item { padding: 6px; }"
        )
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self._built: dict[str, QWidget] = {}
        self._unfilled: set[str] = set()  # built, not yet filled (build_page, fill_page)
        self._preloader = None
        self.preloaded = False  # everything the first clicks need is loaded (ui/preload.py)
        self._after_preloading: list[Callable[[], None]] = []
        self.stack.currentChanged.connect(self._build_shown)
        loading = QLabel("Opening your records…")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(loading)
        self.stack.currentChanged.connect(lambda _index: self._update_actions())

        self.splitter = QSplitter()
        self.splitter.setObjectName("main_splitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([170, 1000])

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        if demo:
            banner = QLabel(
                "You are looking at example data from four real collaborations. "
                "Anything you change here is thrown away when you close the app."
            )
            banner.setObjectName("demo_banner")
            banner.setWordWrap(True)
            banner.setStyleSheet(
                "background: #fff4c2; color: #4a3b00; padding: 6px; border: 1px solid #e0c860;"
            )
            layout.addWidget(banner)
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.setAcceptDrops(True)  # a pack dropped on the window is imported (with a preview)
        self._update_actions()
        self._restore_window()
        self.statusBar().showMessage("Opening…")

    # -- menus -----------------------------------------------------------------------------

    def _action(
        self,
        menu,
        text: str,
        slot: Callable[[], object],
        keys: list[QKeySequence] | QKeySequence | None = None,
        icon: str | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon:
            action.setIcon(action_icon(icon))
        if keys is not None:
            action.setShortcuts(keys if isinstance(keys, list) else [keys])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        # Also on the window itself, so the shortcut works where a platform keeps the menu
        # bar elsewhere (macOS) or hides it.
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_action = self._action(
            file_menu, "&New…", self._new, QKeySequence.StandardKey.New, "new", "action_new"
        )
        self.pdf_action = self._action(
            file_menu,
            "Save as P&DF…",
            lambda: self._page_command("pdf"),
            QKeySequence("Ctrl+Shift+S"),
            "pdf",
            "action_pdf",
        )
        self.print_action = self._action(
            file_menu,
            "&Print…",
            lambda: self._page_command("print"),
            QKeySequence.StandardKey.Print,
            "print",
            "action_print",
        )
        file_menu.addSeparator()
        self.import_pack_action = self._action(
            file_menu, "&Import pack…", self.import_pack, QKeySequence("Ctrl+I"),
            name="action_import_pack",
        )  # fmt: skip
        self.export_pack_action = self._action(
            file_menu, "E&xport pack…", self.export_pack, QKeySequence("Ctrl+E"),
            name="action_export_pack",
        )  # fmt: skip
        file_menu.addSeparator()
        self.backup_action = self._action(
            file_menu, "&Back up now", self._back_up_now, None, "backup", "action_backup"
        )
        self.passphrase_action = self._action(
            file_menu,
            "C&hange passphrase…",
            self._change_passphrase,
            name="action_change_passphrase",
        )
        self.encrypt_action = self._action(
            file_menu, "&Encrypt the records…", self.encrypt_records, name="action_encrypt"
        )
        self.file_menu = file_menu
        file_menu.addSeparator()
        self.close_action = self._action(
            file_menu,
            "&Close window",
            self.close,
            _keys(QKeySequence.StandardKey.Close, "Ctrl+W"),
            name="action_close",
        )
        self.quit_action = self._action(
            file_menu,
            "&Quit",
            self.close,
            _keys(QKeySequence.StandardKey.Quit, "Ctrl+Q"),
            name="action_quit",
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)

        edit_menu = self.menuBar().addMenu("&Edit")
        self.find_action = self._action(
            edit_menu, "&Find…", self._find, QKeySequence.StandardKey.Find, name="action_find"
        )
        edit_menu.addSeparator()
        self.preferences_action = self._action(
            edit_menu,
            "P&references…",
            self.open_preferences,
            QKeySequence("Ctrl+,"),
            name="action_preferences",
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        go_menu = self.menuBar().addMenu("&Go")
        for row, text in enumerate(GO_TEXTS):
            self._action(
                go_menu,
                text,
                lambda n=row: self.nav.setCurrentRow(n),
                QKeySequence(f"Ctrl+{row}"),
                name=f"action_go_{row}",
            )
            if row == HOME:
                go_menu.addSeparator()

        help_menu = self.menuBar().addMenu("&Help")
        about = self._action(help_menu, f"&About {APP_NAME}", self.show_about, name="action_about")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        self._action(
            help_menu,
            "Open &data folder",
            lambda: self._open_folder(self.data_dir),
            name="action_open_data",
        )
        self._action(
            help_menu,
            "Open &log folder",
            lambda: self._open_folder(self.logs),
            name="action_open_logs",
        )

    # -- what the standard actions do on each page ----------------------------------------

    def _current_page(self) -> QWidget | None:
        page = self.stack.currentWidget()
        return page if self.stack.currentIndex() > 0 else None

    def _new_button(self, page: QWidget | None) -> QPushButton | None:
        if page is None:
            return None
        prefix = page.objectName().removesuffix("_page")
        for suffix in ("new", "add"):
            button = page.findChild(QPushButton, f"{prefix}_{suffix}")
            if button is not None:
                return button
        return None

    def _page_commands(self, page: QWidget | None) -> dict[str, tuple[str, Callable[[], object]]]:
        """Print and Save as PDF on the pages that print: (menu text, what it does)."""
        if page is None or self.services is None:
            return {}
        if page is self.home_page:
            return {
                "print": ("&Print this week's sheets…", page.print_week),
                "pdf": ("Save this week's sheets as P&DF…", page.save_week),
            }
        if page is self._built.get("agreements_page"):
            return {
                "print": ("&Print the chosen agreement…", page.print_selected),
                "pdf": ("Save the chosen agreement as P&DF…", page.save_pdf),
            }
        return {}

    def _update_actions(self) -> None:
        page = self._current_page()
        button = self._new_button(page)
        self.new_action.setEnabled(button is not None)
        if button is not None:
            self.new_action.setText("&" + button.text().replace("&", ""))
        else:
            self.new_action.setText("&New…")
        commands = self._page_commands(page)
        for key, action, idle in (
            ("print", self.print_action, "&Print…"),
            ("pdf", self.pdf_action, "Save as P&DF…"),
        ):
            action.setEnabled(key in commands)
            action.setText(commands[key][0] if key in commands else idle)
        self.find_action.setEnabled(page is not None and hasattr(page, "filter"))
        opened = self.services is not None
        self.backup_action.setEnabled(opened)
        self.import_pack_action.setEnabled(opened)
        self.export_pack_action.setEnabled(opened)
        self.preferences_action.setEnabled(opened)
        # Offered while the open records are plain (ui/convert_records.py).
        self.encrypt_action.setEnabled(
            self.services is not None and not self.services.records_file.encrypted
        )

    def _new(self) -> None:
        button = self._new_button(self._current_page())
        if button is not None and button.isEnabled():
            button.click()

    def _page_command(self, key: str) -> None:
        command = self._page_commands(self._current_page()).get(key)
        if command is not None:
            command[1]()

    def _find(self) -> None:
        page = self._current_page()
        field = getattr(page, "filter", None)
        if field is not None:
            field.setFocus(Qt.FocusReason.ShortcutFocusReason)
            field.selectAll()

    def _back_up_now(self) -> None:
        if self.services is not None:
            self.backups_page.back_up_now()

    def _show_page(self, row: int) -> None:
        if self.stack.count() > 1:  # the pages exist once the records are open
            self.stack.setCurrentIndex(row + 1)

    # -- the records -----------------------------------------------------------------------

    partners_page = _PageBuiltOnFirstUse()
    collaborations_page = _PageBuiltOnFirstUse()
    agreements_page = _PageBuiltOnFirstUse()
    activities_page = _PageBuiltOnFirstUse()
    participants_page = _PageBuiltOnFirstUse()
    volunteers_page = _PageBuiltOnFirstUse()
    backups_page = _PageBuiltOnFirstUse()
    returns_page = _PageBuiltOnFirstUse()
    meetings_page = _PageBuiltOnFirstUse()

    def attach(self, services: Services) -> None:
        """Show the first page over the opened database; the others wait to be wanted."""
        from collab_desktop.ui.events import DataEvents
        from collab_desktop.ui.home_page import HomePage

        self._remove_pages()
        self.services = services
        self.events = DataEvents(self)
        self.home_page = HomePage(services, self.events)
        self.home_page.open_target.connect(self.open_target)
        self.stack.addWidget(self.home_page)
        self._set_up(self.home_page)
        for name, _module, _class in LATER_PAGES:
            placeholder = QWidget()
            placeholder.setObjectName(name)
            self.stack.addWidget(placeholder)
        if "plan_later" in vars(services):  # opened quickly (services/quick_open.py)
            # A week whose sessions must be planned first (the first start after an upgrade
            # plans every activity: seconds) is shown as stored and planned in the
            # background by the preloader, which then has the page read again.
            services.plan_later = True  # type: ignore[attr-defined]
        self.home_page.refresh()
        # The home page first: this week's sessions and their sheets are what most people
        # open the app for.
        self.nav.setCurrentRow(HOME)
        self.stack.setCurrentIndex(HOME + 1)
        self._update_actions()
        self.statusBar().showMessage(f"Data folder: {self.data_dir}", 8000)
        self.home_page.print_ahead_button.setFocus()
        self._preload()

    def open_target(self, target: str, record_id: object) -> None:
        """Open where an item of the home page's "Needs attention" is dealt with."""
        if target == "agreement":
            self.nav.setCurrentRow(PAGES.index("Agreements"))
            self.agreements_page.select_where(lambda r: r.version_id == record_id)
        elif target == "meeting":
            self.nav.setCurrentRow(PAGES.index("Meetings"))
            self.meetings_page.open_meeting(record_id)
        elif target == "volunteer":
            self.nav.setCurrentRow(PAGES.index("Volunteers"))
            page = self.volunteers_page
            if hasattr(page, "select_where"):
                page.select_where(lambda r: r.contact_id == record_id)
        elif target == "return":  # issue 15's home page: record_id is an attention.ReturnRef
            self.nav.setCurrentRow(PAGES.index("Returns"))
            self.returns_page.open_return(record_id)
        elif target == "retention":
            from collab_desktop.ui.privacy.actions import open_retention_review

            self.retention_dialog = open_retention_review(self, self.services, self.events)

    def _page(self, name: str) -> QWidget:
        """A later page, built and filled now if it has not been yet."""
        page = self.build_page(name)
        if not self.is_page_ready(name):
            preloader = self._preloader
            if self._show_first(name, page):
                return page
            # Being read by the idle loading right now: those rows, not a second reading.
            rows = preloader.rows_being_read(name) if preloader is not None else None
            # Read here, if it must be: the idle loading's read of another page steps aside
            # until it is done (services/read_turns.py).
            with foreground():
                self.fill_page(name, rows)
        return page

    def _show_first(self, name: str, page: QWidget) -> bool:
        """A long list clicked before the idle loading read it: its first screen now, read
        in a moment however long the list, and every row once the idle loading, told to
        read this page next, has read them (ListPage.show_first). False if the page offers
        no first screen or the idle loading is over (the page is then read whole now)."""
        from collab_desktop.ui.list_page import FIRST_SCREEN

        preloader = self._preloader
        first = getattr(page, "first_reader", lambda: None)()
        if first is None or preloader is None or not preloader.read_soon(name):
            return False
        if page.partial:  # shown again: its first screen (and what was chosen there) stays
            return True
        rows = page.read_first(first)
        if rows is None or len(rows) < FIRST_SCREEN:
            # Failed (the whole read says why) or every row there is: filled as ever.
            self.fill_page(name, rows)
        else:
            page.show_first(rows)
        return True

    def build_page(self, name: str) -> QWidget:
        """A later page, built now if it has not been, but not filled (fill_page())."""
        if name in self._built:
            return self._built[name]
        if self.services is None:
            raise AttributeError(f"{name}: no records are open")
        import importlib

        index, (module, cls) = next(
            (i, (m, c)) for i, (n, m, c) in enumerate(LATER_PAGES, start=HOME + 2) if n == name
        )
        page_class = getattr(importlib.import_module(module), cls)
        if name == "backups_page":
            page = page_class(self.services, self.restore_backup)
        elif name in ("partners_page", "collaborations_page"):
            page = page_class(self.services, self.events, fill=False)
        else:
            page = page_class(self.services, self.events)
        self._built[name] = page
        self._unfilled.add(name)
        placeholder = self.stack.widget(index)
        current = self.stack.currentWidget()
        # Quietly: taking the placeholder out would make the stack show (and so build) the
        # page after it, and so on down the list.
        self.stack.blockSignals(True)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        self.stack.setCurrentWidget(page if current is placeholder else current)
        self.stack.blockSignals(False)
        placeholder.deleteLater()
        self._set_up(page)
        return page

    def fill_page(self, name: str, rows: object = None) -> None:
        """Fill a built page: with the `rows` its reader() read (ui/preload.py), or by its
        own refresh()."""
        page = self._built[name]
        self._unfilled.discard(name)
        if rows is None:
            page.refresh()
        else:
            page.refresh(rows)

    def is_built(self, name: str) -> bool:
        return name in self._built

    def is_page_ready(self, name: str) -> bool:
        """Built and filled (also when a change filled it meanwhile: ListPage.filled)."""
        page = self._built.get(name)
        return page is not None and (name not in self._unfilled or getattr(page, "filled", False))

    def _build_shown(self, index: int) -> None:
        widget = self.stack.widget(index)
        if widget is None or index <= HOME + 1:
            return
        if self._preloader is not None:  # what the actions on this page will need
            self._preloader.services_soon()
        name = widget.objectName()
        if not self.is_page_ready(name):
            self._page(name)

    def _preload(self) -> None:
        """What the first clicks need, loaded while the app is idle (ui/preload.py)."""
        from collab_desktop.ui.preload import Preloader

        self._stop_preloading()
        self.preloaded = False
        self._preloader = Preloader(self, [name for name, _m, _c in LATER_PAGES])
        self._preloader.start()
        # The person's first click or key press anywhere (opening this week's register on
        # the home page, say) is when the services start loading, in the background: what
        # they do next needs them. Someone who only looks never pays for them.
        from PySide6.QtCore import QEvent

        self._first_input = (QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress)
        QGuiApplication.instance().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Installed by _preload() on the application until the first input (see there).
        if event.type() in self._first_input:
            QGuiApplication.instance().removeEventFilter(self)
            if self._preloader is not None:
                self._preloader.services_soon()
        return False

    def after_preloading(self, callback: Callable[[], None]) -> None:
        """`callback` once the idle loading has finished (at once if it has)."""
        if self.preloaded:
            callback()
        else:
            self._after_preloading.append(callback)

    def finished_preloading(self) -> None:
        """Called by the Preloader when it is done."""
        self.preloaded = True
        waiting, self._after_preloading = self._after_preloading, []
        for callback in waiting:
            callback()

    def _stop_preloading(self) -> None:
        # Forgotten once stopped: it deletes itself, and a restore attaches again later.
        if self._preloader is not None:
            self._preloader.stop()
            self._preloader = None

    def _set_up(self, page: QWidget) -> None:
        # The window's New action owns Ctrl+N: a page button with the same shortcut would
        # make the key ambiguous, and Qt then does neither. The button keeps its Alt+letter
        # (a button has one shortcut: clearing it took Alt+N away from every New button).
        button = self._new_button(page)
        if button is not None:
            button.setShortcut(QKeySequence.mnemonic(button.text()))
        for table in page.findChildren(QTableView):
            # Tab leaves a list for the buttons under it; the arrow keys move within it. (A
            # table view's default, Tab from cell to cell, traps the keyboard in a long list.)
            table.setTabKeyNavigation(False)
            table.horizontalHeader().setResizeContentsPrecision(FIT_COLUMNS_TO_ROWS)
        for icon, names in BUTTON_ICONS.items():
            for name in names:
                button = page.findChild(QPushButton, name)
                if button is not None:
                    button.setIcon(action_icon(icon))
        self._restore_tables(page)

    def _pages(self) -> list[QWidget]:
        return [self.stack.widget(i) for i in range(1, self.stack.count())]

    def close_records(self) -> Services | None:
        """Take the records off the screen (their pages go; "Opening…" shows again) and
        return their services, still open."""
        old, self.services = self.services, None
        self._remove_pages()
        self.stack.setCurrentIndex(0)
        return old

    def _remove_pages(self) -> None:
        """Drop the pages of a database that has been closed (after a restore)."""
        self._save_tables()
        self._stop_preloading()
        self._built = {}
        self._unfilled = set()
        self.stack.blockSignals(True)  # no page is built while the old ones go
        while self.stack.count() > 1:
            page = self.stack.widget(1)
            self.stack.removeWidget(page)
            page.deleteLater()
        self.stack.blockSignals(False)

    def restore_backup(self, backup: RecordsFile | Path) -> None:
        """Close the records, put the backup in their place, and open them again. A file
        that fails the restore check is refused first, with the records left open."""
        from collab_desktop.ui.opening import refuse_restore, restore_into_running_app

        if self.services is None:
            return
        backup = self.services.backups.records_for(backup)  # a bare path: with our key
        if refuse_restore(self, backup):
            return
        old = self.services
        self.services = None
        self._remove_pages()
        self.stack.setCurrentIndex(0)
        reopened, restored = restore_into_running_app(self, old, backup)
        if reopened is None:  # the reason has been shown; nothing is open to work on
            self.close()
            return
        reopened.audit.user = old.audit.user
        reopened.activities.name_printing_default = old.activities.name_printing_default
        self.attach(reopened)
        self.nav.setCurrentRow(PAGES.index("Backups"))
        if restored:
            self.statusBar().showMessage(f"Restored the backup {backup.path.name}", 10000)
        else:
            self.statusBar().showMessage("The backup was not restored", 10000)

    # -- remembering the layout ------------------------------------------------------------

    def _restore_window(self) -> None:
        settings = QSettings()
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self._first_size()
        state = settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)
        splitter = settings.value(SPLITTER_KEY)
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _first_size(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(FIRST_SIZE)
            return
        place = first_geometry(screen.availableGeometry())
        self.resize(place.size())
        self.move(place.topLeft())

    def _tables(self) -> list[QTableView]:
        """The lists whose column widths are remembered. (The home page's week is not one:
        it fits its columns to the week's sessions each time it fills.)"""
        from collab_desktop.ui.list_page import ListPage

        return [page.table for page in self._pages() if isinstance(page, ListPage)]

    def _restore_tables(self, page: QWidget) -> None:
        from collab_desktop.ui.list_page import ListPage

        settings = QSettings()
        for table in [page.table] if isinstance(page, ListPage) else []:
            name = table.objectName()
            state = settings.value(TABLE_KEY.format(name))
            header = table.horizontalHeader()
            # A list that gained or lost a column since is laid out afresh.
            columns = settings.value(TABLE_COLUMNS_KEY.format(name))
            if state is None or str(columns) != str(header.count()):
                continue
            if header.restoreState(state):
                table.setProperty("sized", True)  # ListPage: do not fit the columns again
                if table.isSortingEnabled():
                    table.sortByColumn(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _save_tables(self) -> None:
        settings = QSettings()
        for table in self._tables():
            if not table.property("sized"):
                # Never filled (an empty list): its widths are Qt's defaults, and kept they
                # would stop the list fitting its columns to the rows it gets later.
                continue
            header = table.horizontalHeader()
            settings.setValue(TABLE_KEY.format(table.objectName()), header.saveState())
            settings.setValue(TABLE_COLUMNS_KEY.format(table.objectName()), header.count())

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        settings.setValue(SPLITTER_KEY, self.splitter.saveState())
        self._save_tables()

    def _change_passphrase(self) -> None:
        from collab_desktop.ui.encryption import change_passphrase

        if self.services is not None:
            change_passphrase(self, self.services.records_file)

    def encrypt_records(self) -> None:
        """Encrypt plain records (ui/convert_records.py): closed, converted, opened again
        with their new key; the lock is installed for them."""
        from PySide6.QtWidgets import QMessageBox

        from collab_desktop.ui.convert_records import WHY, encrypt_records
        from collab_desktop.ui.encryption import install_lock
        from collab_desktop.ui.opening import open_with_dialogs

        old = self.services
        if old is None:
            return
        if old.records_file.encrypted:
            QMessageBox.information(
                self, "Already encrypted", "These records are already encrypted."
            )
            return
        if (
            QMessageBox.question(self, "Encrypt your records?", WHY)
            != QMessageBox.StandardButton.Yes
        ):
            return
        path, folder = old.records_file.path, old.backups.folder
        self.close_records()
        old.close()
        encrypted = encrypt_records(self, path, [folder])
        reopened = open_with_dialogs(self, encrypted or path, folder)
        if reopened is None:
            self.close()
            return
        reopened.audit.user = old.audit.user
        reopened.activities.name_printing_default = old.activities.name_printing_default
        self.attach(reopened)
        if encrypted is not None:
            from collab_desktop.ui.preferences import load_preferences

            idle = load_preferences().idle_lock_minutes
            self.add_lock(install_lock(self, encrypted, idle))

    def add_lock(self, controller) -> None:
        """The lock's action (ui/lock.py: Ctrl+L) in the File menu, above Close."""
        self.file_menu.insertAction(self.close_action, controller.action)
        self.lock_controller = controller

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)

    # -- preferences and help --------------------------------------------------------------

    def open_preferences(self):
        from collab_desktop.services.changes import PARTNERS, Changes
        from collab_desktop.ui.forms import reactivate
        from collab_desktop.ui.preferences import PreferencesDialog

        if self.services is None:
            return None
        dialog = PreferencesDialog(
            self.services,
            None if self.demo else self.services.backups.folder,
            demo=self.demo,
            parent=self,
        )
        self.preferences_dialog = dialog

        def saved() -> None:
            if dialog.organisation_changed and self.events is not None:
                # The preferences dialog saves our own organisation (not through a page).
                self.events.broadcast(Changes.of(PARTNERS))
            lock = getattr(self, "lock_controller", None)
            if lock is not None:  # the idle time applies at once
                lock.set_idle_minutes(dialog.preferences.idle_lock_minutes)
            self.statusBar().showMessage("Preferences saved", 5000)

        dialog.accepted.connect(saved)
        dialog.finished.connect(lambda _result: reactivate(self))
        dialog.open()
        return dialog

    # -- exchange packs (ui/exchange) -------------------------------------------------------

    def import_pack(self, path: Path | None = None):
        from collab_desktop.ui.exchange.actions import import_pack

        if self.services is None:
            return None
        self.import_dialog = import_pack(self, self.services, self.events, path)
        return self.import_dialog

    def export_pack(self):
        from collab_desktop.ui.exchange.actions import export_pack

        if self.services is None:
            return None
        self.export_dialog = export_pack(self, self.services)
        return self.export_dialog

    def dragEnterEvent(self, event) -> None:
        from collab_desktop.ui.exchange.actions import dropped_pack

        if self.services is not None and dropped_pack(event.mimeData()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from collab_desktop.ui.exchange.actions import dropped_pack

        path = dropped_pack(event.mimeData())
        if self.services is not None and path is not None:
            event.acceptProposedAction()
            self.import_pack(path)

    def show_about(self):
        from collab_desktop.ui.about import AboutDialog
        from collab_desktop.ui.forms import reactivate

        backups = self.services.backups.folder if self.services is not None else None
        dialog = AboutDialog(
            self.data_dir, self.logs, self._open_folder, self.demo, backups, parent=self,
            key_fingerprint=self._key_fingerprint(),
        )  # fmt: skip
        self.about_dialog = dialog
        dialog.finished.connect(lambda _result: reactivate(self))
        dialog.open()
        return dialog

    def _key_fingerprint(self) -> str | None:
        if self.services is None or self.demo:
            return None
        try:
            return self.services.exchange.identity().fingerprint
        except Exception:  # About must open whatever the records say
            return None

    def _open_folder(self, folder: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
