"""Monitoring returns as PDFs for people: one page per return (a partner's figures, the
narrative, what the reader must know), and the lead's collated report (a table per partner,
one column per period, then the alliance's totals and each partner's share). Plain data in
(pdf/returns_data.py), PDF bytes out."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.returns_data import CollatedReport, ReturnSheet

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8C8C8C")
HEAD_FILL = colors.HexColor("#E4E4E4")
MARGIN = 16 * mm


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": fonts.FAMILY, "fontSize": 9.5, "leading": 12, "textColor": INK,
    }  # fmt: skip
    base.update(kw)
    return ParagraphStyle(name, **base)


TITLE = _style("title", fontName=fonts.BOLD, fontSize=16, leading=20, spaceAfter=2)
SUBTITLE = _style("subtitle", fontSize=11, leading=14, spaceAfter=6, textColor=MUTED)
HEADING = _style(
    "heading", fontName=fonts.BOLD, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3,
    keepWithNext=1,
)  # fmt: skip
BODY = _style("body", spaceAfter=3)
CELL = _style("cell", fontSize=8.5, leading=10.5)
CELL_INDENT = _style("cell_indent", fontSize=8.5, leading=10.5, leftIndent=12, textColor=MUTED)
CELL_RIGHT = _style("cell_right", fontSize=8.5, leading=10.5, alignment=2)
CELL_HEAD = _style("cell_head", fontName=fonts.BOLD, fontSize=8.5, leading=10.5)
NOTE = _style("note", fontSize=8.5, leading=11, textColor=MUTED)


def _p(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    lines = text.replace("\t", "    ").split("\n")
    return Paragraph("<br/>".join(scripts.markup(line) for line in lines), style)


def _table(rows: list[list[Any]], widths: list[float], numbers_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _footer(text: str):
    def draw(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(fonts.FAMILY, 7.5)
        canvas.setFillColor(MUTED)
        width = doc.pagesize[0]
        canvas.drawString(MARGIN, 9 * mm, text[:150])
        canvas.drawRightString(width - MARGIN, 9 * mm, f"Page {doc.page}")
        canvas.restoreState()

    return draw


def _sheet_story(sheet: ReturnSheet, width: float) -> list[Any]:
    story: list[Any] = [
        _p(f"Monitoring return: {sheet.period}", TITLE),
        _p(f"{sheet.organisation} · {sheet.collaboration}", SUBTITLE),
        _p(
            f"{sheet.dates} · version {sheet.version} · "
            + ("" if sheet.status == "Signed off" or not sheet.signed_off else f"{sheet.status} · ")
            + (f"signed off by {sheet.signed_off}" if sheet.signed_off else sheet.status),
            NOTE,
        ),
        Spacer(1, 4),
    ]
    rows: list[list[Any]] = [
        [_p("Figure", CELL_HEAD), _p("Value", CELL_HEAD), _p("Unit", CELL_HEAD),
         _p("From", CELL_HEAD)],
    ]  # fmt: skip
    for f in sheet.figures:
        name = _p(f"of which: {f.breakdown}", CELL_INDENT) if f.breakdown else _p(f.name, CELL)
        rows.append(
            [name, _p(f.value, CELL_RIGHT), _p(f.unit, CELL),
             _p("records" if f.source == "counted" else "typed", CELL)]
        )  # fmt: skip
    story.append(_table(rows, [width * 0.56, width * 0.14, width * 0.16, width * 0.14]))
    for heading, text in (
        ("What went well", sheet.went_well),
        ("Problems", sheet.problems),
        ("Case study (no names)", sheet.case_study),
    ):
        if text.strip():
            story += [_p(heading, HEADING), _p(text)]
    if sheet.notices:
        story.append(_p("To read these figures right", HEADING))
        story += [_p(f"• {n}", NOTE) for n in sheet.notices]
    if sheet.queries:
        story.append(_p("Queries from the lead", HEADING))
        for question, answer in sheet.queries:
            story.append(_p(f"Q: {question}"))
            story.append(_p(f"A: {answer}" if answer else "A: (not yet answered)", NOTE))
    if sheet.footnote:
        story += [Spacer(1, 4), _p(sheet.footnote, NOTE)]
    return story


# Issue 15: a return is figures, but it names who signed it off and may quote the lead's
# queries and their answers; where it does, each page says so (as the attendance sheets do).
PERSONAL_DATA_NOTE = "Contains personal data (names): keep it secure."


def build_return_pdf(sheets: list[ReturnSheet], footer: str = "Collab Desktop") -> bytes:
    """One page per return (a long narrative may run on; the next return starts a page)."""
    if any(sheet.signed_off or sheet.queries for sheet in sheets):
        footer = f"{footer} · {PERSONAL_DATA_NOTE}"
    fonts.register_fonts()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title="Monitoring returns", author="Collab Desktop",
    )  # fmt: skip
    story: list[Any] = []
    for n, sheet in enumerate(sheets):
        if n:
            story.append(PageBreak())
        story += _sheet_story(sheet, doc.width)
    if not story:
        story = [_p("No returns to print.", TITLE)]
    doc.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return out.getvalue()


def build_collated_pdf(report: CollatedReport) -> bytes:
    """The lead's report: a table per partner, then the totals and each partner's share."""
    fonts.register_fonts()
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN + 4 * mm, title=report.title, author="Collab Desktop",
    )  # fmt: skip
    n = max(len(report.periods), 1)
    first = doc.width * 0.34
    widths = [first] + [(doc.width - first) / n] * n
    head = [_p("", CELL_HEAD)] + [_p(p, CELL_HEAD) for p in report.periods]

    def table(rows: list[tuple[str, list[str]]], extra: list[list[Any]] | None = None) -> Table:
        body = [[_p(name, CELL)] + [_p(v, CELL_RIGHT) for v in values] for name, values in rows]
        return _table([head, *(extra or []), *body], widths)

    story: list[Any] = [
        _p(report.title, TITLE),
        _p(f"{report.collaboration} · made {report.made_on}", SUBTITLE),
        _p("Totals of the alliance", HEADING),
        table(report.totals),
        _p(
            "Totals add the newest signed-off version of each partner's return; an average is "
            "attendances over sessions held, not an average of averages.",
            NOTE,
        ),
    ]
    if report.shares:
        story += [_p("Each partner's share of the attendances", HEADING), table(report.shares)]
    for partner in report.partners:
        state = [[_p("Return", CELL_HEAD)] + [_p(s, CELL) for s in partner.states]]
        story.append(KeepTogether([_p(partner.organisation, HEADING), table(partner.rows, state)]))
    if report.footnote:
        story += [Spacer(1, 4), _p(report.footnote, NOTE)]
    footer = f"{report.title} · {report.collaboration}"
    doc.build(story, onFirstPage=_footer(footer), onLaterPages=_footer(footer))
    return out.getvalue()
