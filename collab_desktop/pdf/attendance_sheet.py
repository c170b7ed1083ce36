"""Attendance sheets: one page per session (more if the list is long), to fill in by hand
on a clipboard and photocopy in black and white.

Plain data in (SessionSheet), PDF bytes or a file out. Drawn straight onto the canvas rather
than flowed: the page is a form, and every row must be the same height, the same place.
"""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from collab_desktop.models.enums import WEEKDAYS
from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.agreement_pdf import long_date
from collab_desktop.pdf.files import write_atomically
from collab_desktop.pdf.sheet_data import SessionSheet

__all__ = [
    "build_attendance_sheets",
    "sheet_pages",
    "unprintable_in_sheets",
    "write_attendance_sheets",
]

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 15 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN

F = fonts.FAMILY
FB = fonts.BOLD

ROW_HEIGHT = 11 * mm  # room to write a name by hand
NAME_SIZE = 14
MIN_NAME_SIZE = 10
HEADER_HEIGHT = 52 * mm  # title block and column headings
FOOTER_HEIGHT = 34 * mm  # facilitator's signature block and page line

# Column widths: number, name, tick box, signature (the rest).
NUMBER_WIDTH = 12 * mm
NAME_WIDTH = 78 * mm
TICK_WIDTH = 26 * mm
SIGN_WIDTH = CONTENT_WIDTH - NUMBER_WIDTH - NAME_WIDTH - TICK_WIDTH


