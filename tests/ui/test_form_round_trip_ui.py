"""Every field of a form survives a round trip: set through the real dialog, saved, opened
again, the same. The fields are declared once per form (FIELDS beside each dialog); this test
also checks the list covers the record's data class, so a field added to the data but not to
the form fails here, as does one the service drops on save or the dialog on load."""

from __future__ import annotations

import dataclasses
import inspect
import uuid
from datetime import date, time, timedelta

import pytest
from PySide6.QtWidgets import QSpinBox

from collab_desktop.services.collaborations import CollaborationData
from collab_desktop.services.delivery.activities import ActivityData, ActivityService
from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.delivery.rows import SessionRow
from collab_desktop.services.partners import PartnerData
from collab_desktop.ui import collaboration_dialog, partner_dialog
from collab_desktop.ui.collaboration_dialog import CollaborationDialog
from collab_desktop.ui.delivery import activity_dialog, participants_page, sessions_dialog
from collab_desktop.ui.delivery.activity_dialog import ActivityDialog
from collab_desktop.ui.delivery.forms import TimeField
from collab_desktop.ui.delivery.sessions_dialog import CancelDialog, SessionFormDialog
from collab_desktop.ui.forms import ChoiceBox, DateField, FormFields, field_value, set_field_value
from collab_desktop.ui.partner_dialog import PartnerDialog
from tests.builders import add_partner, contact


@pytest.mark.parametrize(
    ("module", "data_class"),
    [
        (partner_dialog, PartnerData),
        (collaboration_dialog, CollaborationData),
        (participants_page, ParticipantData),
        (activity_dialog, ActivityData),
    ],
)
def test_the_declared_fields_are_all_of_the_record(module, data_class):
    declared = {field.name for field in module.FIELDS}
    on_record = {field.name for field in dataclasses.fields(data_class)}
    assert declared | module.NOT_ON_FORM == on_record
    assert not declared & module.NOT_ON_FORM


def _other_value(widget, number: int, partner_id: uuid.UUID | None = None) -> object:
    """A value for the field unlike its default, different for each field."""
    if isinstance(widget, DateField):
        return date(2026, 1, 1 + number)
    if isinstance(widget, ChoiceBox):
        return widget.itemData(widget.count() - 1)
    if isinstance(widget, collaboration_dialog.PartnerChoice):
        return partner_id
    if isinstance(widget, TimeField):
        return time(8 + number, 5 * number)
    if isinstance(widget, QSpinBox):
        return widget.minimum() + number + 1
    return f"value {number} 01179 496000 x{number}@example.org"


def _fill(fields: FormFields, partner_id: uuid.UUID | None = None) -> dict[str, object]:
    wanted = {}
    for number, (name, widget) in enumerate(fields.widgets.items()):
        value = _other_value(widget, number, partner_id)
        if name == "email":
            value = "ann@example.org"
        elif name == "website":
            value = "www.example.org"
        elif name == "postcode":
            value = "BS1 4DJ"
        set_field_value(widget, value)
        wanted[name] = field_value(widget)
    return wanted


def _values(fields: FormFields) -> dict[str, object]:
    return {name: field_value(widget) for name, widget in fields.widgets.items()}


def test_every_partner_field_round_trips(qtbot, services, events):
    dialog = PartnerDialog(services, events)
    qtbot.addWidget(dialog)
    wanted = _fill(dialog.fields)
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    again = PartnerDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted


def test_every_collaboration_field_round_trips(qtbot, services, events):
    funder = add_partner(services, "The Funders' Trust")
    dialog = CollaborationDialog(services, events)
    qtbot.addWidget(dialog)
    dialog.add_member(funder, "lead")
    wanted = _fill(dialog.fields, funder)
    # Dates in order, as the service requires.
    for name, day in (("start_date", 1), ("end_date", 20), ("funding_from", 2)):
        set_field_value(dialog.fields.widgets[name], date(2026, 1, day))
        wanted[name] = date(2026, 1, day)
    set_field_value(dialog.fields.widgets["funding_until"], date(2026, 1, 19))
    wanted["funding_until"] = date(2026, 1, 19)
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    again = CollaborationDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted


def test_every_participant_field_round_trips(qtbot, services, events):
    from collab_desktop.ui.delivery.participants_page import ParticipantDialog

    dialog = ParticipantDialog(services, events)
    qtbot.addWidget(dialog)
    wanted = _fill(dialog.fields)
    wanted["display_name"] = "Ann Example"
    set_field_value(dialog.display_name, "Ann Example")
    set_field_value(dialog.left_on, date(2026, 2, 1))
    wanted["left_on"] = date(2026, 2, 1)
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    again = ParticipantDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted


def test_the_contact_fields_are_all_in_the_table_or_below_it():
    from collab_desktop.services.partners import ContactData

    declared = {field.name for field in partner_dialog.CONTACT_FORM}
    on_record = {field.name for field in dataclasses.fields(ContactData)}
    assert declared | partner_dialog.CONTACT_NOT_ON_FORM == on_record
    assert not declared & partner_dialog.CONTACT_NOT_ON_FORM


