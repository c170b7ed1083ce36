"""Exchange packs between partners' laptops (issue 12). Importing this package registers the
built-in kinds; other parts of the app add theirs with kinds.register_kind."""

from __future__ import annotations

from collab_desktop.services.exchange import (  # noqa: F401  (registers the built-in kinds)
    collaboration_kinds,
    receipts,
    signatures,
)
from collab_desktop.services.exchange.errors import NeedsPassphrase, PackRefused
from collab_desktop.services.exchange.service import (
    ExchangeService,
    ExportResult,
    ImportResult,
    OpenedPack,
)

# Monitoring returns and their templates travel as packs too (issue 13).
from collab_desktop.services.returns import exchange_kinds  # noqa: F401

__all__ = [
    "ExchangeService",
    "ExportResult",
    "ImportResult",
    "NeedsPassphrase",
    "OpenedPack",
    "PackRefused",
]