def rows_per_page(page_size: tuple[float, float] = A4) -> int:
    """How many rows fit between the header and the footer on this paper."""
    height = page_size[1]
    return int((height - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT) // ROW_HEIGHT)


ROWS_PER_PAGE = rows_per_page(A4)

# Light enough to photocopy as grey, not black: headings are told apart by weight instead.
THIN = 0.6
THICK = 1.6

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _fit(text: str, font: str, size: float, width: float) -> str:
    text = _clean(text)
    if scripts.width(text, font, size) <= width:
        return text
    while text and scripts.width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _fit_size(text: str, font: str, size: float, minimum: float, width: float) -> float:
    """The largest size from `size` down to `minimum` at which `text` fits."""
    while size > minimum and scripts.width(text, font, size) > width:
        size -= 0.5
    return size


# (size, leading, lines) to try for the facilitators, largest first: the room between the
# venue and the column headings holds two lines at 12 points or three at 11 and below.
_FACILITATOR_SIZES = ((12, 14, 2), (11, 12.5, 3), (10, 12, 3), (9, 11.5, 3))


def _wrap_names(names: list[str], font: str, size: float, width: float) -> list[list[str]]:
    """The names of each line, joined with commas, broken between names (never inside)."""
    lines: list[list[str]] = []
    for name in (_clean(n) for n in names):
        if lines and scripts.width(", ".join([*lines[-1], name]) + ",", font, size) <= width:
            lines[-1].append(name)
        else:
            lines.append([name])
    return lines


def _joined(lines: list[list[str]]) -> list[str]:
    return [", ".join(names) + ("," if i < len(lines) - 1 else "") for i, names in enumerate(lines)]


def _facilitator_lines(names: list[str], width: float) -> tuple[float, float, list[str]]:
    """Every facilitator, wrapped: seven of them were cut to one line ("…Gwenllian…")."""
    for size, leading, most in _FACILITATOR_SIZES:
        lines = _joined(_wrap_names(names, FB, size, width))
        if len(lines) <= most and all(scripts.width(x, FB, size) <= width for x in lines):
            return size, leading, lines
    size, leading, most = _FACILITATOR_SIZES[-1]
    grouped = _wrap_names(names, FB, size, width)
    shown = _joined(grouped[:most])
    left = len(names) - sum(len(g) for g in grouped[:most])
    if left:
        shown[-1] = shown[-1].rstrip(",") + f" and {left} more"
    shown[-1] = _fit(shown[-1], FB, size, width)
    return size, leading, shown


def day_text(sheet: SessionSheet) -> str:
    return f"{WEEKDAYS[sheet.on.weekday()]} {long_date(sheet.on)}"


def time_text(sheet: SessionSheet) -> str:
    return f"{sheet.start_time:%H:%M} to {sheet.end_time:%H:%M}"


def sheet_pages(sheet: SessionSheet, per_page: int = ROWS_PER_PAGE) -> list[list[tuple[int, str]]]:
    """The numbered rows of each page: the names, then blank rows. There are at least
    `spare_rows` blank rows, and blank rows fill the rest of the last page."""
    rows = list(sheet.names) + [""] * sheet.spare_rows
    if sheet.spare_rows and len(rows) % per_page:
        rows += [""] * (per_page - len(rows) % per_page)
    if not rows:
        rows = [""] * per_page
    numbered = list(enumerate(rows, start=1))
    return [numbered[i : i + per_page] for i in range(0, len(numbered), per_page)]


def _draw_header(c: Canvas, sheet: SessionSheet, continued: bool, height: float) -> float:
    top = height - MARGIN
    c.setFillColor(black)
    c.setFont(F, 11)
    scripts.draw(c, MARGIN, top - 11, _fit(sheet.collaboration, F, 11, CONTENT_WIDTH * 0.7), F, 11)
    c.setFont(FB, 11)
    c.drawRightString(PAGE_WIDTH - MARGIN, top - 11, "ATTENDANCE SHEET")

    title = sheet.activity + (" (continued)" if continued else "")
    size = _fit_size(title, FB, 22, 14, CONTENT_WIDTH)
    scripts.draw(c, MARGIN, top - 36, _fit(title, FB, size, CONTENT_WIDTH), FB, size)

    y = top - 62
    c.setFont(FB, 16)
    day = day_text(sheet)
    c.drawString(MARGIN, y, day)
    c.setFont(F, 16)
    c.drawString(MARGIN + stringWidth(day, FB, 16) + 14, y, time_text(sheet))

    y -= 22
    label_width = 30 * mm
    room = CONTENT_WIDTH - label_width
    c.setFont(F, 12)
    c.drawString(MARGIN, y, "Venue:")
    venue = _fit(sheet.venue or sheet.site or "—", FB, 12, room)
    scripts.draw(c, MARGIN + label_width, y, venue, FB, 12)
    y -= 18
    c.setFont(F, 12)
    c.drawString(MARGIN, y, "Facilitator" + ("s:" if len(sheet.facilitators) > 1 else ":"))
    size, leading, lines = _facilitator_lines(sheet.facilitators, room)
    for line in lines or ["—"]:
        scripts.draw(c, MARGIN + label_width, y, line, FB, size)
        y -= leading
    return height - MARGIN - HEADER_HEIGHT


def _draw_table(c: Canvas, rows: list[tuple[int, str]], top: float) -> float:
    x0 = MARGIN
    xs = [
        x0,
        x0 + NUMBER_WIDTH,
        x0 + NUMBER_WIDTH + NAME_WIDTH,
        x0 + NUMBER_WIDTH + NAME_WIDTH + TICK_WIDTH,
        x0 + CONTENT_WIDTH,
    ]
    # Column headings, above a heavy rule.
    c.setFont(FB, 12)
    heading_y = top + 6
    c.drawString(xs[0] + 2, heading_y, "No.")
    c.drawString(xs[1] + 6, heading_y, "Name")
    c.drawCentredString((xs[2] + xs[3]) / 2, heading_y, "Present")
    c.drawString(xs[3] + 6, heading_y, "Signature")
    c.setLineWidth(THICK)
    c.line(xs[0], top, xs[-1], top)

    bottom = top - ROW_HEIGHT * len(rows)
    c.setLineWidth(THIN)
    y = top
    for number, name in rows:
        base = y - ROW_HEIGHT / 2 - 5
        c.setFont(F, 11)
        c.drawRightString(xs[1] - 8, base + 1, str(number))
        if name:
            size = _fit_size(name, F, NAME_SIZE, MIN_NAME_SIZE, NAME_WIDTH - 12)
            scripts.draw(c, xs[1] + 6, base, _fit(name, F, size, NAME_WIDTH - 12), F, size)
        # A box to tick, big enough for a pen.
        box = 7 * mm
        c.rect((xs[2] + xs[3] - box) / 2, y - (ROW_HEIGHT + box) / 2, box, box, stroke=1, fill=0)
        y -= ROW_HEIGHT
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, top, x, bottom)
    c.setLineWidth(THICK)
    c.rect(xs[0], bottom, CONTENT_WIDTH, top - bottom, stroke=1, fill=0)
    return bottom


