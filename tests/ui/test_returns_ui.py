"""The Returns page driven as a partner and a lead would: draft from the records, type the
one typed figure, sign off, export; the lead's board and totals."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.returns.returns_page import ReturnsPage
from tests.delivery_builders import needlework_group
from tests.returns_builders import AFTER_Q1, some_registers, template


def test_partner_drafts_signs_off_and_exports_then_the_lead_sees_the_board(
    qtbot, services, tmp_path, monkeypatch
):
    group = needlework_group(services)
    some_registers(services, group)
    template(services, group)
    page = ReturnsPage(services, DataEvents())
    qtbot.addWidget(page)
    page.today = lambda: AFTER_Q1
    page.year.setValue(2026)
    page.quarter.setCurrentIndex(0)
    page.organisation.setCurrentIndex(page.organisation.findText("RECOOP"))
    qtbot.mouseClick(page.draft_button, Qt.MouseButton.LeftButton)
    assert "RECOOP: Q1 2026, version 1: Draft" in page.status.text()
    rows = {page.figures.item(r, 0).text(): r for r in range(page.figures.rowCount())}
    assert page.figures.item(rows["Attendances"], 1).text() == "6"
    counted = page.figures.item(rows["Attendances"], 1)
    assert not counted.flags() & Qt.ItemFlag.ItemIsEditable  # counted: never typed
    checks = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert any("required and has been left empty" in c for c in checks)

    # A word instead of a number: told plainly, nothing lost.
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    page.figures.item(rows["Family contacts supported"], 1).setText("twelve")
    assert page.save() is False and "not a number" in warnings[0]
    page.figures.item(rows["Family contacts supported"], 1).setText("12")
    page.went_well.setPlainText("Kits arrived on time")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Tom Rhys", True))
    qtbot.mouseClick(page.sign_button, Qt.MouseButton.LeftButton)
    assert "Signed off, signed off by Tom Rhys" in page.status.text()
    assert page.went_well.isReadOnly()

    saved = tmp_path / "out" / "return.xlsx"
    saved.parent.mkdir()
    page.choose_path = lambda *a: saved
    qtbot.mouseClick(page.xlsx_button, Qt.MouseButton.LeftButton)
    book = openpyxl.load_workbook(saved)
    assert book.sheetnames == ["Contents", "Definitions", "Data"]

    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.show_board_button, Qt.MouseButton.LeftButton)
    labels = [page.board.verticalHeaderItem(r).text() for r in range(page.board.rowCount())]
    recoop = labels.index("RECOOP")
    assert page.board.item(recoop, 0).text().startswith("signed off")  # "late" by the real clock
    assert ", v1" in page.board.item(recoop, 0).text()
    assert page.board.item(labels.index("Fine Cell Work"), 0).text().startswith("not yet due")
    totals = {page.totals.item(r, 0).text(): r for r in range(page.totals.rowCount())}
    row = totals["Family contacts supported"]
    assert page.totals.item(row, 1).text() == "12"
    assert page.totals.item(row, 2).text() == "RECOOP 100% (v1)"


def test_a_partner_laptop_starts_on_its_own_organisation(qtbot, services, settings):
    # Seen under Xvfb on RECOOP's laptop: the page started on the lead, Fine Cell Work.
    from collab_desktop.ui.preferences import load_preferences, save_preferences

    group = needlework_group(services)
    template(services, group)
    probe = ReturnsPage(services, DataEvents())
    qtbot.addWidget(probe)
    names = [probe.organisation.itemText(i) for i in range(probe.organisation.count())]
    assert "RECOOP" in names and names[0] != "RECOOP"  # not first: the default would pass
    recoop = probe.organisation.itemData(names.index("RECOOP"))
    preferences = load_preferences()
    preferences.organisation_id = recoop
    save_preferences(preferences)
    page = ReturnsPage(services, DataEvents())
    qtbot.addWidget(page)
    assert page.organisation.currentText() == "RECOOP"
