"""The partners page and the partner dialog, driven through their widgets over a real database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from collab_desktop.ui.partner_dialog import PartnerDialog
from collab_desktop.ui.partners_page import PartnersPage
from tests.builders import FCW, add_collaboration, add_partner, contact, reference_partners
from tests.ui.widgets import (
    cell,
    choose,
    click,
    column,
    error_text,
    field,
    names,
    select,
    type_cell,
    type_into,
)

YES = QMessageBox.StandardButton.Yes
NO = QMessageBox.StandardButton.No


@pytest.fixture
def page(qtbot, services, events) -> PartnersPage:
    widget = PartnersPage(services, events)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.show()
    return widget


# -- helpers ------------------------------------------------------------------------------------


def open_new(qtbot, page: PartnersPage) -> PartnerDialog:
    click(qtbot, page, "partners_new")
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def open_selected(qtbot, page: PartnersPage, name: str) -> PartnerDialog:
    select(page, name)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def save(qtbot, dialog: PartnerDialog) -> None:
    click(qtbot, dialog, "partner_save")


# -- creating -------------------------------------------------------------------------------------


def test_a_partner_typed_into_the_dialog_appears_in_the_list(qtbot, page, services):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Ymddiriedolaeth Ŵyr")
    choose(field(dialog, "partner_kind"), "Housing")
    type_into(qtbot, dialog, "partner_town", "Caerdydd")
    type_into(qtbot, dialog, "partner_email", "post@wyr.example")
    type_into(qtbot, dialog, "partner_address", "1 Heol y Frenhines\nCaerdydd")
    click(qtbot, dialog, "add_contact")
    type_cell(qtbot, dialog.contacts, 0, 0, "Siân Llŷr")
    type_cell(qtbot, dialog.contacts, 0, 2, "sian@wyr.example")
    choose(dialog.findChild(QComboBox, "contact_level_0"), "Strategic")
    save(qtbot, dialog)

    assert not dialog.isVisible()
    assert names(page) == ["Ymddiriedolaeth Ŵyr"]
    assert column(page, "Kind") == ["Housing"]
    assert column(page, "Contacts") == ["1"]
    assert page.selected().name == "Ymddiriedolaeth Ŵyr"
    saved = services.partners.get_partner(dialog.saved_id)
    assert saved.address == "1 Heol y Frenhines\nCaerdydd"
    assert [(c.name, c.email, c.level) for c in saved.contacts] == [
        ("Siân Llŷr", "sian@wyr.example", "strategic")
    ]


def test_ctrl_n_opens_a_new_partner_and_ctrl_s_saves_text_still_in_a_cell(qtbot, page, services):
    with qtbot.waitActive(page):
        page.activateWindow()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.dialog is not None)  # a button's shortcut animates a click
    dialog = page.dialog
    assert dialog is not None and dialog.windowTitle() == "New partner"
    qtbot.waitUntil(dialog.isActiveWindow)  # its Ctrl+S works only once it is the active window
    type_into(qtbot, dialog, "partner_name", "Nacro")
    click(qtbot, dialog, "add_contact")
    type_cell(qtbot, dialog.contacts, 0, 0, "Jo Bloggs")  # editor still open
    qtbot.keyClick(dialog.contacts.indexWidget(dialog.contacts.model().index(0, 0)), "S",
                   Qt.KeyboardModifier.ControlModifier)  # fmt: skip

    assert not dialog.isVisible()
    (row,) = services.partners.list_partners()
    assert services.partners.get_partner(row.id).contacts[0].name == "Jo Bloggs"


def test_widgets_are_named_for_tests_and_screen_readers(qtbot, page, services):
    reference_partners(services)
    page.refresh()
    dialog = open_selected(qtbot, page, FCW)
    kinds = (QLineEdit, QPlainTextEdit, QComboBox, QPushButton, QTableWidget)
    inputs = [w for w in dialog.findChildren(QWidget) if isinstance(w, kinds)]
    assert len(inputs) > 15
    for widget in inputs:
        assert widget.objectName(), widget
        assert widget.accessibleName(), widget.objectName()
    for name in ("partner_name", "partner_kind", "partner_email", "contacts_table"):
        field(dialog, name)
    for widget in page.findChildren(QWidget):
        if isinstance(widget, (QLineEdit, QPushButton, QCheckBox)) and widget.window() is page:
            assert widget.objectName() and widget.accessibleName(), widget


# -- finding ----------------------------------------------------------------------------------


def test_filter_narrows_by_name_kind_and_town_as_you_type(qtbot, page, services):
    reference_partners(services)
    add_partner(services, "Bristol City Council", "local_authority", town="Bristol")
    page.refresh()
    assert len(names(page)) == 4

    qtbot.keyClicks(page.filter, "cell")
    assert names(page) == ["Fine Cell Work"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "prison")
    assert names(page) == ["HMP Leyhill"]
    page.filter.clear()
    qtbot.keyClicks(page.filter, "bristol")
    assert names(page) == ["Bristol City Council", "RECOOP"]
    qtbot.keyClicks(page.filter, " charity")
    assert names(page) == ["RECOOP"]
    assert page.count.text() == "1 of 4"

    page.filter.selectAll()
    qtbot.keyClick(page.filter, Qt.Key.Key_Backspace)
    assert len(names(page)) == 4
    assert page.count.text() == "4"


def test_clicking_a_column_heading_sorts_by_it(qtbot, page, services):
    reference_partners(services)
    page.refresh()
    header = page.table.horizontalHeader()

    def click_heading(section: int) -> None:
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        qtbot.mouseClick(
            header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
        )

    assert names(page) == ["Fine Cell Work", "HMP Leyhill", "RECOOP"]
    click_heading(2)  # Town
    assert column(page, "Town") == ["Bristol", "London", "Wotton-under-Edge"]
    click_heading(2)
    assert column(page, "Town") == ["Wotton-under-Edge", "London", "Bristol"]
    click_heading(1)  # Kind
    assert column(page, "Kind") == ["Charity", "Charity", "Prison"]


# -- editing ----------------------------------------------------------------------------------


def test_enter_opens_a_partner_and_an_edit_keeps_its_contacts(qtbot, page, services):
    fcw, _recoop, _leyhill = reference_partners(services)
    page.refresh()
    before = services.partners.get_partner(fcw)
    dialog = open_selected(qtbot, page, FCW)
    assert field(dialog, "partner_name").text() == FCW
    assert dialog.contacts.rowCount() == 2
    type_into(qtbot, dialog, "partner_town", "Brixton")
    save(qtbot, dialog)

    assert cell(page, FCW, "Town") == "Brixton"
    after = services.partners.get_partner(fcw)
    assert [c.id for c in after.contacts] == [c.id for c in before.contacts]
    assert after.charity_number == "1139884"


def test_contacts_are_added_and_removed(qtbot, page, services):
    fcw, _recoop, _leyhill = reference_partners(services)
    page.refresh()
    select(page, FCW)
    click(qtbot, page, "partners_edit")
    dialog = page.dialog
    assert not dialog.findChild(QPushButton, "remove_contact").isEnabled()

    dialog.contacts.setCurrentCell(0, 0)  # Margaret Ellis
    click(qtbot, dialog, "remove_contact")
    click(qtbot, dialog, "add_contact")
    row = dialog.contacts.rowCount() - 1
    type_cell(qtbot, dialog.contacts, row, 0, "Priya Shah")
    type_cell(qtbot, dialog.contacts, row, 1, "Volunteer coordinator")
    save(qtbot, dialog)

    contacts = {c.name: c for c in services.partners.get_partner(fcw).contacts}
    assert sorted(contacts) == ["Priya Shah", "Sarah Bennett"]
    assert contacts["Priya Shah"].job_title == "Volunteer coordinator"
    assert cell(page, FCW, "Contacts") == "2"


def test_a_level_combo_makes_its_row_current_so_remove_takes_that_row(qtbot, page, services):
    reference_partners(services)
    page.refresh()
    dialog = open_selected(qtbot, page, FCW)
    dialog.activateWindow()
    level = dialog.findChild(QComboBox, "contact_level_1")
    level.setFocus()
    qtbot.waitUntil(lambda: dialog.contacts.currentRow() == 1)
    click(qtbot, dialog, "remove_contact")
    rows = [dialog.contacts.item(r, 0).text() for r in range(dialog.contacts.rowCount())]
    assert rows == ["Margaret Ellis"]


# -- errors keep what was typed ---------------------------------------------------------------


def test_a_bad_email_is_shown_beside_the_field_and_nothing_is_lost(qtbot, page, services, boxes):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Nacro")
    type_into(qtbot, dialog, "partner_email", "info@nacro")
    type_into(qtbot, dialog, "partner_notes", "Met at the resettlement fair.")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert "is not an e-mail address" in error_text(dialog, "error_email")
    assert error_text(dialog, "error_name") == ""
    assert field(dialog, "partner_email").text() == "info@nacro"
    assert field(dialog, "partner_name").text() == "Nacro"
    assert field(dialog, "partner_notes").toPlainText() == "Met at the resettlement fair."
    assert boxes.shown == []
    assert services.partners.list_partners() == []

    type_into(qtbot, dialog, "partner_email", "info@nacro.example")
    save(qtbot, dialog)
    assert not dialog.isVisible()
    assert names(page) == ["Nacro"]


def test_an_empty_name_is_shown_beside_the_field(qtbot, page, services, boxes):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_town", "Leeds")
    type_into(qtbot, dialog, "partner_name", "   ")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert error_text(dialog, "error_name") == "Please enter the organisation's name."
    assert field(dialog, "partner_town").text() == "Leeds"
    assert boxes.shown == []


def test_a_contact_without_a_name_is_reported_under_the_contacts(qtbot, page, services):
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Nacro")
    click(qtbot, dialog, "add_contact")
    type_cell(qtbot, dialog.contacts, 0, 2, "not-an-address")
    save(qtbot, dialog)

    assert dialog.isVisible()
    message = error_text(dialog, "contacts_errors")
    assert "Please enter a name for contact 1." in message
    assert "“not-an-address” is not an e-mail address" in message
    assert dialog.contacts.item(0, 2).text() == "not-an-address"
    assert services.partners.list_partners() == []


def test_a_near_duplicate_name_asks_and_yes_saves(qtbot, page, services, boxes):
    reference_partners(services)
    page.refresh()
    boxes.answer(YES)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Fine Cell Works")
    save(qtbot, dialog)

    (question,) = boxes.of("question")
    assert "looks very like “Fine Cell Work”" in question.text
    assert not dialog.isVisible()
    assert "Fine Cell Works" in names(page)


def test_a_near_duplicate_name_asks_and_no_keeps_the_dialog_open(qtbot, page, services, boxes):
    reference_partners(services)
    page.refresh()
    boxes.answer(NO)
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Fine Cell Works")
    type_into(qtbot, dialog, "partner_town", "Leeds")
    save(qtbot, dialog)

    assert len(boxes.of("question")) == 1
    assert dialog.isVisible()
    assert field(dialog, "partner_name").text() == "Fine Cell Works"
    assert field(dialog, "partner_town").text() == "Leeds"
    assert "Fine Cell Works" not in names(page)


def test_an_exact_duplicate_name_is_an_error_beside_the_name(qtbot, page, services, boxes):
    reference_partners(services)
    page.refresh()
    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "fine cell work ltd")
    save(qtbot, dialog)

    assert dialog.isVisible()
    assert "There is already a partner called “Fine Cell Work”" in error_text(dialog, "error_name")
    assert boxes.shown == []


# -- leaving without saving -------------------------------------------------------------------


def test_cancel_with_changes_asks_before_discarding(qtbot, page, services, boxes):
    dialog = open_new(qtbot, page)
    click(qtbot, dialog, "partner_cancel")  # nothing typed: closes without asking
    assert not dialog.isVisible() and boxes.shown == []

    dialog = open_new(qtbot, page)
    type_into(qtbot, dialog, "partner_name", "Nacro")
    boxes.answer(NO)
    qtbot.keyClick(field(dialog, "partner_name"), Qt.Key.Key_Escape)
    (question,) = boxes.of("question")
    assert question.text == "What you typed here is not saved yet. Discard it and close?"
    assert dialog.isVisible()
    assert field(dialog, "partner_name").text() == "Nacro"

    boxes.answer(YES)
    dialog.close()
    assert not dialog.isVisible()
    assert services.partners.list_partners() == []


# -- archiving and deleting -------------------------------------------------------------------


def test_archive_hides_a_partner_unless_show_archived(qtbot, page, services):
    reference_partners(services)
    page.refresh()
    select(page, "RECOOP")
    archive = page.findChild(QPushButton, "partners_archive")
    assert archive.text().replace("&", "") == "Archive"
    click(qtbot, page, "partners_archive")
    assert "RECOOP" not in names(page)

    page.findChild(QCheckBox, "partners_show_archived").click()
    assert "RECOOP" in names(page)
    assert cell(page, "RECOOP", "Archived") == "yes"
    select(page, "RECOOP")
    assert archive.text().replace("&", "") == "Restore"
    assert archive.accessibleName() == "Restore"
    click(qtbot, page, "partners_archive")
    assert cell(page, "RECOOP", "Archived") == ""
    assert page.selected().name == "RECOOP"


def test_deleting_asks_first_and_removes_an_unused_partner(qtbot, page, services, boxes):
    add_partner(services, "Nacro", contacts=[contact("Jo Bloggs")])
    page.refresh()
    select(page, "Nacro")
    boxes.answer(NO)
    click(qtbot, page, "partners_delete")
    assert "Delete “Nacro”" in boxes.of("question")[0].text
    assert names(page) == ["Nacro"]

    boxes.answer(YES)
    click(qtbot, page, "partners_delete")
    assert names(page) == []
    assert not page.findChild(QPushButton, "partners_delete").isEnabled()


def test_deleting_a_partner_in_a_collaboration_is_refused(qtbot, page, services, boxes):
    fcw, recoop, _leyhill = reference_partners(services)
    add_collaboration(services, "Needlework group", [(fcw, "lead"), (recoop, "partner")])
    page.refresh()
    select(page, FCW)
    boxes.answer(YES)
    click(qtbot, page, "partners_delete")

    (warning,) = boxes.of("warning")
    assert "is a member of a collaboration" in warning.text
    assert "Archive it instead" in warning.text
    assert boxes.of("question") == [], "told it cannot be deleted before being asked to confirm"
    assert FCW in names(page)
    assert services.partners.get_partner(fcw).name == FCW


def test_tab_walks_the_form_then_the_contacts_then_the_buttons(qtbot, page, services):
    reference_partners(services)
    page.refresh()
    dialog = open_selected(qtbot, page, FCW)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    field(dialog, "partner_name").setFocus()
    visited = []
    for _ in range(20):
        widget = QApplication.focusWidget()
        visited.append(widget.objectName())
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    expected = [
        "partner_name",
        "partner_kind",
        "partner_charity_number",
        "partner_company_number",
        "partner_phone",
        "partner_email",
        "partner_website",
        "partner_address",
        "partner_town",
        "partner_postcode",
        "partner_notes",
        "contacts_table",
        "contact_level_0",
        "contact_level_1",
        "add_contact",
    ]
    assert visited[: len(expected)] == expected
    rest = visited[len(expected) :]
    assert rest.index("partner_save") < rest.index("partner_cancel")
