"""Issue 13: a return's sign-off, the lead's query and the partner's answer are in the audit
trail, with who and which return; sending and receiving are the exchange's entries."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from collab_desktop.models import AuditEntry
from collab_desktop.services.returns import packs
from tests.returns_builders import record
from tests.unit.test_returns_packs import (  # noqa: F401  (the fixture)
    alliance,
    apply,
    export,
    partner_return,
    send_template,
)


def entries(services):
    with services.returns._sessions() as session:
        return [
            (e.action, e.summary)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.seq))
            if e.action.startswith("return_")
        ]


def test_sign_off_query_and_answer_are_audited(alliance):  # noqa: F811
    a = alliance
    case = a.group.case
    send_template(a)
    record(a.recoop, a.group, date(2026, 1, 6), "Alan Barker")
    sent, rid = partner_return(a.recoop, a, case.recoop, 3)
    assert entries(a.recoop) == [
        ("return_signed_off", "Signed off by Signer: RECOOP's return for Q1 2026, version 1")
    ]
    apply(a.lead, packs.apply_return, sent, case.recoop)
    a.lead.returns.ask(rid, "Only 3?", by="Sarah Bennett")
    assert entries(a.lead)[-1] == (
        "return_queried",
        "Query sent back: RECOOP's return for Q1 2026, version 1",
    )
    apply(a.recoop, packs.apply_return, export(a.lead, packs.export_return, {"return_id": rid}),
          case.fine_cell_work)  # fmt: skip
    a.recoop.returns.answer(rid, "Yes, a quiet quarter.")
    assert entries(a.recoop)[-1][0] == "return_query_answered"
    # The chain still holds with the new entries in it.
    assert a.recoop.audit.verify() == [] and a.lead.audit.verify() == []
