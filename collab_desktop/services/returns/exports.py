"""Returns for spreadsheets and for print: CSV (the GOV.UK tabular data standard: RFC 4180,
UTF-8, one header row, one row per period × organisation × indicator), a per-session CSV for
anyone who wants the detail, XLSX in the ONS spreadsheet style (a contents sheet first, a
definitions sheet, one tidy table per sheet, short names, no merged cells), and the plain data
of the PDFs (pdf/returns_data.py).

Aggregates only: no participant is named in any of them. Small numbers of people can be
hidden: with `hide_below` 5, a count of 1 to 4 people is written "<5" (0 stays 0, which
identifies no one)."""

from __future__ import annotations

import csv
import io
from datetime import date

from collab_desktop.pdf.document import long_date
from collab_desktop.pdf.returns_data import CollatedReport, FigureLine, PartnerTable, ReturnSheet
from collab_desktop.services.returns.board import PeriodBoard, Total
from collab_desktop.services.returns.compute import MEASURES, PEOPLE_MEASURES, Trace
from collab_desktop.services.returns.drafting import STATUSES, FigureRow, ReturnData
from collab_desktop.services.returns.templates import TemplateData

# What each standard measure means, for the definitions sheet and anyone reading the CSV.
MEASURE_DEFINITIONS: dict[str, str] = {
    "sessions_planned": "Every session dated in the period: held, cancelled or not yet recorded.",
    "sessions_held": "Sessions whose register says they took place.",
    "sessions_cancelled": "Sessions recorded as cancelled; broken down by the reason given.",
    "sessions_not_recorded": "Past sessions with no register yet (counted as planned only).",
    "attendances": "Marks on the registers of held sessions: one person at one session.",
    "participants": "Different people who came to at least one held session.",
    "newcomers": "People whose first held session of the collaboration is in the period.",
    "leavers": "People recorded as having left a group of the collaboration in the period.",
    "average_attendance": "Attendances divided by sessions held.",
    "session_hours": "Hours of the sessions held, from their start and end times.",
    "facilitator_hours": "Each facilitator's hours at the held sessions they led, added up.",
    "volunteer_hours": "The facilitator hours given by volunteers.",
}
HEADER = [
    "period_start", "period_end", "period", "collaboration", "organisation", "version",
    "status", "indicator_code", "breakdown", "indicator", "unit", "source", "value",
]  # fmt: skip
SESSION_HEADER = [
    "date", "activity", "start", "end", "status", "cancel_reason", "attendances",
    "facilitators", "volunteers",
]  # fmt: skip


def is_people(f: FigureRow) -> bool:
    """A count of people (an average of them identifies no one, so it is never hidden)."""
    if f.code == "average_attendance":
        return False
    return f.code in PEOPLE_MEASURES or f.unit.lower() in ("people", "participants", "persons")


def is_hidden(value: float | None, hide_below: int | None) -> bool:
    return bool(hide_below) and value is not None and 0 < value < (hide_below or 0)


def shown(f: FigureRow, hide_below: int | None, attendances: float | None = None) -> str:
    """The value as written: "" (spreadsheets) when not given; "<5" when hidden.
    `attendances`: the attendances beside it (same return, or same total). An average is
    hidden with them: next to "sessions held: 1" it would give the hidden count back (and an
    average is never more than the attendances, so "<5" still reads true)."""
    if f.value is None:
        return ""
    if is_people(f) and is_hidden(f.value, hide_below):
        return f"<{hide_below}"
    if f.code == "average_attendance" and f.value and is_hidden(attendances, hide_below):
        return f"<{hide_below}"
    return f"{f.value:g}"


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerows(rows)
    return out.getvalue()


def data_rows(returns: list[ReturnData], hide_below: int | None) -> list[list[str]]:
    rows = []
    for r in returns:
        for f in r.figures:
            rows.append(
                [
                    r.period_start.isoformat(), r.period_end.isoformat(), r.period,
                    r.collaboration, r.organisation, str(r.version),
                    STATUSES.get(r.status, r.status), f.code, f.breakdown, f.name, f.unit,
                    f.source, shown(f, hide_below, r.value("attendances")),
                ]
            )  # fmt: skip
    return rows


