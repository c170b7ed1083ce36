"""Return templates: what the lead asks every partner to report, and by when.

A template is versioned: every change to its indicators or due dates raises its version, so a
return drafted from an older version is known, and said to be, out of date."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models import Collaboration, Member, ReturnTemplate, TemplateIndicator
from collab_desktop.services.errors import NotFound
from collab_desktop.services.returns.compute import MEASURES
from collab_desktop.services.returns.periods import PERIOD_KINDS
from collab_desktop.services.validation import MAX_NAME, MAX_TEXT, Checker, clean, clean_line

INDICATOR_KINDS = {"counted": "Counted from the records", "typed": "Typed by the partner"}


@dataclass
class IndicatorData:
    code: str
    name: str
    definition: str = ""
    unit: str = ""
    kind: str = "typed"  # counted / typed
    measure: str = ""  # counted: a code of compute.MEASURES
    breakdowns: list[str] = field(default_factory=list)
    required: bool = False


@dataclass
class TemplateData:
    collaboration_id: uuid.UUID
    lead_id: uuid.UUID
    name: str
    period_kind: str = "quarter"
    due_days: int = 30
    due_dates: dict[date, date] = field(default_factory=dict)  # period start -> due date
    indicators: list[IndicatorData] = field(default_factory=list)
    notes: str = ""
    id: uuid.UUID | None = None
    version: int = 0  # filled in when read; ignored when saving


def _due_text(due: dict[date, date]) -> str:
    return "\n".join(f"{start.isoformat()}={day.isoformat()}" for start, day in sorted(due.items()))


def _due_parse(text: str) -> dict[date, date]:
    found = {}
    for line in text.splitlines():
        start, _, day = line.partition("=")
        if start and day:
            found[date.fromisoformat(start)] = date.fromisoformat(day)
    return found


def due_date(template: ReturnTemplate | TemplateData, first: date, last: date) -> date:
    due = template.due_dates
    named = _due_parse(due) if isinstance(due, str) else due
    return named.get(first) or last + timedelta(days=template.due_days)


def check_template(session: Session, data: TemplateData) -> None:
    check = Checker()
    data.name = clean_line(data.name)
    check.required("name", data.name, "the template's name")
    check.max_length("name", data.name, MAX_NAME, "The name")
    check.choice("period_kind", data.period_kind, PERIOD_KINDS, "period")
    if not 0 <= data.due_days <= 366:
        check.add("due_days", "The days allowed after a period ends must be from 0 to 366.")
    if session.get(Collaboration, data.collaboration_id) is None:
        check.add("collaboration", "That collaboration no longer exists.")
    elif (
        session.scalar(
            select(Member.id).where(
                Member.collaboration_id == data.collaboration_id,
                Member.organisation_id == data.lead_id,
            )
        )
        is None
    ):
        check.add("lead", "The lead must be a member of the collaboration.")
    seen: set[str] = set()
    for n, ind in enumerate(data.indicators, start=1):
        ind.code = clean_line(ind.code).lower().replace(" ", "_")
        ind.name = clean_line(ind.name)
        ind.definition = clean(ind.definition)
        ind.unit = clean_line(ind.unit)
        ind.breakdowns = [b for b in (clean_line(b) for b in ind.breakdowns) if b]
        where = f"Indicator {n}"
        if not ind.name:
            check.add(f"indicator_{n}", f"{where} needs a name.")
        if not ind.code:
            check.add(f"indicator_{n}", f"{where} needs a short code (for spreadsheets).")
        elif ind.code in seen or ind.code in MEASURES:
            check.add(
                f"indicator_{n}",
                f"{where}: the code “{ind.code}” is already used; each needs its own.",
            )
        seen.add(ind.code)
        if ind.kind not in INDICATOR_KINDS:
            check.add(f"indicator_{n}", f"{where}: choose counted or typed.")
        if ind.kind == "counted" and ind.measure not in MEASURES:
            check.add(f"indicator_{n}", f"{where}: choose the measure it is counted from.")
        if len(ind.definition) > MAX_TEXT:
            check.add(f"indicator_{n}", f"{where}: the definition is too long.")
        if len(set(ind.breakdowns)) != len(ind.breakdowns):
            check.add(f"indicator_{n}", f"{where}: a breakdown category is listed twice.")
    check.raise_if_any()


def _content(t: ReturnTemplate) -> tuple:
    return (
        t.period_kind, t.due_days, t.due_dates,
        tuple(
            (i.code, i.name, i.definition, i.unit, i.kind, i.measure, i.breakdowns, i.required)
            for i in t.indicators
        ),
    )  # fmt: skip


def save_template(session: Session, data: TemplateData) -> ReturnTemplate:
    """Create or change a template (in `session`, not committed); a change to what it asks
    for raises its version."""
    check_template(session, data)
    t = session.get(ReturnTemplate, data.id) if data.id else None
    before = _content(t) if t is not None else None
    if t is None:
        t = ReturnTemplate(id=data.id or uuid.uuid4(), version=1)
        session.add(t)
    t.collaboration_id, t.lead_id, t.name = data.collaboration_id, data.lead_id, data.name
    t.period_kind, t.due_days, t.notes = data.period_kind, data.due_days, clean(data.notes)
    t.due_dates = _due_text(data.due_dates)
    by_code = {i.code: i for i in t.indicators}
    kept = []
    for n, ind in enumerate(data.indicators):
        row = by_code.get(ind.code) or TemplateIndicator(code=ind.code)
        row.position, row.name, row.definition, row.unit = n, ind.name, ind.definition, ind.unit
        row.kind, row.measure = ind.kind, ind.measure if ind.kind == "counted" else ""
        row.breakdowns, row.required = "\n".join(ind.breakdowns), ind.required
        kept.append(row)
    t.indicators[:] = kept
    session.flush()
    if before is not None and _content(t) != before:
        t.version += 1
    return t


def template_data(t: ReturnTemplate) -> TemplateData:
    return TemplateData(
        id=t.id,
        collaboration_id=t.collaboration_id,
        lead_id=t.lead_id,
        name=t.name,
        period_kind=t.period_kind,
        due_days=t.due_days,
        due_dates=_due_parse(t.due_dates),
        notes=t.notes,
        version=t.version,
        indicators=[
            IndicatorData(
                code=i.code,
                name=i.name,
                definition=i.definition,
                unit=i.unit,
                kind=i.kind,
                measure=i.measure,
                breakdowns=[b for b in i.breakdowns.splitlines() if b],
                required=i.required,
            )
            for i in t.indicators
        ],
    )


def get_template(session: Session, template_id: uuid.UUID) -> ReturnTemplate:
    t = session.get(ReturnTemplate, template_id)
    if t is None:
        raise NotFound("That return template no longer exists.")
    return t


def templates_of(session: Session, collaboration_id: uuid.UUID) -> list[ReturnTemplate]:
    return list(
        session.scalars(
            select(ReturnTemplate)
            .where(ReturnTemplate.collaboration_id == collaboration_id)
            # As returns/choices.template_choices orders them (the id breaks a tie of names).
            .order_by(ReturnTemplate.name, ReturnTemplate.id)
        )
    )
