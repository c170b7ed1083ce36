"""The self-test's exchange step (`self-test: exchange:`): the counter-signature round trip
between two temporary data folders, a re-import that changes nothing, and a tampered pack
refused. Called from collab_desktop/self_test.py as one step."""

from __future__ import annotations

from datetime import date
from pathlib import Path


class ExchangeCheckFailed(Exception):
    pass


def _require(condition: object, message: str) -> None:
    if not condition:
        raise ExchangeCheckFailed(message)


def exchange_round_trip(folder: Path, passphrase: str | None = None) -> str:
    from collab_desktop.services.collaborations import CollaborationData, MemberData
    from collab_desktop.services.exchange import PackRefused
    from collab_desktop.services.open_records import open_services
    from collab_desktop.services.partners import ContactData, PartnerData

    def records(name: str):
        # Encrypted like the self-test's own records (issue 10) when it gives a passphrase.
        path = folder / name / "collab-desktop.sqlite3"
        if passphrase is None:
            return path
        from collab_desktop.services.records_key import create_encrypted

        path.parent.mkdir(parents=True, exist_ok=True)
        return create_encrypted(path, passphrase)[0]

    a = open_services(records("exchange-a"))
    b = open_services(records("exchange-b"))
    try:
        ids = {}
        for name, kind, signer in (("Charity A", "charity", "Ann Signer"),
                                   ("Charity B", "charity", "Bo Signer"),
                                   ("HMP Example", "prison", "Cy Governor")):  # fmt: skip
            contact = ContactData(name=signer, level="strategic", job_title="Director")
            ids[name] = a.partners.save_partner(
                PartnerData(name=name, kind=kind, contacts=[contact]), confirmed=True
            )
        collaboration = a.collaborations.save_collaboration(CollaborationData(
            name="Exchange self-test", status="active", members=[
                MemberData(ids["Charity A"], "lead"), MemberData(ids["Charity B"], "partner"),
                MemberData(ids["HMP Example"], "host")],
        ))  # fmt: skip
        version = a.agreements.create_agreement(collaboration, "two_charity_prison")
        fingerprint = a.agreements.send_for_signatures(version)
        out = a.exchange.export_pack("agreement_version", {"version_id": str(version)},
                                     ids["Charity A"])  # fmt: skip
        own_b = ids["Charity B"]
        b.exchange.apply(b.exchange.read_pack(out.data, own_b), None, own_b)
        _require(
            b.agreements.get_version(version).fingerprint == fingerprint,
            "the agreement did not arrive on the second laptop with its fingerprint",
        )
        for s in b.agreements.get_version(version).signatories:
            if s.required and s.id is not None:
                b.agreements.record_signature(s.id, date.today(), "wet_ink", "Self-test")
        back = b.exchange.export_pack("signatures", {"version_id": str(version)}, own_b,
                                      recipient_id=ids["Charity A"])  # fmt: skip
        _require(back.encryption == "x25519", "the answer was not encrypted to the sender's key")
        own_a = ids["Charity A"]
        a.exchange.apply(a.exchange.read_pack(back.data, own_a), None, own_a)
        _require(
            a.agreements.get_version(version).status == "signed_off",
            "the returned signatures did not sign the agreement off",
        )
        again = a.exchange.apply(a.exchange.read_pack(back.data, own_a), None, own_a)
        _require(not again.changed, "importing the same pack again changed something")
        tampered = back.data.replace(b'"seq": ', b'"seq": 1', 1)
        try:
            a.exchange.read_pack(tampered, own_a)
        except PackRefused:
            pass
        else:
            raise ExchangeCheckFailed("a tampered pack was not refused")
        return (f"agreement out, signed and back, signed off as {fingerprint}; "
                "re-import changed nothing; a tampered pack was refused")  # fmt: skip
    finally:
        a.close()
        b.close()
