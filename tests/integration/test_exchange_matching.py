"""First contact between laptops whose partners were typed in separately (issue 12): a partner
named like one here is taken to be it ("same as X", the default), never added twice, and the
link is kept for later packs, both ways."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from collab_desktop.services.exchange import matching
from tests.builders import FCW, RECOOP, add_partner, reference_agreement
from tests.exchange_helpers import two_laptops


@pytest.fixture
def laptops(tmp_path, new_database):
    with two_laptops(tmp_path, new_database) as pair:
        yield pair


def _names(services, name: str) -> list[str]:
    connection = sqlite3.connect(services.path)
    try:
        return [r[0] for r in connection.execute(
            "SELECT id FROM organisation WHERE name = ?", (name,)
        )]  # fmt: skip
    finally:
        connection.close()


def _sent(a):
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    return case, version_id, out.data


def test_partners_typed_on_both_laptops_are_matched_by_name(laptops):
    a, b = laptops
    # On B, RECOOP (itself) and Fine Cell Work were typed in before any pack arrived.
    b_recoop = add_partner(b, RECOOP, town="Bristol")
    b_fcw = add_partner(b, FCW)
    case, version_id, data = _sent(a)

    opened = b.exchange.read_pack(data, b_recoop)
    preview = b.exchange.preview(opened)
    matched = {line.match: line for line in preview.lines if line.match}
    assert set(matched) == {RECOOP, FCW}
    assert all(line.state == "same" for line in matched.values())
    assert matched[FCW].link_key == f"organisation:{case.fine_cell_work}"
    assert any("taken to be your partner “Fine Cell Work”" in n for n in preview.notes)

    result = b.exchange.apply(opened, None, b_recoop)
    assert result.changed
    assert len(_names(b, RECOOP)) == 1
    assert len(_names(b, FCW)) == 1
    version = b.agreements.get_version(version_id)
    parties = {s.organisation_id for s in version.signatories}
    assert b_fcw in parties and b_recoop in parties
    assert not version.warnings
    # The sender's key is on B's own Fine Cell Work record; the link is kept.
    assert b.exchange.peer(b_fcw).fingerprint == a.exchange.identity().fingerprint
    assert b.exchange.peer(case.fine_cell_work) is None

    again = b.exchange.apply(b.exchange.read_pack(data, b_recoop), None, b_recoop)
    assert not again.changed and len(_names(b, FCW)) == 1

    # Signatures back, addressed to Fine Cell Work by B's record for it: A opens them as its own.
    for s in version.signatories:
        if s.required:
            b.agreements.record_signature(s.id, date(2025, 3, 10), "wet_ink", "Tom Rhys")
    back = b.exchange.export_pack("signatures", {"version_id": str(version_id)}, b_recoop,
                                  recipient_id=b_fcw)  # fmt: skip
    assert back.encryption == "x25519"
    opened = a.exchange.read_pack(back.data, case.fine_cell_work)
    a.exchange.apply(opened, None, case.fine_cell_work)
    assert a.agreements.get_version(version_id).status == "signed_off"
    # A knows B's key on its own RECOOP record (B's UUID for itself was linked by name).
    assert a.exchange.peer(case.recoop).fingerprint == b.exchange.identity().fingerprint
    assert len(_names(a, RECOOP)) == 1


def test_saying_it_is_a_different_partner_adds_it(laptops):
    a, b = laptops
    b_recoop = add_partner(b, RECOOP)
    b_fcw = add_partner(b, FCW)
    case, _version_id, data = _sent(a)
    opened = b.exchange.read_pack(data, b_recoop)
    line = next(x for x in b.exchange.preview(opened).lines if x.match == FCW)
    b.exchange.apply(opened, {line.link_key: {matching.LINK: matching.DIFFERENT}}, b_recoop)
    assert len(_names(b, FCW)) == 2 and b.exchange.peer(b_fcw) is None
    assert len(_names(b, RECOOP)) == 1  # the other match was kept


def test_partners_known_by_their_records_are_not_matched_by_name(laptops):
    a, b = laptops
    case, _version_id, data = _sent(a)
    b.exchange.apply(b.exchange.read_pack(data, case.recoop), None, case.recoop)
    opened = b.exchange.read_pack(data, case.recoop)
    assert not any(line.match for line in b.exchange.preview(opened).lines)