def test_a_contacts_language_and_consent_round_trip_and_stay_with_their_row(
    qtbot, services, events
):
    dialog = PartnerDialog(services, events)
    qtbot.addWidget(dialog)
    set_field_value(dialog.name, "Fine Cell Work")
    assert not dialog.preferred_language.isEnabled()  # no contact chosen yet
    for row, name in enumerate(("Ann Example", "Bob Example")):
        dialog.add_contact()
        dialog.contacts.item(row, 0).setText(name)
    dialog.contacts.setCurrentCell(0, 0)
    wanted = _fill(dialog.contact_fields)
    dialog.contacts.setCurrentCell(1, 0)  # the second contact's panel starts blank
    assert _values(dialog.contact_fields) == {"preferred_language": "", "consent_notes": ""}
    set_field_value(dialog.preferred_language, "Welsh")
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    again = PartnerDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    rows = {c.name: c for c in again.contact_rows()}
    assert rows["Ann Example"].preferred_language == wanted["preferred_language"]
    assert rows["Ann Example"].consent_notes == wanted["consent_notes"]
    assert rows["Bob Example"].preferred_language == "Welsh"
    again.contacts.setCurrentCell([c.name for c in again.contact_rows()].index("Ann Example"), 0)
    assert _values(again.fields) and _values(again.contact_fields) == wanted


def test_the_volunteers_stop_date_round_trips(qtbot, services, events):
    from collab_desktop.services.delivery.volunteers import VolunteerData
    from collab_desktop.ui.delivery import volunteers_page
    from collab_desktop.ui.delivery.volunteers_page import VolunteerDialog

    partner = add_partner(services, "Fine Cell Work", contacts=[contact("Ann Example")])
    contact_id = services.partners.get_partner(partner).contacts[0].id
    services.volunteers.save_volunteer(VolunteerData(contact_id=contact_id))
    dialog = VolunteerDialog(services, events, contact_id)
    qtbot.addWidget(dialog)
    assert [f.name for f in volunteers_page.FIELDS] == list(dialog.fields.widgets)
    wanted = _fill(dialog.fields)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()
    again = VolunteerDialog(services, events, contact_id)
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted
    assert services.volunteers.get_volunteer(contact_id).stopped_on == wanted["stopped_on"]


def test_every_activity_field_round_trips(qtbot, services, events):
    from tests.builders import reference_case
    from tests.delivery_builders import FIRST, contact_id

    case = reference_case(services)
    volunteer = contact_id(services, "Margaret Ellis")
    dialog = ActivityDialog(services, events, collaboration_id=case.collaboration)
    qtbot.addWidget(dialog)
    wanted = _fill(dialog.fields)
    # The collaboration's own, with dates inside its time and the times in order.
    for name, value in (("collaboration_id", case.collaboration), ("starts_on", FIRST),
                        ("ends_on", FIRST + timedelta(days=300)), ("start_time", time(9, 30)),
                        ("end_time", time(11, 45))):  # fmt: skip
        set_field_value(dialog.fields.widgets[name], value)
        wanted[name] = value
    dialog._fill_facilitators(case.collaboration, {volunteer})
    assert dialog.facilitator_ids() == [volunteer]
    dialog.save()
    assert dialog.saved_id is not None, dialog.problem.text()
    again = ActivityDialog(services, events, dialog.saved_id)
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted
    assert again.facilitator_ids() == [volunteer]


def test_the_session_forms_are_the_arguments_of_moving_adding_and_cancelling():
    """The forms hand their fields to the service by name, and load them from SessionRow."""
    declared = [f.name for f in sessions_dialog.SESSION_FIELDS]
    for method in (ActivityService.move_session, ActivityService.add_session):
        assert declared == list(inspect.signature(method).parameters)[2:]  # self, the id
    assert set(declared) <= {f.name for f in dataclasses.fields(SessionRow)}
    cancelling = list(inspect.signature(ActivityService.cancel_session).parameters)[2:]
    assert [f.name for f in sessions_dialog.CANCEL_FIELDS] == cancelling


def _session_values(services, session_id) -> dict[str, object]:
    row = services.activities.get_session(session_id)
    return {f.name: getattr(row, f.name) for f in sessions_dialog.SESSION_FIELDS}


@pytest.mark.parametrize("moving", [True, False], ids=["moved", "added"])
def test_every_field_of_a_moved_or_added_session_round_trips(qtbot, services, events, moving):
    from tests.delivery_builders import needlework_group, session_on

    group = needlework_group(services)
    row = None
    if moving:
        row = services.activities.get_session(
            session_on(services, group.activity, date(2026, 1, 13))
        )
    dialog = SessionFormDialog(services, group.activity, row, events=events)
    qtbot.addWidget(dialog)
    wanted = _fill(dialog.fields)
    wanted["on"] = date(2026, 1, 15)  # a Thursday: no session yet
    set_field_value(dialog.on, wanted["on"])
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()
    session_id = row.id if row is not None else dialog.saved_id  # a move returns nothing
    assert _session_values(services, session_id) == wanted
    again = SessionFormDialog(
        services, group.activity, services.activities.get_session(session_id), events=events
    )
    qtbot.addWidget(again)
    assert _values(again.fields) == wanted


def test_every_field_of_a_cancellation_is_kept(qtbot, services, events):
    from tests.delivery_builders import needlework_group, session_on

    group = needlework_group(services)
    session_id = session_on(services, group.activity, date(2026, 3, 10))
    dialog = CancelDialog(services, services.activities.get_session(session_id), events=events)
    qtbot.addWidget(dialog)
    wanted = _fill(dialog.fields)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.problem.text()
    row = services.activities.get_session(session_id)
    assert (row.cancel_reason, row.note) == (wanted["reason"], wanted["note"])
