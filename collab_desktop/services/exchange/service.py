"""Exchange packs between partners' laptops (issue 12): making a pack, reading one with every
check before anything is trusted, a preview of what importing it would do, and the import in
one transaction after a backup. See docs/exchange-packs.md for the format."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop import __version__
from collab_desktop.models import Organisation
from collab_desktop.models.exchange import ExchangeIdentity, ExchangePeer
from collab_desktop.services.audit import AuditLog
from collab_desktop.services.backups import BackupService
from collab_desktop.services.errors import ServiceError
from collab_desktop.services.exchange import crypto, matching, memory, pack
from collab_desktop.services.exchange.errors import NeedsPassphrase, PackRefused
from collab_desktop.services.exchange.kinds import (
    Choices,
    PackKind,
    Preview,
    Sender,
    get_kind,
)
from collab_desktop.services.partners import normalise_name

NO_ORGANISATION = (
    "Choose your organisation first (Edit → Preferences): a pack says which organisation "
    "sent it, and partners learn your key under that name."
)


# Told each step of an import as it starts: what is being done, and how far (0..1).
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class IdentityInfo:
    fingerprint: str
    created_at: datetime


@dataclass(frozen=True)
class PeerInfo:
    organisation_id: uuid.UUID
    name: str
    fingerprint: str
    learned_at: datetime


@dataclass
class OpenedPack:
    """A pack whose signature, sender, sequence and encryption have all been checked."""

    envelope: dict
    data: dict
    kind: PackKind
    sender: Sender
    new_key: bool  # the sender's key is learned on import (compare its fingerprint)
    # Older than a pack already imported from that sender (opened out of order): it may only
    # add what is not here yet, never change what a later pack brought (_refuse_if_older).
    older: bool = False

    @property
    def summary(self) -> str:
        return str(self.envelope["summary"])

    @property
    def pack_id(self) -> str:
        return str(self.envelope["pack_id"])


@dataclass
class ImportResult:
    changed: bool
    counts: dict[str, int]
    message: str
    backup_path: str = ""


@dataclass
class ExportResult:
    data: bytes
    encryption: str  # none | x25519 | passphrase
    summary: str
    advice: str  # what to tell the user (e.g. give the passphrase by another route)


class ExchangeService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        audit: AuditLog,
        backups: BackupService | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self._sessions = sessions
        self._audit = audit
        self._backups = backups
        self._now = now

    # -- identity --------------------------------------------------------------------------

    @staticmethod
    def _identity(session: Session) -> ExchangeIdentity:
        identity = session.get(ExchangeIdentity, 1)
        if identity is None:
            signing, exchange = crypto.new_signing_key(), crypto.new_exchange_key()
            identity = ExchangeIdentity(
                id=1,
                signing_private=signing,
                exchange_private=exchange,
                fingerprint=crypto.key_fingerprint(
                    crypto.signing_public(signing), crypto.exchange_public(exchange)
                ),
            )
            session.add(identity)
            session.flush()
        return identity

    def identity(self) -> IdentityInfo:
        """Our organisation's key (made the first time it is asked for, then kept)."""
        with self._sessions.begin() as session:
            identity = self._identity(session)
            return IdentityInfo(identity.fingerprint, identity.created_at)

    def peer(self, organisation_id: uuid.UUID) -> PeerInfo | None:
        with self._sessions() as session:
            p = session.get(ExchangePeer, organisation_id)
            if p is None:
                return None
            return PeerInfo(p.organisation_id, p.name, p.fingerprint, p.learned_at)

    # -- export ----------------------------------------------------------------------------

    def export_pack(
        self,
        kind_name: str,
        request: dict,
        own_organisation_id: uuid.UUID | None,
        recipient_id: uuid.UUID | None = None,
        passphrase: str | None = None,
    ) -> ExportResult:
        kind = get_kind(kind_name)
        if kind is None:
            raise ServiceError(f"Packs of kind “{kind_name}” cannot be made by this version.")
        if own_organisation_id is None:
            raise ServiceError(NO_ORGANISATION)
        with self._sessions.begin() as session:
            own = session.get(Organisation, own_organisation_id)
            if own is None:
                raise ServiceError(NO_ORGANISATION)
            identity = self._identity(session)
            data = kind.export(session, request)
            personal = kind.personal or bool(kind.personal_if and kind.personal_if(request))
            recipient = session.get(Organisation, recipient_id) if recipient_id else None
            peer = session.get(ExchangePeer, recipient_id) if recipient_id else None
            envelope: dict = {
                "format": pack.FORMAT,
                "format_version": pack.FORMAT_VERSION,
                "app_version": __version__,
                "pack_id": str(uuid.uuid4()),
                "kind": kind.name,
                "created_at": self._now().isoformat(timespec="seconds"),
                "sender": {
                    "organisation_id": str(own.id),
                    "name": own.name,
                    "signing_key": crypto.b64(crypto.signing_public(identity.signing_private)),
                    "exchange_key": crypto.b64(crypto.exchange_public(identity.exchange_private)),
                    "fingerprint": identity.fingerprint,
                },
                "recipient": (
                    # Their own UUID for themselves, when a first contact linked it to ours.
                    {
                        "organisation_id": str(matching.there_id(session, recipient.id)),
                        "name": recipient.name,
                    }
                    if recipient is not None
                    else None
                ),
                "seq": identity.next_seq,
                "summary": kind.describe(data),
            }
            plain = pack.compress({"kind": kind.name, "data": data})
            if peer is not None:
                encryption, advice = (
                    "x25519",
                    (
                        f"Encrypted to {peer.name}'s key (fingerprint {peer.fingerprint}): only "
                        "their Collab Desktop can open it."
                    ),
                )
            elif passphrase:
                encryption, advice = (
                    "passphrase",
                    (
                        "Encrypted with the passphrase you chose. Tell it to the partner by "
                        "another route (by phone, or in person), never in the same e-mail as "
                        "the pack."
                    ),
                )
            elif personal:
                raise ServiceError(
                    "This pack carries personal data (participants and registers), and "
                    f"{recipient.name if recipient else 'the recipient'} has not sent you a "
                    "pack yet, so there is no key to encrypt it to. Choose a passphrase for "
                    "it, and tell the partner the passphrase by another route (by phone)."
                )
            else:
                encryption, advice = (
                    "none",
                    (
                        "Not encrypted (it carries no participants' data), but signed: the partner "
                        "can check it came from you, unchanged."
                    ),
                )
            envelope["encryption"] = encryption
            aad = pack.canonical(envelope, ("payload", "signature", "encryption_params"))
            if encryption == "x25519":
                assert peer is not None
                params, sealed = crypto.encrypt_to_key(peer.exchange_key, plain, aad)
            elif encryption == "passphrase":
                assert passphrase
                params, sealed = crypto.encrypt_with_passphrase(passphrase, plain, aad)
            else:
                params, sealed = {}, plain
            envelope["encryption_params"] = params
            envelope["payload"] = crypto.b64(sealed)
            identity.next_seq += 1
            if recipient is not None and "records" in data:
                # What was sent is the base of the next compare with that partner.
                memory.set_bases(session, recipient.id, {
                    f"{table}:{r['id']}": r["fields"]
                    for table, rows in data["records"].items() for r in rows
                })  # fmt: skip
            self._audit.record(
                session, "exchange_export",
                f"Exported a pack: {envelope['summary']}, to "
                f"{recipient.name if recipient else 'any partner'} "
                f"({_encryption_words(encryption)})",
                _agreement_of(data), _version_number_of(data),
                {"pack_id": envelope["pack_id"], "kind": kind.name, "seq": envelope["seq"],
                 "to": recipient.name if recipient else ""},
            )  # fmt: skip
            written = pack.write(envelope, identity.signing_private)
            return ExportResult(written, encryption, envelope["summary"], advice)

    # -- import ----------------------------------------------------------------------------

    def read_pack(
        self, data: bytes, own_organisation_id: uuid.UUID | None, passphrase: str | None = None
    ) -> OpenedPack:
        """Check everything about a pack before any of it is trusted. Raises PackRefused
        (NeedsPassphrase when a passphrase must be asked for)."""
        envelope = pack.parse(data).data
        with self._sessions() as session:
            return self._open(session, envelope, own_organisation_id, passphrase)

    @staticmethod
    def _check_sender(
        session: Session, envelope: dict, own_organisation_id: uuid.UUID | None
    ) -> tuple[PackKind, Sender, bool, bool]:
        """The checks of who sent the pack, to whom, and whether it is older than one
        imported already: (kind, sender, whether the sender's key is new here, whether the
        pack is older than one imported from them)."""
        kind = get_kind(envelope["kind"])
        if kind is None:
            raise PackRefused(
                "This pack carries something this version of Collab Desktop does not know "
                f"(“{envelope['kind']}”): it was probably made by a newer version. Install the "
                "newer version to import it. Nothing was imported."
            )
        sender_info = envelope["sender"]
        try:
            sender_id = uuid.UUID(sender_info["organisation_id"])
            signing_key = crypto.unb64(sender_info["signing_key"])
            exchange_key = crypto.unb64(sender_info["exchange_key"])
            name = str(sender_info["name"])
        except (KeyError, ValueError, TypeError) as error:
            raise PackRefused(pack._damaged()) from error
        fingerprint = crypto.key_fingerprint(signing_key, exchange_key)
        # A sender linked by name at first contact is known here under our UUID for it.
        sender_id = matching.here_id(session, sender_id)
        ours = session.get(ExchangeIdentity, 1)
        if ours is not None and crypto.signing_public(ours.signing_private) == signing_key:
            raise PackRefused(
                "This pack was made here, by this copy of Collab Desktop: there is nothing to "
                "import from it. Send it to the partner instead."
            )
        peer = session.get(ExchangePeer, sender_id)
        changed_key = peer is not None and (
            peer.signing_key != signing_key or peer.exchange_key != exchange_key
        )
        if peer is not None and changed_key:
            raise PackRefused(
                f"This pack says it comes from {peer.name}, but it is signed with a different "
                f"key from the one {peer.name} used before (expected fingerprint "
                f"{peer.fingerprint}, this pack has {fingerprint}). It may not be from them. "
                f"Ring {peer.name} to check; if they really have a new laptop or reinstalled "
                "the app, use “Forget this key…” on their partner record, then import again. "
                "Nothing was imported."
            )
        seq = envelope["seq"]
        older = (
            peer is not None and seq <= peer.last_seq and envelope["pack_id"] != peer.last_pack_id
        )
        recipient = envelope.get("recipient")
        recipient = recipient if isinstance(recipient, dict) else {}
        addressed = recipient.get("organisation_id")
        if addressed and not _addressed_to_us(
            session, addressed, str(recipient.get("name", "")), own_organisation_id
        ):
            raise PackRefused(_not_addressed_to_us(session, recipient, own_organisation_id))
        sender = Sender(sender_id, name, fingerprint, envelope["pack_id"])
        return kind, sender, peer is None, older

    def _open(
        self,
        session: Session,
        envelope: dict,
        own_organisation_id: uuid.UUID | None,
        passphrase: str | None,
    ) -> OpenedPack:
        kind, sender, new_key, older = self._check_sender(session, envelope, own_organisation_id)
        name = sender.name
        ours = session.get(ExchangeIdentity, 1)
        sealed = _payload(envelope)
        aad = pack.canonical(envelope, ("payload", "signature", "encryption_params"))
        encryption = envelope["encryption"]
        params = envelope["encryption_params"]
        if encryption == "x25519":
            if ours is None:
                raise PackRefused(_not_for_us())
            try:
                plain = crypto.decrypt_with_key(ours.exchange_private, params, sealed, aad)
            except crypto.DecryptFailed as error:
                raise PackRefused(_not_for_us()) from error
        elif encryption == "passphrase":
            if not passphrase:
                raise NeedsPassphrase(
                    f"This pack from {name} is locked with a passphrase. {name} should tell you "
                    "it by another route (by phone, say)."
                )
            try:
                plain = crypto.decrypt_with_passphrase(passphrase, params, sealed, aad)
            except crypto.DecryptFailed as error:
                raise NeedsPassphrase(
                    "That passphrase does not open this pack. Check it with the partner and try "
                    "again. Nothing was imported."
                ) from error
        elif encryption == "none":
            plain = sealed
        else:
            raise PackRefused(
                "This pack is encrypted in a way this version of Collab Desktop does not know; "
                "it was probably made by a newer version. Nothing was imported."
            )
        payload = pack.inflate(plain)
        if payload.get("kind") != kind.name or not isinstance(payload.get("data"), dict):
            raise PackRefused(pack._damaged())
        if encryption == "none" and _carries_personal(payload["data"]):
            raise PackRefused(
                "This pack carries participants' personal data without encryption, which "
                "Collab Desktop never makes. It was refused to protect them. Nothing was "
                "imported."
            )
        opened = OpenedPack(envelope, payload["data"], kind, sender, new_key=new_key, older=older)
        if older:
            self._refuse_if_older_changes(session, opened)
        return opened

    def preview(self, opened: OpenedPack) -> Preview:
        with self._sessions() as session:
            return self._preview(session, opened)

    @staticmethod
    def _preview(session: Session, opened: OpenedPack) -> Preview:
        try:
            return opened.kind.preview(session, opened.data, opened.sender)
        except (KeyError, ValueError, TypeError) as error:
            raise PackRefused(pack._damaged()) from error

    def _refuse_if_older_changes(self, session: Session, opened: OpenedPack) -> None:
        """A pack opened after a later one from the same sender (two packs e-mailed together,
        opened in the wrong order) is taken only if it would change nothing already here:
        what it adds is new, the rest is as the later pack left it. Otherwise it could undo
        the sender's later changes, and it is refused as before."""
        counts = self._preview(session, opened).counts
        if counts["update"] or counts["conflict"]:
            peer = session.get(ExchangePeer, opened.sender.organisation_id)
            name = peer.name if peer else opened.sender.name
            raise PackRefused(
                f"This is an older pack from {name} (number {opened.envelope['seq']}) than "
                f"one you have already imported (number {peer.last_seq if peer else '?'}), "
                "and it would change records that the later pack brought. Importing it could "
                "undo their later changes, so it was refused. Ask them to make it again if "
                "something is missing. Nothing was imported."
            )

    def apply(
        self,
        opened: OpenedPack,
        choices: Choices | None = None,
        own_organisation_id: uuid.UUID | None = None,
        progress: Progress | None = None,
    ) -> ImportResult:
        """Import the pack: nothing if the preview says nothing would change; else a backup
        "before an import", then everything in one transaction (all or nothing).

        `progress(step, fraction)` is told each step as it starts (from the calling thread)."""
        choices = choices or {}
        step = progress or (lambda _text, _fraction: None)
        step("Checking the pack against the records again…", 0.0)
        preview = self.preview(opened)
        who = opened.sender.name
        if not preview.changes_anything and opened.kind.name != "receipt":
            # The records stay as they are; only the sender's key and pack number are
            # remembered (a first pack that brings nothing new still introduces its sender).
            with self._sessions.begin() as session:
                self._check_sender(session, opened.envelope, own_organisation_id)
                self._learn(session, opened)
            return ImportResult(
                False, preview.counts,
                f"Nothing changed: everything in this pack from {who} is already here "
                f"({preview.counts_text() or 'it was empty'}).",
            )  # fmt: skip
        step("Making a backup of the records before the import…", 0.1)
        backup = self._backups.backup_now("before-import") if self._backups else None
        try:
            with self._sessions.begin() as session:
                step("Writing the records…", 0.3)
                session.info["progress"] = step
                # Rows of a collaboration point at each other (a version at the one that
                # superseded it): foreign keys are checked at commit, all together.
                session.execute(text("PRAGMA defer_foreign_keys = ON"))
                session.info["audit"] = self._audit
                # Checked again inside the transaction: nothing may have changed meanwhile.
                *_, older = self._check_sender(session, opened.envelope, own_organisation_id)
                if older:
                    self._refuse_if_older_changes(session, opened)
                opened.kind.apply(session, opened.data, opened.sender, choices)
                self._learn(session, opened)
                step("Recording the import in the audit trail…", 0.9)
                counts = preview.counts
                self._audit.record(
                    session, "exchange_import",
                    f"Imported a pack from {who}: {opened.summary} ("
                    + ", ".join(f"{n} {s}" for s, n in counts.items() if n) + ")",
                    _agreement_of(opened.data), _version_number_of(opened.data),
                    {"pack_id": opened.pack_id, "kind": opened.kind.name, "from": who,
                     "fingerprint": opened.sender.fingerprint, "counts": counts,
                     "seq": opened.envelope["seq"]},
                )  # fmt: skip
                session.info.pop("audit", None)
                session.info.pop("progress", None)
                step("Saving: everything at once…", 0.95)
        except PackRefused:
            raise
        except ServiceError:
            raise
        except Exception as error:
            raise ServiceError(
                "The import could not be completed, so nothing was imported (the records are "
                f"as they were before). ({type(error).__name__}: {error})"
            ) from error
        return ImportResult(
            True, counts,
            f"Imported from {who}: " + preview.counts_text() + ".",
            str(backup.path) if backup else "",
        )  # fmt: skip

    @staticmethod
    def _learn(session: Session, opened: OpenedPack) -> None:
        sender = opened.envelope["sender"]
        # The import may just have linked the sender to a partner here (matching.py).
        matching.link_sender(session, opened.sender)
        peer_id = matching.here_id(session, opened.sender.organisation_id)
        peer = session.get(ExchangePeer, peer_id)
        if peer is None:
            peer = ExchangePeer(
                organisation_id=peer_id,
                name=opened.sender.name,
                signing_key=crypto.unb64(sender["signing_key"]),
                exchange_key=crypto.unb64(sender["exchange_key"]),
                fingerprint=opened.sender.fingerprint,
                last_seq=0,
            )
            session.add(peer)
        if peer.name != opened.sender.name:
            peer.name = opened.sender.name
        if peer.last_pack_id != opened.pack_id:
            peer.last_pack_id = opened.pack_id
        peer.last_seq = max(peer.last_seq or 0, int(opened.envelope["seq"]))

    def forget_peer_key(self, organisation_id: uuid.UUID) -> None:
        """After a partner's new laptop is confirmed by phone: learn its key from its next pack."""
        with self._sessions.begin() as session:
            peer = session.get(ExchangePeer, organisation_id)
            if peer is not None:
                self._audit.record(
                    session, "exchange_key_forgotten",
                    f"Forgot {peer.name}'s exchange key (fingerprint {peer.fingerprint})",
                )  # fmt: skip
                session.delete(peer)

    def receipt_request(self, opened: OpenedPack, result: ImportResult) -> dict:
        """What an acknowledgement of an imported pack says (the versions it now holds)."""
        versions = []
        with self._sessions() as session:
            from collab_desktop.models import AgreementVersion

            records = opened.data.get("records", {})
            ids = [r["id"] for r in records.get("agreement_version", [])]
            if opened.data.get("version_id"):
                ids.append(opened.data["version_id"])
            for vid in ids:
                v = session.get(AgreementVersion, uuid.UUID(vid))
                if v is not None:
                    versions.append({"agreement_id": str(v.agreement_id),
                                     "title": v.agreement.title, "number": v.number,
                                     "status": v.status, "fingerprint": v.fingerprint})  # fmt: skip
        return {"pack_id": opened.pack_id, "kind": opened.kind.name, "summary": opened.summary,
                "counts": result.counts, "versions": versions}  # fmt: skip

    def set_aside(self, record_key: str) -> list[tuple[str, str, str]]:
        """(field, value set aside, whose) for one record: what conflicts did not keep."""
        with self._sessions() as session:
            kept = memory.set_aside_values(session, record_key)
            return [(h.field, h.set_aside, h.whose) for h in kept]


