"""The pack file: a magic line, then one signed JSON envelope (docs/exchange-packs.md).

Not a zip: one JSON object whose payload is zlib-compressed, so the only thing that inflates
is inflated with a hard cap (a "zip bomb" is refused after MAX_PAYLOAD bytes, not written
out). Everything is checked before anything is trusted: size, magic, format version, the
signature over every key, then (by the caller) the sender's key and sequence number."""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from collab_desktop.services.exchange import crypto
from collab_desktop.services.exchange.errors import PackRefused

MAGIC = b"COLLAB-DESKTOP-PACK 1\n"
FORMAT = "collab-desktop-pack"
FORMAT_VERSION = 1
SUFFIX = ".collabpack"
MAX_FILE = 256 * 1024 * 1024  # bytes on disk
MAX_PAYLOAD = 512 * 1024 * 1024  # bytes once inflated
NOT_A_PACK = (
    "This file is not a Collab Desktop exchange pack. Check that you chose the file your "
    "partner sent (its name ends in .collabpack). Nothing was imported."
)


def canonical(envelope: dict, leave_out: tuple[str, ...]) -> bytes:
    kept = {k: v for k, v in envelope.items() if k not in leave_out}
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def compress(payload: dict) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return zlib.compress(text.encode("utf-8"), 6)


def inflate(data: bytes) -> dict:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_PAYLOAD)
        if inflater.unconsumed_tail:
            raise PackRefused(
                "This pack would unpack to far more than any real pack holds (over "
                f"{MAX_PAYLOAD // (1024 * 1024)} MB), so it was not opened: it may have been "
                "made to fill the disk. Nothing was imported."
            )
        out += inflater.flush()
        if not inflater.eof:
            raise zlib.error("incomplete")
        payload = json.loads(out.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackRefused(
            "This pack's contents are damaged (perhaps cut short while being copied). Ask "
            "your partner to send it again. Nothing was imported."
        ) from error
    if not isinstance(payload, dict):
        raise PackRefused(NOT_A_PACK)
    return payload


def write(envelope: dict, signing_private: bytes) -> bytes:
    envelope = dict(envelope)
    envelope["signature"] = crypto.b64(
        crypto.sign(signing_private, canonical(envelope, ("signature",)))
    )
    body = json.dumps(envelope, sort_keys=True, ensure_ascii=False, indent=1)
    return MAGIC + body.encode("utf-8") + b"\n"


@dataclass
class Envelope:
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


_REQUIRED = {
    "format": str, "format_version": int, "pack_id": str, "kind": str, "sender": dict,
    "seq": int, "encryption": str, "encryption_params": dict, "payload": str, "signature": str,
    "summary": str, "created_at": str,
}  # fmt: skip


def parse(data: bytes) -> Envelope:
    """The envelope, with its signature checked against the key it names (whether that key is
    the sender's is for the caller to decide). Raises PackRefused."""
    if len(data) > MAX_FILE:
        raise PackRefused(
            f"This file is larger than any pack Collab Desktop makes ({len(data) // 2**20} MB), "
            "so it was not opened. Nothing was imported."
        )
    if not data.startswith(MAGIC):
        if data.startswith(b"COLLAB-DESKTOP-PACK "):
            raise PackRefused(_newer())
        raise PackRefused(NOT_A_PACK)
    try:
        envelope = json.loads(data[len(MAGIC) :].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackRefused(
            "This pack is incomplete or damaged (perhaps cut short while being copied, or "
            "changed on the way). Ask your partner to send it again. Nothing was imported."
        ) from error
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise PackRefused(NOT_A_PACK)
    version = envelope.get("format_version")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise PackRefused(_newer())
    for key, kind in _REQUIRED.items():
        if not isinstance(envelope.get(key), kind):
            raise PackRefused(_damaged())
    sender = envelope["sender"]
    try:
        public = crypto.unb64(sender["signing_key"])
        signature = crypto.unb64(envelope["signature"])
    except (KeyError, ValueError, TypeError) as error:
        raise PackRefused(_damaged()) from error
    if not crypto.verify(public, signature, canonical(envelope, ("signature",))):
        raise PackRefused(
            "This pack has been changed since it was made: its signature does not match its "
            "contents. Do not use it; ask your partner to send it again. Nothing was imported."
        )
    return Envelope(envelope)


def _newer() -> str:
    return (
        "This pack was made by a newer version of Collab Desktop than this one. Install the "
        "newer version to import it. Nothing was imported."
    )


def _damaged() -> str:
    return (
        "This pack is damaged or incomplete: parts of it are missing. Ask your partner to "
        "send it again. Nothing was imported."
    )