def returns_csv(returns: list[ReturnData], hide_below: int | None = None) -> str:
    """One header row; one row per period × organisation × indicator (and breakdown)."""
    return _csv([HEADER, *data_rows(returns, hide_below)])


def sessions_csv(trace: Trace) -> str:
    """One row per session behind a return (a trace of "sessions_planned"): the detail every
    total comes from. Counts only; no names."""
    rows = [
        [
            s.on.isoformat(), s.activity, f"{s.start:%H:%M}", f"{s.end:%H:%M}", s.status,
            s.reason, str(s.attended), str(s.leaders), str(s.volunteers),
        ]
        for s in trace.sessions
    ]  # fmt: skip
    return _csv([SESSION_HEADER, *rows])


def definitions(template: TemplateData | None) -> list[list[str]]:
    rows = [["indicator_code", "indicator", "definition", "unit", "source", "counted_from"]]
    for code, (name, unit) in MEASURES.items():
        rows.append([code, name, MEASURE_DEFINITIONS.get(code, ""), unit, "counted", code])
    for ind in template.indicators if template is not None else ():
        rows.append(
            [ind.code, ind.name, ind.definition + (" (required)" if ind.required else ""),
             ind.unit, ind.kind, ind.measure]
        )  # fmt: skip
    return rows


def totals_rows(boards: list[PeriodBoard], hide_below: int | None) -> list[list[str]]:
    rows = [["period_start", "period_end", "period", "indicator_code", "breakdown", "indicator",
             "unit", "organisation", "value", "share", "version_counted"]]  # fmt: skip
    for b in boards:
        attendances = _attendances_total(b)
        for t in b.totals:
            people = FigureRow(t.code, t.breakdown, t.name, t.unit, "counted", t.value)
            common = [b.first.isoformat(), b.last.isoformat(), b.name, t.code, t.breakdown,
                      t.name, t.unit]  # fmt: skip
            total_att = attendances.value if attendances else None
            rows.append([*common, "All", shown(people, hide_below, total_att), "1", ""])
            for org, (value, share, version) in sorted(t.shares.items()):
                f = FigureRow(t.code, t.breakdown, t.name, t.unit, "counted", value)
                org_att = attendances.shares.get(org, (None,))[0] if attendances else None
                written = shown(f, hide_below, org_att)
                # A share beside a hidden count, times the total, is the count: left out.
                share_text = "" if written.startswith("<") else f"{share:.3f}"
                rows.append([*common, org, written, share_text, str(version)])
    return rows


def _attendances_total(board: PeriodBoard) -> Total | None:
    return next((t for t in board.totals if t.code == "attendances" and not t.breakdown), None)


def returns_xlsx(
    returns: list[ReturnData],
    template: TemplateData | None = None,
    boards: list[PeriodBoard] | None = None,
    hide_below: int | None = None,
    title: str = "Monitoring returns",
    made_on: date | None = None,
) -> bytes:
    """A workbook: Contents, Definitions, Data (and Totals with the lead's board)."""
    from openpyxl import Workbook  # a second's import: only when a workbook is made
    from openpyxl.styles import Font

    book = Workbook()
    contents = book.active
    contents.title = "Contents"
    data = [HEADER, *data_rows(returns, hide_below)]
    sheets: list[tuple[str, str, list[list[str]]]] = [
        (
            "Definitions",
            "What each indicator means, and where it comes from",
            definitions(template),
        ),
        ("Data", "One row per period, organisation and indicator", data),
    ]
    if boards:
        sheets.append(
            ("Totals", "The alliance's totals, each partner's share and the version counted",
             totals_rows(boards, hide_below))
        )  # fmt: skip
    contents.append([title])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([f"Made by Collab Desktop on {long_date(made_on or date.today())}."])
    if hide_below:
        contents.append([f"Counts of fewer than {hide_below} people are shown as <{hide_below}."])
    contents.append([])
    contents.append(["Sheet", "What it holds"])
    for cell in contents[contents.max_row]:
        cell.font = Font(bold=True)
    for name, about, _rows in sheets:
        contents.append([name, about])
    contents.column_dimensions["A"].width = 16
    contents.column_dimensions["B"].width = 70
    for name, _about, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append([_cell(v, i, rows[0]) for i, v in enumerate(row)])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for i, head in enumerate(rows[0]):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            sheet.column_dimensions[letter].width = max(10, min(48, len(head) + 4))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str, index: int, header: list[str]) -> object:
    """Numbers as numbers (so a spreadsheet can add them up); everything else as text."""
    if header[index] in ("value", "share", "version", "version_counted") and value:
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value  # "<5"
    return value


