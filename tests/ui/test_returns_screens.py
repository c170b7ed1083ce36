"""Issue 13's missing screens, driven as a user would: the lead's template editor, the
partner answering a query and sending the return again (as a real pack through the
exchange), and every version of a return with the one counted."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox

from collab_desktop.services.returns import packs
from collab_desktop.ui.events import DataEvents
from collab_desktop.ui.returns.returns_page import ReturnsPage
from collab_desktop.ui.returns.template_dialog import TemplateDialog
from collab_desktop.ui.returns.versions_dialog import VersionsDialog
from tests.delivery_builders import needlework_group
from tests.returns_builders import record
from tests.unit.test_returns_packs import (  # noqa: F401  (the fixture)
    alliance,
    apply,
    export,
    partner_return,
    send_template,
)


def test_the_lead_writes_a_template_with_bad_input_kept(qtbot, services):
    g = needlework_group(services)
    c, lead = g.case.collaboration, g.case.fine_cell_work
    dialog = TemplateDialog(services, c, lead)
    qtbot.addWidget(dialog)
    dialog.name.setText("Quarterly for the Trust")
    dialog.add_indicator()
    dialog.indicators.item(0, 1).setText("Family contacts")
    dialog.indicators.item(0, 2).setText("Letters, calls and visits arranged")
    dialog.indicators.item(0, 3).setText("contacts")
    dialog.indicators.item(0, 6).setText("Under 25, 25 and over")
    dialog.indicators.item(0, 7).setCheckState(Qt.CheckState.Checked)
    dialog.add_indicator()
    dialog.indicators.item(1, 1).setText("Sessions delivered")
    dialog.indicators.cellWidget(1, 4).setCurrentIndex(1)  # counted …
    assert dialog.indicators.cellWidget(1, 5).isEnabled()
    dialog.due_dates.setPlainText("1 April = soon")
    dialog.save()
    assert "line 1" in dialog.problem.text() and services.returns.templates_of(c) == []
    dialog.due_dates.setPlainText("01/04/2026 = 15/07/2026")
    dialog.save()  # … but from no measure: said, nothing saved, the rows kept
    assert "measure" in dialog.problem.text() and dialog.indicators.rowCount() == 2
    dialog.indicators.cellWidget(1, 5).setCurrentIndex(2)  # sessions held
    dialog.save()
    assert dialog.saved_id is not None
    t = services.returns.get_template(dialog.saved_id)
    assert t.name == "Quarterly for the Trust" and t.version == 1
    assert t.due_dates == {date(2026, 4, 1): date(2026, 7, 15)}
    first, second = t.indicators
    assert (first.code, first.kind, first.required, first.breakdowns) == (
        "family_contacts", "typed", True, ["Under 25", "25 and over"]
    )  # fmt: skip
    assert (second.kind, second.measure) == ("counted", "sessions_held")
    again = TemplateDialog(services, c, lead, t.id)
    qtbot.addWidget(again)
    assert again.indicators.rowCount() == 2 and again.due_dates.toPlainText()
    again.indicators.item(0, 3).setText("people")
    again.save()
    assert services.returns.get_template(t.id).version == 2


def test_the_partner_answers_a_query_and_sends_the_return_again(qtbot, alliance, monkeypatch):  # noqa: F811
    a = alliance
    case = a.group.case
    send_template(a)
    record(a.recoop, a.group, date(2026, 1, 6), "Alan Barker")
    sent, rid = partner_return(a.recoop, a, case.recoop, 3)
    apply(a.lead, packs.apply_return, sent, case.recoop)
    a.lead.returns.ask(rid, "Only 3 family contacts?", by="Sarah Bennett")
    apply(a.recoop, packs.apply_return, export(a.lead, packs.export_return, {"return_id": rid}),
          case.fine_cell_work)  # fmt: skip

    page = ReturnsPage(a.recoop, DataEvents())
    qtbot.addWidget(page)
    page.organisation.setCurrentIndex(page.organisation.findText("RECOOP"))
    page.year.setValue(2026)
    page.quarter.setCurrentIndex(0)
    assert page.return_id == rid  # shown without drafting again
    assert "Only 3 family contacts?" in page.status.text()
    assert page.answer_button.isEnabled()
    monkeypatch.setattr(QInputDialog, "getMultiLineText",
                        lambda *a, **k: ("A quiet quarter: two left.", True))  # fmt: skip
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.answer_button.click()
    assert a.recoop.returns.get(rid).status == "signed_off"
    dialog = page.export_dialog  # File → Export pack…, with the return chosen
    qtbot.addWidget(dialog)
    assert dialog.kind.currentData() == "monitoring_return"
    assert dialog.item.currentData() == str(rid)
    # The same request, through the exchange as the dialog's Save does, opened by the lead.
    out = a.recoop.exchange.export_pack(dialog.kind.currentData(), dialog._request(), case.recoop)
    opened = a.lead.exchange.read_pack(out.data, case.fine_cell_work)
    a.lead.exchange.apply(opened, own_organisation_id=case.fine_cell_work)
    theirs = a.lead.returns.get(rid)
    assert theirs.status == "received" and theirs.queries[0].answer.startswith("A quiet")


def test_every_version_is_listed_with_the_one_counted(qtbot, alliance):  # noqa: F811
    a = alliance
    case = a.group.case
    send_template(a)
    record(a.recoop, a.group, date(2026, 1, 6), "Alan Barker")
    first, rid = partner_return(a.recoop, a, case.recoop, 3)
    apply(a.lead, packs.apply_return, first, case.recoop)
    (t,) = a.recoop.returns.templates_of(case.collaboration)
    from tests.returns_builders import Q1

    v2 = a.recoop.returns.draft(case.collaboration, case.recoop, *Q1, template_id=t.id,
                                today=date(2026, 4, 25), confirmed=True)  # fmt: skip
    a.recoop.returns.save_draft(v2, {("family_contacts", ""): 5})
    a.recoop.returns.sign_off(v2, "Signer", today=date(2026, 4, 25))
    apply(a.lead, packs.apply_return, export(a.recoop, packs.export_return, {"return_id": v2}),
          case.recoop)  # fmt: skip
    dialog = VersionsDialog(a.lead, rid)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    assert [table.item(r, 0).text() for r in range(2)] == ["2", "1"]
    assert table.item(0, 5).text().startswith("✓") and table.item(1, 5).text() == ""
    assert table.item(1, 1).text() == "Received"


def test_a_template_that_arrives_shows_on_the_page_at_once(qtbot, services):
    from collab_desktop.services.changes import Changes
    from tests.returns_builders import template

    g = needlework_group(services)
    events = DataEvents()
    page = ReturnsPage(services, events)
    qtbot.addWidget(page)
    page.organisation.setCurrentIndex(page.organisation.findText("RECOOP"))
    assert page.template.count() == 0
    template(services, g)  # as an imported pack would write it
    events.broadcast(Changes.everything())
    assert page.template.count() == 1
    assert page.organisation.currentText() == "RECOOP"  # the choice is kept
