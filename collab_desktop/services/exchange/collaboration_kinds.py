"""Two kinds built on record sets: a whole collaboration (to a colleague's laptop, or handed
over to a partner) and one agreement version sent for review or signature, with the
collaboration, partners and contacts it names so that a laptop that never had them can
show and print it."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab_desktop.models import (
    Activity,
    ActivitySession,
    Agreement,
    AgreementVersion,
    Attendance,
    Collaboration,
    Contact,
    Enrolment,
    Facilitator,
    Member,
    Organisation,
    Participant,
    Responsibility,
    SessionLeader,
    Signatory,
)
from collab_desktop.services.errors import NotFound
from collab_desktop.services.exchange import agreement_history, matching, proposals, recordset
from collab_desktop.services.exchange.kinds import (
    Applied,
    Choices,
    PackKind,
    Preview,
    Sender,
    register_kind,
)
from collab_desktop.services.exchange.recordset import read_rows, rows_by_ids, table


def _ids(rows: list[dict], name: str = "id") -> set[uuid.UUID]:
    values = (r["id"] if name == "id" else r["fields"].get(name) for r in rows)
    return {uuid.UUID(v) for v in values if v}


def _people_and_partners(
    session: Session, records: dict[str, list[dict]], org_ids: set[uuid.UUID]
) -> None:
    """Partners and contacts the other records name (members, funder, who is responsible,
    who signs, who leads), so that every reference finds its row on the other laptop."""
    contact_ids: set[uuid.UUID] = set()
    for tablename in ("responsibility", "facilitator", "session_leader"):
        contact_ids |= _ids(records.get(tablename, []), "contact_id")
    for tablename in ("responsibility", "signatory"):
        org_ids |= _ids(records.get(tablename, []), "organisation_id")
    contacts = rows_by_ids(session, Contact, contact_ids)
    org_ids |= _ids(contacts, "organisation_id")
    records["organisation"] = rows_by_ids(session, Organisation, org_ids)
    # Every contact of the partners too: who to ring is what a colleague needs.
    listed = read_rows(session, Contact, table(Contact).c.organisation_id.in_(sorted(org_ids)))
    seen = {r["id"] for r in listed}
    records["contact"] = listed + [c for c in contacts if c["id"] not in seen]


def export_collaboration(session: Session, request: dict) -> dict:
    cid = uuid.UUID(request["collaboration_id"])
    c = table(Collaboration).c
    records: dict[str, list[dict]] = {
        "collaboration": read_rows(session, Collaboration, c.id == cid)
    }
    if not records["collaboration"]:
        raise NotFound("That collaboration is no longer in the records.")
    records["member"] = read_rows(session, Member, table(Member).c.collaboration_id == cid)
    records["agreement"] = read_rows(session, Agreement, table(Agreement).c.collaboration_id == cid)
    versions = read_rows(
        session, AgreementVersion,
        table(AgreementVersion).c.agreement_id.in_(sorted(_ids(records["agreement"]))),
    )  # fmt: skip
    records["agreement_version"] = versions
    version_ids = sorted(_ids(versions))
    for model in (Responsibility, Signatory):
        records[model.__tablename__] = read_rows(
            session, model, table(model).c.version_id.in_(version_ids)
        )
    records["activity"] = read_rows(session, Activity, table(Activity).c.collaboration_id == cid)
    activity_ids = sorted(_ids(records["activity"]))
    records["facilitator"] = read_rows(
        session, Facilitator, table(Facilitator).c.activity_id.in_(activity_ids)
    )
    sessions_ = read_rows(
        session, ActivitySession, table(ActivitySession).c.activity_id.in_(activity_ids)
    )
    records["activity_session"] = sessions_
    session_ids = sorted(_ids(sessions_))
    records["session_leader"] = rows_by_ids(
        session, SessionLeader,
        session.scalars(select(SessionLeader.id).where(SessionLeader.session_id.in_(session_ids))),
    )  # fmt: skip
    if request.get("participants"):
        records["enrolment"] = read_rows(
            session, Enrolment, table(Enrolment).c.activity_id.in_(activity_ids)
        )
        attendance = rows_by_ids(
            session, Attendance,
            session.scalars(select(Attendance.id).where(Attendance.session_id.in_(session_ids))),
        )  # fmt: skip
        records["attendance"] = attendance
        people = _ids(records["enrolment"], "participant_id") | _ids(attendance, "participant_id")
        records["participant"] = rows_by_ids(session, Participant, people)
    orgs = _ids(records["member"], "organisation_id")
    funder = records["collaboration"][0]["fields"].get("funder_id")
    if funder:
        orgs.add(uuid.UUID(funder))
    _people_and_partners(session, records, orgs)
    return {"records": records, "participants": bool(request.get("participants"))}


def export_agreement_version(session: Session, request: dict) -> dict:
    vid = uuid.UUID(request["version_id"])
    version = read_rows(session, AgreementVersion, table(AgreementVersion).c.id == vid)
    if not version:
        raise NotFound("That agreement version is no longer in the records.")
    aid = uuid.UUID(version[0]["fields"]["agreement_id"])
    agreement = read_rows(session, Agreement, table(Agreement).c.id == aid)
    cid = uuid.UUID(agreement[0]["fields"]["collaboration_id"])
    records: dict[str, list[dict]] = {
        "collaboration": read_rows(session, Collaboration, table(Collaboration).c.id == cid),
        "member": read_rows(session, Member, table(Member).c.collaboration_id == cid),
        "agreement": agreement,
        "agreement_version": version,
        "responsibility": read_rows(session, Responsibility,
                                    table(Responsibility).c.version_id == vid),
        "signatory": read_rows(session, Signatory, table(Signatory).c.version_id == vid),
    }  # fmt: skip
    # Later versions point back at this one only through superseded_by_id, which stays local.
    records["agreement_version"][0]["fields"]["superseded_by_id"] = None
    _people_and_partners(session, records, _ids(records["member"], "organisation_id"))
    return {"records": records, "participants": False}


class _Planned:
    def __init__(self, result: recordset.Plan, drafts: dict, links: list[matching.Match]) -> None:
        self.result, self.drafts, self.links = result, drafts, links


def _plan(session: Session, data: dict, sender: Sender, choices: Choices | None) -> _Planned:
    choices = choices or {}
    kept = matching.links(session)
    suggested = matching.suggest(session, data["records"], sender, kept)
    links = [m for m in suggested.values() if not matching.declined(choices, m)]
    mapping = {**kept, **{m.theirs: m.ours for m in links}}
    records = matching.translate(data["records"], mapping)
    records, drafts = proposals.divert(session, records)
    peer_id = uuid.UUID(mapping.get(str(sender.organisation_id), str(sender.organisation_id)))
    result = recordset.plan(session, records, peer_id)
    for line in result.preview.lines:
        table_name, _, rid = line.key.partition(":")
        if table_name == "agreement_version" and rid in drafts and line.state == "new":
            line.reason = proposals.reason(drafts[rid], sender.name)
    result.preview.notes += [proposals.note(d, sender.name) for d in drafts.values()]
    _explain_matches(result, suggested, links, sender)
    return _Planned(result, drafts, links)


def _explain_matches(
    result: recordset.Plan,
    suggested: dict[str, matching.Match],
    links: list[matching.Match],
    sender: Sender,
) -> None:
    linked = {f"organisation:{m.ours}": m for m in links}
    for line in result.preview.lines:
        m = linked.get(line.key) or suggested.get(line.key.partition(":")[2])
        if m is None or not line.key.startswith("organisation:"):
            continue
        line.match, line.link_key = m.name, matching.line_key(m)
        if m in links:
            # Their details are the base from now on; ours stay (nothing is set aside).
            result.actions.pop(line.key, None)
            line.state, line.fields = "same", []
            line.reason = (
                f"Not known here by its record, but named like your partner “{m.name}”: taken "
                "to be the same (your details stay). Choose “a different partner” if it is not."
            )
        else:
            line.reason = f"Added as a new partner: you said it is not your “{m.name}”."
    if str(sender.organisation_id) in suggested:
        m = suggested[str(sender.organisation_id)]
        if m in links:
            result.preview.notes.append(
                f"The sender, {sender.name}, is not known here by its record; it is taken to be "
                f"your partner “{m.name}” (same name)."
            )


def preview_records(session: Session, data: dict, sender: Sender) -> Preview:
    return _plan(session, data, sender, None).result.preview


def apply_records(session: Session, data: dict, sender: Sender, choices: Choices) -> Applied:
    planned = _plan(session, data, sender, choices)
    result, drafts = planned.result, planned.drafts
    for link in planned.links:
        matching.keep_link(session, link)
    via = f"from {sender.name}'s exchange pack"
    version_ids = [uuid.UUID(r["id"]) for r in data["records"].get("agreement_version", [])]
    signatures_before, statuses_before = agreement_history.signing_state(session, version_ids)
    peer_id = matching.here_id(session, sender.organisation_id)
    counts = recordset.apply_plan(session, result, peer_id, choices, sender.name, sender.pack_id)
    session.expire_all()
    audit = session.info.get("audit")
    if audit is not None:
        for tablename, rid, _fields, is_new in result.actions.values():
            if tablename == "agreement_version" and is_new and rid in drafts:
                proposals.record_proposed(audit, session, drafts[rid], sender.name, via)
            elif tablename == "agreement_version" and is_new:
                agreement_history.new_version(audit, session, uuid.UUID(rid), via)
        agreement_history.signatures_arrived(
            audit, session, signatures_before, statuses_before, via
        )
    return Applied(counts=counts)


def _describe_collaboration(data: dict) -> str:
    records = data.get("records", {})
    name = next((r["fields"].get("name", "") for r in records.get("collaboration", [])), "")
    return f"Collaboration “{name}”" + (" with participants and registers"
                                         if data.get("participants") else "")  # fmt: skip


def _describe_agreement(data: dict) -> str:
    records = data.get("records", {})
    title = next((r["fields"].get("title", "") for r in records.get("agreement", [])), "")
    number = next((r["fields"].get("number") for r in records.get("agreement_version", [])), "")
    return f"Agreement “{title}”, version {number}"


register_kind(PackKind(
    name="collaboration", label="Whole collaboration", personal=False,
    export=export_collaboration, preview=preview_records, apply=apply_records,
    describe=_describe_collaboration, personal_if=lambda request: bool(request.get("participants")),
))  # fmt: skip
register_kind(PackKind(
    name="agreement_version", label="Agreement version for review or signature", personal=False,
    export=export_agreement_version, preview=preview_records, apply=apply_records,
    describe=_describe_agreement,
))  # fmt: skip