# -- the PDFs' plain data -------------------------------------------------------------------


def _printed(f: FigureRow, hide_below: int | None, attendances: float | None = None) -> str:
    return shown(f, hide_below, attendances) or "—"


def footnote(hide_below: int | None) -> str:
    hidden = (
        f" Counts of fewer than {hide_below} people are shown as <{hide_below}."
        if hide_below
        else ""
    )
    return "“records”: counted from the registers; “typed”: entered by the partner." + hidden


def return_sheet(r: ReturnData, hide_below: int | None = None) -> ReturnSheet:
    signed = ""
    if r.signed_off_by:
        when = r.signed_off_at.date() if r.signed_off_at else None
        signed = r.signed_off_by + (f" on {long_date(when)}" if when else "")
    return ReturnSheet(
        collaboration=r.collaboration,
        organisation=r.organisation,
        period=r.period,
        dates=f"{long_date(r.period_start)} to {long_date(r.period_end)}",
        version=r.version,
        status=STATUSES.get(r.status, r.status),
        signed_off=signed,
        figures=[
            FigureLine(
                f.name, f.breakdown, f.unit,
                _printed(f, hide_below, r.value("attendances")), f.source,
            )  # fmt: skip
            for f in r.figures
        ],
        went_well=r.went_well,
        problems=r.problems,
        case_study=r.case_study,
        notices=r.notices,
        queries=[(q.question, q.answer) for q in r.queries],
        footnote=footnote(hide_below),
    )


def collated_report(
    collaboration: str,
    boards: list[PeriodBoard],
    returns: dict[tuple[str, date], ReturnData],  # (organisation, period start) -> counted
    hide_below: int | None = None,
    title: str = "Monitoring returns",
    made_on: date | None = None,
) -> CollatedReport:
    periods = [b.name for b in boards]
    keys: list[tuple[str, str, str, str]] = []  # (code, breakdown, name, unit), first seen
    for b in boards:
        for t in b.totals:
            if (t.code, t.breakdown, t.name, t.unit) not in keys:
                keys.append((t.code, t.breakdown, t.name, t.unit))

    def label(name: str, breakdown: str) -> str:
        return f"{name}: {breakdown}" if breakdown else name

    totals = []
    for code, breakdown, name, unit in keys:
        values = []
        for b in boards:
            t = next((t for t in b.totals if (t.code, t.breakdown) == (code, breakdown)), None)
            f = FigureRow(code, breakdown, name, unit, "counted", t.value if t else None)
            attendances = _attendances_total(b)
            values.append(_printed(f, hide_below, attendances.value if attendances else None))
        totals.append((label(name, breakdown), values))
    organisations = [c.organisation for c in boards[0].cells] if boards else []
    shares = []
    for org in organisations:
        values = []
        for b in boards:
            t = _attendances_total(b)
            share = t.shares.get(org) if t else None
            if share and is_hidden(share[0], hide_below):
                # The percentage of a shown total would give the hidden count back.
                values.append(f"fewer than {hide_below} people (v{share[2]})")
            else:
                values.append(f"{share[1]:.0%} (v{share[2]})" if share else "—")
        shares.append((org, values))
    partners = []
    for org in organisations:
        states, rows = [], []
        for b in boards:
            cell = next(c for c in b.cells if c.organisation == org)
            states.append(
                cell.state + (f", v{cell.counted_version} counted" if cell.counted_version else "")
            )
        for code, breakdown, name, unit in keys:
            values = []
            for b in boards:
                r = returns.get((org, b.first))
                value = r.value(code, breakdown) if r else None
                attendances = r.value("attendances") if r else None
                values.append(
                    _printed(
                        FigureRow(code, breakdown, name, unit, "", value), hide_below, attendances
                    )
                )
            rows.append((label(name, breakdown), values))
        partners.append(PartnerTable(org, rows, states))
    return CollatedReport(
        collaboration=collaboration,
        title=title,
        periods=periods,
        partners=partners,
        totals=totals,
        shares=shares,
        made_on=long_date(made_on or date.today()),
        footnote=footnote(hide_below),
    )
