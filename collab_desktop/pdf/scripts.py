"""Names in any script, for both PDF builders.

DejaVu Sans (pdf/fonts.py) covers Latin (Welsh, Polish, Romanian…), Greek and Cyrillic. For
the rest the app ships Noto Sans Arabic (Arabic, Urdu, Farsi), Noto Sans Hebrew, Noto Sans
Bengali and Droid Sans Fallback (Chinese, Japanese, Korean), in resources/fonts with their
licences. Each run of text goes in the first font that has it; Arabic and Hebrew always in
their own font, whose joining and marks are complete.

Order: right-to-left words are put in display order with the Unicode bidirectional
algorithm (python-bidi); each word stays in reading order so ReportLab's shaper (uharfbuzz)
joins its letters and lays it out right to left.

A character no shipped font has (most emoji) prints as its name in brackets, "[grinning
face]", never as an empty box; `unprintable` lists them so the app can say so first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from collab_desktop.pdf import fonts

# ReportLab name -> (regular file, bold file or None); tried in this order.
_FALLBACKS: dict[str, tuple[str, str | None]] = {
    "NotoSansArabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "NotoSansHebrew": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    "NotoSansBengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    "DroidSansFallback": ("DroidSansFallbackFull.ttf", None),
}
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_HEBREW = re.compile(r"[\u0590-\u05ff\ufb1d-\ufb4f]")
_RTL_WORD = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]+")
# Invisible joiners and selectors that belong to the character before them.
_JOINERS = {"\u200c", "\u200d", "\ufe0e", "\ufe0f"}

_lock = threading.Lock()
_loaded = False


def _load() -> None:
    """Register the fallback fonts on first need: most documents never use them, and the
    CJK font alone is 4 MB to read."""
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        fonts.register_fonts()
        folder = fonts.fonts_dir()
        known = set(pdfmetrics.getRegisteredFontNames())
        for name, (regular, bold) in _FALLBACKS.items():
            bold_name = f"{name}-Bold" if bold else name
            for font_name, file_name in ((name, regular), (bold_name, bold or regular)):
                if font_name not in known:
                    path = folder / file_name
                    if not path.is_file():
                        raise FileNotFoundError(
                            f"The font file {path} is missing; the installation is incomplete."
                        )
                    pdfmetrics.registerFont(TTFont(font_name, str(path)))
            # So <b> inside a paragraph finds the bold face of a fallback as well.
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=bold_name, italic=name, boldItalic=bold_name
            )
        _loaded = True


@cache
def _cmap(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)  # type: ignore[attr-defined]


def _base_has(ch: str) -> bool:
    return ord(ch) in _cmap(fonts.REGULAR)


def _needs_help(text: str) -> bool:
    return any(not _base_has(ch) or _ARABIC.match(ch) or _HEBREW.match(ch) for ch in text)


def _font_for(ch: str) -> str | None:
    if _ARABIC.match(ch):
        return "NotoSansArabic"
    if _HEBREW.match(ch):
        return "NotoSansHebrew"
    if _base_has(ch):
        return ""  # the base font, regular or bold as the caller says
    for name in _FALLBACKS:
        if ord(ch) in _cmap(name):
            return name
    return None


def _bracketed(ch: str) -> str:
    return f"[{unicodedata.name(ch, f'U+{ord(ch):04X}').lower()}]"


def unprintable(text: str) -> list[str]:
    """The characters in `text` that no shipped font can print, each once, in order."""
    fonts.register_fonts()
    if not _needs_help(text):
        return []
    _load()
    found = []
    for ch in text:
        if ch.isspace() or ch in _JOINERS or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        if _font_for(ch) is None and ch not in found:
            found.append(ch)
    return found


def visual(text: str) -> str:
    """Right-to-left words in display order; each word itself kept in reading order for the
    shaper, which lays it out right to left."""
    if not _RTL_WORD.search(text):
        return text
    from bidi.algorithm import get_display  # only documents with such names pay for it

    shown = get_display(text)
    return _RTL_WORD.sub(lambda m: m.group(0)[::-1], shown)


def runs(text: str) -> list[tuple[str, str]]:
    """(text, font) pieces in display order; font "" is the caller's own (DejaVu)."""
    fonts.register_fonts()
    text = visual(text)
    if not _needs_help(text):
        return [(text, "")] if text else []
    _load()
    pieces: list[tuple[str, str]] = []
    current = ""
    for ch in text:
        neutral = ch.isspace() or ch in _JOINERS or unicodedata.category(ch).startswith("M")
        if neutral and pieces and (not pieces[-1][1] or ord(ch) in _cmap(pieces[-1][1])):
            pieces[-1] = (pieces[-1][0] + ch, pieces[-1][1])
            continue
        font = _font_for(ch)
        piece = ch if font is not None else _bracketed(ch)
        font = font or ""
        if pieces and font == current:
            pieces[-1] = (pieces[-1][0] + piece, font)
        else:
            pieces.append((piece, font))
            current = font
    return pieces


def markup(text: str) -> str:
    """Escaped Paragraph markup with each run in a font that has it."""
    return "".join(
        escape(piece) if not font else f'<font name="{font}">{escape(piece)}</font>'
        for piece, font in runs(text)
    )


def _face(font: str, base: str) -> str:
    if not font:
        return base
    bold = base in (fonts.BOLD, fonts.BOLD_ITALIC) and _FALLBACKS[font][1] is not None
    return f"{font}-Bold" if bold else font


def width(text: str, base: str, size: float) -> float:
    return sum(stringWidth(piece, _face(font, base), size) for piece, font in runs(text))


def draw(canvas, x: float, y: float, text: str, base: str, size: float) -> float:
    """Draw `text` from x in `base` (a DejaVu face) with fallbacks; returns the end x."""
    for piece, font in runs(text):
        face = _face(font, base)
        canvas.setFont(face, size)
        rtl = bool(_RTL_WORD.search(piece))
        astral = not rtl and any(ord(ch) > 0xFFFF for ch in piece)
        if astral:
            # ReportLab maps a character beyond U+FFFF (an emoji) to a broken code in the
            # PDF's text layer; the span says what it is.
            code = piece.encode("utf-16-be").hex().upper()
            canvas._code.append(f"/Span <</ActualText <FEFF{code}>>> BDC")
        elif rtl:
            # ReportLab writes a shaped right-to-left word's glyphs in reading order, and
            # text extraction (poppler, as in most Linux viewers) reverses a right-to-left
            # line, so copied text came out with each word backwards. The span's text is
            # given in display order instead, which those readers turn round rightly.
            shown = _RTL_WORD.sub(lambda m: m.group(0)[::-1], piece)
            code = shown.encode("utf-16-be").hex().upper()
            canvas._code.append(f"/Span <</ActualText <FEFF{code}>>> BDC")
        canvas.drawString(x, y, piece)
        if rtl or astral:
            canvas._code.append("EMC")
        x += stringWidth(piece, face, size)
    canvas.setFont(base, size)
    return x
