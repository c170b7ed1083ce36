"""Help → About: the version, the licence, and where the data lives, with a button to open
that folder (what someone asked to "send us the log" or "copy the backups" needs)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from collab_desktop import APP_NAME, __version__
from collab_desktop.resources import app_icon
from collab_desktop.ui.forms import name_widget

LICENCE = "MIT"


class AboutDialog(QDialog):
    def __init__(
        self,
        data_dir: Path,
        logs: Path,
        open_folder: Callable[[Path], None],
        demo: bool = False,
        backups: Path | None = None,
        parent: QWidget | None = None,
        key_fingerprint: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        where = (
            "The example data is in a throwaway folder, deleted when you close the app:"
            if demo
            else "Your records are kept in:"
        )
        folders = f"<br><code>{escape(str(data_dir))}</code>"
        if backups is not None and not demo:
            folders += f"<br><br>Backups: <code>{escape(str(backups))}</code>"
        folders += f"<br>Log: <code>{escape(str(logs))}</code>"
        self.text = QLabel(
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Partners, joint agreements, sign-offs, sessions and attendance sheets for "
            "charities that work together.</p>"
            "<p>It works offline: nothing is sent anywhere.</p>"
            f"<p>{where}{folders}</p>"
            + (
                "<p>Your organisation's key fingerprint (for exchange packs): "
                f"<b><code>{escape(key_fingerprint)}</code></b><br>Partners compare it by "
                "phone with the one their app shows for your first pack.</p>"
                if key_fingerprint
                else ""
            )
            + f"<p>Licence: {LICENCE}. Fonts: DejaVu (free licence, in the fonts folder).</p>"
        )
        self.text.setObjectName("about_text")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(420)

        self.open_data = name_widget(
            QPushButton("Open &data folder"), "about_open_data", "Open data folder"
        )
        self.open_data.clicked.connect(lambda: open_folder(data_dir))
        self.open_logs = name_widget(
            QPushButton("Open &log folder"), "about_open_logs", "Open log folder"
        )
        self.open_logs.clicked.connect(lambda: open_folder(logs))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = name_widget(
            buttons.button(QDialogButtonBox.StandardButton.Close), "about_close", "Close"
        )
        close.setDefault(True)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.open_data, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.open_logs, QDialogButtonBox.ButtonRole.ActionRole)

        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        close.setFocus()
