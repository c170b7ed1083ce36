"""The agreement PDF: the joint agreement as the parties file and sign it.

Plain data in (AgreementDocument), PDF bytes or a file out. Every page carries the version,
status and fingerprint, so a loose printed page can be matched to the record; anything not
final is marked DRAFT or VOID across the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.document import (
    AgreementDocument,
    PartyLine,
    ResponsibilityLine,
    SignatoryLine,
    long_date,
)
from collab_desktop.pdf.files import write_atomically
from collab_desktop.pdf.hyphenation import hyphenate

__all__ = ["build_agreement_pdf", "long_date", "write_agreement_pdf"]


# --- page geometry and styles ------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 24 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X


@dataclass(frozen=True)
class _Paper:
    """The page the agreement is laid out on. The text keeps its A4 width on any paper (US
    Letter is a little wider and shorter), centred, so tables and signature blocks keep
    their shape; the page's height decides how much goes on each page."""

    width: float
    height: float

    @property
    def left(self) -> float:
        return (self.width - CONTENT_WIDTH) / 2

    @property
    def right(self) -> float:
        return self.left + CONTENT_WIDTH


INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#8C8C8C")
HEAD_FILL = colors.HexColor("#E4E4E4")
GROUP_FILL = colors.HexColor("#F1F1F1")

F = fonts.FAMILY
FB = fonts.BOLD


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": F,
        "fontSize": 10,
        "leading": 13.5,
        "textColor": INK,
    }
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("body", spaceAfter=5)
BULLET = _style("bullet", leftIndent=14, bulletIndent=3, spaceAfter=2, bulletFontName=F)
TITLE = _style("title", fontName=FB, fontSize=18, leading=22, spaceAfter=3)
SUBTITLE = _style("subtitle", fontSize=12.5, leading=16, spaceAfter=2)
DETAILS = _style("details", fontSize=10, leading=13.5, textColor=MUTED)
# keepWithNext stops a heading being left alone at the foot of a page (see _KeepHeading).
HEADING = _style(
    "heading",
    fontName=FB,
    fontSize=12.5,
    leading=16,
    spaceBefore=12,
    spaceAfter=5,
    keepWithNext=1,
)
CELL = _style("cell", fontSize=9.5, leading=12)
# Narrow columns break a long word with a hyphen ("accom-modation"), not wherever the column
# ends. Only there: ReportLab hyphenates whenever it can, and wide cells need not.
NARROW = _style("narrow", fontSize=9.5, leading=12, hyphenationLang=hyphenate)
CELL_BOLD = _style("cell_bold", fontName=FB, fontSize=9.5, leading=12)
CELL_HEAD = _style("cell_head", fontName=FB, fontSize=9, leading=11.5, hyphenationLang=hyphenate)
LABEL = _style("label", fontSize=8, leading=10, textColor=MUTED)
# Same leading as CELL, so a label shares the baseline of the value beside it.
FIELD_LABEL = _style("field_label", fontSize=8, leading=12, textColor=MUTED)
META_VALUE = _style("meta_value", fontName=FB, fontSize=10, leading=12.5)
NOTE = _style("note", fontSize=9.5, leading=12.5, textColor=MUTED)

# With less room than this left on a page, a heading moves to the next page together with the
# start of what follows it.
_HEADING_ROOM = 45 * mm

_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _markup(text: str) -> str:
    """User text made safe for ReportLab's mini-HTML; typed line breaks are kept; names in
    any script get a font that has them, right-to-left words in display order (scripts)."""
    text = _CONTROL_CHARS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "<br/>".join(scripts.markup(line) for line in text.replace("\t", "    ").split("\n"))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return _para(_markup(text), style)


def _para(markup: str, style: ParagraphStyle, **kw: Any) -> Paragraph:
    """A Paragraph of our markup, shaping its words if some need it (scripts)."""
    return Paragraph(markup, scripts.shaping_style(style, markup), **kw)


