"""The audit trail: who changed what in an agreement, and when.

Entries are written in the same transaction as the change they describe, so one never exists
without the other. Each entry's hash covers its content and the previous entry's hash: edit
or remove an entry behind the app's back and verify() finds where the chain breaks.

The chain alone can be cut at its end or recomputed whole by anyone who edits the file, so new
entries are also sealed with a key kept outside the database, and the newest entry is
recorded outside it too (services/audit_anchor.py); check() reports both kinds of break.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import Row, event, select
from sqlalchemy.orm import Session, sessionmaker

from collab_desktop.models import AuditEntry
from collab_desktop.services.audit_anchor import Anchor, AuditAnchor, mac

# session.info key: the anchor to write once the entries of this transaction are committed.
_PENDING = "collab_desktop.audit_anchor"

# Who is at the keyboard, as set in the app's preferences; entries before that say so.
UNKNOWN_USER = "(name not set)"


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    user: str
    version_number: int | None
    action: str
    summary: str


@dataclass(frozen=True)
class TrailEntry:
    """An entry as the checks of a version read it (services/audit_replay.py)."""

    seq: int
    at: datetime
    version_number: int | None
    action: str
    summary: str
    details: dict


@dataclass(frozen=True)
class ChainCheck:
    broken: list[int]  # seq numbers of entries changed, added or missing
    problems: list[str]  # what that means, in plain words

    @property
    def sound(self) -> bool:
        return not self.broken and not self.problems


def _entry_hash(entry: AuditEntry | Row[Any]) -> str:  # a row of its columns, in verify()
    at = entry.at if entry.at.tzinfo else entry.at.replace(tzinfo=timezone.utc)
    content = [
        entry.prev_hash,
        str(entry.id),
        at.astimezone(timezone.utc).isoformat(),
        entry.user,
        str(entry.agreement_id or ""),
        entry.version_number,
        entry.action,
        entry.summary,
        entry.details,
    ]
    canonical = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(
        self, sessions: sessionmaker[Session], user: str = "", anchor: AuditAnchor | None = None
    ) -> None:
        self._sessions = sessions
        self.user = user
        self._anchor = anchor
        if anchor is not None:
            event.listen(sessions, "after_commit", self._committed)
            event.listen(sessions, "after_rollback", lambda s: s.info.pop(_PENDING, None))

    def record(
        self,
        session: Session,
        action: str,
        summary: str,
        agreement_id: uuid.UUID | None = None,
        version_number: int | None = None,
        details: dict | None = None,
    ) -> None:
        """Append an entry inside the caller's transaction (so it commits, or not, with the
        change itself)."""
        last = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
        entry = AuditEntry(
            id=uuid.uuid4(),
            at=datetime.now(timezone.utc).replace(microsecond=0),
            user=self.user.strip() or UNKNOWN_USER,
            agreement_id=agreement_id,
            version_number=version_number,
            action=action,
            summary=summary,
            details=json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str),
            prev_hash=last.hash if last else "",
        )
        entry.hash = _entry_hash(entry)
        key = self._anchor.key() if self._anchor is not None else None
        entry.mac = mac(key, entry.hash) if key else ""
        session.add(entry)
        if self._anchor is None:
            return
        session.flush()  # to learn the entry's number
        if _PENDING not in session.info:
            head = (last.seq, last.hash) if last else (0, "")
            session.info[_PENDING] = {"base": self._base_to_keep(session, head, key)}
        session.info[_PENDING]["head"] = (entry.seq, entry.hash)

    def record_now(
        self,
        action: str,
        summary: str,
        agreement_id: uuid.UUID | None = None,
        version_number: int | None = None,
        details: dict | None = None,
    ) -> None:
        """An entry in a transaction of its own, for what is not a change to the records:
        personal data leaving the app in a saved PDF or on paper (issue 10)."""
        with self._sessions.begin() as session:
            self.record(session, action, summary, agreement_id, version_number, details)

    def _base_to_keep(
        self, session: Session, head: tuple[int, str], key: bytes | None
    ) -> tuple[int, str] | None:
        """The base of the anchor to write after this commit, or None to leave the anchor
        where it is. It moves on only from the entry it recorded: if the chain was cut or
        rewritten since, the anchor keeps saying so instead of anchoring the damage."""
        assert self._anchor is not None  # record() asks only when there is one
        anchor, problem = self._anchor.read()
        if anchor is None:
            # First use (a database made before anchoring, or just made): what is there now
            # is accepted as it stands, and everything after must be sealed.
            return None if problem else head
        base = (anchor.base_seq, anchor.base_hash)
        if problem or key is None or anchor.seq > head[0]:
            return None
        if (anchor.seq, anchor.hash) == head:
            return base
        # Entries after the anchor: committed by the app just before it was killed (sealed,
        # so they carry on from the anchor), or added outside it (not).
        rows = session.execute(
            select(AuditEntry.seq, AuditEntry.hash, AuditEntry.prev_hash, AuditEntry.mac)
            .where(AuditEntry.seq >= anchor.seq, AuditEntry.seq <= head[0])
            .order_by(AuditEntry.seq)
        ).all()
        previous = anchor.hash
        if anchor.seq:
            if not rows or rows[0].seq != anchor.seq or rows[0].hash != anchor.hash:
                return None
            rows = rows[1:]
        for row in rows:
            if row.prev_hash != previous or not _sealed(key, row.hash, row.mac):
                return None
            previous = row.hash
        return base

    def _committed(self, session: Session) -> None:
        pending = session.info.pop(_PENDING, None)
        if self._anchor is None or pending is None or pending["base"] is None:
            return
        seq, hash_ = pending["head"]
        base_seq, base_hash = pending["base"]
        self._anchor.write(Anchor(seq, hash_, base_seq, base_hash))

    def trail_of(self, session: Session, agreement_id: uuid.UUID) -> list[TrailEntry]:
        """The entries of one agreement, for checking its versions against what they say."""
        entries = session.execute(
            select(
                AuditEntry.seq, AuditEntry.at, AuditEntry.version_number, AuditEntry.action,
                AuditEntry.summary, AuditEntry.details,
            )
            .where(AuditEntry.agreement_id == agreement_id)
            .order_by(AuditEntry.seq)
        ).all()  # fmt: skip
        return [
            TrailEntry(e.seq, e.at, e.version_number, e.action, e.summary, _details(e.details))
            for e in entries
        ]

    def first_entry_at(self, session: Session) -> datetime | None:
        return session.execute(select(AuditEntry.at).order_by(AuditEntry.seq).limit(1)).scalar()

    def history(self, agreement_id: uuid.UUID) -> list[AuditRow]:
        with self._sessions() as session:
            entries = session.scalars(
                select(AuditEntry)
                .where(AuditEntry.agreement_id == agreement_id)
                .order_by(AuditEntry.seq)
            ).all()
            return [
                AuditRow(e.seq, e.at, e.user, e.version_number, e.action, e.summary)
                for e in entries
            ]

    def verify(self) -> list[int]:
        """The seq numbers where the chain is broken: an entry whose content no longer
        matches its hash, or that does not follow on from the entry before it, or is not
        sealed by this computer's key, or was removed from the end."""
        return self.check().broken

    def check(self) -> ChainCheck:
        """verify(), with what it means in plain words."""
        anchor, problem = self._anchor.read() if self._anchor is not None else (None, None)
        key = self._anchor.key(create=False) if self._anchor is not None else None
        base = anchor.base_seq if anchor is not None else None
        broken = []
        previous = ""
        head = 0
        # Columns, not ORM objects: after some years the chain is tens of thousands long.
        columns = [getattr(AuditEntry, c.key) for c in AuditEntry.__table__.columns]
        with self._sessions() as session:
            try:
                rows = session.execute(select(*columns).order_by(AuditEntry.seq)).all()
            except (ValueError, TypeError):  # a key or date no longer readable
                return ChainCheck(
                    [], ["The history was changed outside Collab Desktop: it cannot be read."]
                )
            for entry in rows:
                head = entry.seq
                bad = entry.prev_hash != previous or _entry_hash(entry) != entry.hash
                # Past the base every entry must be sealed by this computer's key. At or
                # before it an entry may be sealed by another's (restored from its backup):
                # the base's hash, recorded outside the file, pins those instead.
                if not bad and key is not None and (base is None or entry.seq > base):
                    must_be_sealed = base is not None or bool(entry.mac)
                    bad = must_be_sealed and not _sealed(key, entry.hash, entry.mac)
                if anchor is not None and not bad:
                    bad = (entry.seq == anchor.base_seq and entry.hash != anchor.base_hash) or (
                        entry.seq == anchor.seq and entry.hash != anchor.hash
                    )
                if bad:
                    broken.append(entry.seq)
                previous = entry.hash
        problems = [problem] if problem else []
        if broken:
            problems.append(
                "The history has been changed outside Collab Desktop (entries "
                f"{', '.join(map(str, broken[:5]))}{'…' if len(broken) > 5 else ''}). "
                "It may not be complete or true."
            )
        if anchor is not None and head < anchor.seq:
            missing = list(range(head + 1, anchor.seq + 1))
            broken.extend(missing)
            what = (
                f"The newest entry of the history (entry {missing[0]}) was"
                if len(missing) == 1
                else f"The newest {len(missing)} entries of the history (from entry "
                f"{missing[0]}) were"
            )
            problems.append(f"{what} removed outside Collab Desktop, so it is not complete.")
        return ChainCheck(broken, problems)


def _sealed(key: bytes, entry_hash: str, entry_mac: str) -> bool:
    return bool(entry_mac) and hmac.compare_digest(entry_mac, mac(key, entry_hash))


def _details(text: str) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
