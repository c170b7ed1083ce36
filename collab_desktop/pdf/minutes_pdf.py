"""The minutes of a meeting as a PDF (issue 14): who came, by organisation; what was decided;
who is to do what, by when.

Plain data in (MinutesDocument), PDF bytes or a file out, laid out as the agreement is (its
styles, header and page numbering) and, like it, with a short fingerprint of the content on
every page, so a printed copy can be matched to the record. Minutes not yet approved print
"DRAFT MINUTES" across the page until the next meeting approves them.
"""

from __future__ import annotations

from functools import partial
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from collab_desktop.pdf import fonts, scripts
from collab_desktop.pdf.agreement_pdf import (
    BODY,
    CELL,
    CELL_BOLD,
    CELL_HEAD,
    CONTENT_WIDTH,
    DETAILS,
    FB,
    HEAD_FILL,
    HEADING,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    NOTE,
    RULE,
    SUBTITLE,
    TITLE,
    F,
    _draw_watermark,
    _fit,
    _grid_style,
    _KeepHeading,
    _markup,
    _NumberedCanvas,
    _Paper,
)
from collab_desktop.pdf.document import long_date
from collab_desktop.pdf.files import write_atomically
from collab_desktop.pdf.minutes_document import MinutesDocument, PersonLine

__all__ = ["MinutesDocument", "build_minutes_pdf", "write_minutes_pdf"]

PERSONAL_DATA_FOOTER = "Contains personal data: keep it secure."


def _p(text: str, style=CELL) -> Paragraph:
    return Paragraph(_markup(text), style)


def _decorate(doc: MinutesDocument, paper: _Paper, canvas: Canvas, page: int, total: int) -> None:
    canvas.saveState()
    left, right = paper.left, paper.right
    y = paper.height - 14 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(F, 8.5)
    scripts.draw(canvas, left, y, _fit(doc.collaboration, F, 8.5, CONTENT_WIDTH), F, 8.5)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(left, y - 2.5 * mm, right, y - 2.5 * mm)
    rule_y = MARGIN_BOTTOM - 8 * mm
    canvas.line(left, rule_y, right, rule_y)
    y = rule_y - 4.5 * mm
    page_text = f"Page {page} of {total}"
    canvas.setFillColor(INK)
    canvas.setFont(FB, 8)
    canvas.drawRightString(right, y, page_text)
    state = "Approved" if doc.approved else "Not yet approved"
    tail = f" — {state} — Fingerprint {doc.fingerprint}"
    room = CONTENT_WIDTH - stringWidth(page_text, FB, 8) - 8 * mm
    title = _fit(f"Minutes: {doc.title}", F, 8, max(room - stringWidth(tail, F, 8), 20 * mm))
    canvas.setFont(F, 8)
    scripts.draw(canvas, left, y, title + tail, F, 8)
    canvas.setFillColor(MUTED)
    if doc.printed_on:
        canvas.drawString(left, y - 4 * mm, f"Printed on {long_date(doc.printed_on)}")
    # Issue 15: minutes name the people who came; the page says so, as the agreement's does.
    canvas.drawRightString(right, y - 4 * mm, PERSONAL_DATA_FOOTER)
    if not doc.approved:
        _draw_watermark(canvas, "DRAFT", paper)
    canvas.restoreState()


