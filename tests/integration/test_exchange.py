"""Exchange packs between two laptops (issue 12): the counter-signature round trip, a whole
collaboration to a new laptop, re-import, three-way conflicts, keys and receipts."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from collab_desktop.services.errors import ServiceError
from collab_desktop.services.exchange import PackRefused
from collab_desktop.services.open_records import Services
from tests.builders import reference_agreement
from tests.delivery_builders import FIRST, needlework_group, session_on
from tests.exchange_helpers import table_counts, two_laptops


@pytest.fixture
def laptops(tmp_path, new_database):
    with two_laptops(tmp_path, new_database) as pair:
        yield pair


def _import(services: Services, data: bytes, own: uuid.UUID | None, passphrase=None, choices=None):
    opened = services.exchange.read_pack(data, own, passphrase)
    preview = services.exchange.preview(opened)
    result = services.exchange.apply(opened, choices, own)
    return opened, preview, result


def test_counter_signature_round_trip(laptops):
    a, b = laptops
    case, version_id = reference_agreement(a)
    fingerprint = a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    assert out.encryption == "none"

    opened, preview, result = _import(b, out.data, case.recoop)
    assert opened.new_key and opened.sender.name == "Fine Cell Work"
    assert preview.counts["new"] >= 6 and not preview.counts["conflict"]
    assert result.changed
    on_b = b.agreements.get_version(version_id)
    assert on_b.status == "awaiting_signatures" and on_b.fingerprint == fingerprint
    assert b.agreements.find_by_fingerprint(fingerprint)
    assert b.exchange.peer(case.fine_cell_work).fingerprint == a.exchange.identity().fingerprint
    # Its history on B accounts for its state: no "changed outside the app" warning.
    assert not b.agreements.get_version(version_id).warnings

    for s in on_b.signatories:
        if s.required:
            b.agreements.record_signature(s.id, date(2025, 3, 10), "wet_ink", "Tom Rhys")
    assert b.agreements.get_version(version_id).status == "signed_off"
    back = b.exchange.export_pack("signatures", {"version_id": str(version_id)}, case.recoop,
                                  recipient_id=case.fine_cell_work)  # fmt: skip
    assert back.encryption == "x25519"  # A's key was learned from its pack

    _opened, preview, result = _import(a, back.data, case.fine_cell_work)
    assert preview.notes and "signed off" in preview.notes[0]
    signed = a.agreements.get_version(version_id)
    assert signed.status == "signed_off"
    assert not signed.warnings
    actions = [e.action for e in a.audit.history(signed.agreement_id)]
    assert "signed_off" in actions and "exchange_import" in actions and "exchange_export" in actions

    # Again: nothing changes, and it says so.
    _opened, preview, again = _import(a, back.data, case.fine_cell_work)
    assert not again.changed and "Nothing changed" in again.message


def test_signatures_for_another_text_are_refused(laptops):
    a, b = laptops
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    _import(b, out.data, case.recoop)
    # A changes the text meanwhile and sends it again: B's signatures are for the old text.
    a.agreements.return_to_draft(version_id)
    data = a.agreements.get_version(version_id)
    data.sections["purpose"] = data.sections["purpose"] + " Changed."
    a.agreements.save_draft(data)
    a.agreements.send_for_signatures(version_id)
    first = next(s for s in b.agreements.get_version(version_id).signatories if s.required)
    b.agreements.record_signature(first.id, date(2025, 3, 10), "wet_ink", "Tom Rhys")
    back = b.exchange.export_pack("signatures", {"version_id": str(version_id)}, case.recoop)
    opened = a.exchange.read_pack(back.data, case.fine_cell_work)
    preview = a.exchange.preview(opened)
    assert [line.state for line in preview.lines] == ["refused"]
    assert "different text" in preview.lines[0].reason
    assert not a.exchange.apply(opened, None, case.fine_cell_work).changed
    assert not any(s.signed_on for s in a.agreements.get_version(version_id).signatories)


def test_whole_collaboration_to_a_new_laptop(laptops):
    a, b = laptops
    group = needlework_group(a)
    case = group.case
    s1 = session_on(a, group.activity, FIRST)
    a.attendance.save_register(s1, list(group.people.values())[:3], today=date(2026, 3, 2))
    request = {"collaboration_id": str(case.collaboration), "participants": True}
    with pytest.raises(ServiceError, match="passphrase"):
        a.exchange.export_pack("collaboration", request, case.fine_cell_work)
    out = a.exchange.export_pack("collaboration", request, case.fine_cell_work,
                                 passphrase="correct horse battery")  # fmt: skip
    assert out.encryption == "passphrase"
    before = table_counts(b)
    with pytest.raises(PackRefused, match="passphrase"):
        b.exchange.read_pack(out.data, None)
    with pytest.raises(PackRefused, match="does not open"):
        b.exchange.read_pack(out.data, None, "wrong one")
    assert table_counts(b) == before
    _opened, preview, result = _import(b, out.data, None, "correct horse battery")
    assert result.changed and preview.counts["new"] == sum(
        1 for line in preview.lines if line.state == "new"
    )
    mine = {t: n for t, n in table_counts(a).items() if not t.startswith(("exchange", "audit"))}
    theirs = {t: n for t, n in table_counts(b).items() if not t.startswith(("exchange", "audit"))}
    assert mine == theirs
    assert b.attendance.attendance_count(s1) == 3

    # The same pack again: nothing changes, nothing duplicated, and it says so.
    counts = table_counts(b)
    _opened, preview, again = _import(b, out.data, None, "correct horse battery")
    assert not again.changed and preview.counts["same"] == len(preview.lines)
    assert table_counts(b) == counts


def test_three_way_update_keep_ours_and_conflict(laptops, tmp_path):
    a, b = laptops
    group = needlework_group(a)
    case = group.case
    request = {"collaboration_id": str(case.collaboration)}
    first = a.exchange.export_pack("collaboration", request, case.fine_cell_work)
    _import(b, first.data, None)

    # A changes the purpose and the site; B changes the site differently and the notes.
    data = a.collaborations.get_collaboration(case.collaboration)
    data.purpose, data.site = "A new purpose from A.", "HMP Leyhill (A)"
    a.collaborations.save_collaboration(data)
    theirs = b.collaborations.get_collaboration(case.collaboration)
    theirs.site, theirs.notes = "HMP Leyhill (B)", "B's own note."
    b.collaborations.save_collaboration(theirs)

    second = a.exchange.export_pack("collaboration", request, case.fine_cell_work)
    opened = b.exchange.read_pack(second.data, None)
    preview = b.exchange.preview(opened)
    line = next(x for x in preview.lines if x.key == f"collaboration:{case.collaboration}")
    assert line.state == "conflict"
    states = {f.name: f.state for f in line.fields}
    assert states == {"purpose": "update", "site": "conflict", "notes": "ours"}
    result = b.exchange.apply(opened, {line.key: {"site": "theirs"}}, None)
    assert result.changed
    now = b.collaborations.get_collaboration(case.collaboration)
    assert (now.purpose, now.site, now.notes) == (
        "A new purpose from A.",
        "HMP Leyhill (A)",
        "B's own note.",
    )
    # B's own site is not lost: it stays in the record's history.
    kept = b.exchange.set_aside(line.key)
    assert [(f, v) for f, v, _w in kept] == [("site", '"HMP Leyhill (B)"')]

    # The same pack again: the base now matches, nothing to do.
    again = b.exchange.apply(b.exchange.read_pack(second.data, None), None, None)
    assert not again.changed


def _with_other_text(data: bytes, purpose: str) -> dict:
    import base64
    import json

    from collab_desktop.services.exchange import pack

    envelope = json.loads(data[len(pack.MAGIC) :])
    payload = pack.inflate(base64.b64decode(envelope["payload"]))
    payload["data"]["records"]["agreement_version"][0]["fields"]["purpose"] = purpose
    return payload["data"]


def test_a_different_text_for_a_frozen_version_arrives_as_a_new_draft(laptops):
    a, b = laptops
    case, version_id = reference_agreement(a)
    fingerprint = a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    _import(b, out.data, case.recoop)
    frozen = b.agreements.get_version(version_id)
    before = (frozen.sections["purpose"], frozen.number, frozen.status)
    # The sender's laptop holds another text for the same version (a forged or muddled pack).
    opened = b.exchange.read_pack(out.data, case.recoop)
    opened.data = _with_other_text(out.data, "Something else entirely.")
    preview = b.exchange.preview(opened)
    assert not any(x.key == f"agreement_version:{version_id}" for x in preview.lines)
    draft_line = next(x for x in preview.lines if x.what == "Agreement version")
    assert draft_line.state == "new" and "proposed by Fine Cell Work" in draft_line.reason
    assert any("draft version 2, proposed by Fine Cell Work" in n for n in preview.notes)

    result = b.exchange.apply(opened, None, case.recoop)
    assert result.changed
    kept = b.agreements.get_version(version_id)
    assert (kept.sections["purpose"], kept.number, kept.status) == before
    assert kept.fingerprint == fingerprint and not kept.warnings
    versions = {v.number: v.id for v in kept.versions}
    draft = b.agreements.get_version(versions[2])
    assert draft.status == "draft" and draft.sections["purpose"] == "Something else entirely."
    assert draft.fingerprint != fingerprint and not draft.warnings
    assert len(draft.signatories) == len(kept.signatories)
    assert all(s.signed_on is None for s in draft.signatories)
    assert len(draft.responsibilities) == len(kept.responsibilities)
    proposed = [e for e in b.audit.history(kept.agreement_id)
                if e.action == "created" and e.version_number == 2]  # fmt: skip
    assert proposed and "proposed by Fine Cell Work" in proposed[0].summary

    # The same pack again finds the same draft: nothing more.
    opened = b.exchange.read_pack(out.data, case.recoop)
    opened.data = _with_other_text(out.data, "Something else entirely.")
    again = b.exchange.apply(opened, None, case.recoop)
    assert not again.changed
    assert len(b.agreements.get_version(version_id).versions) == 2


def test_a_receipt_tells_the_sender_what_the_partner_has(laptops):
    a, b = laptops
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    opened, _preview, result = _import(b, out.data, case.recoop)
    receipt = b.exchange.export_pack("receipt", b.exchange.receipt_request(opened, result),
                                     case.recoop, recipient_id=case.fine_cell_work)  # fmt: skip
    _opened, preview, _result = _import(a, receipt.data, case.fine_cell_work)
    assert "version 1" in preview.lines[0].reason
    history = a.audit.history(a.agreements.get_version(version_id).agreement_id)
    assert any(e.action == "receipt" and "RECOOP" in e.summary for e in history)


def test_signatures_recorded_on_both_laptops_are_not_a_conflict(laptops):
    a, b = laptops
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    _import(b, out.data, case.recoop)
    for s in b.agreements.get_version(version_id).signatories:
        if s.required:
            b.agreements.record_signature(s.id, date(2025, 3, 10), "wet_ink", "Tom Rhys")
    back = b.exchange.export_pack("signatures", {"version_id": str(version_id)}, case.recoop,
                                  recipient_id=case.fine_cell_work)  # fmt: skip
    _import(a, back.data, case.fine_cell_work)
    # A records them as "Tom Rhys (RECOOP)"; the whole collaboration back to B then differs
    # only in who recorded the same signatures: not a conflict, B's record stays.
    whole = a.exchange.export_pack("collaboration", {"collaboration_id": str(case.collaboration)},
                                   case.fine_cell_work, recipient_id=case.recoop)  # fmt: skip
    opened = b.exchange.read_pack(whole.data, case.recoop)
    preview = b.exchange.preview(opened)
    assert not preview.counts["conflict"], [x.label for x in preview.lines if x.state == "conflict"]
    b.exchange.apply(opened, None, case.recoop)
    assert {s.recorded_by for s in b.agreements.get_version(version_id).signatories
            if s.required} == {"Tom Rhys"}  # fmt: skip
