"""The main window. It is built and shown before the database and its heavy libraries are
loaded (see app.py), then `attach()` gives it the services and fills the pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from collab_desktop import APP_NAME, __version__

if TYPE_CHECKING:
    from collab_desktop.services.store import Services

PAGES = (
    "This week",
    "Partners",
    "Collaborations",
    "Agreements",
    "Activities",
    "Participants",
    "Volunteers",
    "Backups",
)
# Ctrl+0 is the home page; Ctrl+1 to Ctrl+7 follow the list in order.
HOME = 0


class MainWindow(QMainWindow):
    def __init__(self, data_dir: Path, demo: bool = False, logs: Path | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.data_dir = data_dir
        self.logs = logs or data_dir / "logs"
        self.demo = demo
        self.services: Services | None = None
        self.setWindowTitle(f"{APP_NAME} — example data" if demo else APP_NAME)
        # Fits a 1366x768 laptop screen with the taskbar.
        self.resize(QSize(1180, 680))

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
        loading = QLabel("Opening your records…")
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(loading)

        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 1000])

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
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self.statusBar().showMessage("Opening…")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for row, title in enumerate(PAGES):
            action = QAction(f"&{title}", self)
            action.setShortcut(QKeySequence(f"Ctrl+{row}"))
            action.triggered.connect(lambda _=False, n=row: self.nav.setCurrentRow(n))
            go_menu.addAction(action)
            # Also on the window itself, so the shortcut works where a platform keeps the
            # menu bar elsewhere (macOS) or hides it.
            self.addAction(action)
            if row == HOME:
                go_menu.addSeparator()

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Collab Desktop", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        open_data = QAction("Open &data folder", self)
        open_data.triggered.connect(lambda: self._open_folder(self.data_dir))
        help_menu.addAction(open_data)
        open_logs = QAction("Open &log folder", self)
        open_logs.triggered.connect(lambda: self._open_folder(self.logs))
        help_menu.addAction(open_logs)

    def _show_page(self, row: int) -> None:
        if self.stack.count() > 1:  # the pages exist once the records are open
            self.stack.setCurrentIndex(row + 1)

    def attach(self, services: Services) -> None:
        """Build the pages over the opened database and show the first one."""
        from collab_desktop.ui.activities_page import ActivitiesPage
        from collab_desktop.ui.agreements_page import AgreementsPage
        from collab_desktop.ui.backups_page import BackupsPage
        from collab_desktop.ui.collaborations_page import CollaborationsPage
        from collab_desktop.ui.events import DataEvents
        from collab_desktop.ui.home_page import HomePage
        from collab_desktop.ui.participants_page import ParticipantsPage
        from collab_desktop.ui.partners_page import PartnersPage
        from collab_desktop.ui.volunteers_page import VolunteersPage

        self._remove_pages()
        self.services = services
        self.events = DataEvents(self)
        self.home_page = HomePage(services, self.events)
        self.partners_page = PartnersPage(services, self.events)
        self.collaborations_page = CollaborationsPage(services, self.events)
        self.agreements_page = AgreementsPage(services, self.events)
        self.activities_page = ActivitiesPage(services, self.events)
        self.participants_page = ParticipantsPage(services, self.events)
        self.volunteers_page = VolunteersPage(services, self.events)
        self.backups_page = BackupsPage(services, self.restore_backup)
        pages = (
            self.home_page,
            self.partners_page,
            self.collaborations_page,
            self.agreements_page,
            self.activities_page,
            self.participants_page,
            self.volunteers_page,
            self.backups_page,
        )
        for page in pages:
            self.stack.addWidget(page)
        for page in pages:
            page.refresh()
        # The home page first: this week's sessions and their sheets are what most people
        # open the app for.
        self.nav.setCurrentRow(HOME)
        self.stack.setCurrentIndex(HOME + 1)
        self.statusBar().showMessage(f"Data folder: {self.data_dir}", 8000)
        self.home_page.print_ahead_button.setFocus()

    def _remove_pages(self) -> None:
        """Drop the pages of a database that has been closed (after a restore)."""
        while self.stack.count() > 1:
            page = self.stack.widget(1)
            self.stack.removeWidget(page)
            page.deleteLater()

    def restore_backup(self, backup: Path) -> None:
        """Close the records, put the backup in their place, and open them again."""
        from collab_desktop.ui.opening import restore_into_running_app

        old = self.services
        self.services = None
        self._remove_pages()
        self.stack.setCurrentIndex(0)
        restored = restore_into_running_app(self, old, backup)
        if restored is None:  # the reason has been shown; nothing is open to work on
            self.close()
            return
        restored.audit.user = old.audit.user
        self.attach(restored)
        self.nav.setCurrentRow(PAGES.index("Backups"))
        self.statusBar().showMessage(f"Restored the backup {backup.name}", 10000)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>"
            "Partners, joint agreements, sign-offs, sessions and attendance sheets for "
            "charities that work together.<br>"
            "Works offline; nothing is sent anywhere.<br><br>"
            f"Your data is kept in:<br><code>{self.data_dir}</code><br><br>Licence: MIT",
        )

    def _open_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
