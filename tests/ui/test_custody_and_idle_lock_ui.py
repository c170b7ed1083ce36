"""Issue 10: a custody activity on plain records says plainly that they are not encrypted
(and not on encrypted records, nor for community work); the idle lock's minutes are chosen
in Preferences and apply to the open window's lock at once."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.open_records import open_services
from collab_desktop.services.partners import PartnerData
from collab_desktop.services.records_key import create_encrypted
from collab_desktop.ui.delivery.activity_dialog import ActivityDialog
from collab_desktop.ui.encryption import install_lock
from collab_desktop.ui.main_window import MainWindow
from collab_desktop.ui.preferences import load_preferences
from tests.ui.test_preferences_ui import open_preferences


def collaboration(services, setting: str, name: str):
    host = services.partners.save_partner(
        PartnerData(name=f"{name} host", kind="prison" if setting == "custody" else "charity")
    )
    return services.collaborations.save_collaboration(
        CollaborationData(name=name, setting=setting, members=[MemberData(host, "host")])
    )


def test_a_custody_activity_on_plain_records_warns(qtbot, services, events):
    custody = collaboration(services, "custody", "Needlework group")
    community = collaboration(services, "community", "Allotment club")
    dialog = ActivityDialog(services, events, collaboration_id=custody)
    qtbot.addWidget(dialog)
    dialog.show()
    banner = dialog.findChild(type(dialog.plain_banner), "plain_custody_warning")
    assert banner is not None and banner.isVisible()
    assert "not encrypted" in banner.text() and "Encrypt the records" in banner.text()
    dialog.collaboration_id.setCurrentIndex(dialog.collaboration_id.findText("Allotment club"))
    assert dialog.collaboration_id.currentData() == community
    assert not banner.isVisible()


def test_no_warning_on_encrypted_records(qtbot, events, tmp_path):
    records, _ = create_encrypted(tmp_path / "collab-desktop.sqlite3", "kettle orbit meadow")
    services = open_services(records)
    try:
        custody = collaboration(services, "custody", "Needlework group")
        dialog = ActivityDialog(services, events, collaboration_id=custody)
        qtbot.addWidget(dialog)
        dialog.show()
        assert not dialog.plain_banner.isVisible()
    finally:
        services.close()


def test_idle_lock_minutes_are_chosen_in_preferences(qtbot, events, tmp_path):
    records, _ = create_encrypted(tmp_path / "collab-desktop.sqlite3", "kettle orbit meadow")
    services = open_services(records)
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.attach(services)
    lock = install_lock(window, records, load_preferences().idle_lock_minutes)
    window.add_lock(lock)
    try:
        assert lock.idle_seconds == 10 * 60  # the default
        dialog = open_preferences(qtbot, window)
        assert dialog.idle_lock.value() == 10
        dialog.idle_lock.setValue(3)
        dialog.save()
        assert lock.idle_seconds == 3 * 60  # at once, on the open window
        assert int(QSettings().value("lock/idle_minutes")) == 3
        assert load_preferences().idle_lock_minutes == 3
        QSettings().setValue("lock/idle_minutes", "forever")  # a damaged setting
        assert load_preferences().idle_lock_minutes == 10
    finally:
        lock.stop()
        services.close()
