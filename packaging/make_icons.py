"""Render resources/icons/app.svg into the PNG, ICO and ICNS files the app and bundle use.

    .venv/bin/python packaging/make_icons.py

Run it after changing the SVG and commit what it writes (no network, no display needed):

- resources/icons/app.png (256 px) and app-16.png … app-128.png: the window icon, set from
  these by the app at run time (Qt needs no SVG plugin for PNGs);
- packaging/icons/app.ico (16–256 px) for the Windows executable and
  packaging/icons/app.icns (16–1024 px) for the macOS app bundle: needed only when building.

Qt's own SVG renderer draws each size separately (sharper small sizes than scaling one large
image down); Pillow, which ReportLab already depends on, writes the ICO and ICNS containers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "app.svg"
PNG_DIR = ROOT / "resources" / "icons"
BUILD_DIR = ROOT / "packaging" / "icons"
PNG_SIZES = (16, 32, 48, 64, 128)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int):
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    import io

    return Image.open(io.BytesIO(bytes(data))).convert("RGBA")


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - keeps Qt up
    rendered = {size: render(size) for size in sorted({*PNG_SIZES, *ICO_SIZES, *ICNS_SIZES})}

    written = []
    # optimize=True keeps the committed files small and their bytes stable between runs.
    rendered[256].save(PNG_DIR / "app.png", optimize=True)
    written.append(PNG_DIR / "app.png")
    for size in PNG_SIZES:
        path = PNG_DIR / f"app-{size}.png"
        rendered[size].save(path, optimize=True)
        written.append(path)

    BUILD_DIR.mkdir(parents=True, exist_ok=True)
    ico = BUILD_DIR / "app.ico"
    largest = rendered[max(ICO_SIZES)]
    largest.save(
        ico,
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[rendered[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    written.append(ico)
    icns = BUILD_DIR / "app.icns"
    rendered[max(ICNS_SIZES)].save(
        icns, append_images=[rendered[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)]
    )
    written.append(icns)
    for path in written:
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024 or 1} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
