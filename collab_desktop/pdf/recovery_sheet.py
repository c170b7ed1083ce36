"""The Recovery sheet: one page, printed once when the records are first encrypted, for the
charity's safe. With its recovery code the records (and any backup of them, on any laptop,
with the key file kept beside it) open when the passphrase is forgotten.

Plain data in (RecoverySheet), PDF bytes or a file out. The code is printed large, in eight
numbered boxes, because the app names a mistyped group by its number ("Group 3 has a typing
mistake"). The font is the app's DejaVu Sans; the code's alphabet has no I, L, O or U, so
the letters that look alike in it (0 and O, 1 and I) cannot both appear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from collab_desktop.pdf import fonts
from collab_desktop.pdf.document import long_date
from collab_desktop.pdf.files import write_atomically

__all__ = ["RecoverySheet", "build_recovery_sheet", "write_recovery_sheet"]

MARGIN = 16 * mm
INK = colors.HexColor("#111111")
MUTED = colors.HexColor("#4A4A4A")
RULE = colors.HexColor("#8C8C8C")

F = fonts.FAMILY
FB = fonts.BOLD


@dataclass(frozen=True)
class RecoverySheet:
    organisation: str  # may be blank: the welcome allows it
    data_folder: str  # where the records are, as the person would find it
    key_id: str  # e.g. "K7Q2-M0XN": the same name is shown in the app and in the key file
    recovery_code: str  # as services/recovery_code.format_code prints it
    made_on: date
    made_by: str = ""


class _Styles:
    """The sheet's styles at a scale: 1 normally, smaller when long details would otherwise
    push the last lines onto a second page (one sheet of paper is the point)."""

    def __init__(self, scale: float = 1.0) -> None:
        def style(name: str, size: float, leading: float, **kw: Any) -> ParagraphStyle:
            base: dict[str, Any] = {
                "fontName": F,
                "fontSize": size * scale,
                "leading": leading * scale,
                "textColor": INK,
            }
            base.update(kw)
            return ParagraphStyle(name, **base)

        self.scale = scale
        self.title = style("title", 24, 29, fontName=FB, spaceAfter=2)
        self.subtitle = style("subtitle", 12, 16, textColor=MUTED, spaceAfter=8 * scale)
        self.warning = style("warning", 11.5, 15.5, fontName=FB)
        self.heading = style("heading", 13, 17, fontName=FB, spaceBefore=7 * scale,
                             spaceAfter=3 * scale, keepWithNext=1)  # fmt: skip
        self.body = style("body", 10.5, 14.5, spaceAfter=4 * scale)
        self.step = style("step", 10.5, 14.5, leftIndent=16, bulletIndent=2,
                          spaceAfter=2 * scale, bulletFontName=FB)  # fmt: skip
        self.label = style("label", 9, 12, textColor=MUTED)
        self.value = style("value", 10.5, 13.5, fontName=FB, splitLongWords=1)
        self.group_number = style("group_number", 8, 10, textColor=MUTED, alignment=1)
        # The code itself keeps its size whatever the scale: it is what must be read.
        self.group = ParagraphStyle("group", fontName=FB, fontSize=25, leading=30,
                                    alignment=1, textColor=INK)  # fmt: skip
        self.small = style("small", 9, 12, textColor=MUTED)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(" ".join(text.split())), style)


def _details(sheet: RecoverySheet, width: float, st: _Styles) -> Table:
    rows = [
        ("Organisation", sheet.organisation.strip() or "(not given)"),
        ("Records folder", sheet.data_folder),
        ("Key name", sheet.key_id),
        ("Made on", long_date(sheet.made_on) + (f" by {sheet.made_by}" if sheet.made_by else "")),
    ]
    table = Table(
        [[_p(label, st.label), _p(value, st.value)] for label, value in rows],
        colWidths=[32 * mm, width - 32 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


GROUP_PADDING = 3


def _group_style(style: ParagraphStyle, cell_width: float, length: int) -> ParagraphStyle:
    """The code's style at a size at which the widest group there can be (all W, the widest
    letter of the code's alphabet in this font) fits its box on one line: at 25 points it did
    not, and such a group broke over two lines in its box ("WDNA" above "W"), which someone
    copying the code could misread."""
    room = cell_width - 2 * GROUP_PADDING - 6  # and a little air either side
    needed = stringWidth("W" * length, style.fontName, style.fontSize)
    if needed <= room:
        return style
    size = int(style.fontSize * room / needed * 2) / 2  # down to the half point
    return ParagraphStyle(style.name + "_fitted", parent=style, fontSize=size, leading=size * 1.2)


def _code(sheet: RecoverySheet, width: float, st: _Styles) -> Table:
    groups = sheet.recovery_code.split("-")
    per_row = 4
    group_style = _group_style(st.group, width / per_row, max(len(g) for g in groups))
    rows = []
    for start in range(0, len(groups), per_row):
        chunk = groups[start : start + per_row]
        rows.append([_p(str(start + i + 1), st.group_number) for i in range(len(chunk))])
        rows.append([_p(group, group_style) for group in chunk])
    table = Table(rows, colWidths=[width / per_row] * per_row)
    style: list[tuple[Any, ...]] = [
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), GROUP_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), GROUP_PADDING),
    ]
    for row in range(1, len(rows), 2):
        style.append(("BOX", (0, row), (-1, row), 1.2, INK))
        style.append(("INNERGRID", (0, row), (-1, row), 0.6, RULE))
        style.append(("BOTTOMPADDING", (0, row), (-1, row), 8))
        style.append(("TOPPADDING", (0, row), (-1, row), 6))
    table.setStyle(TableStyle(style))
    return table


def _steps(lines: list[str], st: _Styles) -> list[Paragraph]:
    return [
        Paragraph(escape(line), st.step, bulletText=f"{n}.")
        for n, line in enumerate(lines, start=1)
    ]


def _story(sheet: RecoverySheet, width: float, st: _Styles) -> list:
    story: list = [
        _p("Recovery sheet", st.title),
        _p(
            "Collab Desktop: the way back into your records if the passphrase is forgotten",
            st.subtitle,
        ),  # fmt: skip
        _p(
            "Keep this sheet locked away, for example in the office safe. Anyone who has it "
            "and a copy of the records can read every record, so treat it like the records "
            "themselves.",
            st.warning,
        ),
        Spacer(1, 4 * mm * st.scale),
        _details(sheet, width, st),
        Spacer(1, 4 * mm * st.scale),
        _p("Recovery code", st.heading),
        _code(sheet, width, st),
        Spacer(1, 2 * mm * st.scale),
        _p(
            "The code holds only digits and the capital letters A to Z without I, L, O and U. "
            "Small letters and leaving out the dashes are fine when you type it.",
            st.small,
        ),
        _p("If the passphrase is forgotten", st.heading),
        *_steps(
            [
                "Open Collab Desktop. Where it asks for the passphrase, choose "
                "“Use the recovery code instead”.",
                "Type the code above, group by group. If a group is mistyped, the app says "
                "which one.",
                "Choose a new passphrase. The records and this sheet stay the same: this code "
                "keeps working.",
            ],
            st,
        ),
        _p(
            "The same code opens every backup of these records, on this laptop or another, "
            "together with the key file kept beside each backup (its name ends in .key): "
            "copy both when moving a backup.",
            st.body,
        ),
        _p("If this sheet is lost, or someone else may have seen it", st.heading),
        _p(
            "Open the records with the passphrase and make a new recovery sheet (Edit → "
            "Preferences → New recovery code…), then shred this one. The backups on the "
            "laptop change to the new code; copies of them taken elsewhere before then (a "
            "USB stick) still open with this one: delete them, or keep them as safe as this "
            "sheet.",
            st.body,
        ),
        _p("If both the passphrase and this sheet are lost", st.heading),
        _p(
            "Nobody can open the records: not your organisation, not the makers of Collab "
            "Desktop, not anyone else. That is what keeps them safe if the laptop is lost.",
            st.body,
        ),
        Spacer(1, 4 * mm * st.scale),
        _p("Do not photograph, scan, e-mail or save this sheet on a computer.", st.small),
        Spacer(1, 3 * mm * st.scale),
        _p(
            "Put in the safe by: ________________________________    on: ________________", st.small
        ),  # fmt: skip
    ]
    return story


def build_recovery_sheet(sheet: RecoverySheet, page_size: tuple[float, float] = A4) -> bytes:
    """The sheet as PDF bytes (one page). Pure: no files, no Qt, no database."""
    fonts.register_fonts()
    for scale in (1.0, 0.9, 0.8, 0.7):
        data, pages = _build(sheet, page_size, _Styles(scale))
        if pages == 1:
            break
    return data


def _build(sheet: RecoverySheet, page_size: tuple[float, float], st: _Styles) -> tuple[bytes, int]:
    buffer = BytesIO()
    width = page_size[0] - 2 * MARGIN
    # The title and metadata say what the file is, never the code: a file's properties show
    # in file managers and search indexes.
    template = SimpleDocTemplate(
        buffer,
        pagesize=page_size,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Recovery sheet",
        subject=f"Collab Desktop records key {sheet.key_id}",
        creator="Collab Desktop",
        initialFontName=fonts.REGULAR,
    )
    template.build(_story(sheet, width, st))
    return buffer.getvalue(), template.page


def write_recovery_sheet(
    sheet: RecoverySheet, path: Path, page_size: tuple[float, float] = A4
) -> None:
    """Write the sheet to `path`, only once complete (see pdf/files.write_atomically)."""
    write_atomically(build_recovery_sheet(sheet, page_size), Path(path))