class _KeepHeading(KeepTogether):
    """What keepWithNext groups a heading and its first flowable into.

    ReportLab's own KeepTogether moves the pair to a fresh page whenever it does not fit
    whole, so a heading over a long table leaves a half-empty page. This one moves on only
    when little room is left; otherwise the heading stays and the table splits under it.
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:  # ReportLab's argument names
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = list(self._content)  # type: ignore[attr-defined]  # set by KeepTogether
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        if aH >= self._H or aH >= _HEADING_ROOM or at_top:  # type: ignore[attr-defined]
            return content
        return [FrameBreak(), *content]


# --- page decoration ---------------------------------------------------------------------


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so it fits the width; the footer must never overflow."""
    if scripts.width(text, font, size) <= width:
        return text
    while text and scripts.width(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _decorate_page(
    doc: AgreementDocument, paper: _Paper, canvas: Canvas, page: int, total: int
) -> None:
    canvas.saveState()
    _draw_header(doc, canvas, paper)
    _draw_footer(doc, canvas, page, total, paper)
    if not doc.is_final:
        _draw_watermark(canvas, "VOID" if doc.status == "void" else "DRAFT", paper)
    canvas.restoreState()


def _draw_header(doc: AgreementDocument, canvas: Canvas, paper: _Paper) -> None:
    y = paper.height - 14 * mm
    left, right = paper.left, paper.right
    tag = "SUPERSEDED" if doc.status == "superseded" else ""
    tag_width = stringWidth(tag, FB, 8.5) + 6 * mm if tag else 0
    canvas.setFillColor(MUTED)
    canvas.setFont(F, 8.5)
    scripts.draw(
        canvas, left, y, _fit(doc.collaboration, F, 8.5, CONTENT_WIDTH - tag_width), F, 8.5
    )
    if tag:
        # Small, not a watermark: a superseded version was valid once and must stay readable.
        canvas.setFillColor(INK)
        canvas.setFont(FB, 8.5)
        canvas.drawRightString(right, y, tag)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)


def _draw_footer(
    doc: AgreementDocument, canvas: Canvas, page: int, total: int, paper: _Paper
) -> None:
    left, right = paper.left, paper.right
    rule_y = MARGIN_BOTTOM - 8 * mm
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, rule_y, right, rule_y)

    size = 8
    y = rule_y - 4.5 * mm
    page_text = f"Page {page} of {total}"
    canvas.setFillColor(INK)
    canvas.setFont(FB, size)
    canvas.drawRightString(right, y, page_text)

    # The version, status and fingerprint always print in full; only the title gives way.
    tail = f" — Version {doc.version} — {doc.status_label} — Fingerprint {doc.fingerprint}"
    room = CONTENT_WIDTH - stringWidth(page_text, FB, size) - 8 * mm
    title = _fit(doc.title, F, size, max(room - stringWidth(tail, F, size), 20 * mm))
    canvas.setFont(F, size)
    scripts.draw(canvas, left, y, title + tail, F, size)
    if doc.printed_on:
        canvas.setFillColor(MUTED)
        canvas.drawString(left, y - 4 * mm, f"Printed on {long_date(doc.printed_on)}")
    # Issue 15: it names its signatories, so it says so, as the attendance sheets do.
    canvas.setFillColor(MUTED)
    canvas.setFont(F, size - 1)
    canvas.drawRightString(right, y - 4 * mm, "Contains personal data: keep it secure.")


def _draw_watermark(canvas: Canvas, word: str, paper: _Paper) -> None:
    # Drawn over the page with transparency so table shading cannot hide it and the text
    # underneath stays readable, on screen and photocopied.
    diagonal = math.hypot(paper.width, paper.height)
    size = min(160.0, 0.55 * diagonal / (stringWidth(word, FB, 100) / 100))
    canvas.translate(paper.width / 2, paper.height / 2)
    canvas.rotate(math.degrees(math.atan2(paper.height, paper.width)))
    canvas.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.22))
    canvas.setFont(FB, size)
    canvas.drawCentredString(0, -size * 0.35, word)


