"""The collaborations page and the collaboration dialog, driven through their widgets over a real
database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from collab_desktop.models.enums import MEMBER_ROLES
from collab_desktop.services.changes import PARTNERS, Changes
from collab_desktop.ui.collaboration_dialog import CollaborationDialog
from collab_desktop.ui.collaborations_page import CollaborationsPage
from tests.builders import (
    FCW,
    LEYHILL,
    RECOOP,
    TEMPLATE,
    add_collaboration,
    reference_case,
    reference_partners,
)
from tests.ui.widgets import (
    cell,
    choose,
    click,
    error_text,
    field,
    names,
    select,
    type_into,
)

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No
NEEDLEWORK = "Needlework group at HMP Leyhill"


@pytest.fixture
def page(qtbot, services, events) -> CollaborationsPage:
    widget = CollaborationsPage(services, events)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    return widget


def open_new(qtbot, page: CollaborationsPage) -> CollaborationDialog:
    click(qtbot, page, "collaborations_new")
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def open_selected(qtbot, page: CollaborationsPage, name: str) -> CollaborationDialog:
    select(page, name)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def member(dialog: CollaborationDialog, row: int, what: str) -> QComboBox:
    combo = dialog.findChild(QComboBox, f"member_{what}_{row}")
    assert combo is not None, f"member_{what}_{row}"
    return combo


def members(dialog: CollaborationDialog) -> list[tuple[str, str]]:
    return [
        (member(dialog, r, "partner").currentText(), member(dialog, r, "role").currentText())
        for r in range(dialog.members.rowCount())
    ]


def add_member(qtbot, dialog: CollaborationDialog, partner: str, role: str) -> None:
    click(qtbot, dialog, "add_member")
    row = dialog.members.rowCount() - 1
    choose(member(dialog, row, "partner"), partner)
    choose(member(dialog, row, "role"), MEMBER_ROLES[role])


def save(qtbot, dialog: CollaborationDialog) -> None:
    click(qtbot, dialog, "collaboration_save")


# -- creating -------------------------------------------------------------------------------------


def test_a_collaboration_with_members_and_roles_appears_in_the_list(qtbot, page, services):
    reference_partners(services)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_name", "Needlework group")
    type_into(qtbot, dialog, "collaboration_purpose", "A weekly needlework group.")
    type_into(qtbot, dialog, "collaboration_site", LEYHILL)
    choose(field(dialog, "collaboration_status"), "Active")
    type_into(qtbot, dialog, "collaboration_start", "01/05/2014")
    add_member(qtbot, dialog, FCW, "lead")
    add_member(qtbot, dialog, RECOOP, "partner")
    add_member(qtbot, dialog, LEYHILL, "host")
    save(qtbot, dialog)

    assert not dialog.isVisible()
    assert names(page) == ["Needlework group"]
    assert cell(page, "Needlework group", "Members") == (
        "Fine Cell Work (Lead partner), RECOOP (Partner), HMP Leyhill (Host)"
    )
    assert cell(page, "Needlework group", "Status") == "Active"
    assert cell(page, "Needlework group", "Start") == "1 May 2014"
    assert page.selected().name == "Needlework group"
    saved = services.collaborations.get_collaboration(dialog.saved_id)
    assert saved.start_date == date(2014, 5, 1)
    assert saved.purpose == "A weekly needlework group."


def test_add_member_offers_the_next_partner_not_yet_a_member(qtbot, page, services):
    reference_partners(services)
    dialog = open_new(qtbot, page)
    for _ in range(3):
        click(qtbot, dialog, "add_member")
    assert sorted(p for p, _role in members(dialog)) == [FCW, LEYHILL, RECOOP]
    assert all(role == "Partner" for _p, role in members(dialog))


def test_remove_member_removes_the_row_whose_combo_was_used(qtbot, page, services):
    reference_case(services)
    page.refresh()
    dialog = open_selected(qtbot, page, NEEDLEWORK)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    member(dialog, 1, "role").setFocus()  # RECOOP's row, as a click or Tab would
    qtbot.waitUntil(lambda: dialog.members.currentRow() == 1)
    click(qtbot, dialog, "remove_member")
    assert [p for p, _role in members(dialog)] == [FCW, LEYHILL]
    save(qtbot, dialog)
    assert cell(page, NEEDLEWORK, "Members") == "Fine Cell Work (Lead partner), HMP Leyhill (Host)"


def test_funder_is_chosen_from_the_partners(qtbot, page, services):
    fcw, _recoop, _leyhill = reference_partners(services)
    dialog = open_new(qtbot, page)
    funder = field(dialog, "collaboration_funder")
    assert funder.itemText(0) == "(none)"
    type_into(qtbot, dialog, "collaboration_name", "Funded work")
    choose(field(dialog, "collaboration_funding_type"), "Grant")
    choose(funder, FCW)
    type_into(qtbot, dialog, "collaboration_funding_from", "1/4/2025")
    save(qtbot, dialog)
    saved = services.collaborations.get_collaboration(dialog.saved_id)
    assert (saved.funding_type, saved.funder_id) == ("grant", fcw)
    assert saved.funding_from == date(2025, 4, 1)


def test_new_partner_button_records_a_partner_and_adds_it_as_a_member(qtbot, page, services):
    reference_partners(services)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_name", "Through the gate")
    click(qtbot, dialog, "collaboration_new_partner")
    partner_dialog = dialog.partner_dialog
    assert partner_dialog is not None and partner_dialog.isVisible()
    type_into(qtbot, partner_dialog, "partner_name", "Nacro")
    click(qtbot, partner_dialog, "partner_save")

    assert not partner_dialog.isVisible()
    assert members(dialog) == [("Nacro", "Partner")]
    assert field(dialog, "collaboration_funder").findText("Nacro") >= 0
    save(qtbot, dialog)
    assert cell(page, "Through the gate", "Members") == "Nacro (Partner)"


# -- editing ----------------------------------------------------------------------------------


def test_an_archived_member_still_shows_and_is_kept(qtbot, page, services):
    case = reference_case(services)
    services.partners.set_archived(case.recoop, True)
    page.refresh()
    dialog = open_selected(qtbot, page, NEEDLEWORK)
    assert members(dialog)[1] == ("RECOOP (archived)", "Partner")
    # Not offered to new members of this or any other collaboration.
    click(qtbot, dialog, "add_member")
    new_row = member(dialog, 3, "partner")
    assert new_row.findText("RECOOP (archived)") >= 0  # it is already in this one
    click(qtbot, dialog, "remove_member")
    type_into(qtbot, dialog, "collaboration_site", "HMP Leyhill, Gloucestershire")
    save(qtbot, dialog)

    saved = services.collaborations.get_collaboration(case.collaboration)
    assert [m.organisation_id for m in saved.members] == [
        case.fine_cell_work,
        case.recoop,
        case.leyhill,
    ]
    other = open_new(qtbot, page)
    click(qtbot, other, "add_member")
    assert member(other, 0, "partner").findText("RECOOP (archived)") == -1


def test_the_list_follows_a_renamed_partner(qtbot, page, services, events):
    case = reference_case(services)
    page.refresh()
    data = services.partners.get_partner(case.recoop)
    data.name = "RECOOP Resettlement"
    services.partners.save_partner(data, confirmed=True)
    events.broadcast(Changes.of(PARTNERS))
    assert "RECOOP Resettlement (Partner)" in cell(page, NEEDLEWORK, "Members")


def test_filter_finds_a_collaboration_by_a_member_or_site(qtbot, page, services):
    case = reference_case(services)
    add_collaboration(services, "Community hub", [(case.recoop, "lead")], site="Bristol")
    page.refresh()
    qtbot.keyClicks(page.filter, "fine cell")
    assert names(page) == [NEEDLEWORK]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "bristol")
    assert names(page) == ["Community hub"]
    page.filter.clear()
    assert len(names(page)) == 2


# -- errors keep what was typed ---------------------------------------------------------------


def test_an_end_date_before_the_start_is_shown_beside_the_end_date(qtbot, page, services, boxes):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_name", "Needlework group")
    type_into(qtbot, dialog, "collaboration_start", "01/05/2026")
    type_into(qtbot, dialog, "collaboration_end", "01/04/2026")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert error_text(dialog, "error_end_date") == (
        "The end date (01/04/2026) is before the start date (01/05/2026)."
    )
    assert error_text(dialog, "error_start_date") == ""
    assert field(dialog, "collaboration_end").text() == "01/04/2026"
    assert field(dialog, "collaboration_name").text() == "Needlework group"
    assert boxes.shown == []
    assert services.collaborations.list_collaborations() == []


def test_a_date_that_does_not_exist_gets_a_plain_message_and_nothing_is_lost(
    qtbot, page, services, boxes
):
    reference_partners(services)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_name", "Needlework group")
    add_member(qtbot, dialog, FCW, "lead")
    type_into(qtbot, dialog, "collaboration_start", "31/02/2026")
    type_into(qtbot, dialog, "collaboration_funding_until", "soon")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert error_text(dialog, "error_start_date") == (
        "“31/02/2026” is not a date. Type it as day/month/year, like 01/03/2026."
    )
    assert "“soon” is not a date" in error_text(dialog, "error_funding_until")
    assert field(dialog, "collaboration_start").text() == "31/02/2026"
    assert members(dialog) == [(FCW, "Lead partner")]
    assert boxes.shown == []
    assert services.collaborations.list_collaborations() == []

    type_into(qtbot, dialog, "collaboration_start", "28/02/2026")
    type_into(qtbot, dialog, "collaboration_funding_until", "")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert cell(page, "Needlework group", "Start") == "28 Feb 2026"


def test_bad_dates_and_an_empty_name_are_reported_together(qtbot, page, services):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_start", "yesterday")
    save(qtbot, dialog)
    assert "is not a date" in error_text(dialog, "error_start_date")
    assert error_text(dialog, "error_name") == "Please enter a name for the collaboration."


def test_a_partner_listed_twice_is_reported_under_the_members(qtbot, page, services, boxes):
    reference_partners(services)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "collaboration_name", "Needlework group")
    add_member(qtbot, dialog, FCW, "lead")
    add_member(qtbot, dialog, FCW, "partner")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert error_text(dialog, "members_errors") == (
        "Fine Cell Work is listed twice: give each organisation one role."
    )
    assert members(dialog) == [(FCW, "Lead partner"), (FCW, "Partner")]
    assert boxes.shown == []


# -- leaving and deleting ---------------------------------------------------------------------


def test_cancel_with_changes_asks_before_discarding(qtbot, page, services, boxes):
    reference_case(services)
    page.refresh()
    dialog = open_selected(qtbot, page, NEEDLEWORK)
    click(qtbot, dialog, "collaboration_cancel")  # nothing changed: closes without asking
    assert not dialog.isVisible() and boxes.shown == []

    dialog = open_selected(qtbot, page, NEEDLEWORK)
    choose(member(dialog, 0, "role"), "Partner")
    boxes.answer(NO)
    click(qtbot, dialog, "collaboration_cancel")
    assert [b.text for b in boxes.of("question")] == [
        "What you typed here is not saved yet. Discard it and close?"
    ]
    assert dialog.isVisible()
    assert members(dialog)[0] == (FCW, "Partner")

    boxes.answer(YES)
    qtbot.keyClick(field(dialog, "collaboration_name"), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert cell(page, NEEDLEWORK, "Members").startswith("Fine Cell Work (Lead partner)")


def test_deleting_asks_first_and_removes_a_collaboration(qtbot, page, services, boxes):
    case = reference_case(services)
    add_collaboration(services, "Community hub", [(case.recoop, "lead")])
    page.refresh()
    select(page, "Community hub")
    boxes.answer(NO)
    click(qtbot, page, "collaborations_delete")
    assert "Delete “Community hub”" in boxes.of("question")[0].text
    assert "Community hub" in names(page)

    boxes.answer(YES)
    click(qtbot, page, "collaborations_delete")
    assert names(page) == [NEEDLEWORK]


def test_a_collaboration_with_an_agreement_cannot_be_deleted(qtbot, page, services, boxes):
    case = reference_case(services)
    services.agreements.create_agreement(case.collaboration, TEMPLATE)
    page.refresh()
    assert cell(page, NEEDLEWORK, "Agreements") == "1"
    select(page, NEEDLEWORK)
    boxes.answer(YES)
    click(qtbot, page, "collaborations_delete")

    (warning,) = boxes.of("warning")
    assert "has agreements, which must stay on record" in warning.text
    assert names(page) == [NEEDLEWORK]


def test_tab_walks_the_form_then_the_member_combos_then_the_buttons(qtbot, page, services):
    reference_case(services)
    page.refresh()
    dialog = open_selected(qtbot, page, NEEDLEWORK)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    field(dialog, "collaboration_name").setFocus()
    visited = []
    for _ in range(29):
        widget = QApplication.focusWidget()
        visited.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = [
        "collaboration_name",
        "collaboration_setting",
        "collaboration_site",
        "collaboration_status",
        "collaboration_start",
        "collaboration_end",
        # Why personal data is kept (issue 15), under the dates.
        "collaboration_lawful_basis",
        "collaboration_offence_condition",
        "collaboration_policy_document",
        "collaboration_policy_where",
        "collaboration_purpose",
        "collaboration_funding_type",
        "collaboration_funder",
        "collaboration_funding_from",
        "collaboration_funding_until",
        "collaboration_notes",
        # Every cell of the members table is a combo box: Tab goes straight into them.
        "member_partner_0",
        "member_role_0",
        "member_partner_1",
        "member_role_1",
        "member_partner_2",
        "member_role_2",
        "add_member",
    ]
    assert visited[: len(expected)] == expected
    rest = visited[len(expected) :]
    assert rest.index("collaboration_save") < rest.index("collaboration_cancel")
