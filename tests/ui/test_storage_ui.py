"""A full disk while saving: a plain message, the dialog stays open with what was typed."""

from __future__ import annotations

from collab_desktop.ui.partner_dialog import PartnerDialog
from tests.integration.test_storage_errors import limit_connections
from tests.ui.widgets import click, field, type_into


def test_disk_full_keeps_the_dialog_and_the_typed_text(qtbot, services, events, boxes):
    limit_connections(services, "PRAGMA query_only = ON")
    dialog = PartnerDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "partner_name", "Nepacs")
    type_into(qtbot, dialog, "partner_town", "Durham")
    click(qtbot, dialog, "partner_save")

    assert any("read-only" in box.text for box in boxes.shown), boxes.shown
    assert not boxes.of("critical"), "a storage problem is not an unexpected error"
    assert dialog.isVisible()
    assert field(dialog, "partner_name").text() == "Nepacs"
    assert field(dialog, "partner_town").text() == "Durham"
    assert services.partners.list_partners() == []
