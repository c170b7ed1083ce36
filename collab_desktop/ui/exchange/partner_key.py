"""The line on a partner's record that says which exchange key its packs are signed with."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from collab_desktop.services.open_records import Services


def partner_key_text(services: Services, partner_id: uuid.UUID | None) -> str:
    peer = services.exchange.peer(partner_id) if partner_id is not None else None
    if peer is None:
        return "Exchange key: none yet (learned from the first pack this partner sends)."
    return (
        f"Exchange key fingerprint: <b><code>{peer.fingerprint}</code></b> (learned from its "
        f"first pack, {peer.learned_at:%d/%m/%Y}). Compare it by phone with their Help → About; "
        "packs signed by any other key are refused."
    )


def partner_key_label(services: Services, partner_id: uuid.UUID | None) -> QLabel:
    label = QLabel(partner_key_text(services, partner_id))
    label.setObjectName("partner_exchange_key")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
