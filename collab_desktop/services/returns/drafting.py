"""A partner's return: drafted from the lead's template and its own records (nothing typed
twice: counted figures come from the registers, typed ones and the narrative carry over from
one draft to the next), checked, signed off, and made again as a new version when a
signed-off period changes. The old version is kept, never edited.

Every function works in the session it is given and does not commit: the service
(service.py) and an exchange import (packs.py) each own their transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collab_desktop.models import (
    Collaboration,
    Member,
    MonitoringReturn,
    Organisation,
    ReturnFigure,
    ReturnQuery,
    ReturnTemplate,
)
from collab_desktop.services.errors import NeedsConfirmation, NotFound, StateError
from collab_desktop.services.returns.compute import MEASURES, PeriodFigures, compute
from collab_desktop.services.returns.periods import period_name, previous_period
from collab_desktop.services.returns.states import (  # given from here as before
    REPORTING_ROLES,  # noqa: F401
    STATUSES,
)
from collab_desktop.services.validation import MAX_TEXT, Checker, clean

# A figure is "far from last period" when it moved by more than half and by at least this.
FAR_RATIO = 0.5
FAR_MINIMUM = 5.0

Key = tuple[str, str]  # (code, breakdown)


@dataclass(frozen=True)
class FigureRow:
    code: str
    breakdown: str
    name: str
    unit: str
    source: str  # counted / typed
    value: float | None

    @property
    def key(self) -> Key:
        return (self.code, self.breakdown)


@dataclass(frozen=True)
class QueryRow:
    id: uuid.UUID
    asked_at: datetime
    asked_by: str
    question: str
    answer: str
    answered_at: datetime | None


@dataclass(frozen=True)
class Check:
    level: str  # "problem" (stops sign-off) or "warning" (to look at)
    code: str  # the figure it is about, "" for the return as a whole
    message: str


@dataclass
class ReturnData:
    id: uuid.UUID
    collaboration_id: uuid.UUID
    collaboration: str
    organisation_id: uuid.UUID
    organisation: str
    template_id: uuid.UUID | None
    template_version: int
    period_start: date
    period_end: date
    version: int
    status: str
    origin: str
    signed_off_by: str
    signed_off_at: datetime | None
    sent_at: datetime | None
    received_at: datetime | None
    went_well: str
    problems: str
    case_study: str
    notices: list[str]
    figures: list[FigureRow]
    queries: list[QueryRow] = field(default_factory=list)

    @property
    def period(self) -> str:
        return period_name(self.period_start, self.period_end)

    def value(self, code: str, breakdown: str = "") -> float | None:
        for f in self.figures:
            if f.code == code and f.breakdown == breakdown:
                return f.value
        return None


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def is_member(session: Session, collaboration_id: uuid.UUID, organisation_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(Member.id).where(
                Member.collaboration_id == collaboration_id,
                Member.organisation_id == organisation_id,
            )
        )
        is not None
    )


def not_a_member(session: Session, collaboration_id: uuid.UUID, organisation_id: uuid.UUID) -> str:
    org = session.get(Organisation, organisation_id)
    c = session.get(Collaboration, collaboration_id)
    who = org.name if org else "That organisation"
    what = c.name if c else "this collaboration"
    return (
        f"{who} is not a member of {what}, so it has no return to make for it. Add it to the "
        "collaboration's members first if it has joined."
    )


def figure_rows(
    figures: PeriodFigures,
    template: ReturnTemplate | None,
    typed: dict[Key, float | None],
) -> list[FigureRow]:
    """The rows of a return: every standard measure, then the template's indicators (counted
    ones from their measure; typed ones, and every breakdown, from `typed`)."""
    rows = [
        FigureRow(m.code, m.breakdown, m.name, m.unit, "counted", m.value) for m in figures.measures
    ]
    for ind in template.indicators if template is not None else ():
        if ind.kind == "counted" and ind.measure in MEASURES:
            rows.append(
                FigureRow(ind.code, "", ind.name, ind.unit, "counted", figures.value(ind.measure))
            )
        else:
            rows.append(
                FigureRow(ind.code, "", ind.name, ind.unit, "typed", typed.get((ind.code, "")))
            )
        for category in (b for b in ind.breakdowns.splitlines() if b):
            rows.append(
                FigureRow(
                    ind.code, category, ind.name, ind.unit, "typed", typed.get((ind.code, category))
                )
            )
    return rows


def _set_figures(r: MonitoringReturn, rows: list[FigureRow]) -> None:
    by_key = {(f.code, f.breakdown): f for f in r.figures}
    kept = []
    for n, row in enumerate(rows):
        f = by_key.get(row.key) or ReturnFigure(code=row.code, breakdown=row.breakdown)
        f.position, f.name, f.unit, f.source, f.value = n, row.name, row.unit, row.source, row.value
        kept.append(f)
    r.figures[:] = kept


def latest(
    session: Session,
    collaboration_id: uuid.UUID,
    organisation_id: uuid.UUID,
    first: date,
) -> MonitoringReturn | None:
    return session.scalar(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.collaboration_id == collaboration_id,
            MonitoringReturn.organisation_id == organisation_id,
            MonitoringReturn.period_start == first,
        )
        .order_by(MonitoringReturn.version.desc())
        .limit(1)
    )


def latest_counted(
    session: Session, collaboration_id: uuid.UUID, organisation_id: uuid.UUID, first: date
) -> MonitoringReturn | None:
    """The version the totals count: the newest one signed off (drafts never count)."""
    return session.scalar(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.collaboration_id == collaboration_id,
            MonitoringReturn.organisation_id == organisation_id,
            MonitoringReturn.period_start == first,
            MonitoringReturn.status != "draft",
        )
        .order_by(MonitoringReturn.version.desc())
        .limit(1)
    )


def versions(
    session: Session, collaboration_id: uuid.UUID, organisation_id: uuid.UUID, first: date
) -> list[MonitoringReturn]:
    return list(
        session.scalars(
            select(MonitoringReturn)
            .where(
                MonitoringReturn.collaboration_id == collaboration_id,
                MonitoringReturn.organisation_id == organisation_id,
                MonitoringReturn.period_start == first,
            )
            .order_by(MonitoringReturn.version)
        )
    )


def _typed(r: MonitoringReturn) -> dict[Key, float | None]:
    return {(f.code, f.breakdown): f.value for f in r.figures if f.source == "typed"}


def draft_return(
    session: Session,
    collaboration_id: uuid.UUID,
    organisation_id: uuid.UUID,
    first: date,
    last: date,
    today: date,
    template_id: uuid.UUID | None = None,
    confirmed: bool = False,
) -> MonitoringReturn:
    """The draft of this organisation's return for the period, counted afresh from the
    records. An existing draft is recounted in place (what was typed stays); after a
    signed-off version, a new version is made from it (NeedsConfirmation first)."""
    check = Checker()
    check.date_order("period", first, last, "first day", "last day")
    check.raise_if_any()
    if not is_member(session, collaboration_id, organisation_id):
        raise StateError(not_a_member(session, collaboration_id, organisation_id))
    current = latest(session, collaboration_id, organisation_id, first)
    if current is not None and current.origin != "own":
        raise StateError(
            "This return was received from the partner: its figures are theirs, so it cannot "
            "be drafted here. Send it back with a query if something needs changing."
        )
    if current is not None and current.period_end != last:
        raise StateError(
            f"A return for a period starting {first:%d %B %Y} already ends on "
            f"{current.period_end:%d %B %Y}; open that one instead."
        )
    if template_id is None and current is not None:
        template_id = current.template_id
    template = session.get(ReturnTemplate, template_id) if template_id else None
    if template_id and template is None:
        raise NotFound("That return template no longer exists.")
    figures = compute(session, collaboration_id, first, last, today, organisation_id)
    if current is not None and current.status == "draft":
        r = current
    else:
        if current is not None and not confirmed:
            raise NeedsConfirmation(
                f"The return for {period_name(first, last)} was already signed off (version "
                f"{current.version}). Make version {current.version + 1} from the records as "
                "they are now? Version "
                f"{current.version} is kept as it was signed off."
            )
        r = MonitoringReturn(
            id=uuid.uuid4(),
            collaboration_id=collaboration_id,
            organisation_id=organisation_id,
            period_start=first,
            period_end=last,
            version=current.version + 1 if current is not None else 1,
            status="draft",
            origin="own",
        )
        if current is not None:
            r.went_well, r.problems, r.case_study = (
                current.went_well, current.problems, current.case_study,
            )  # fmt: skip
        session.add(r)
    typed = _typed(current) if current is not None else {}
    r.template_id = template.id if template is not None else None
    r.template_version = template.version if template is not None else 0
    _set_figures(r, figure_rows(figures, template, typed))
    r.notices = "\n".join(figures.notices)
    session.flush()
    return r


def save_draft(
    session: Session,
    return_id: uuid.UUID,
    typed: dict[Key, float | None],
    went_well: str,
    problems: str,
    case_study: str,
) -> MonitoringReturn:
    """Keep what the partner typed: typed figures (counted ones cannot be typed over) and the
    narrative."""
    r = get_return(session, return_id)
    if r.status != "draft":
        raise StateError(
            f"Version {r.version} is {STATUSES[r.status].lower()}: it is kept as it is. Make a "
            "new version to change it."
        )
    check = Checker()
    for f in r.figures:
        if (f.code, f.breakdown) not in typed:
            continue
        value = typed[(f.code, f.breakdown)]
        if f.source != "typed":
            check.add(f.code, f"{f.name} is counted from the records and cannot be typed over.")
        elif value is not None and value < 0:
            check.add(f.code, f"{f.name} cannot be below 0.")
    for name, text in (
        ("went_well", went_well),
        ("problems", problems),
        ("case_study", case_study),
    ):
        if len(text) > MAX_TEXT:
            check.add(name, f"That text is too long (at most {MAX_TEXT} characters).")
    check.raise_if_any()
    for f in r.figures:
        if f.source == "typed" and (f.code, f.breakdown) in typed:
            f.value = typed[(f.code, f.breakdown)]
    r.went_well, r.problems, r.case_study = clean(went_well), clean(problems), clean(case_study)
    session.flush()
    return r


def get_return(session: Session, return_id: uuid.UUID) -> MonitoringReturn:
    r = session.get(MonitoringReturn, return_id)
    if r is None:
        raise NotFound("That return no longer exists.")
    return r


def return_data(session: Session, r: MonitoringReturn) -> ReturnData:
    c = session.get(Collaboration, r.collaboration_id)
    org = session.get(Organisation, r.organisation_id)
    return ReturnData(
        id=r.id,
        collaboration_id=r.collaboration_id,
        collaboration=c.name if c else "",
        organisation_id=r.organisation_id,
        organisation=org.name if org else "",
        template_id=r.template_id,
        template_version=r.template_version,
        period_start=r.period_start,
        period_end=r.period_end,
        version=r.version,
        status=r.status,
        origin=r.origin,
        signed_off_by=r.signed_off_by,
        signed_off_at=r.signed_off_at,
        sent_at=r.sent_at,
        received_at=r.received_at,
        went_well=r.went_well,
        problems=r.problems,
        case_study=r.case_study,
        notices=[n for n in r.notices.splitlines() if n],
        figures=[
            FigureRow(f.code, f.breakdown, f.name, f.unit, f.source, f.value) for f in r.figures
        ],
        queries=[
            QueryRow(q.id, q.asked_at, q.asked_by, q.question, q.answer, q.answered_at)
            for q in r.queries
        ],
    )


def _counted_signed(session: Session, r: MonitoringReturn) -> MonitoringReturn | None:
    """The version of the previous period that counts: the latest one not a draft."""
    first, _last = previous_period(r.period_start, r.period_end)
    return session.scalar(
        select(MonitoringReturn)
        .where(
            MonitoringReturn.collaboration_id == r.collaboration_id,
            MonitoringReturn.organisation_id == r.organisation_id,
            MonitoringReturn.period_start == first,
            MonitoringReturn.status != "draft",
        )
        .order_by(MonitoringReturn.version.desc())
        .limit(1)
    )


def far_from(value: float | None, before: float | None) -> bool:
    if value is None or before is None:
        return False
    change = abs(value - before)
    return change >= FAR_MINIMUM and (before == 0 or change / abs(before) > FAR_RATIO)


def _number(value: float | None) -> str:
    return "empty" if value is None else f"{value:g}"


def checks(
    session: Session,
    r: MonitoringReturn,
    today: date,
    previous: MonitoringReturn | None = None,
    template: ReturnTemplate | None = None,
    recount: bool = True,
) -> list[Check]:
    """What to look at before signing off (or, at the lead, before counting a return):
    required indicators left empty (problems), figures far from last period, a template
    changed since the draft, figures that no longer match the registers (warnings), and the
    notices of the period."""
    found: list[Check] = []
    template = template or (session.get(ReturnTemplate, r.template_id) if r.template_id else None)
    values = {(f.code, f.breakdown): f.value for f in r.figures}
    if template is not None:
        for ind in template.indicators:
            if ind.required and values.get((ind.code, "")) is None:
                found.append(
                    Check("problem", ind.code, f"{ind.name} is required and has been left empty.")
                )
        if template.version > r.template_version:
            if r.status == "draft":
                message = (
                    f"The lead changed the template (now version {template.version}) after this "
                    "draft was made: draft it again to take in the change (what you typed stays)."
                )
            else:
                message = (
                    f"The lead changed the template (now version {template.version}) after this "
                    f"return was signed off against version {r.template_version}: make a new "
                    "version if the lead asks for the new indicators."
                )
            found.append(Check("warning", "", message))
    before = previous if previous is not None else _counted_signed(session, r)
    if before is not None:
        old = {(f.code, f.breakdown): f.value for f in before.figures}
        for f in r.figures:
            if (f.code, f.breakdown) in old and far_from(f.value, old[(f.code, f.breakdown)]):
                what = f.name + (f" ({f.breakdown})" if f.breakdown else "")
                found.append(
                    Check(
                        "warning",
                        f.code,
                        f"{what}: {_number(f.value)}, far from last period's "
                        f"{_number(old[(f.code, f.breakdown)])}. Worth a word in the narrative.",
                    )
                )
    if recount and r.origin == "own":
        now = compute(
            session, r.collaboration_id, r.period_start, r.period_end, today, r.organisation_id
        )
        changed = [
            f for f in r.figures
            if f.source == "counted" and f.code in MEASURES
            and now.value(f.code, f.breakdown) != f.value
        ]  # fmt: skip
        gone = {m.code + m.breakdown for m in now.measures} - {
            f.code + f.breakdown for f in r.figures
        }
        if changed or gone:
            details = ", ".join(
                f"{f.name}{f' ({f.breakdown})' if f.breakdown else ''} {_number(f.value)} → "
                f"{_number(now.value(f.code, f.breakdown))}"
                for f in changed[:4]
            )
            if r.status == "draft":
                message = (
                    "The registers have changed since this draft was counted"
                    + (f" ({details})" if details else "")
                    + ": draft it again to count them afresh."
                )
            else:
                message = (
                    f"The registers were corrected after version {r.version} was signed off"
                    + (f" ({details})" if details else "")
                    + ". Make a new version to send the corrected figures; this one is kept."
                )
            found.append(Check("warning", "", message))
    for notice in (n for n in r.notices.splitlines() if n):
        found.append(Check("warning", "", notice))
    return found


def sign_off(
    session: Session, return_id: uuid.UUID, by: str, today: date, now: datetime | None = None
) -> MonitoringReturn:
    """Sign a draft off (who, when). Refused while a check finds a problem; warnings are the
    signer's to weigh."""
    r = get_return(session, return_id)
    by = " ".join(by.split())
    if r.status != "draft":
        raise StateError(f"Version {r.version} is already {STATUSES[r.status].lower()}.")
    if not by:
        raise StateError("Please enter who signs the return off.")
    problems = [c for c in checks(session, r, today, recount=False) if c.level == "problem"]
    if problems:
        raise StateError(
            "The return cannot be signed off yet: " + " ".join(c.message for c in problems)
        )
    r.status, r.signed_off_by, r.signed_off_at = "signed_off", by[:200], now or utcnow()
    session.flush()
    return r


