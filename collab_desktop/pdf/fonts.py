"""The TrueType fonts every PDF builder uses.

ReportLab's 14 built-in fonts cannot print Welsh ŵ and ŷ (they come out as black squares), so
every style uses DejaVu Sans, shipped in ``resources/fonts`` under its own free licence and
embedded (subset) in each PDF.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "DejaVuSans"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"

# ReportLab font name -> file name in resources/fonts.
_FILES: dict[str, str] = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    ITALIC: "DejaVuSans-Oblique.ttf",
    BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}

# PDFs may be built off the GUI thread; two threads registering at once would parse each font
# twice and race on ReportLab's global font registry.
_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    """Where the font files are: inside a PyInstaller bundle, or at the repository root."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources" / "fonts"
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


def register_fonts() -> str:
    """Register DejaVu Sans (all four faces) with ReportLab once; return the family name.

    Safe to call before every build: after the first call it only checks a flag. Raises
    FileNotFoundError naming the missing file if the installation is incomplete.
    """
    global _registered
    if _registered:
        return FAMILY
    with _lock:
        if _registered:
            return FAMILY
        folder = fonts_dir()
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, file_name in _FILES.items():
            if name in known:
                continue
            path = folder / file_name
            if not path.is_file():
                raise FileNotFoundError(
                    f"The font file {path} is missing; the installation is incomplete."
                )
            pdfmetrics.registerFont(TTFont(name, str(path)))
        # The family mapping is what lets Paragraph markup <b> and <i> find the other faces.
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _registered = True
    return FAMILY