def _payload(envelope: dict) -> bytes:
    try:
        return crypto.unb64(envelope["payload"])
    except ValueError as error:
        raise PackRefused(pack._damaged()) from error


def _here(session: Session, addressed: str) -> uuid.UUID | str:
    try:
        return matching.here_id(session, uuid.UUID(addressed))
    except ValueError:
        return addressed


def _addressed_to_us(
    session: Session, addressed: str, name: str, own_organisation_id: uuid.UUID | None
) -> bool:
    """Whether a pack addressed to `addressed` (the sender's UUID for its recipient) is for
    our organisation. Before the first pack between two laptops the sender knows us only
    under its own UUID: then, as the preview matches partners, the recipient's name decides
    (the same name, ignoring case and words like "Ltd"), provided that UUID means nothing
    else here."""
    here = _here(session, addressed)
    if own_organisation_id is None:
        return False
    if str(here) == str(own_organisation_id):
        return True
    own = session.get(Organisation, own_organisation_id)
    if own is None or not name.strip():
        return False
    unknown = str(here) == addressed and (
        not isinstance(here, uuid.UUID) or session.get(Organisation, here) is None
    )
    return unknown and normalise_name(name) == normalise_name(own.name)


def _not_addressed_to_us(
    session: Session, recipient: dict, own_organisation_id: uuid.UUID | None
) -> str:
    meant = recipient.get("name") or "another organisation"
    own = session.get(Organisation, own_organisation_id) if own_organisation_id else None
    if own is None:
        return (
            f"This pack was made for {meant}. Choose your organisation first (Edit → "
            "Preferences), then import it again. Nothing was imported."
        )
    return (
        f"This pack was made for {meant}, not for your organisation ({own.name}, as chosen "
        "in Edit → Preferences), so it was not opened. If you are "
        f"{meant}, choose it in Preferences and import the pack again; otherwise ask the "
        "sender to make it for you. Nothing was imported."
    )