class _NumberedCanvas(Canvas):
    """Holds every page back until the end, so each one can say 'Page x of y' in one pass."""

    def __init__(
        self, *args: Any, decorate: Callable[[Canvas, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._page_states: list[dict[str, object]] = []
        scripts.paragraph_callbacks(self)  # the text layer of shaped words

    def showPage(self) -> None:  # ReportLab's method name
        self._page_states.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # Canvas's own, not in its stubs

    def save(self) -> None:
        total = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            self._decorate(self, self._pageNumber, total)  # type: ignore[attr-defined]
            super().showPage()
        super().save()


# --- content -----------------------------------------------------------------------------


def _title_block(doc: AgreementDocument) -> list[Flowable]:
    story: list[Flowable] = []
    if doc.status == "void":
        story += [_void_box(doc.void_reason), Spacer(1, 6 * mm)]
    story.append(_p(doc.title, TITLE))
    if doc.collaboration and doc.collaboration != doc.title:
        story.append(_p(doc.collaboration, SUBTITLE))

    facts = []
    if doc.setting:
        facts.append(f"Setting: {doc.setting}")
    if doc.site:
        facts.append(f"Site: {doc.site}")
    # These are the collaboration's dates, said as such: "From 1 September 2014" read as the
    # agreement's start, against its Term ("starts when everyone has signed").
    if doc.start_date and doc.end_date:
        facts.append(f"Collaboration: {long_date(doc.start_date)} to {long_date(doc.end_date)}")
    elif doc.start_date:
        facts.append(f"Collaboration from {long_date(doc.start_date)}")
    elif doc.end_date:
        facts.append(f"Collaboration until {long_date(doc.end_date)}")
    if facts:
        story.append(_para("  ·  ".join(_markup(f) for f in facts), DETAILS))
    story += [Spacer(1, 4 * mm), _meta_table(doc), Spacer(1, 2 * mm)]
    return story


def _meta_table(doc: AgreementDocument) -> Table:
    cells = [
        ("Version", str(doc.version)),
        ("Status", doc.status_label),
        ("Fingerprint", doc.fingerprint),
    ]
    if doc.signed_off_on:
        cells.append(("Signed off on", long_date(doc.signed_off_on)))
    labels = [_p(label, LABEL) for label, _ in cells]
    values = [_p(value, META_VALUE) for _, value in cells]
    widths = [20 * mm, 44 * mm, 40 * mm, 40 * mm][: len(cells)]
    table = Table([labels, values], colWidths=widths, hAlign="LEFT")
    table.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.75, RULE),
                ("LINEAFTER", (0, 0), (-2, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 5),
                ("TOPPADDING", (0, 0), (-1, 0), 3),
                ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
                ("BOTTOMPADDING", (0, 1), (-1, 1), 4),
            ]
        )
    )
    return table


