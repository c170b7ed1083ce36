"""Returns carried by pack payloads between three laptops (issue 13's "done when", without
the file transport, which is the exchange's): the lead sends a template, two partners send
their quarter's returns, the lead's board shows one received and one late, then both, with
totals; a query goes back and is answered. And each pack that must not come in is refused."""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

import pytest

from collab_desktop.services.errors import ServiceError, StateError
from collab_desktop.services.open_records import Services, open_services
from collab_desktop.services.returns import packs
from tests.builders import add_partner
from tests.delivery_builders import Group, needlework_group
from tests.returns_builders import AFTER_Q1, Q1, record, template

PACT = "Pact"
BEFORE_DUE = date(2026, 4, 20)
AFTER_DUE = date(2026, 5, 5)


@dataclass
class Alliance:
    lead: Services
    recoop: Services
    pact: Services
    group: Group
    pact_id: uuid.UUID

    def all(self):
        return (self.lead, self.recoop, self.pact)


def _copy(source, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    for companion in source.parent.glob(f"{source.stem}.*"):
        if companion != source and not companion.name.endswith(".lock"):
            shutil.copyfile(
                companion, target.with_name(target.stem + companion.name[len(source.stem) :])
            )


@pytest.fixture
def alliance(tmp_path, new_database):
    """One collaboration on three laptops (the same records, as the exchange of a whole
    collaboration would leave them): Fine Cell Work leads, RECOOP and Pact are partners."""
    lead_path = new_database(tmp_path / "lead" / "collab-desktop.sqlite3")
    lead = open_services(lead_path)
    group = needlework_group(lead)
    pact_id = add_partner(lead, PACT)
    data = lead.collaborations.get_collaboration(group.case.collaboration)
    from collab_desktop.services.collaborations import MemberData

    data.members.append(MemberData(pact_id, "partner"))
    lead.collaborations.save_collaboration(data)
    lead.close()
    paths = {}
    for name in ("recoop", "pact"):
        paths[name] = tmp_path / name / "collab-desktop.sqlite3"
        _copy(lead_path, paths[name])
    found = Alliance(open_services(lead_path), open_services(paths["recoop"]),
                     open_services(paths["pact"]), group, pact_id)  # fmt: skip
    yield found
    for s in found.all():
        s.close()


def carried(data):
    """As the pack carries it: JSON text and back."""
    return json.loads(json.dumps(data))


def export(services, fn, request):
    with services.returns._sessions.begin() as session:
        return carried(fn(session, request))


def apply(services, fn, data, sender):
    with services.returns._sessions.begin() as session:
        return fn(session, data, sender)


def preview(services, fn, data, sender):
    with services.returns._sessions() as session:
        return fn(session, data, sender)


def send_template(a: Alliance) -> uuid.UUID:
    t = template(a.lead, a.group)
    data = export(a.lead, packs.export_template, {"template_id": t})
    for partner in (a.recoop, a.pact):
        (line,) = preview(partner, packs.preview_template, data, a.group.case.fine_cell_work)
        assert line.state == "new"
        apply(partner, packs.apply_template, data, a.group.case.fine_cell_work)
    return t


def partner_return(services, a: Alliance, org, contacts: float, today=BEFORE_DUE):
    (t,) = services.returns.templates_of(a.group.case.collaboration)
    rid = services.returns.draft(
        a.group.case.collaboration, org, *Q1, today=today, template_id=t.id
    )
    services.returns.save_draft(rid, {("family_contacts", ""): contacts}, went_well="Steady")
    services.returns.sign_off(rid, "Signer", today=today, now=noon(today))
    return export(services, packs.export_return, {"return_id": rid}), rid


def noon(day):
    return datetime.combine(day, time(12), timezone.utc)


def cells(a: Alliance, today):
    t = a.lead.returns.templates_of(a.group.case.collaboration)[0].id
    (period,) = a.lead.returns.board(a.group.case.collaboration, t, [Q1], today=today)
    return {c.organisation: c for c in period.cells}, period


def test_lead_template_two_partners_board_totals_query_and_answer(alliance):
    a = alliance
    case = a.group.case
    send_template(a)
    # RECOOP's laptop has the group's registers; Pact ran two sessions of its own.
    record(a.recoop, a.group, date(2026, 1, 6), "Alan Barker", "Colin Fry")
    record(a.recoop, a.group, date(2026, 1, 13), "Alan Barker", "Peter Stone", "Paul Sands")
    record(a.pact, a.group, date(2026, 1, 6), "Derek Moss")
    recoop_pack, recoop_rid = partner_return(a.recoop, a, case.recoop, 12)
    assert a.recoop.returns.get(recoop_rid).status == "sent"
    apply(a.lead, packs.apply_return, recoop_pack, case.recoop)

    by_org, _ = cells(a, AFTER_DUE)
    assert by_org["RECOOP"].state == "received"
    assert by_org[PACT].state == "late"
    assert by_org["Fine Cell Work"].state == "late"  # the lead reports too, and has not

    pact_pack, _ = partner_return(a.pact, a, a.pact_id, 4, today=AFTER_DUE)
    apply(a.lead, packs.apply_return, pact_pack, a.pact_id)
    by_org, period = cells(a, AFTER_DUE)
    assert by_org[PACT].state == "received late" and by_org["RECOOP"].state == "received"
    totals = {(t.code, t.breakdown): t for t in period.totals}
    assert totals[("attendances", "")].value == 5 + 1
    assert totals[("family_contacts", "")].value == 16
    share = totals[("family_contacts", "")].shares
    assert share["RECOOP"] == (12, 0.75, 1) and share[PACT] == (4, 0.25, 1)
    assert totals[("average_attendance", "")].value == round(6 / 3, 1)

    # The lead queries RECOOP's return and sends it back; RECOOP answers; the lead sees it.
    a.lead.returns.ask(recoop_rid, "12 family contacts from 2 sessions?", by="Sarah Bennett")
    assert cells(a, AFTER_DUE)[0]["RECOOP"].state == "queried"
    back = export(a.lead, packs.export_return, {"return_id": recoop_rid})
    (line,) = preview(a.recoop, packs.preview_return, back, case.fine_cell_work)
    assert line.state == "update" and "query" in line.reason
    apply(a.recoop, packs.apply_return, back, case.fine_cell_work)
    mine = a.recoop.returns.get(recoop_rid)
    assert mine.status == "queried" and mine.queries[0].question.startswith("12 family")
    a.recoop.returns.answer(recoop_rid, "Most were letters arranged between sessions.")
    answered = export(a.recoop, packs.export_return, {"return_id": recoop_rid})
    apply(a.lead, packs.apply_return, answered, case.recoop)
    theirs = a.lead.returns.get(recoop_rid)
    assert theirs.status == "received" and theirs.queries[0].answer.startswith("Most were")
    assert cells(a, AFTER_DUE)[0]["RECOOP"].state == "received"
    # Importing the same pack again changes nothing.
    (again,) = preview(a.lead, packs.preview_return, answered, case.recoop)
    assert again.state == "same"


def test_a_second_version_replaces_the_first_in_the_totals_and_both_are_kept(alliance):
    a = alliance
    send_template(a)
    record(a.recoop, a.group, date(2026, 1, 6), "Alan Barker", "Colin Fry")
    first_pack, _ = partner_return(a.recoop, a, a.group.case.recoop, 12)
    apply(a.lead, packs.apply_return, first_pack, a.group.case.recoop)
    record(a.recoop, a.group, date(2026, 1, 13), "Alan Barker")  # a register found later
    rid = a.recoop.returns.draft(a.group.case.collaboration, a.group.case.recoop, *Q1,
                                 today=BEFORE_DUE, confirmed=True)  # fmt: skip
    a.recoop.returns.sign_off(rid, "Signer", today=BEFORE_DUE)
    second = export(a.recoop, packs.export_return, {"return_id": rid})
    (line,) = preview(a.lead, packs.preview_return, second, a.group.case.recoop)
    assert "replaces version 1" in line.reason
    apply(a.lead, packs.apply_return, second, a.group.case.recoop)
    by_org, period = cells(a, AFTER_DUE)
    assert (by_org["RECOOP"].versions, by_org["RECOOP"].counted_version) == (2, 2)
    totals = {(t.code, t.breakdown): t for t in period.totals}
    assert totals[("attendances", "")].value == 3
    assert totals[("attendances", "")].shares["RECOOP"][2] == 2


def test_a_return_from_a_non_member_is_refused(alliance):
    a = alliance
    send_template(a)
    pack, _ = partner_return(a.recoop, a, a.group.case.recoop, 1)
    stranger = add_partner(a.lead, "Unknown Trust")
    pack["return"]["organisation_id"] = str(stranger)
    pack["return"]["organisation"] = "Unknown Trust"
    (line,) = preview(a.lead, packs.preview_return, pack, stranger)
    assert line.state == "refused" and "not a member" in line.reason
    with pytest.raises(ServiceError, match="not a member"):
        apply(a.lead, packs.apply_return, pack, stranger)
    assert a.lead.returns.list_returns() == []


def test_someone_elses_return_and_a_draft_are_refused(alliance):
    a = alliance
    send_template(a)
    pack, _ = partner_return(a.recoop, a, a.group.case.recoop, 1)
    (line,) = preview(a.lead, packs.preview_return, pack, a.pact_id)
    assert line.state == "refused" and "only the partner itself" in line.reason
    pack["return"]["status"] = "draft"
    (line,) = preview(a.lead, packs.preview_return, pack, a.group.case.recoop)
    assert line.state == "refused" and "not signed off" in line.reason
    draft = a.pact.returns.draft(a.group.case.collaboration, a.pact_id, *Q1, today=AFTER_Q1)
    with pytest.raises(StateError, match="sign it off first"):
        export(a.pact, packs.export_return, {"return_id": draft})


def test_a_template_from_a_non_lead_or_for_an_unknown_collaboration_is_refused(alliance):
    a = alliance
    t = template(a.lead, a.group)
    data = export(a.lead, packs.export_template, {"template_id": t})
    (line,) = preview(a.recoop, packs.preview_template, data, a.pact_id)
    assert line.state == "refused" and "not its lead" in line.reason
    data["template"]["collaboration_id"] = str(uuid.uuid4())
    (line,) = preview(a.recoop, packs.preview_template, data, a.group.case.fine_cell_work)
    assert line.state == "refused" and "import the collaboration" in line.reason
    with pytest.raises(ServiceError, match="different version"):
        preview(a.recoop, packs.preview_template, {"schema": 99}, a.group.case.fine_cell_work)


def test_a_changed_template_updates_the_partner_and_its_draft_says_so(alliance):
    a = alliance
    t = send_template(a)
    rid = a.recoop.returns.draft(a.group.case.collaboration, a.group.case.recoop, *Q1,
                                 template_id=t, today=AFTER_Q1)  # fmt: skip
    data = a.lead.returns.get_template(t)
    data.due_days = 45
    a.lead.returns.save_template(data)
    pack = export(a.lead, packs.export_template, {"template_id": t})
    (line,) = preview(a.recoop, packs.preview_template, pack, a.group.case.fine_cell_work)
    assert line.state == "update"
    apply(a.recoop, packs.apply_template, pack, a.group.case.fine_cell_work)
    assert a.recoop.returns.get_template(t).version == 2
    assert any("changed the template" in c.message for c in a.recoop.returns.checks(rid, AFTER_Q1))
    assert packs.describe(pack) == (
        "Return template “Quarterly monitoring” version 2 (Needlework group at HMP Leyhill)"
    )
