"""Bad packs (issue 12): each refused with a plain reason, and nothing imported."""

from __future__ import annotations

import json
import zlib
from datetime import date

import pytest

from collab_desktop.services.exchange import PackRefused, crypto, pack
from tests.builders import reference_agreement
from tests.exchange_helpers import table_counts, two_laptops


@pytest.fixture
def sent(tmp_path, new_database):
    """Laptop A has sent B an agreement (B knows A's key) and B has answered (A knows B's)."""
    with two_laptops(tmp_path, new_database) as (a, b):
        case, version_id = reference_agreement(a)
        a.agreements.send_for_signatures(version_id)
        request = {"version_id": str(version_id)}
        first = a.exchange.export_pack("agreement_version", request, case.fine_cell_work)
        b.exchange.apply(b.exchange.read_pack(first.data, case.recoop), None, case.recoop)
        answer = b.exchange.export_pack("signatures", request, case.recoop, case.fine_cell_work)
        a.exchange.apply(a.exchange.read_pack(answer.data, case.fine_cell_work), None,
                         case.fine_cell_work)  # fmt: skip
        yield a, b, case, version_id, first.data


def _envelope(data: bytes) -> dict:
    return json.loads(data[len(pack.MAGIC) :])


def _resign(envelope: dict, key: bytes | None = None) -> bytes:
    """The envelope signed again (by a new key unless one is given): a forger's pack."""
    key = key or crypto.new_signing_key()
    envelope = {k: v for k, v in envelope.items() if k != "signature"}
    envelope["sender"] = dict(envelope["sender"])
    envelope["sender"]["signing_key"] = crypto.b64(crypto.signing_public(key))
    return pack.write(envelope, key)


def _private(services) -> bytes:
    """The sender's own signing key: a pack it really signed, with something wrong inside."""
    with services.exchange._sessions.begin() as session:
        return services.exchange._identity(session).signing_private


def _refused(services, data: bytes, own, match: str, passphrase=None) -> None:
    before = table_counts(services)
    with pytest.raises(PackRefused, match=match):
        opened = services.exchange.read_pack(data, own, passphrase)
        services.exchange.apply(opened, None, own)
    assert table_counts(services) == before


def test_truncated(sent):
    a, b, case, _v, data = sent
    _refused(b, data[: len(data) // 2], case.recoop, "incomplete or damaged")


def test_tampered(sent):
    a, b, case, _v, data = sent
    envelope = _envelope(data)
    envelope["summary"] = envelope["summary"] + " (changed)"
    tampered = pack.MAGIC + json.dumps(envelope).encode()
    _refused(b, tampered, case.recoop, "changed since it was made")
    # A changed byte in the payload, too.
    envelope = _envelope(data)
    payload = envelope["payload"]
    envelope["payload"] = ("A" if payload[10] != "A" else "B").join([payload[:10], payload[11:]])
    _refused(b, pack.MAGIC + json.dumps(envelope).encode(), case.recoop, "changed since")


def test_known_partner_with_a_different_key(sent):
    a, b, case, _v, data = sent
    forged = _resign(_envelope(data))
    _refused(b, forged, case.recoop, "signed with a different key")


def test_unknown_partner_key_is_shown_to_check(sent):
    a, b, case, _v, data = sent
    # A new laptop (no key learned yet): the pack opens, saying the key is new.
    from collab_desktop.services.open_records import open_services

    c = open_services(b.path.parent.parent / "c" / "collab-desktop.sqlite3")
    try:
        opened = c.exchange.read_pack(data, None)
        assert opened.new_key and opened.sender.fingerprint == a.exchange.identity().fingerprint
    finally:
        c.close()


def test_made_by_a_newer_version(sent):
    a, b, case, _v, data = sent
    envelope = _envelope(data)
    envelope["format_version"] = pack.FORMAT_VERSION + 1
    _refused(b, pack.write(envelope, _private(a)), case.recoop, "newer version")
    newer_magic = b"COLLAB-DESKTOP-PACK 2\n" + data[len(pack.MAGIC) :]
    _refused(b, newer_magic, case.recoop, "newer version")


def test_encrypted_to_someone_else(sent, tmp_path):
    a, b, case, version_id, _data = sent
    # Encrypted to B's key (A learned it); a laptop with another key that calls itself B.
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work, recipient_id=case.recoop)  # fmt: skip
    assert out.encryption == "x25519"
    from collab_desktop.services.open_records import open_services

    c = open_services(tmp_path / "c" / "collab-desktop.sqlite3")
    try:
        _refused(c, out.data, case.recoop, "encrypted to another organisation")
        _refused(c, out.data, case.leyhill, "made for RECOOP")
    finally:
        c.close()
    # B itself opens it.
    assert b.exchange.read_pack(out.data, case.recoop).kind.name == "agreement_version"


def test_replayed_older_pack(sent):
    a, b, case, version_id, first = sent
    request = {"version_id": str(version_id)}
    # The lead changes a partner's record after the first pack; the newer pack carries it.
    recoop = a.partners.get_partner(case.recoop)
    recoop.website = "https://recoop.example"
    a.partners.save_partner(recoop, confirmed=True)
    newer = a.exchange.export_pack("agreement_version", request, case.fine_cell_work)
    b.exchange.apply(b.exchange.read_pack(newer.data, case.recoop), None, case.recoop)
    # The first pack again would put the old website back: refused, nothing changed.
    _refused(b, first, case.recoop, "older pack")
    assert b.partners.get_partner(case.recoop).website == "https://recoop.example"


def test_an_older_pack_opened_out_of_order_that_only_adds_is_taken(sent):
    # Seen in the three-laptop run: two packs from the lead opened in the wrong order, and
    # the older one (it only brought what was not here yet) refused for ever.
    from tests.builders import add_collaboration

    a, b, case, version_id, _first = sent
    second = add_collaboration(
        a, "Reading group at HMP Leyhill",
        [(case.fine_cell_work, "lead"), (case.recoop, "partner"), (case.leyhill, "host")],
    )  # fmt: skip
    other = a.agreements.create_agreement(second, "two_charity_prison")
    a.agreements.send_for_signatures(other)
    older = a.exchange.export_pack("agreement_version", {"version_id": str(other)},
                                   case.fine_cell_work)  # fmt: skip
    newer = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                   case.fine_cell_work)  # fmt: skip
    b.exchange.apply(b.exchange.read_pack(newer.data, case.recoop), None, case.recoop)
    opened = b.exchange.read_pack(older.data, case.recoop)
    assert opened.older
    assert b.exchange.apply(opened, None, case.recoop).changed
    assert b.agreements.get_version(other).status == "awaiting_signatures"
    # The newer one again changes nothing, and is not refused either.
    again = b.exchange.apply(b.exchange.read_pack(newer.data, case.recoop), None, case.recoop)
    assert not again.changed


