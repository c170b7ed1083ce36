"""What the main window's File → Import pack… / Export pack… and a dropped pack do. Kept
here so the window needs only a menu line and a drop hook."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

from collab_desktop.services.exchange import pack
from collab_desktop.services.open_records import Services
from collab_desktop.ui.forms import reactivate

FOLDER_KEY = "exchange/last_folder"


def _own(services: Services):
    from collab_desktop.ui.preferences import own_organisation_id

    return own_organisation_id(services)


def _folder() -> Path:
    """Where packs were last opened or saved, else where files were last saved."""
    from collab_desktop.ui.pdf_actions import last_folder

    folder = QSettings().value(FOLDER_KEY, "")
    return Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path(last_folder())


def refresh_everything(events) -> None:
    """After an import every page refreshes what it shows, once."""
    if events is None:
        return
    from collab_desktop.services.changes import Changes

    events.broadcast(Changes.everything())


def import_pack(window: QWidget, services: Services, events, path: Path | None = None):
    from collab_desktop.ui.exchange.import_dialog import ImportDialog

    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            window, "Import a pack", str(_folder()),
            f"Exchange packs (*{pack.SUFFIX});;All files (*)",
        )  # fmt: skip
        if not chosen:
            return None
        path = Path(chosen)
    QSettings().setValue(FOLDER_KEY, str(path.parent))
    dialog = ImportDialog(services, _own(services), path, lambda: refresh_everything(events),
                          parent=window)  # fmt: skip
    dialog.finished.connect(lambda _result: reactivate(window))
    dialog.open()
    return dialog


def export_pack(window: QWidget, services: Services):
    from collab_desktop.ui.exchange.export_dialog import ExportDialog

    dialog = ExportDialog(services, _own(services), _folder(), parent=window)
    dialog.finished.connect(lambda _result: reactivate(window))
    dialog.open()
    return dialog


def dropped_pack(mime: QMimeData) -> Path | None:
    """The one local file being dragged, if it is one (any name: the dialog says if it is
    not a pack)."""
    if not mime.hasUrls():
        return None
    files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return Path(files[0]) if len(files) == 1 else None
