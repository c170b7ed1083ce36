"""Why a pack was refused, in words a person understands (nothing is imported)."""

from __future__ import annotations

from collab_desktop.services.errors import ServiceError


class PackRefused(ServiceError):
    """The pack cannot be imported; `message` says why and what to do. Nothing changed."""


class NeedsPassphrase(PackRefused):
    """The pack is encrypted with a passphrase: ask for it and read the pack again."""
