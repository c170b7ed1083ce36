"""Where the files shipped with the app (templates, fonts, icons, demo data) are found, both
when running from source and from a PyInstaller bundle (which unpacks them under _MEIPASS)."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


# The window icon at the sizes packaging/make_icons.py draws (Qt picks the nearest; PNGs need
# no SVG plugin), and the small set of action icons drawn for the main actions.
APP_ICON_SIZES = (16, 32, 48, 64, 128)
ACTION_ICONS = ("new", "save", "print", "pdf", "backup")


def app_icon():
    from PySide6.QtGui import QIcon

    icon = QIcon()
    for size in APP_ICON_SIZES:
        icon.addFile(str(resource("icons", f"app-{size}.png")))
    icon.addFile(str(resource("icons", "app.png")))
    return icon


def action_icon(name: str):
    """One of ACTION_ICONS (resources/icons/actions/NAME.svg), drawn sharp at any size."""
    if name not in ACTION_ICONS:
        raise KeyError(f"No action icon called {name!r}")
    from PySide6.QtGui import QIcon

    return QIcon(str(resource("icons", "actions", f"{name}.svg")))
