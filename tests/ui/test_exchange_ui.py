"""Importing and exporting packs on screen (issue 12): the preview lists every record with
its state before anything changes, a conflict is settled field by field, a bad pack is
refused in words, and a pack dropped on the window opens the same preview."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from collab_desktop.ui.exchange import actions
from collab_desktop.ui.exchange.export_dialog import ExportDialog
from collab_desktop.ui.exchange.import_dialog import ImportDialog
from collab_desktop.ui.main_window import MainWindow
from tests.builders import reference_agreement
from tests.exchange_helpers import table_counts, two_laptops


@pytest.fixture
def laptops(tmp_path, new_database):
    with two_laptops(tmp_path, new_database) as pair:
        yield pair


def _agreement_pack(a, tmp_path: Path) -> tuple[Path, object, object]:
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    out = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                 case.fine_cell_work)  # fmt: skip
    path = tmp_path / "agreement.collabpack"
    path.write_bytes(out.data)
    return path, case, version_id


def _opened(qtbot, dialog: ImportDialog) -> None:
    qtbot.waitUntil(
        lambda: dialog.import_button.isEnabled() or bool(dialog.refusal), timeout=10_000
    )


def test_preview_then_import_then_nothing_to_do(qtbot, laptops, tmp_path):
    a, b = laptops
    path, case, version_id = _agreement_pack(a, tmp_path)
    before = table_counts(b)
    dialog = ImportDialog(b, case.recoop, path)
    qtbot.addWidget(dialog)
    dialog.show()
    _opened(qtbot, dialog)
    assert "Fine Cell Work" in dialog.header.text()
    assert dialog.key_warning.isVisible()  # first pack: compare the fingerprint by phone
    assert a.exchange.identity().fingerprint in dialog.key_warning.text()
    states = {dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())}
    assert states == {"New"}
    assert "new" in dialog.counts.text()
    assert table_counts(b) == before  # nothing yet
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_message), timeout=10_000)
    assert dialog.result_message.startswith("Imported from Fine Cell Work")
    assert b.agreements.get_version(version_id).status == "awaiting_signatures"
    # The import's steps were shown as they happened, in order (not only a busy bar).
    qtbot.waitUntil(lambda: any("Saving" in s for s in dialog.steps_seen), timeout=5_000)
    seen = " | ".join(dialog.steps_seen)
    assert seen.index("backup") < seen.index("Adding") < seen.index("audit trail")
    assert "Adding 3 new record(s): partner" in seen

    again = ImportDialog(b, case.recoop, path)
    qtbot.addWidget(again)
    again.show()
    _opened(qtbot, again)
    assert "changes nothing" in again.status.text()
    assert not again.key_warning.isVisible()


def test_a_conflict_is_settled_field_by_field(qtbot, laptops, tmp_path):
    a, b = laptops
    path, case, _version_id = _agreement_pack(a, tmp_path)
    b.exchange.apply(b.exchange.read_pack(path.read_bytes(), case.recoop), None, case.recoop)
    for services, town in ((a, "Bristol (A)"), (b, "Bristol (B)")):
        data = services.partners.get_partner(case.recoop)
        data.town = town
        services.partners.save_partner(data, confirmed=True)
    out = a.exchange.export_pack("collaboration", {"collaboration_id": str(case.collaboration)},
                                 case.fine_cell_work)  # fmt: skip
    second = tmp_path / "second.collabpack"
    second.write_bytes(out.data)
    dialog = ImportDialog(b, case.recoop, second)
    qtbot.addWidget(dialog)
    dialog.show()
    _opened(qtbot, dialog)
    assert dialog.table.item(0, 0).text() == "Conflict"  # conflicts come first, selected
    assert dialog.fields.item(0, 1).text() == "Bristol (B)"
    assert dialog.fields.item(0, 2).text() == "Bristol (A)"
    pick = dialog.fields.cellWidget(0, 3)
    pick.setCurrentIndex(1)  # take theirs
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_message), timeout=10_000)
    assert b.partners.get_partner(case.recoop).town == "Bristol (A)"
    kept = b.exchange.set_aside(f"organisation:{case.recoop}")
    assert [(f, v) for f, v, _w in kept] == [("town", '"Bristol (B)"')]


def test_a_bad_pack_is_refused_in_words(qtbot, laptops, tmp_path):
    _a, b = laptops
    path = tmp_path / "holiday.collabpack"
    path.write_bytes(b"PK\x03\x04 a zip, not a pack")
    dialog = ImportDialog(b, None, path)
    qtbot.addWidget(dialog)
    dialog.show()
    _opened(qtbot, dialog)
    assert "not a Collab Desktop exchange pack" in dialog.header.text()
    assert not dialog.import_button.isEnabled()


def test_a_pack_dropped_on_the_window_opens_its_preview(qtbot, laptops, tmp_path, monkeypatch):
    a, b = laptops
    path, case, _version_id = _agreement_pack(a, tmp_path)
    monkeypatch.setattr(actions, "_own", lambda services: case.recoop)
    window = MainWindow(tmp_path / "b", demo=False)
    qtbot.addWidget(window)
    window.attach(b)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    window.dropEvent(event)
    dialog = window.import_dialog
    _opened(qtbot, dialog)
    assert dialog.table.rowCount() > 5
    dialog.reject()


def test_export_saves_a_pack_and_says_how_it_is_protected(qtbot, laptops, tmp_path, boxes,
                                                          monkeypatch):  # fmt: skip
    a, _b = laptops
    case, version_id = reference_agreement(a)
    a.agreements.send_for_signatures(version_id)
    target = tmp_path / "out" / "sent"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(target), "")))  # fmt: skip
    dialog = ExportDialog(a, case.fine_cell_work, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.item.count() == 1
    # A whole collaboration with participants and no key for the partner: a passphrase first.
    dialog.kind.setCurrentIndex(dialog.kind.findData("collaboration"))
    dialog.participants.setChecked(True)
    assert "passphrase" in dialog.protection.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "at least" in dialog.problem.text()
    assert not target.with_suffix(".collabpack").exists()
    dialog.passphrase.setText("needle and thread")
    dialog.repeat.setText("needle and thread")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = target.with_name("sent.collabpack")
    assert saved.exists() and dialog.saved_to == saved
    assert "another route" in boxes.of("information")[0].text


def test_the_partner_record_shows_the_key_learned(qtbot, laptops, tmp_path):
    from collab_desktop.ui.exchange.partner_key import partner_key_text

    a, b = laptops
    path, case, _version_id = _agreement_pack(a, tmp_path)
    b.exchange.apply(b.exchange.read_pack(path.read_bytes(), case.recoop), None, case.recoop)
    assert a.exchange.identity().fingerprint in partner_key_text(b, case.fine_cell_work)
    assert "none yet" in partner_key_text(b, case.leyhill)


def test_a_partners_new_laptop_after_forgetting_its_key(qtbot, laptops, tmp_path, events):
    from sqlalchemy import delete, select
    from sqlalchemy.orm import Session

    from collab_desktop.models import AuditEntry, ExchangeIdentity
    from collab_desktop.services.exchange import PackRefused
    from collab_desktop.ui.partner_dialog import PartnerDialog

    a, b = laptops
    path, case, version_id = _agreement_pack(a, tmp_path)
    b.exchange.apply(b.exchange.read_pack(path.read_bytes(), case.recoop), None, case.recoop)
    old = a.exchange.identity().fingerprint
    # Fine Cell Work's new laptop: its records restored, but a new key.
    with Session(a.engine) as session, session.begin():
        session.execute(delete(ExchangeIdentity))
    new = a.exchange.identity().fingerprint
    assert new != old
    again = a.exchange.export_pack("agreement_version", {"version_id": str(version_id)},
                                   case.fine_cell_work).data  # fmt: skip
    with pytest.raises(PackRefused, match="Forget this key"):
        b.exchange.read_pack(again, case.recoop)

    dialog = PartnerDialog(b, events, case.fine_cell_work)
    qtbot.addWidget(dialog)
    line = dialog.exchange_key
    assert old in line.text() and not line.forget_button.isHidden()
    asked: list[tuple[str, str]] = []
    line.confirm_forget = lambda name, fingerprint: asked.append((name, fingerprint)) or False
    qtbot.mouseClick(line.forget_button, Qt.MouseButton.LeftButton)
    assert asked == [("Fine Cell Work", old)]
    assert b.exchange.peer(case.fine_cell_work) is not None  # cancelled: kept
    line.confirm_forget = lambda name, fingerprint: True
    qtbot.mouseClick(line.forget_button, Qt.MouseButton.LeftButton)
    assert b.exchange.peer(case.fine_cell_work) is None
    assert "none yet" in line.text() and line.forget_button.isHidden()
    with Session(b.engine) as session:
        summaries = session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "exchange_key_forgotten")
        ).all()
    assert summaries and old in summaries[0]

    # Its next pack teaches the new key, and the one after that is checked against it.
    opened = b.exchange.read_pack(again, case.recoop)
    assert opened.new_key and opened.sender.fingerprint == new
    b.exchange.apply(opened, None, case.recoop)
    assert b.exchange.peer(case.fine_cell_work).fingerprint == new
    line.refresh()
    assert new in line.text() and not line.forget_button.isHidden()


def test_a_partner_typed_on_both_laptops_is_offered_as_the_same(qtbot, laptops, tmp_path):
    from tests.builders import FCW, RECOOP, add_partner

    a, b = laptops
    b_recoop = add_partner(b, RECOOP)
    add_partner(b, FCW)
    path, _case, _version_id = _agreement_pack(a, tmp_path)
    dialog = ImportDialog(b, b_recoop, path)
    qtbot.addWidget(dialog)
    dialog.show()
    _opened(qtbot, dialog)
    rows = {dialog.table.item(r, 2).text(): r for r in range(dialog.table.rowCount())}
    assert dialog.table.item(rows[FCW], 0).text() == "Same as “Fine Cell Work”"
    dialog.table.selectRow(rows[FCW])
    assert dialog.link_row.isVisible() and "same as" in dialog.link_pick.currentText()
    dialog.link_pick.setCurrentIndex(1)  # "a different partner"
    assert dialog.table.item(rows[FCW], 0).text() == "New"
    dialog.table.selectRow(rows[RECOOP])
    assert dialog.link_pick.currentIndex() == 0  # each partner its own choice
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.result_message), timeout=10_000)
    names = [p.name for p in b.partners.list_partners()]
    assert sorted(names) == sorted([FCW, FCW, RECOOP, "HMP Leyhill"])  # as chosen


def test_a_pack_whose_every_record_is_refused_does_not_say_already_here(qtbot, laptops, tmp_path):
    # Seen by the tester: signatures for a text since changed were all refused, and the
    # footer said "Everything in this pack is already here".
    from datetime import date

    a, b = laptops
    path, case, version_id = _agreement_pack(a, tmp_path)
    b.exchange.apply(b.exchange.read_pack(path.read_bytes(), case.recoop), None, case.recoop)
    a.agreements.return_to_draft(version_id)
    data = a.agreements.get_version(version_id)
    data.sections["purpose"] = data.sections["purpose"] + " Changed."
    a.agreements.save_draft(data)
    a.agreements.send_for_signatures(version_id)
    first = next(s for s in b.agreements.get_version(version_id).signatories if s.required)
    b.agreements.record_signature(first.id, date(2025, 3, 10), "wet_ink", "Tom Rhys")
    back = tmp_path / "back.collabpack"
    back.write_bytes(
        b.exchange.export_pack("signatures", {"version_id": str(version_id)}, case.recoop).data
    )
    dialog = ImportDialog(a, case.fine_cell_work, back)
    qtbot.addWidget(dialog)
    dialog.show()
    _opened(qtbot, dialog)
    assert "already here: importing" not in dialog.status.text()
    assert "1 refused" in dialog.status.text()


def test_a_signed_off_agreement_is_not_offered_for_signature_and_the_dialog_says_why(
    qtbot, laptops, tmp_path
):
    # Seen by the tester: only a signed-off version, "Which" empty, and on Save "There is
    # nothing of that kind to send yet", with the list saying "for review".
    from tests.builders import send_and_sign_all

    a, _b = laptops
    case, version_id = reference_agreement(a)
    send_and_sign_all(a, version_id)
    dialog = ExportDialog(a, case.fine_cell_work, tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.kind.currentData() == "agreement_version" and dialog.item.count() == 0
    assert "whole collaboration" in dialog.problem.text()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "whole collaboration" in dialog.problem.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("collaboration"))
    assert dialog.item.count() == 1 and dialog.problem.text() == ""
