"""Every control a keyboard can reach has a name a screen reader can say: its accessible name,
the text of its buddy label, or its own text (a button's). Checked through Qt's accessibility
interface, which is what a screen reader is given, on every page and every dialog (filled
with the example data, so that tables hold their cell widgets).

A new widget without a name fails here: give it one with forms.name_widget(), or a label with
setBuddy() (QFormLayout.addRow("&Label:", field) does that)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLabel, QTabWidget, QWidget

from collab_desktop.services.demo import load_demo
from collab_desktop.ui.about import AboutDialog
from collab_desktop.ui.agreements.agreements_page import NewAgreementDialog
from collab_desktop.ui.agreements.editor import AgreementEditor
from collab_desktop.ui.agreements.signature_dialog import SignatureDialog
from collab_desktop.ui.collaboration_dialog import CollaborationDialog
from collab_desktop.ui.delivery.activity_dialog import ActivityDialog
from collab_desktop.ui.delivery.figures_dialog import FiguresDialog
from collab_desktop.ui.delivery.participants_page import ParticipantDialog
from collab_desktop.ui.delivery.register_dialog import RegisterDialog
from collab_desktop.ui.delivery.sessions_dialog import (
    CancelDialog,
    SessionFormDialog,
    SessionsDialog,
)
from collab_desktop.ui.delivery.volunteers_page import ChooseContactDialog, VolunteerDialog
from collab_desktop.ui.main_window import MainWindow
from collab_desktop.ui.partner_dialog import PartnerDialog
from collab_desktop.ui.preferences import PreferencesDialog
from collab_desktop.ui.welcome import WelcomeDialog

TODAY = date.today()


def _part_of_another(widget: QWidget) -> bool:
    """Pieces of a compound control, named through the control itself: a spin box's or an
    editable combo's text field, a combo's list of choices, a tab widget's bar (its tabs
    carry the names)."""
    parent = widget.parentWidget()
    if isinstance(parent, QTabWidget) and widget is parent.tabBar():
        return True
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox)):
            return True
        parent = parent.parentWidget()
    return False


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name).strip() if interface is not None else ""


def buddy_text(widget: QWidget) -> str:
    top = widget.window()
    for label in top.findChildren(QLabel):
        if label.buddy() is widget:
            return label.text().replace("&", "").strip()
    return ""


def unnamed(top: QWidget) -> list[str]:
    """The controls under `top` that Tab can reach but that have no name, described for the
    failure message."""
    missing = []
    for widget in [top, *top.findChildren(QWidget)]:
        tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if not tab or _part_of_another(widget):
            continue
        if widget.accessibleName().strip() or buddy_text(widget) or spoken_name(widget):
            continue
        parent = widget.parentWidget()
        missing.append(
            f"{top.objectName() or type(top).__name__}: {type(widget).__name__} "
            f"{widget.objectName()!r} in {type(parent).__name__} {parent.objectName()!r}"
        )
    return missing


@pytest.fixture
def example(services):
    load_demo(services, today=TODAY)
    return services


def test_the_check_finds_a_control_without_a_name(qtbot):
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout

    holder = QWidget()
    holder.setObjectName("holder")
    qtbot.addWidget(holder)
    QVBoxLayout(holder).addWidget(QLineEdit())
    assert len(unnamed(holder)) == 1


def test_every_page_names_its_controls(qtbot, example, tmp_path):
    window = MainWindow(tmp_path, demo=True)
    qtbot.addWidget(window)
    window.attach(example)
    assert unnamed(window) == []


@pytest.fixture
def dialogs(qtbot, example, events, tmp_path) -> dict[str, QWidget]:
    """One of every dialog, on the example records, by a short name."""
    s = example
    agreements = s.agreements.list_versions()
    signed = next(a for a in agreements if a.status == "signed_off")
    draft = next(a for a in agreements if a.status == "draft")
    draft_version = s.agreements.get_version(draft.version_id)
    activity = s.activities.list_activities(TODAY)[0]
    sessions = s.activities.sessions_of(activity.id, TODAY)
    held = next(r for r in sessions if r.status == "held")
    planned = next(r for r in sessions if r.status == "planned")
    partner = s.partners.list_partners()[0]
    collaboration = s.collaborations.list_collaborations()[0]
    participant = s.participants.list_participants()[0]
    volunteer = s.volunteers.list_volunteers(TODAY)[0]
    made = {
        "welcome": WelcomeDialog(tmp_path / "new" / "collab-desktop.sqlite3"),
        "preferences": PreferencesDialog(s, tmp_path / "backups"),
        "about": AboutDialog(tmp_path, tmp_path / "logs", lambda _folder: None),
        "new partner": PartnerDialog(s, events),
        "partner": PartnerDialog(s, events, partner.id),
        "new collaboration": CollaborationDialog(s, events),
        "collaboration": CollaborationDialog(s, events, collaboration.id),
        "new agreement": NewAgreementDialog(s),
        "signed agreement": AgreementEditor(s, events, signed.version_id),
        "draft agreement": AgreementEditor(s, events, draft.version_id),
        "signature": SignatureDialog(s, draft_version.signatories, None),
        "new activity": ActivityDialog(s, events),
        "activity": ActivityDialog(s, events, activity.id),
        "sessions": SessionsDialog(s, events, activity.id),
        "new session": SessionFormDialog(s, activity.id, None),
        "session": SessionFormDialog(s, activity.id, planned),
        "cancel session": CancelDialog(s, planned),
        "register": RegisterDialog(s, events, held.id),
        "figures": FiguresDialog(s, activity.id),
        "new participant": ParticipantDialog(s, events),
        "participant": ParticipantDialog(s, events, participant.id),
        "volunteer": VolunteerDialog(s, events, volunteer.contact_id),
        "choose volunteer": ChooseContactDialog(s),
        "export pack": ExportDialog(s, None, tmp_path),
        "new meeting": MeetingDialog(s, events, collaboration.id),
    }
    for dialog in made.values():
        qtbot.addWidget(dialog)
    return made


from collab_desktop.ui.exchange.export_dialog import ExportDialog  # noqa: E402
from collab_desktop.ui.meetings.meeting_dialog import MeetingDialog  # noqa: E402


def test_every_dialog_names_its_controls(dialogs):
    missing = []
    for dialog in dialogs.values():
        assert dialog.objectName(), f"{type(dialog).__name__} has no objectName"
        missing += unnamed(dialog)
    assert not missing, "\n".join(missing)


def test_every_form_saves_with_the_standard_key(dialogs):
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QAbstractButton

    save = QKeySequence(QKeySequence.StandardKey.Save)
    forms = (
        "new partner", "partner", "new collaboration", "collaboration", "draft agreement",
        "new activity", "activity", "new session", "register", "new participant",
        "participant", "volunteer", "preferences",
    )  # fmt: skip
    without = []
    for name in forms:
        dialog = dialogs[name]
        bound = [s.key() for s in dialog.findChildren(QShortcut) if s.isEnabled()]
        bound += [b.shortcut() for b in dialog.findChildren(QAbstractButton)]
        if save not in bound:
            without.append(name)
    assert without == [], f"no {save.toString()} in: {', '.join(without)}"


def test_no_style_hides_where_the_focus_is(qtbot, example, tmp_path):
    """The platform's own focus stays (no stylesheet turns it off), and the welcome's big
    choices, which Fusion draws without one, get a visible outline."""
    import re

    from collab_desktop.ui.style import FOCUS_RULES

    hides = re.compile(r"outline\s*:\s*(none|0)|show-decoration-selected\s*:\s*0", re.I)
    window = MainWindow(tmp_path, demo=True)
    qtbot.addWidget(window)
    window.attach(example)
    for widget in [window, *window.findChildren(QWidget)]:
        assert not hides.search(widget.styleSheet()), widget.objectName()
    source = Path(__file__).parents[2] / "collab_desktop" / "ui"
    for path in source.glob("*.py"):
        assert not hides.search(path.read_text(encoding="utf-8")), path.name
    assert "QCommandLinkButton:focus" in FOCUS_RULES and "palette(highlight)" in FOCUS_RULES