def _draw_signature_block(c: Canvas, y: float) -> None:
    c.setLineWidth(THIN)
    c.setFont(F, 12)
    gap = 6

    def field(label: str, x: float, y: float, end: float) -> None:
        c.drawString(x, y, label)
        c.line(x + stringWidth(label, F, 12) + gap, y - 2, end, y - 2)

    y -= 24
    field("Number present:", MARGIN, y, MARGIN + 62 * mm)
    y -= 30
    field("Facilitator's signature:", MARGIN, y, MARGIN + 118 * mm)
    field("Date:", MARGIN + 124 * mm, y, PAGE_WIDTH - MARGIN)


def _draw_footer(c: Canvas, sheet: SessionSheet, page: int, total: int) -> None:
    y = MARGIN
    c.setFont(F, 9)
    c.setFillColor(black)
    left = f"{sheet.activity} · {day_text(sheet)}"
    if sheet.printed_on:
        left += f" · printed {long_date(sheet.printed_on)}"
    scripts.draw(c, MARGIN, y + 12, _fit(left, F, 9, CONTENT_WIDTH - 30 * mm), F, 9)
    c.drawString(
        MARGIN,
        y,
        "Contains personal data: keep it secure, and shred it once the attendance is recorded.",
    )
    c.setFont(FB, 11)
    c.drawRightString(PAGE_WIDTH - MARGIN, y + 6, f"Page {page} of {total}")


def unprintable_in_sheets(sheets: list[SessionSheet]) -> list[str]:
    """The characters in what these sheets print that no shipped font has (they print as
    their names in brackets), each once, so the user can be told before printing."""
    texts: list[str] = []
    for sheet in sheets:
        texts += [sheet.activity, sheet.collaboration, sheet.venue, sheet.site]
        texts += sheet.facilitators + list(sheet.names)
    return scripts.unprintable(" ".join(_clean(t) for t in texts))


def build_attendance_sheets(
    sheets: list[SessionSheet], page_size: tuple[float, float] = A4
) -> bytes:
    """One PDF holding every sheet, each session starting on a new page. 'Page x of y'
    counts the pages of each session, so a loose page can be put back with its session.

    `page_size` is the paper in points (reportlab's A4 or LETTER). The form keeps its A4
    width on any paper, centred; the paper's height decides how many rows fit on a page."""
    if not sheets:
        raise ValueError("There are no sessions to print.")
    width, height = page_size
    # The drawing below is in A4 columns; this moves them to the middle of wider paper.
    shift = (width - PAGE_WIDTH) / 2
    per_page = rows_per_page(page_size)
    fonts.register_fonts()
    buffer = BytesIO()
    c = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    first = sheets[0]
    c.setTitle(
        f"Attendance sheets: {first.activity}"
        if len(sheets) > 1
        else f"Attendance sheet: {first.activity}, {day_text(first)}"
    )
    c.setAuthor("Collab Desktop")
    c.setCreator("Collab Desktop")
    for sheet in sheets:
        pages = sheet_pages(sheet, per_page)
        for number, rows in enumerate(pages, start=1):
            c.translate(shift, 0)
            c.setFillColor(black)
            top = _draw_header(c, sheet, number > 1, height)
            bottom = _draw_table(c, rows, top)
            if number == len(pages):
                _draw_signature_block(c, bottom)
            _draw_footer(c, sheet, number, len(pages))
            c.showPage()
    c.save()
    return buffer.getvalue()


def write_attendance_sheets(
    sheets: list[SessionSheet], path: Path, page_size: tuple[float, float] = A4
) -> None:
    """Write the sheets to `path`, replacing any file there only once the new one is
    complete (a temporary file in the same folder, renamed over it). OSError reaches the
    caller, which tells the user."""
    write_atomically(build_attendance_sheets(sheets, page_size), Path(path))