def answer_queries(session: Session, return_id: uuid.UUID, answer: str) -> MonitoringReturn:
    """The partner's answer to the lead's open queries on a return it sent."""
    r = get_return(session, return_id)
    answer = clean(answer)
    open_queries = [q for q in r.queries if not q.answer]
    if not open_queries:
        raise StateError("There is no open query on this return to answer.")
    if not answer:
        raise StateError("Please write an answer to the query.")
    for q in open_queries:
        q.answer, q.answered_at = answer, utcnow()
    if r.origin == "own":
        # Signed off as it was: sending it again (packs.export_return) carries the answer.
        r.status = "signed_off"
    session.flush()
    return r


def ask_query(session: Session, return_id: uuid.UUID, question: str, by: str) -> MonitoringReturn:
    """The lead sends a received return back with a question; the return shows as queried
    until the partner answers it (or sends a new version)."""
    r = get_return(session, return_id)
    question = clean(question)
    if r.origin != "received":
        raise StateError("Only a return received from a partner can be queried.")
    if not question:
        raise StateError("Please write the question for the partner.")
    r.queries.append(
        ReturnQuery(asked_at=utcnow(), asked_by=" ".join(by.split()), question=question)
    )
    r.status = "queried"
    session.flush()
    return r


def version_count(
    session: Session, collaboration_id: uuid.UUID, organisation_id: uuid.UUID, first: date
) -> int:
    return (
        session.scalar(
            select(func.count()).where(
                MonitoringReturn.collaboration_id == collaboration_id,
                MonitoringReturn.organisation_id == organisation_id,
                MonitoringReturn.period_start == first,
            )
        )
        or 0
    )
