"""Privacy on screen (issue 15): everything about a person saved from their page, anonymising
and erasing with the list of what changes shown first, a facilitator of sessions to come, and
the retention rules in Preferences."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox

from collab_desktop.services.privacy.people import PARTICIPANT, PersonRef
from collab_desktop.ui.delivery.participants_page import ParticipantsPage
from collab_desktop.ui.delivery.volunteers_page import VolunteersPage
from collab_desktop.ui.preferences import PreferencesDialog
from collab_desktop.ui.privacy.retention_settings import load_rules
from tests.delivery_builders import add_person, needlework_group
from tests.ui.widgets import click, names, select
from tests.unit.test_figures_and_volunteers import record

NAME = "Gareth Ŵyn Jones"
YES = QMessageBox.StandardButton.Yes


def _page(services, events):
    group = needlework_group(services)
    record(services, group, date(2026, 1, 6), NAME, leaders=[group.volunteer])
    page = ParticipantsPage(services, events)
    page.refresh()
    select(page, NAME)
    return group, page


def test_everything_about_a_participant_offers_both_spellings_and_saves(
    qtbot, services, events, tmp_path
):
    group, page = _page(services, events)
    add_person(services, "Gareth Wyn Jones", [group.activity])
    qtbot.addWidget(page)
    click(qtbot, page, "participants_everything")
    dialog = page.dialog
    offered = [dialog.people.item(i).text() for i in range(dialog.people.count())]
    assert len(offered) == 2 and dialog.people.currentItem().text().startswith(NAME)
    dialog.ask_for_file = lambda suggested: str(tmp_path / suggested)
    told = []
    dialog.tell = lambda title, text: told.append(text)
    click(qtbot, dialog, "subject_access_save")
    pdf, json_path = dialog.saved
    assert pdf.name == f"Everything about {NAME}.pdf" and json_path.exists()
    text = PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text()
    assert NAME in text and "Contains personal data" in text
    assert "give them only to the person" in told[0]


def test_anonymise_shows_what_changes_then_the_name_is_gone(qtbot, services, events, boxes):
    _, page = _page(services, events)
    qtbot.addWidget(page)
    click(qtbot, page, "participants_erase")
    dialog = page.dialog
    assert "replaced by an anonymous one" in dialog.plan_text.toPlainText()
    assert not dialog.warning.isVisibleTo(dialog)
    dialog.erase.setChecked(True)
    assert "fewer" in dialog.warning.text() and dialog.warning.isVisibleTo(dialog)
    assert dialog.go_button.text() == "Erase entirely"
    dialog.anonymise.setChecked(True)
    boxes.answer(QMessageBox.StandardButton.No)
    click(qtbot, dialog, "erasure_go")
    assert NAME in names(page)  # said No: nothing changed
    boxes.answer(YES)
    with qtbot.waitSignal(events.changes):
        click(qtbot, dialog, "erasure_go")
    assert NAME not in names(page) and "Anonymised participant 1" in names(page)
    assert "anonymised" in page.privacy.message.text()
    page.privacy.message.close()


def test_a_facilitator_of_sessions_to_come_is_asked_what_to_do(qtbot, services, events, boxes):
    group = needlework_group(services)
    page = VolunteersPage(services, events)
    qtbot.addWidget(page)
    from collab_desktop.services.delivery.volunteers import VolunteerData

    services.volunteers.save_volunteer(VolunteerData(contact_id=group.volunteer))
    page.refresh()
    select(page, "Margaret Ellis")
    click(qtbot, page, "volunteers_erase")
    dialog = page.dialog
    assert dialog.remove_facilitator.isVisibleTo(dialog)
    assert not dialog.erase.isVisibleTo(dialog)  # a contact's registers stay: anonymise only
    click(qtbot, dialog, "erasure_go")
    assert "Choose what happens" in dialog.error.text()
    dialog.remove_facilitator.setChecked(True)
    boxes.answer(YES)
    click(qtbot, dialog, "erasure_go")
    assert services.activities.get_activity(group.activity).facilitator_ids == [group.staff]
    page.privacy.message.close()


def test_retention_rules_in_preferences_and_the_list_of_what_is_due(
    qtbot, services, events, boxes
):
    add_person(services, "Long Gone", joined_on=date(2019, 1, 1), left_on=date(2020, 1, 1))
    dialog = PreferencesDialog(services)
    qtbot.addWidget(dialog)
    dialog.retention.participants.setValue(4)
    dialog.retention.clearances.setValue(0)
    click(qtbot, dialog, "retention_review")
    review = dialog.retention_dialog
    assert review.items.count() == 1 and "Long Gone" in review.items.item(0).text()
    boxes.answer(YES)
    click(qtbot, review, "retention_apply")
    assert review.applied == 1
    assert "Long Gone" not in [r.name for r in services.participants.list_participants()]
    click(qtbot, dialog, "preferences_save")
    rules = load_rules()
    assert (rules.participants_years, rules.clearance_months, rules.register_years) == (4, 0, 6)


def test_the_collaboration_records_why_it_keeps_personal_data(qtbot, services, events):
    from collab_desktop.services.collaborations import CollaborationData
    from collab_desktop.ui.collaboration_dialog import CollaborationDialog

    group = needlework_group(services)
    data = services.collaborations.get_collaboration(group.case.collaboration)
    assert (data.lawful_basis, data.policy_document) == ("", "")
    data.lawful_basis, data.offence_condition = "legitimate_interests", "safeguarding"
    data.policy_document, data.policy_document_where = "yes", "Shared drive / DP"
    services.collaborations.save_collaboration(data)
    dialog = CollaborationDialog(services, events, group.case.collaboration)
    qtbot.addWidget(dialog)
    assert dialog.lawful.lawful_basis.currentData() == "legitimate_interests"
    assert dialog.lawful.policy_where.text() == "Shared drive / DP"
    read, _ = dialog.form_data()
    assert isinstance(read, CollaborationData) and read.offence_condition == "safeguarding"


def test_a_participant_carries_a_preferred_language_and_consent_notes(qtbot, services, events):
    from collab_desktop.ui.delivery.participants_page import ParticipantDialog

    group = needlework_group(services)
    dialog = ParticipantDialog(services, events, group.people[NAME])
    qtbot.addWidget(dialog)
    dialog.preferred_language.setText("Welsh")
    dialog.consent_notes.setPlainText("Agreed to photos on 6 Jan 2026")
    dialog.save()
    saved = services.participants.get_participant(group.people[NAME])
    assert (saved.preferred_language, saved.consent_notes) == (
        "Welsh", "Agreed to photos on 6 Jan 2026"
    )
    report = services.subject_access.gather(PersonRef(PARTICIPANT, saved.id))
    assert ("Preferred language", "Welsh") in report.details