def _void_box(reason: str) -> Table:
    text = (
        "<b>VOID.</b> This version has been withdrawn and is not in force. "
        "It is kept on record only."
        f"<br/><b>Reason:</b> {_markup(reason) if reason.strip() else 'none recorded.'}"
    )
    box = Table([[_para(text, BODY)]], colWidths=[CONTENT_WIDTH], splitInRow=1)
    box.setStyle(
        _table_style(
            [
                ("BOX", (0, 0), (-1, -1), 2, INK),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return box


def _table_style(commands: list[tuple]) -> TableStyle:
    # Without a FONT command every table cell starts in Helvetica, which then appears in the
    # PDF's font list although it draws nothing.
    return TableStyle([("FONT", (0, 0), (-1, -1), F, 9.5), *commands])


def _grid_style(extra: list[tuple] | None = None) -> TableStyle:
    commands: list[tuple] = [
        ("BOX", (0, 0), (-1, -1), 0.75, RULE),
        ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    return _table_style(commands + (extra or []))


def _heading(text: str) -> Paragraph:
    return _p(text, HEADING)


def _parties(parties: list[PartyLine]) -> list[Flowable]:
    story: list[Flowable] = [_heading("Parties")]
    if not parties:
        return story + [_p("No parties have been recorded yet.", NOTE)]
    rows: list[list[Flowable]] = [
        [_p(h, CELL_HEAD) for h in ("Organisation", "Role", "Kind", "Details")]
    ]
    for party in parties:
        rows.append(
            [
                _p(party.name, CELL_BOLD),
                _p(party.role, NARROW),
                _p(party.kind, NARROW),
                _p(party.details, CELL),
            ]
        )
    widths = [50 * mm, 30 * mm, 26 * mm, CONTENT_WIDTH - 106 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT", splitInRow=1)
    table.setStyle(
        _grid_style(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, RULE),
            ]
        )
    )
    story.append(table)
    return story


def _is_joint(party: str) -> bool:
    return party.strip().casefold() == "joint"


def _group_responsibilities(
    parties: list[PartyLine], lines: list[ResponsibilityLine]
) -> list[tuple[str, list[ResponsibilityLine]]]:
    """Groups in the order parties are listed; a named contact follows their organisation,
    anyone not listed comes next, and Joint is always last."""
    rank = {p.name: i for i, p in enumerate(parties)}
    groups: dict[str, list[ResponsibilityLine]] = {}
    for line in lines:
        key = "Joint" if _is_joint(line.party) else line.party.strip()
        groups.setdefault(key, []).append(line)

    def order(item: tuple[int, str]) -> tuple[float, int]:
        first_seen, party = item
        if party == "Joint":
            return (math.inf, 0)
        if party in rank:
            return (rank[party], 0)
        match = re.search(r"\(([^()]*)\)\s*$", party)
        if match and match.group(1).strip() in rank:
            return (rank[match.group(1).strip()] + 0.5, first_seen)
        return (len(parties), first_seen)

    keys = sorted(enumerate(groups), key=order)
    return [(party, groups[party]) for _, party in keys]


# Characters in one responsibility above which its row may be split across pages (a row of
# 5,000 characters is taller than a page and could not print otherwise).
_LONG_ROW = 1_500


def _responsibilities(doc: AgreementDocument) -> list[Flowable]:
    story: list[Flowable] = [_heading("Responsibilities")]
    if not doc.responsibilities:
        return story + [_p("No responsibilities have been assigned yet.", NOTE)]
    roles = {p.name: p.role for p in doc.parties}
    # "Since" only when some duty has a start date: an empty column reads as missing data.
    with_since = any(line.since for line in doc.responsibilities)
    heads = ("Area", "What", "How often", "Since") if with_since else ("Area", "What", "How often")
    widths = [31 * mm, CONTENT_WIDTH - (85 if with_since else 58) * mm, 27 * mm]
    widths += [27 * mm] if with_since else []
    column_heads: list[Flowable | str] = [_p(h, CELL_HEAD) for h in heads]
    groups = _group_responsibilities(doc.parties, doc.responsibilities)
    for index, (party, lines) in enumerate(groups):
        if party == "Joint":
            heading = "<b>Joint</b> — shared by the parties"
        elif roles.get(party):
            heading = f"<b>{_markup(party)}</b> — {_markup(roles[party])}"
        else:
            heading = f"<b>{_markup(party)}</b>"
        rows: list[list[Flowable | str]] = [
            [_para(heading, CELL), *[""] * (len(heads) - 1)],
            column_heads,
        ]
        for line in lines:
            cells: list[Flowable | str] = [
                _p(line.area, NARROW),
                _p(line.what, CELL),
                _p(line.how_often, NARROW),
            ]
            if with_since:
                cells.append(_p(long_date(line.since), NARROW))
            rows.append(cells)
        # One table per party, repeating its name and the column heads, so a page that
        # continues a long list still says whose duties these are. ReportLab never splits
        # a table straight after its repeated rows, so a party's name is never left alone.
        # Rows split across pages only when one is too long for a page: ReportLab also splits
        # a row that would fit, leaving its party's name and heads over an empty row on the
        # next page.
        huge = any(len(ln.what) + len(ln.area) + len(ln.how_often) > _LONG_ROW for ln in lines)
        table = Table(
            rows, colWidths=widths, repeatRows=2, hAlign="LEFT", splitInRow=1 if huge else 0
        )
        table.setStyle(
            _grid_style(
                [
                    ("SPAN", (0, 0), (-1, 0)),
                    ("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL),
                    ("BACKGROUND", (0, 1), (-1, 1), HEAD_FILL),
                    ("LINEBELOW", (0, 1), (-1, 1), 0.75, RULE),
                    ("TOPPADDING", (0, 0), (-1, 0), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, 0), 4),
                ]
            )
        )
        if index:
            story.append(Spacer(1, 3 * mm))
        story.append(table)
    return story


def _review(doc: AgreementDocument) -> list[Flowable]:
    rows = [
        ("How often", doc.review_frequency),
        ("Who reviews", doc.reviewers),
        ("Next review", long_date(doc.next_review)),
    ]
    data = [
        [_p(label, CELL_BOLD), _p(value, CELL) if value else _p("Not set", NOTE)]
        for label, value in rows
    ]
    table = Table(data, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm], hAlign="LEFT", splitInRow=1)
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [_heading("Review arrangements"), table]


def _section_body(body: str) -> list[Flowable]:
    """Blank lines separate paragraphs; lines starting '- ' are bullets, and an indented line
    straight after a bullet continues it. Other line breaks are kept as typed."""
    # Each item is (is_bullet, lines); consecutive plain lines share one item.
    items: list[tuple[bool, list[str]]] = []
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    for block in re.split(r"\n\s*\n", text):
        in_bullet = False
        new_block = True
        for raw in block.split("\n"):
            line = raw.rstrip()
            stripped = line.lstrip()
            if not stripped:
                continue
            if stripped == "-" or stripped.startswith("- "):
                items.append((True, [stripped[1:].strip()]))
                in_bullet = True
            elif in_bullet and line[:1].isspace():
                items[-1][1].append(stripped)
            elif new_block or in_bullet:
                items.append((False, [line]))
                in_bullet = False
            else:
                items[-1][1].append(line)
            new_block = False

    flowables: list[Flowable] = []
    for is_bullet, lines in items:
        if is_bullet:
            markup = " ".join(_markup(s) for s in lines)
            flowables.append(_para(markup, BULLET, bulletText="•"))
        else:
            flowables.append(_para("<br/>".join(_markup(s) for s in lines), BODY))
    return flowables


def _sections(doc: AgreementDocument) -> list[Flowable]:
    story: list[Flowable] = []
    for section in doc.sections:
        body = _section_body(section.body or "")
        if body:
            story += [_heading(section.title), *body]
    return story


# More text than this in one signature block may not fit on a page (see _signature_block).
_HUGE_BLOCK = 600


def _block_heading(signatory: SignatoryLine) -> str:
    """As a person would write it on the form: "Approved for HMP Leyhill by"."""
    org = signatory.organisation.strip()
    by_capacity = {
        "Host's approver": f"Approved for {org} by" if org else "Approved for the host by",
        "Party": f"Signed for {org} by" if org else "Signed by",
        "Witness": "Witnessed by",
    }
    return by_capacity.get(signatory.capacity, signatory.capacity or "Signatory")


def _signature_block(signatory: SignatoryLine, void: bool) -> Flowable:
    heading = f"<b>{_markup(_block_heading(signatory))}</b>"
    if not signatory.required:
        heading += " (optional)"
    rows: list[list[Flowable | str]] = [
        [_para(heading, CELL), "", "", "", ""],
        [
            _p("Name", FIELD_LABEL),
            _p(signatory.name, CELL_BOLD),
            _p("Role", FIELD_LABEL),
            _p(signatory.role, CELL),
            "",
        ],
        [_p("Organisation", FIELD_LABEL), _p(signatory.organisation, CELL), "", "", ""],
    ]
    style: list[tuple] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("SPAN", (1, 2), (-1, 2)),
        ("SPAN", (3, 1), (-1, 1)),
        ("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
        ("BOX", (0, 0), (-1, -1), 0.75, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, -1), 4),
    ]
    if signatory.signed_on or void:
        if signatory.signed_on:
            text = f"Signed on {long_date(signatory.signed_on)}"
        else:
            # A void version must not look as though it is waiting to be signed.
            text = "Not signed: this version is void."
        if signatory.method:
            text += f" ({signatory.method})"
        if signatory.recorded_by:
            text += f", recorded by {signatory.recorded_by}"
        label = "Signed" if signatory.signed_on else "Signature"
        rows.append([_p(label, FIELD_LABEL), _p(text, CELL), "", "", ""])
        style.append(("SPAN", (1, 3), (-1, 3)))
    else:
        # Ruled spaces with room to write by hand; the label sits at the line's left end.
        rows.append([_p("Signature", FIELD_LABEL), "", _p("Date:", FIELD_LABEL), "", ""])
        # An empty row below keeps the writing lines clear of the box's bottom edge.
        rows.append(["", "", "", "", ""])
        style += [
            ("TOPPADDING", (0, 4), (-1, 4), 0),
            ("BOTTOMPADDING", (0, 4), (-1, 4), 5),
            ("TOPPADDING", (0, 3), (-1, 3), 30),
            ("BOTTOMPADDING", (0, 3), (-1, 3), 2),
            ("VALIGN", (0, 3), (-1, 3), "BOTTOM"),
            ("LINEBELOW", (1, 3), (1, 3), 0.75, INK),
            ("LINEBELOW", (3, 3), (3, 3), 0.75, INK),
        ]
    # The narrow last column keeps the date line off the box's right edge.
    widths = [26 * mm, 72 * mm, 16 * mm, CONTENT_WIDTH - 120 * mm, 6 * mm]
    # NOSPLIT rather than a nested KeepTogether: ReportLab measures a KeepTogether inside
    # another as endlessly tall, which would push every signature page break too early.
    # A block taller than a page (a name or role of a thousand characters, accepted by an
    # older release) may split, even inside its rows, rather than fail to print at all.
    huge = len(signatory.name) + len(signatory.role) + len(signatory.organisation) > _HUGE_BLOCK
    if not huge:
        style.append(("NOSPLIT", (0, 0), (-1, -1)))
    table = Table(
        rows, colWidths=widths, hAlign="LEFT", spaceAfter=5 * mm, splitInRow=1 if huge else 0
    )
    table.setStyle(_table_style(style))
    return table


class _OnePageIfItFits(KeepTogether):
    """The signatures on one page when they fit on a page, so the copy can be signed in one
    place; a list longer than a page (eighteen parties) starts where it is instead of
    leaving most of a page empty, and splits between blocks, never inside one."""

    def __init__(self, flowables: list[Flowable], page_height: float) -> None:
        super().__init__(flowables)
        self._page_height = page_height

    def split(self, aW: float, aH: float) -> list[Flowable]:  # ReportLab's argument names
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        # KeepTogether's own attributes, set by its wrap() (ReportLab has no stubs for them).
        content = list(self._content)  # type: ignore[attr-defined]
        height: float = self._H  # type: ignore[attr-defined]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        if aH >= height or at_top:
            return content  # the heading keeps with the first block (keepWithNext)
        if self._page_height < height and aH >= _HEADING_ROOM:
            return content  # longer than a page: start here, split between blocks
        # A list longer than a page with only a few points left on this one (ten blocks
        # after a short table: 9 points) went on here too, and its heading could not be
        # placed there: ReportLab's LayoutError ("Splitting error").
        return [FrameBreak(), *content]


def _signatures(doc: AgreementDocument, page_height: float) -> list[Flowable]:
    story: list[Flowable] = [_heading("Signatures")]
    if not doc.signatories:
        return story + [_p("No signatories have been named yet.", NOTE)]
    blocks = [_signature_block(s, doc.status == "void") for s in doc.signatories]
    flowables: list[Flowable] = [_OnePageIfItFits(story + blocks, page_height)]
    if doc.key_fingerprint:
        flowables.append(
            _p(
                "Printed by the organisation whose exchange key fingerprint is "
                f"{doc.key_fingerprint} (Help → About in Collab Desktop): compare it "
                "by phone before relying on packs that claim to come from it.",
                NOTE,
            )
        )
    return flowables


def _story(doc: AgreementDocument, page_height: float) -> list[Flowable]:
    return [
        *_title_block(doc),
        *_parties(doc.parties),
        *_responsibilities(doc),
        *_review(doc),
        *_sections(doc),
        *_signatures(doc, page_height),
    ]


# --- public API --------------------------------------------------------------------------


def build_agreement_pdf(doc: AgreementDocument, page_size: tuple[float, float] = A4) -> bytes:
    """The agreement as PDF bytes, portrait on `page_size` (points: reportlab's A4 or LETTER).
    Pure: no files, no Qt, no database."""
    paper = _Paper(*page_size)
    fonts.register_fonts()
    buffer = BytesIO()
    template = BaseDocTemplate(
        buffer,
        pagesize=(paper.width, paper.height),
        leftMargin=paper.left,
        rightMargin=paper.width - paper.right,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=doc.title,
        subject=doc.collaboration,
        author=", ".join(p.name for p in doc.parties),
        creator="Collab Desktop",
        keywords=[f"Version {doc.version}", doc.status_label, f"Fingerprint {doc.fingerprint}"],
        initialFontName=fonts.REGULAR,
    )
    template.keepTogetherClass = _KeepHeading
    frame = Frame(
        paper.left,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        paper.height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    decorate = partial(_decorate_page, doc, paper)
    page_height = paper.height - MARGIN_TOP - MARGIN_BOTTOM
    template.build(
        _story(doc, page_height), canvasmaker=partial(_NumberedCanvas, decorate=decorate)
    )
    return buffer.getvalue()


def write_agreement_pdf(
    doc: AgreementDocument, path: Path, page_size: tuple[float, float] = A4
) -> None:
    """Write the agreement to path, replacing any file there only once the new one is complete.

    The PDF goes to a temporary file in the same folder and is then renamed over the target,
    so a crash or full disk never leaves half a file under the real name. OSError (missing
    folder, no permission, file open in another program on Windows) reaches the caller, which
    tells the user; the temporary file is removed first.
    """
    write_atomically(build_agreement_pdf(doc, page_size), Path(path))