def test_not_a_pack(sent, tmp_path):
    a, b, case, _v, _data = sent
    for data in (b"", b"%PDF-1.7 not a pack", bytes(range(256)) * 4, b"{}", "é".encode()):
        _refused(b, data, case.recoop, "not a Collab Desktop exchange pack")


def test_zip_bomb(sent, monkeypatch):
    a, b, case, _v, data = sent
    envelope = _envelope(data)
    monkeypatch.setattr(pack, "MAX_PAYLOAD", 1024 * 1024)  # a small cap keeps the test quick
    bomb = zlib.compress(b"\0" * (8 * 1024 * 1024), 9)
    envelope["payload"] = crypto.b64(bomb)
    # Signed by the real sender: even a trusted partner's pack is inflated only so far.
    _refused(b, _resign(envelope, _private(a)), case.recoop, "far more than any real pack")


def test_nothing_is_half_imported_when_applying_fails(sent, monkeypatch):
    a, b, case, version_id, _data = sent
    from collab_desktop.services.exchange import recordset

    real = recordset.apply_plan

    def fail_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk pulled out")

    monkeypatch.setattr(recordset, "apply_plan", fail_after_writing)
    data = a.collaborations.get_collaboration(case.collaboration)
    data.notes = "changed on A"
    a.collaborations.save_collaboration(data)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work, recipient_id=case.recoop)  # fmt: skip
    from collab_desktop.services.errors import ServiceError

    before = table_counts(b)
    opened = b.exchange.read_pack(out.data, case.recoop)
    with pytest.raises(ServiceError, match="nothing was imported"):
        b.exchange.apply(opened, None, case.recoop)
    after = table_counts(b)
    assert {t: n for t, n in after.items()} == before
    assert b.collaborations.get_collaboration(case.collaboration).notes == ""
    assert date  # (dates of signatures are covered in test_exchange)


def test_a_first_pack_addressed_by_name_opens_on_the_partners_own_laptop(tmp_path, new_database):
    # Seen in a two-laptop run: RECOOP's laptop made its own record of RECOOP in the welcome
    # (another UUID); the lead's first pack, addressed "To: RECOOP", was refused as "made for
    # RECOOP, not for your organisation". Before any pack the name decides, as the preview's
    # matching does.
    from collab_desktop.services.partners import PartnerData

    with two_laptops(tmp_path, new_database) as (a, b):
        case, version_id = reference_agreement(a)
        a.agreements.send_for_signatures(version_id)
        out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                     case.fine_cell_work, recipient_id=case.recoop)  # fmt: skip
        recoop_here = b.partners.save_partner(PartnerData(name="recoop ltd"), confirmed=True)
        other_here = b.partners.save_partner(PartnerData(name="Clinks"), confirmed=True)
        _refused(b, out.data, other_here, r"made for RECOOP, not for your organisation \(Clinks")
        _refused(b, out.data, None, "Choose your organisation first")
        opened = b.exchange.read_pack(out.data, recoop_here)
        assert opened.kind.name == "agreement_version"
        b.exchange.apply(opened, None, recoop_here)
        names = sorted(p.name for p in b.partners.list_partners(include_archived=True))
        assert names.count("recoop ltd") == 1 and "RECOOP" not in names  # linked, not doubled
