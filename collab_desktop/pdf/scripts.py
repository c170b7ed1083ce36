"""Names in any script, for both PDF builders.

DejaVu Sans (pdf/fonts.py) covers Latin (Welsh, Polish, Romanian…), Greek and Cyrillic. For
the rest the app ships Noto Sans Arabic (Arabic, Urdu, Farsi), Noto Sans Hebrew, Noto Sans
Bengali and Droid Sans Fallback (Chinese, Japanese, Korean), in resources/fonts with their
licences. Each run of text goes in the first font that has it; Arabic and Hebrew always in
their own font, whose joining and marks are complete.

Emoji: Noto Emoji (monochrome outlines; the colour emoji fonts are bitmaps ReportLab
cannot embed).

Order: right-to-left words are put in display order with the Unicode bidirectional
algorithm (python-bidi); each word stays in reading order and is shaped on its own with
HarfBuzz (uharfbuzz, through ReportLab), which joins Arabic letters, lays a right-to-left
word out right to left, and builds Bengali conjuncts and places its vowel signs. ReportLab
shapes only when asked (drawString(shaping=True), a style's `shaping`): never asked, the
letters of every name were printed one by one, Arabic unjoined and Bengali in pieces.

Text layer: a shaped word's glyphs are not its letters (a conjunct is one glyph, a vowel
sign drawn before its consonant comes first, a right-to-left word is written in display
order), so each one is marked with its real text (PDF ActualText) and copying or searching
finds the name as typed.

A character no shipped font has prints as its name in brackets, "[melting face]", never as
an empty box; `unprintable` lists them so the app can say so first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib.abag import ABag
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import (
    ShapedFragWord,
    TTFont,
    makeShapedFragWord,
    shapeFragWord,
)
from reportlab.platypus import paragraph as paragraph_module

from collab_desktop.pdf import fonts

# ReportLab name -> (regular file, bold file or None); tried in this order.
_FALLBACKS: dict[str, tuple[str, str | None]] = {
    "NotoSansArabic": ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    "NotoSansHebrew": ("NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    "NotoSansBengali": ("NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    "DroidSansFallback": ("DroidSansFallbackFull.ttf", None),
    "NotoEmoji": ("NotoEmoji-Regular.ttf", None),
}
# From here on (emoji, mostly), Noto Emoji first when it has the character.
_EMOJI_START = 0x1F000
# The fonts whose words must be shaped; Chinese and emoji print letter by letter.
_SHAPED = frozenset({"NotoSansArabic", "NotoSansHebrew", "NotoSansBengali"})
# Kerning and the standard ligatures only. ReportLab's default also turns on discretionary
# ligatures, which print the name Muhammad (محمد) as the honorific sign ﷴ: wrong on a register.
_FEATURES = {"kern": True, "liga": True, "dlig": False}
# The names of the Paragraph callbacks (<onDraw>) that open and close a word's ActualText.
_START = "collab_text_start"
_END = "collab_text_end"
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
        # Paragraphs shape each word through this name; see _shape_word.
        paragraph_module.shapeFragWord = _shape_word  # type: ignore[attr-defined]  # no stubs
        _loaded = True


def _shape_word(word: list, features: dict | None = None, force: bool = False) -> list:
    """ReportLab's shapeFragWord, one font at a time, with our features.

    ReportLab shapes a whole word with the font of its first piece, so "(محمد)", whose
    brackets are in DejaVu, came out as missing glyphs; and a word holding an <onDraw> mark
    (the text layer's, see markup) broke the line breaking with an IndexError. Here each
    run of one font is shaped on its own and the marks are kept where they were."""
    if isinstance(word, ShapedFragWord):
        return word
    groups: list[list] = []
    for item in word[1:]:
        mark = hasattr(item[0], "cbDefn")
        if (
            groups
            and not mark
            and not hasattr(groups[-1][0][0], "cbDefn")
            and (groups[-1][0][0].fontName == item[0].fontName)
        ):
            groups[-1].append(item)
        else:
            groups.append([item])
    pieces: list = []
    total = 0.0
    changed = False
    for group in groups:
        frag = group[0][0]
        if hasattr(frag, "cbDefn"):
            pieces.extend(group)
            continue
        group_width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in group)
        shaped = shapeFragWord([group_width, *group], _FEATURES, force)
        if shaped[1:] != group:
            changed = True
        total += shaped[0]
        pieces.extend(shaped[1:])
    if not changed:
        return word
    return makeShapedFragWord(word)([total, *pieces])


@cache
def _cmap(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)  # type: ignore[attr-defined]


def _base_has(ch: str) -> bool:
    return ord(ch) in _cmap(fonts.REGULAR)


def _needs_help(text: str) -> bool:
    return any(
        not _base_has(ch) or _ARABIC.match(ch) or _HEBREW.match(ch) or ord(ch) >= _EMOJI_START
        for ch in text
    )


def _font_for(ch: str) -> str | None:
    if _ARABIC.match(ch):
        return "NotoSansArabic"
    if _HEBREW.match(ch):
        return "NotoSansHebrew"
    if ord(ch) >= _EMOJI_START and ord(ch) in _cmap("NotoEmoji"):
        return "NotoEmoji"  # DejaVu has a few emoji, drawn otherwise: all from one font
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
        # Not a space after an emoji: Noto Emoji's is an emoji wide, and poppler lost the
        # word after it from the text layer.
        wide_space = ch.isspace() and pieces and pieces[-1][1] == "NotoEmoji"
        if (
            neutral
            and not wide_space
            and pieces
            and (not pieces[-1][1] or ord(ch) in _cmap(pieces[-1][1]))
        ):
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


def _hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _actual_text(word: str) -> str:
    """What a shaped word's ActualText says. A right-to-left word is given in display order:
    text extraction (poppler, as in most Linux viewers, and pypdf) turns a right-to-left
    line round, and so gives it back in reading order."""
    return word[::-1] if _RTL_WORD.search(word) else word


def _astral(text: str) -> bool:
    """Beyond U+FFFF (emoji): ReportLab writes such a character's text-layer code wrongly,
    so it needs its ActualText as well."""
    return any(ord(ch) > 0xFFFF for ch in text)


def _tokens(piece: str) -> list[str]:
    return [t for t in re.split(r"(\s+)", piece) if t]


def markup(text: str) -> str:
    """Escaped Paragraph markup with each run in a font that has it. Each word of a shaped
    run (or with an emoji) is marked (see `paragraph_callbacks`) so its text layer reads as
    typed; a paragraph with such words needs `shaping_style`."""
    out = []
    for piece, font in runs(text):
        if not font:
            out.append(escape(piece))
            continue
        if font in _SHAPED or _astral(piece):
            piece_markup = "".join(
                escape(t)
                if t.isspace()
                else f'<onDraw name="{_START}" label="{_hex(_actual_text(t))}"/>{escape(t)}'
                f'<onDraw name="{_END}" label=""/>'
                for t in _tokens(piece)
            )
        else:
            piece_markup = escape(piece)
        out.append(f'<font name="{font}">{piece_markup}</font>')
    return "".join(out)


def needs_shaping(markup_text: str) -> bool:
    return _START in markup_text


@cache
def _shaping_copy(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1)


def shaping_style(style: ParagraphStyle, markup_text: str) -> ParagraphStyle:
    """`style`, shaping its words if `markup_text` has words that need it. Only then: shaping
    every paragraph would cost time on long agreements for nothing."""
    return _shaping_copy(style) if needs_shaping(markup_text) else style


def paragraph_callbacks(canvas) -> None:
    """Register on `canvas` what the marks of `markup` call while a paragraph is drawn: they
    open and close a marked span inside the paragraph's text object."""

    def start(canvas, kind, label) -> None:
        text_object = canvas._curr_tx_info["tx"]
        text_object._code.append(f"/Span <</ActualText <FEFF{label}>>> BDC")

    def end(canvas, kind, label) -> None:
        canvas._curr_tx_info["tx"]._code.append("EMC")

    canvas.setNamedCB(_START, start)
    canvas.setNamedCB(_END, end)


def _face(font: str, base: str) -> str:
    if not font:
        return base
    bold = base in (fonts.BOLD, fonts.BOLD_ITALIC) and _FALLBACKS[font][1] is not None
    return f"{font}-Bold" if bold else font


def _shaped(word: str, face: str, size: float):
    """The word shaped by HarfBuzz (a ReportLab ShapedStr) and its width."""
    bag = ABag(fontName=face, fontSize=size)
    shaped = shapeFragWord([stringWidth(word, face, size), (bag, word)], _FEATURES, True)
    text = shaped[1][1]
    return text, sum(sd.x_advance for sd in text.__shapeData__) * size / 1000


def width(text: str, base: str, size: float) -> float:
    total = 0.0
    for piece, font in runs(text):
        face = _face(font, base)
        if font in _SHAPED:
            for token in _tokens(piece):
                if token.isspace():
                    total += stringWidth(token, face, size)
                else:
                    total += _shaped(token, face, size)[1]
        else:
            total += stringWidth(piece, face, size)
    return total


def draw(canvas, x: float, y: float, text: str, base: str, size: float) -> float:
    """Draw `text` from x in `base` (a DejaVu face) with fallbacks; returns the end x."""
    for piece, font in runs(text):
        face = _face(font, base)
        canvas.setFont(face, size)
        if font in _SHAPED:
            for token in _tokens(piece):
                if token.isspace():
                    x += stringWidth(token, face, size)
                    continue
                shaped, advance = _shaped(token, face, size)
                canvas._code.append(f"/Span <</ActualText <FEFF{_hex(_actual_text(token))}>>> BDC")
                canvas.drawString(x, y, shaped)
                canvas._code.append("EMC")
                x += advance
            continue
        astral = _astral(piece)
        if astral:
            # ReportLab maps a character beyond U+FFFF (an emoji) to a broken code in the
            # PDF's text layer; the span says what it is.
            canvas._code.append(f"/Span <</ActualText <FEFF{_hex(piece)}>>> BDC")
        canvas.drawString(x, y, piece)
        if astral:
            canvas._code.append("EMC")
        x += stringWidth(piece, face, size)
    canvas.setFont(base, size)
    return x
