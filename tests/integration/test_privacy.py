"""Privacy (issue 15): everything about one person, anonymising and erasing them, and the
retention rules, over real database files. The name checks read the file's bytes: a name in a
free page or an index is still in the file."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from collab_desktop.pdf.attendance_sheet import build_attendance_sheets
from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.errors import ValidationError
from collab_desktop.services.privacy.erasure import (
    ANONYMISE,
    ERASE,
    REMOVE_AS_FACILITATOR,
    FacilitatesFutureSessions,
)
from collab_desktop.services.privacy.people import CONTACT, PARTICIPANT, PersonRef
from tests.builders import FCW_SIGNER, TEMPLATE, send_and_sign_all
from tests.delivery_builders import (
    TODAY,
    add_person,
    contact_id,
    needlework_group,
    session_on,
)
from tests.unit.test_figures_and_volunteers import record

NAME = "Gareth Ŵyn Jones"
DAYS = [date(2026, 1, 6), date(2026, 1, 13), date(2026, 1, 20)]


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _group_with_registers(services):
    group = needlework_group(services)
    for day in DAYS:
        record(services, group, day, NAME, "Alan Barker", leaders=[group.volunteer])
    return group


def _file_holds(path, text: str) -> bool:
    data = path.read_bytes()
    return text.encode("utf-8") in data or text.encode("utf-16-le") in data


def test_a_request_finds_both_spellings(services):
    group = needlework_group(services)
    add_person(services, "Gareth Wyn Jones", [group.activity])
    found = services.subject_access.find("Gareth Wyn Jones")
    names = {c.name for c in found if c.ref.kind == PARTICIPANT}
    assert names == {"Gareth Wyn Jones", NAME}


def test_everything_about_a_participant_as_pdf_and_json_and_audited(services, tmp_path):
    group = _group_with_registers(services)
    ref = PersonRef(PARTICIPANT, group.people[NAME])
    pdf, js = tmp_path / "out.pdf", tmp_path / "out.json"
    services.subject_access.export(ref, pdf, js, today=TODAY)
    text = _text(pdf.read_bytes())
    assert NAME in text and "Needlework group" in text and "20 Jan 2026" in text
    assert "Contains personal data" in text
    data = json.loads(js.read_text(encoding="utf-8"))
    attended = next(s for s in data["sections"] if s["title"] == "Sessions attended")
    assert [row[0] for row in attended["rows"]] == ["06 Jan 2026", "13 Jan 2026", "20 Jan 2026"]
    with sqlite3.connect(services.path) as db:
        rows = db.execute(
            "SELECT summary, details FROM audit_entry WHERE action = 'subject_access'"
        ).fetchall()
    db.close()
    assert len(rows) == 1 and NAME not in "".join(rows[0])


def test_everything_about_a_volunteer(services, tmp_path):
    group = _group_with_registers(services)
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=group.volunteer, since=date(2025, 1, 1),
            clearances=[ClearanceData("dbs_enhanced", "", "001234567890", date(2025, 1, 1))],
        )
    )  # fmt: skip
    report = services.subject_access.gather(PersonRef(CONTACT, group.volunteer), TODAY)
    sections = {s.title: s for s in report.sections}
    assert len(sections["Registers of sessions they led"].rows) == 3
    assert sections["Volunteering: checks and clearances"].rows[0][2] == "001234567890"
    assert sections["Activities they facilitate"].rows[0][0] == "Needlework group"


def test_anonymised_participant_is_gone_from_the_file_and_figures_keep_counts(services):
    group = _group_with_registers(services)
    services.participants.save_participant(
        _with(services.participants.get_participant(group.people[NAME]), reference="A1234BC",
              notes="Prefers the window seat"), confirmed=True, today=TODAY,
    )  # fmt: skip
    before = services.figures.figures(group.activity, DAYS[0], DAYS[-1], today=TODAY)
    ref = PersonRef(PARTICIPANT, group.people[NAME])
    plan = services.erasure.plan(ref, ANONYMISE, TODAY)
    assert plan.changes and not plan.figures_change
    result = services.erasure.carry_out(ref, ANONYMISE, "the person", TODAY, today=TODAY)
    assert "anonymised" in result.message
    after = services.figures.figures(group.activity, DAYS[0], DAYS[-1], today=TODAY)
    assert (after.attendances, after.participants) == (before.attendances, before.participants)
    services.engine.dispose()
    for secret in (NAME, "A1234BC", "window seat"):
        assert not _file_holds(services.path, secret), secret
    backup = services.backups.backup_now("manual")
    assert not _file_holds(backup.path, NAME)
    sheet = services.attendance.sheets([session_on(services, group.activity, DAYS[0])], TODAY)
    assert NAME not in _text(build_attendance_sheets(sheet))
    # The audit trail says an erasure happened, not whom; the request is on record.
    with sqlite3.connect(services.path) as db:
        [(summary,)] = db.execute(
            "SELECT summary FROM audit_entry WHERE action = 'erasure'"
        ).fetchall()
        [(kind, outcome, asked_by)] = db.execute(
            "SELECT kind, outcome, asked_by FROM erasure_request"
        ).fetchall()
    db.close()
    assert "participant" in summary and NAME not in summary
    assert (kind, outcome, asked_by) == ("participant", "anonymised", "the person")
    assert services.audit.verify() == []


def test_the_anonymised_name_is_found_without_secure_delete(services, tmp_path):
    """The check above must be able to fail: removing the row with secure_delete off (the
    default of many SQLite builds, though not Debian's) and no VACUUM leaves the old name in
    the file's free space."""
    group = _group_with_registers(services)
    services.engine.dispose()
    with sqlite3.connect(services.path) as db:
        db.execute("PRAGMA secure_delete = OFF")
        db.execute("DELETE FROM attendance")
        db.execute("DELETE FROM enrolment")
        db.execute("DELETE FROM participant WHERE display_name = ?", (NAME,))
    db.close()
    assert _file_holds(services.path, NAME)
    assert group


def test_erasing_warns_that_figures_change_and_removes_attendance(services):
    group = _group_with_registers(services)
    ref = PersonRef(PARTICIPANT, group.people[NAME])
    before = services.figures.figures(group.activity, DAYS[0], DAYS[-1], today=TODAY)
    plan = services.erasure.plan(ref, ERASE, TODAY)
    assert "3 attendances fewer" in plan.figures_change
    services.erasure.carry_out(ref, ERASE, "their solicitor", today=TODAY)
    after = services.figures.figures(group.activity, DAYS[0], DAYS[-1], today=TODAY)
    assert after.attendances == before.attendances - 3
    services.engine.dispose()
    assert not _file_holds(services.path, NAME)


def test_who_asked_is_required(services):
    group = needlework_group(services)
    with pytest.raises(ValidationError):
        services.erasure.carry_out(PersonRef(PARTICIPANT, group.people[NAME]), ANONYMISE, " ")


def test_a_signatory_of_a_signed_agreement_keeps_the_signed_record(services):
    group = needlework_group(services)
    version_id = services.agreements.create_agreement(group.case.collaboration, TEMPLATE)
    send_and_sign_all(services, version_id)
    ref = PersonRef(CONTACT, contact_id(services, FCW_SIGNER))
    plan = services.erasure.plan(ref, ANONYMISE, TODAY)
    assert any("legal record" in line for line in plan.kept)
    result = services.erasure.carry_out(ref, ANONYMISE, "the person", today=TODAY)
    assert "legal record" in result.message
    v = services.agreements.get_version(version_id)
    assert v.status == "signed_off" and FCW_SIGNER in [s.name for s in v.signatories]
    [request] = services.erasure.requests()
    assert request.outcome == "signed_record_kept"
    assert FCW_SIGNER not in request.note
    assert services.audit.verify() == []


def test_a_facilitator_of_future_sessions_is_asked_what_to_do(services):
    group = needlework_group(services)
    ref = PersonRef(CONTACT, group.volunteer)
    with pytest.raises(FacilitatesFutureSessions) as asked:
        services.erasure.carry_out(ref, ANONYMISE, "the person", today=TODAY)
    assert asked.value.activities == ["Needlework group"]
    assert services.activities.get_activity(group.activity).facilitator_ids == [
        group.volunteer, group.staff
    ]  # nothing changed while asking
    services.erasure.carry_out(
        ref, ANONYMISE, "the person", future_sessions=REMOVE_AS_FACILITATOR, today=TODAY
    )
    assert services.activities.get_activity(group.activity).facilitator_ids == [group.staff]


def test_backups_made_before_an_erasure_are_named_with_when_they_go(services):
    group = needlework_group(services)
    services.backups.backup_now("manual")
    services.backups.backup_now("before-import")
    result = services.erasure.carry_out(
        PersonRef(PARTICIPANT, group.people[NAME]), ANONYMISE, "the person", today=TODAY
    )
    assert "2 backups made before now" in result.backups_note
    assert "gone by" in result.backups_note and "Backups page" in result.backups_note


def _with(data, **changes):
    for attr, value in changes.items():
        setattr(data, attr, value)
    return data
