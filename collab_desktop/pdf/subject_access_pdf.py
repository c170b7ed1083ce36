"""The subject access PDF (issue 15): everything recorded about one person, readable by them.
Every page says in its footer that it carries personal data, as the attendance sheets do."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from collab_desktop.pdf import fonts
from collab_desktop.pdf.paper import page_size
from collab_desktop.pdf.subject_access_data import Section, SubjectAccessReport

PERSONAL_DATA_FOOTER = (
    "Contains personal data: give it only to the person it is about, and keep it secure."
)

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8C8C8C")
HEAD_FILL = colors.HexColor("#E4E4E4")
MARGIN = 18 * mm


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {"fontName": fonts.FAMILY, "fontSize": 9.5, "leading": 12.5,
                            "textColor": INK}  # fmt: skip
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("sar-body", spaceAfter=4)
CELL = _style("sar-cell", fontSize=8.5, leading=11)
HEAD = _style("sar-head", fontName=fonts.BOLD, fontSize=8.5, leading=11)
TITLE = _style("sar-title", fontName=fonts.BOLD, fontSize=17, leading=21, spaceAfter=3)
HEADING = _style(
    "sar-heading", fontName=fonts.BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
    keepWithNext=True,
)  # fmt: skip
NOTE = _style("sar-note", fontSize=8.5, leading=11, textColor=MUTED, spaceBefore=2)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(columns: list[str], rows: list[list[str]], width: float) -> Table:
    data = [[_p(c, HEAD) for c in columns]] + [[_p(v, CELL) for v in row] for row in rows]
    table = Table(data, colWidths=[width / len(columns)] * len(columns), repeatRows=1)
    table.setStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])  # fmt: skip
    return table


def _section(section: Section, width: float) -> list[Any]:
    story: list[Any] = [_p(section.title, HEADING)]
    if section.rows:
        story.append(_table(section.columns, section.rows, width))
    else:
        story.append(_p("Nothing recorded.", BODY))
    if section.note:
        story.append(_p(section.note, NOTE))
    return story


def build_subject_access_pdf(report: SubjectAccessReport, paper: str = "A4") -> bytes:
    fonts.register_fonts()
    size = page_size(paper)
    width = size[0] - 2 * MARGIN
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 8 * mm, title=f"Everything recorded about {report.person}",
        author="Collab Desktop",
    )  # fmt: skip
    kind = "participant" if report.kind == "participant" else "contact"
    story: list[Any] = [
        _p(f"Everything recorded about {report.person}", TITLE),
        _p(f"A copy of every record Collab Desktop holds about this {kind}, made on "
           f"{report.made_on} for a subject access request.", BODY),  # fmt: skip
        Spacer(1, 2 * mm),
        _p("Their record", HEADING),
    ]
    if report.details:
        details = [[_p(label, HEAD), _p(value, CELL)] for label, value in report.details]
        table = Table(details, colWidths=[45 * mm, width - 45 * mm])
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        story.append(table)
    for section in report.sections:
        block = _section(section, width)
        # A short section stays on one page; a long one may run on with its heading repeated.
        story.append(KeepTogether(block) if len(section.rows) < 8 else block[0])
        if len(section.rows) >= 8:
            story.extend(block[1:])

    def footer(canvas: Canvas, document: Any) -> None:
        canvas.saveState()
        y = MARGIN - 2 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 4 * mm, size[0] - MARGIN, y + 4 * mm)
        canvas.setFont(fonts.FAMILY, 7.5)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, y, PERSONAL_DATA_FOOTER)
        canvas.drawRightString(size[0] - MARGIN, y, f"Page {document.page}")
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, y - 3.5 * mm, f"Subject access export, {report.made_on}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