def _not_for_us() -> str:
    return (
        "This pack is encrypted to another organisation's key, not to yours, so it cannot be "
        "opened here. Ask the sender to make it for your organisation. Nothing was imported."
    )


def _carries_personal(data: dict) -> bool:
    records = data.get("records")
    if not isinstance(records, dict):
        return False
    return any(records.get(t) for t in ("participant", "enrolment", "attendance"))


def _encryption_words(encryption: str) -> str:
    return {"x25519": "encrypted to their key", "passphrase": "encrypted with a passphrase",
            "none": "signed, not encrypted"}.get(encryption, encryption)  # fmt: skip


def _agreement_of(data: dict) -> uuid.UUID | None:
    if data.get("agreement_id"):
        return uuid.UUID(data["agreement_id"])
    versions = data.get("records", {}).get("agreement_version", [])
    if len(versions) == 1 and isinstance(data.get("records", {}).get("agreement"), list):
        agreements = data["records"]["agreement"]
        if len(agreements) == 1 and not data["records"].get("activity"):
            return uuid.UUID(agreements[0]["id"])
    return None


def _version_number_of(data: dict) -> int | None:
    if data.get("number") is not None and data.get("agreement_id"):
        return int(data["number"])
    versions = data.get("records", {}).get("agreement_version", [])
    if _agreement_of(data) is not None and len(versions) == 1:
        return int(versions[0]["fields"]["number"])
    return None


__all__ = ["ExchangeService", "ImportResult", "OpenedPack", "PackRefused"]