def _attendance(doc: MinutesDocument) -> list[Flowable]:
    present = sum(1 for a in doc.attendance if a.present)
    story: list[Flowable] = [
        _p(f"Attendance by organisation ({present} of {len(doc.attendance)} present)", HEADING)
    ]
    rows: list[list[Flowable | str]] = [
        [_p("Organisation", CELL_HEAD), _p("Who", CELL_HEAD), _p("Answer", CELL_HEAD)]
    ]
    for a in doc.attendance:
        people = []
        answers = []
        for person in a.people or [PersonLine("(no one named)", "Invited")]:
            who = person.name or "(no one named)"
            if person.substitute_for:
                who += f", standing in for {person.substitute_for}"
            people.append(who)
            answer = person.response
            if person.response == "Attended" and not person.can_decide:
                answer += " (could not take decisions)"
            answers.append(answer)
        mark = "✓ " if a.present else "✗ "
        org = f"{mark}{a.organisation}" + (f"\n{a.role}" if a.role else "")
        rows.append([_p(org, CELL_BOLD), _p("\n".join(people)), _p("\n".join(answers))])
    widths = [0.38 * CONTENT_WIDTH, 0.36 * CONTENT_WIDTH, 0.26 * CONTENT_WIDTH]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style([("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]))
    story.append(table)
    if doc.quorum:
        story += [Spacer(1, 2 * mm), _p(doc.quorum, NOTE)]
    return story


def _decisions(doc: MinutesDocument) -> list[Flowable]:
    story: list[Flowable] = [_p("Decisions", HEADING)]
    if not doc.decisions:
        return [*story, _p("No decisions were recorded.", NOTE)]
    rows: list[list[Flowable | str]] = [
        [_p("", CELL_HEAD), _p("Decided", CELL_HEAD), _p("Look again on", CELL_HEAD)]
    ]
    for i, d in enumerate(doc.decisions, start=1):
        rows.append([_p(str(i)), _p(d.text), _p(long_date(d.look_again_on) or "—")])
    widths = [8 * mm, CONTENT_WIDTH - 8 * mm - 34 * mm, 34 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style([("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]))
    return [*story, table]


def _actions(doc: MinutesDocument) -> list[Flowable]:
    story: list[Flowable] = [_p("Actions", HEADING)]
    if not doc.actions:
        return [*story, _p("No actions were recorded.", NOTE)]
    rows: list[list[Flowable | str]] = [
        [_p(h, CELL_HEAD) for h in ("", "What", "Who", "Due", "Done")]
    ]
    for i, a in enumerate(doc.actions, start=1):
        what = a.what + (f"\n(Agreement: {a.responsibility})" if a.responsibility else "")
        rows.append(
            [
                _p(str(i)), _p(what), _p(a.owner or "—"), _p(long_date(a.due_on) or "—"),
                _p(long_date(a.done_on) or ""),
            ]
        )  # fmt: skip
    widths = [8 * mm, 0.40 * CONTENT_WIDTH, 0.28 * CONTENT_WIDTH]
    rest = (CONTENT_WIDTH - sum(widths)) / 2
    table = Table(rows, colWidths=[*widths, rest, rest], repeatRows=1)
    table.setStyle(_grid_style([("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]))
    return [*story, table]


def _story(doc: MinutesDocument) -> list[Flowable]:
    story: list[Flowable] = [_p(f"Minutes: {doc.title}", TITLE), _p(doc.collaboration, SUBTITLE)]
    facts = [f"{doc.kind} meeting", long_date(doc.held_on), doc.status]
    story.append(Paragraph("  ·  ".join(_markup(f) for f in facts if f), DETAILS))
    if doc.approved:
        approved = f"Minutes approved by {doc.approved_by} on {long_date(doc.approved_on)}."
    else:
        approved = "These minutes are to be approved at the next meeting."
    story += [Spacer(1, 2 * mm), _p(approved, NOTE)]
    story += _attendance(doc)
    if doc.review:
        story += [_p("Review of the agreement", HEADING), _p(doc.review, BODY)]
    story += _decisions(doc)
    story += _actions(doc)
    if doc.notes.strip():
        story += [_p("Notes", HEADING)]
        story += [_p(par, BODY) for par in doc.notes.split("\n\n") if par.strip()]
    return story


def build_minutes_pdf(doc: MinutesDocument, page_size: tuple[float, float] = A4) -> bytes:
    """The minutes as PDF bytes. Pure: no files, no Qt, no database."""
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
        title=f"Minutes: {doc.title}",
        subject=doc.collaboration,
        creator="Collab Desktop",
        keywords=[f"Fingerprint {doc.fingerprint}"],
        initialFontName=fonts.REGULAR,
    )
    template.keepTogetherClass = _KeepHeading
    frame = Frame(
        paper.left, MARGIN_BOTTOM, CONTENT_WIDTH, paper.height - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
    )  # fmt: skip
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    decorate = partial(_decorate, doc, paper)
    template.build(_story(doc), canvasmaker=partial(_NumberedCanvas, decorate=decorate))
    return buffer.getvalue()


def write_minutes_pdf(
    doc: MinutesDocument, path: Path, page_size: tuple[float, float] = A4
) -> None:
    """Write the minutes to `path`, replacing a file there only once the new one is whole."""
    write_atomically(build_minutes_pdf(doc, page_size), Path(path))
