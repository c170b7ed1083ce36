"""The two exchange-pack kinds of returns (services/exchange/kinds.py, docs/exchange-packs.md):

- "return_template": the lead's template, sent to its partners, who then draft from it;
- "monitoring_return": a partner's signed-off return, sent to the lead; and the same return
  sent back by the lead with its query (the partner's copy then shows the query to answer).

Each is plain data both ways (export -> dict -> preview / apply), and nothing in it names a
participant: a return carries aggregates only. preview() never writes; apply() writes in the
session it is given and never commits (the import owns the one transaction), and refuses
with a ServiceError what must not come in. exchange_kinds.py registers them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from collab_desktop.models import (
    Collaboration,
    MonitoringReturn,
    Organisation,
    ReturnFigure,
    ReturnQuery,
    ReturnTemplate,
)
from collab_desktop.services.errors import NotFound, ServiceError, StateError
from collab_desktop.services.returns import drafting, templates
from collab_desktop.services.returns.periods import period_name
from collab_desktop.services.returns.states import SENDABLE
from collab_desktop.services.returns.templates import IndicatorData, TemplateData

SCHEMA = 1
TEMPLATE_KIND = "return_template"
RETURN_KIND = "monitoring_return"


@dataclass(frozen=True)
class PackLine:
    """One record of a pack as the import preview shows it (the exchange's RecordLine)."""

    key: str
    what: str
    label: str
    state: str  # new / update / same / refused
    reason: str = ""


@dataclass
class Applied:
    counts: dict[str, int] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _refuse_schema(data: dict[str, Any], what: str) -> None:
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ServiceError(
            f"This {what} was made by a different version of Collab Desktop and cannot be read "
            "here. Ask the sender which version they use."
        )


# -- return templates -----------------------------------------------------------------------


def export_template(session: Session, request: dict[str, Any]) -> dict[str, Any]:
    t = templates.get_template(session, uuid.UUID(str(request["template_id"])))
    c = session.get(Collaboration, t.collaboration_id)
    lead = session.get(Organisation, t.lead_id)
    data = templates.template_data(t)
    return {
        "schema": SCHEMA,
        "template": {
            "id": str(t.id),
            "collaboration_id": str(t.collaboration_id),
            "collaboration": c.name if c else "",
            "lead_id": str(t.lead_id),
            "lead": lead.name if lead else "",
            "name": t.name,
            "period_kind": t.period_kind,
            "due_days": t.due_days,
            "due_dates": {s.isoformat(): d.isoformat() for s, d in data.due_dates.items()},
            "version": t.version,
            "notes": t.notes,
            "indicators": [
                {
                    "code": i.code, "name": i.name, "definition": i.definition, "unit": i.unit,
                    "kind": i.kind, "measure": i.measure, "breakdowns": i.breakdowns,
                    "required": i.required,
                }
                for i in data.indicators
            ],
        },
    }  # fmt: skip


def _template_problem(session: Session, t: dict[str, Any], sender: uuid.UUID) -> str:
    if session.get(Collaboration, uuid.UUID(t["collaboration_id"])) is None:
        return (
            f"The collaboration “{t['collaboration']}” is not in these records yet: import the "
            "collaboration from the lead first, then this template."
        )
    if uuid.UUID(t["lead_id"]) != sender:
        return "This template was sent by an organisation that is not its lead, so it is refused."
    if not drafting.is_member(session, uuid.UUID(t["collaboration_id"]), sender):
        return drafting.not_a_member(session, uuid.UUID(t["collaboration_id"]), sender)
    return ""


def preview_template(session: Session, data: dict[str, Any], sender: uuid.UUID) -> list[PackLine]:
    _refuse_schema(data, "template")
    t = data["template"]
    key = f"{TEMPLATE_KIND}:{t['id']}"
    label = f"{t['name']} (version {t['version']}), {t['collaboration']}"
    problem = _template_problem(session, t, sender)
    if problem:
        return [PackLine(key, "Return template", label, "refused", problem)]
    ours = session.get(ReturnTemplate, uuid.UUID(t["id"]))
    if ours is None:
        return [PackLine(key, "Return template", label, "new")]
    if ours.version >= t["version"]:
        older = ours.version > t["version"]
        reason = f"Version {ours.version} is already here" + (
            ": this pack is older, so nothing changes." if older else "."
        )
        return [PackLine(key, "Return template", label, "same", reason)]
    return [
        PackLine(
            key, "Return template", label, "update",
            f"Replaces version {ours.version}. Drafts made from it will say so, and keep what "
            "was typed when drafted again.",
        )
    ]  # fmt: skip


def apply_template(session: Session, data: dict[str, Any], sender: uuid.UUID) -> Applied:
    (line,) = preview_template(session, data, sender)
    if line.state == "refused":
        raise ServiceError(line.reason)
    applied = Applied({line.state: 1})
    if line.state == "same":
        return applied
    t = data["template"]
    dues = t["due_dates"].items()
    saved = templates.save_template(
        session,
        TemplateData(
            id=uuid.UUID(t["id"]),
            collaboration_id=uuid.UUID(t["collaboration_id"]),
            lead_id=uuid.UUID(t["lead_id"]),
            name=t["name"],
            period_kind=t["period_kind"],
            due_days=int(t["due_days"]),
            due_dates={date.fromisoformat(s): date.fromisoformat(d) for s, d in dues},
            notes=t.get("notes", ""),
            indicators=[
                IndicatorData(
                    code=i["code"], name=i["name"], definition=i["definition"], unit=i["unit"],
                    kind=i["kind"], measure=i["measure"], breakdowns=list(i["breakdowns"]),
                    required=bool(i["required"]),
                )
                for i in t["indicators"]
            ],
        ),
    )  # fmt: skip
    # The lead's number, not one counted here: both laptops then speak of the same version.
    saved.version = int(t["version"])
    session.flush()
    applied.touched = {"return_template", "template_indicator"}
    return applied


# -- monitoring returns ---------------------------------------------------------------------


def export_return(session: Session, request: dict[str, Any]) -> dict[str, Any]:
    """A signed-off return, to send to the lead (it is then marked sent), or a received
    return with the lead's query, to send back to the partner."""
    r = drafting.get_return(session, uuid.UUID(str(request["return_id"])))
    if r.status not in SENDABLE:
        raise StateError("Only a signed-off return can be sent: check it and sign it off first.")
    if r.origin == "own" and r.status == "signed_off":
        r.status, r.sent_at = "sent", drafting.utcnow()
        session.flush()
    data = drafting.return_data(session, r)
    return {
        "schema": SCHEMA,
        "return": {
            "id": str(r.id),
            "collaboration_id": str(r.collaboration_id),
            "collaboration": data.collaboration,
            "organisation_id": str(r.organisation_id),
            "organisation": data.organisation,
            "template_id": str(r.template_id) if r.template_id else None,
            "template_version": r.template_version,
            "period_start": r.period_start.isoformat(),
            "period_end": r.period_end.isoformat(),
            "version": r.version,
            "status": r.status,
            "signed_off_by": r.signed_off_by,
            "signed_off_at": _iso(r.signed_off_at),
            "went_well": r.went_well,
            "problems": r.problems,
            "case_study": r.case_study,
            "notices": data.notices,
            "figures": [
                {"code": f.code, "breakdown": f.breakdown, "name": f.name, "unit": f.unit,
                 "source": f.source, "value": f.value}
                for f in data.figures
            ],
            "queries": [
                {"id": str(q.id), "asked_at": _iso(q.asked_at), "asked_by": q.asked_by,
                 "question": q.question, "answer": q.answer, "answered_at": _iso(q.answered_at)}
                for q in data.queries
            ],
        },
    }  # fmt: skip


def _label(r: dict[str, Any]) -> str:
    first, last = date.fromisoformat(r["period_start"]), date.fromisoformat(r["period_end"])
    period = period_name(first, last)
    return f"{r['organisation']}: {period} version {r['version']}, {r['collaboration']}"


def _return_line(session: Session, data: dict[str, Any], sender: uuid.UUID) -> PackLine:
    _refuse_schema(data, "return")
    r = data["return"]
    key, label = f"{RETURN_KIND}:{r['id']}", _label(r)

    def line(state: str, reason: str = "") -> PackLine:
        return PackLine(key, "Monitoring return", label, state, reason)

    ours = session.get(MonitoringReturn, uuid.UUID(r["id"]))
    collaboration_id, org = uuid.UUID(r["collaboration_id"]), uuid.UUID(r["organisation_id"])
    if ours is not None and ours.origin == "own":
        # Our own return, back from the lead with a query.
        new = {q["id"] for q in r["queries"]} - {str(q.id) for q in ours.queries}
        if not new:
            return line("same", "Every query on it is already here.")
        return line("update", f"The lead sent it back with {len(new)} query(ies) to answer.")
    if session.get(Collaboration, collaboration_id) is None:
        return line(
            "refused",
            f"The collaboration “{r['collaboration']}” is not in these records, so its return "
            "has nowhere to go.",
        )
    if session.get(Organisation, org) is None or not drafting.is_member(
        session, collaboration_id, org
    ):
        return line(
            "refused",
            f"{r['organisation']} is not a member of {r['collaboration']} in these records, so "
            "its return is not counted. If it has joined, add it to the members and import "
            "the pack again.",
        )
    if sender != org:
        return line(
            "refused",
            f"This is {r['organisation']}'s return but it was sent by another organisation: "
            "only the partner itself can send its return.",
        )
    if r["status"] not in ("signed_off", "sent", "received", "queried"):
        return line("refused", "This return was not signed off: ask the partner to sign it off.")
    if ours is not None:
        open_here = [q for q in ours.queries if not q.answer]
        answered = {q["id"] for q in r["queries"] if q["answer"]}
        if any(str(q.id) in answered for q in open_here):
            return line("update", "The partner answered the query.")
        return line("same", "This version is already here.")
    newest = drafting.latest(session, collaboration_id, org, date.fromisoformat(r["period_start"]))
    if newest is not None and newest.version >= r["version"]:
        return line(
            "new",
            f"Version {newest.version} is already here: this older version is kept as well, "
            "and the totals go on counting the newest.",
        )
    if newest is not None:
        return line(
            "new",
            f"A new version: replaces version {newest.version} in the totals (both are kept).",
        )
    return line("new")


def preview_return(session: Session, data: dict[str, Any], sender: uuid.UUID) -> list[PackLine]:
    return [_return_line(session, data, sender)]


def apply_return(session: Session, data: dict[str, Any], sender: uuid.UUID) -> Applied:
    line = _return_line(session, data, sender)
    if line.state == "refused":
        raise ServiceError(line.reason)
    applied = Applied({line.state: 1})
    if line.state == "same":
        return applied
    r = data["return"]
    ours = session.get(MonitoringReturn, uuid.UUID(r["id"]))
    if ours is not None and ours.origin == "own":
        known = {str(q.id) for q in ours.queries}
        for q in r["queries"]:
            if q["id"] not in known:
                ours.queries.append(_query(q))
        ours.status = "queried"
    elif ours is not None:
        answers = {q["id"]: q for q in r["queries"]}
        for q in ours.queries:
            theirs = answers.get(str(q.id))
            if theirs and theirs["answer"] and not q.answer:
                q.answer, q.answered_at = theirs["answer"], _moment(theirs["answered_at"])
        if all(q.answer for q in ours.queries):
            ours.status = "received"
    else:
        template_id = uuid.UUID(r["template_id"]) if r["template_id"] else None
        if template_id is not None and session.get(ReturnTemplate, template_id) is None:
            template_id = None
        session.add(
            MonitoringReturn(
                id=uuid.UUID(r["id"]),
                collaboration_id=uuid.UUID(r["collaboration_id"]),
                organisation_id=uuid.UUID(r["organisation_id"]),
                template_id=template_id,
                template_version=int(r["template_version"]),
                period_start=date.fromisoformat(r["period_start"]),
                period_end=date.fromisoformat(r["period_end"]),
                version=int(r["version"]),
                status="received",
                origin="received",
                signed_off_by=r["signed_off_by"],
                signed_off_at=_moment(r["signed_off_at"]),
                received_at=drafting.utcnow(),
                went_well=r["went_well"],
                problems=r["problems"],
                case_study=r["case_study"],
                notices="\n".join(r["notices"]),
                figures=[
                    ReturnFigure(
                        position=n, code=f["code"], breakdown=f["breakdown"], name=f["name"],
                        unit=f["unit"], source=f["source"],
                        value=None if f["value"] is None else float(f["value"]),
                    )
                    for n, f in enumerate(r["figures"])
                ],
                queries=[_query(q) for q in r["queries"]],
            )
        )  # fmt: skip
    session.flush()
    applied.touched = {"monitoring_return", "return_figure", "return_query"}
    return applied


def _query(q: dict[str, Any]) -> ReturnQuery:
    return ReturnQuery(
        id=uuid.UUID(q["id"]),
        asked_at=_moment(q["asked_at"]),
        asked_by=q["asked_by"],
        question=q["question"],
        answer=q["answer"],
        answered_at=_moment(q["answered_at"]),
    )


def describe(data: dict[str, Any]) -> str:
    """One line for the audit trail and receipts: no personal data."""
    if "template" in data:
        t = data["template"]
        return f"Return template “{t['name']}” version {t['version']} ({t['collaboration']})"
    if "return" in data:
        return "Monitoring return " + _label(data["return"])
    raise NotFound("Not a returns pack.")
