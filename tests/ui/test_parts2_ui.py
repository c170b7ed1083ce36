"""Issue 13 and 14's missing screens, driven as a user would: a meeting's minutes printed
through the print dialog, an agreement's review recorded at a meeting, and the returns kinds
offered by File → Export pack…."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from sqlalchemy import select

from collab_desktop.models import AuditEntry
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.meetings.meetings_page import MeetingsPage
from collab_desktop.ui.meetings.review_dialog import ReviewDialog
from tests.builders import signed_off_agreement

TODAY = date(2026, 12, 2)


def held_meeting(services, collaboration_id, on=date(2026, 5, 1)):
    data = services.meetings.new_meeting(collaboration_id, on)
    data.status = "held"
    for a in data.attendees:
        a.response = "attended"
    return services.meetings.save_meeting(data, today=TODAY)


def test_minutes_are_printed_through_the_print_dialog(qtbot, services, tmp_path, monkeypatch):
    case, _ = signed_off_agreement(services)
    held_meeting(services, case.collaboration)
    page = MeetingsPage(services, DataEvents())
    qtbot.addWidget(page)
    page.refresh()
    page.table.selectRow(0)
    printed = tmp_path / "minutes-printed.pdf"
    asked = []

    def accept(dialog):
        printer = dialog.printer()
        asked.append(printer.docName())
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        printer.setResolution(72)
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    page.print_button.click()
    assert asked and asked[0].startswith("Minutes, ")
    assert len(PdfReader(printed).pages) >= 1


def test_a_review_with_no_change_is_recorded_in_the_agreements_history(qtbot, services):
    case, version_id = signed_off_agreement(services)
    meeting_id = held_meeting(services, case.collaboration)
    dialog = ReviewDialog(services, DataEvents(), meeting_id)
    qtbot.addWidget(dialog)
    assert dialog.version.currentData() == version_id
    dialog.next_review.setText("31/02/2027")  # no such day: said beside it, nothing recorded
    dialog.record()
    assert dialog.problem.text().startswith("Next review")
    dialog.next_review.setText("01/05/2027")
    dialog.record()
    assert dialog.result() == ReviewDialog.DialogCode.Accepted
    meeting = services.meetings.get_meeting(meeting_id)
    assert meeting.review_outcome == "no_change"
    with services.returns._sessions() as session:
        actions = [e.action for e in session.scalars(select(AuditEntry))]
    assert "reviewed" in actions


def test_a_review_can_start_a_new_version(qtbot, services):
    case, version_id = signed_off_agreement(services)
    meeting_id = held_meeting(services, case.collaboration)
    dialog = ReviewDialog(services, DataEvents(), meeting_id)
    qtbot.addWidget(dialog)
    dialog.new_version.setChecked(True)
    assert not dialog.next_review.isEnabled()
    dialog.record()
    assert dialog.new_version_id is not None
    versions = services.agreements.list_versions(case.collaboration)
    assert [v.status for v in versions][-1] == "draft"


def test_an_actions_owner_and_responsibility_are_picked(qtbot, services):
    from collab_desktop.ui.meetings.meeting_dialog import MeetingDialog

    case, _ = signed_off_agreement(services)
    meeting_id = held_meeting(services, case.collaboration)
    people = services.meetings.people(case.collaboration)
    (about, *_) = services.meetings.responsibilities(case.collaboration)
    dialog = MeetingDialog(services, DataEvents(), meeting_id=meeting_id, today=TODAY)
    qtbot.addWidget(dialog)
    dialog._add_action()
    t = dialog.actions
    t.item(0, 0).setText("Send the kits")
    org = t.cellWidget(0, 1)
    org.setCurrentIndex(next(i for i in range(org.count())
                             if org.itemData(i) == people[0].organisation_id))  # fmt: skip
    person = t.cellWidget(0, 2)
    names = [person.itemText(i) for i in range(person.count())]
    assert people[0].name in names  # only the contacts of the organisation chosen
    assert all(p.name not in names for p in people if p.organisation_id != org.currentData())
    person.setCurrentIndex(names.index(people[0].name))
    responsibility = t.cellWidget(0, 5)
    responsibility.setCurrentIndex(1)
    t.item(0, 3).setText("01/06/2026")
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    (action,) = services.meetings.get_meeting(meeting_id).actions
    assert action.contact_id == people[0].id and action.owner_name == people[0].name
    assert action.responsibility_id == about.id
    # A name typed instead of picked is kept, with no contact behind it.
    again = MeetingDialog(services, DataEvents(), meeting_id=meeting_id, today=TODAY)
    qtbot.addWidget(again)
    assert again.actions.cellWidget(0, 2).currentText() == people[0].name
    again.actions.cellWidget(0, 2).setEditText("Someone new")
    again.save()
    (action,) = services.meetings.get_meeting(meeting_id).actions
    assert (action.contact_id, action.owner_name) == (None, "Someone new")


def test_the_next_meeting_approves_the_minutes(qtbot, services, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    case, _ = signed_off_agreement(services)
    first = held_meeting(services, case.collaboration, date(2026, 3, 1))
    second = held_meeting(services, case.collaboration, date(2026, 6, 1))
    page = MeetingsPage(services, DataEvents())
    qtbot.addWidget(page)
    page.refresh()
    page.select_where(lambda r: r.id == second)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ann Chair", True))
    page.approve_button.click()
    approved = services.meetings.get_meeting(first)
    assert (approved.minutes_approved_by, approved.minutes_approved_on) == (
        "Ann Chair", date(2026, 6, 1)
    )  # fmt: skip
    (decision,) = services.meetings.get_meeting(second).decisions
    assert "minutes of the meeting of 1 March 2026 were approved" in decision.text
    doc = services.meetings.minutes(first, TODAY)
    assert doc.approved_by == "Ann Chair"


def test_the_quorum_is_set_on_a_draft_in_the_agreement_editor(qtbot, services):
    from collab_desktop.ui.agreements.editor import AgreementEditor
    from tests.builders import reference_agreement

    _, version_id = reference_agreement(services)
    editor = AgreementEditor(services, DataEvents(), version_id)
    qtbot.addWidget(editor)
    assert editor.quorum.text().startswith("None set")
    editor.quorum.setValue(99)  # more than the members: refused, said, the value kept
    assert editor.save() is False
    assert "Quorum" in editor.problem.text() and editor.quorum.value() == 99
    assert services.reviews.quorum_of(version_id) is None
    editor.quorum.setValue(2)
    assert editor.save() is True
    assert services.reviews.quorum_of(version_id) == 2
    with services.returns._sessions() as session:
        assert "quorum" in [e.action for e in session.scalars(select(AuditEntry))]
