"""The line on a partner's record that says which exchange key its packs are signed with, and
lets that key be forgotten on purpose (the partner has a new laptop) so that their next pack
teaches the new one."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from collab_desktop.services.errors import ServiceError
from collab_desktop.services.open_records import Services
from collab_desktop.ui.errors import show_problem


def partner_key_text(services: Services, partner_id: uuid.UUID | None) -> str:
    peer = services.exchange.peer(partner_id) if partner_id is not None else None
    if peer is None:
        return "Exchange key: none yet (learned from the first pack this partner sends)."
    return (
        f"Exchange key fingerprint: <b><code>{peer.fingerprint}</code></b> (learned from its "
        f"first pack, {peer.learned_at:%d/%m/%Y}). Compare it by phone with their Help → About; "
        "packs signed by any other key are refused."
    )


class PartnerKeyLine(QWidget):
    """The key's fingerprint, and "Forget this key…" when one is known."""

    def __init__(self, services: Services, partner_id: uuid.UUID | None) -> None:
        super().__init__()
        self._services = services
        self._partner_id = partner_id
        self.label = QLabel()
        self.label.setObjectName("partner_exchange_key")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.forget_button = QPushButton("&Forget this key…")
        self.forget_button.setObjectName("forget_exchange_key")
        self.forget_button.setAccessibleName("Forget this partner's exchange key")
        self.forget_button.setToolTip(
            "For a partner's new laptop: their next pack is then accepted with its new key."
        )
        self.forget_button.clicked.connect(self.forget)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.forget_button, 0, Qt.AlignmentFlag.AlignTop)
        self.refresh()

    def text(self) -> str:
        return self.label.text()

    def refresh(self) -> None:
        self.label.setText(partner_key_text(self._services, self._partner_id))
        known = self._partner_id is not None and self._services.exchange.peer(self._partner_id)
        self.forget_button.setVisible(bool(known))

    def confirm_forget(self, name: str, fingerprint: str) -> bool:  # replaceable in tests
        answer = QMessageBox.warning(
            self,
            "Forget this partner's exchange key?",
            f"Only do this when {name} has really changed laptop or reinstalled Collab "
            f"Desktop, and you have checked by phone.\n\nThe key with fingerprint {fingerprint} "
            f"will be forgotten. The next pack that says it comes from {name} will be accepted "
            "with whatever key it has, and that key is then kept: compare its fingerprint, "
            "shown in the import preview, with theirs (Help → About on their laptop).\n\n"
            "The records exchanged so far stay as they are.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def forget(self) -> None:
        if self._partner_id is None:
            return
        peer = self._services.exchange.peer(self._partner_id)
        if peer is None:
            return
        if not self.confirm_forget(peer.name, peer.fingerprint):
            return
        try:
            self._services.exchange.forget_peer_key(self._partner_id)
        except ServiceError as error:
            show_problem(self, error, "Cannot forget the key")
            return
        self.refresh()


def partner_key_label(services: Services, partner_id: uuid.UUID | None) -> PartnerKeyLine:
    return PartnerKeyLine(services, partner_id)
