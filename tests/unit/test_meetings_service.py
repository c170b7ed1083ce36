"""Meetings of a collaboration: recording, the bad inputs of issue 14, quorum by
organisation, engagement over time, reviews and what needs attention."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

import pytest

from collab_desktop.services.errors import NeedsConfirmation, StateError, ValidationError
from collab_desktop.services.meetings.attention import needs_attention
from collab_desktop.services.meetings.meetings import ActionData
from collab_desktop.services.partners import ContactData
from tests.builders import LEYHILL, reference_agreement, signed_off_agreement
from tests.meeting_builders import (
    COUNCIL,
    CRC,
    POLICE,
    board_meeting,
    golden_key_board,
    golden_key_year,
)

TODAY = date(2026, 12, 2)


@pytest.fixture
def board(services):
    return golden_key_board(services)


def test_a_meeting_is_recorded_by_person_and_by_organisation(services, board):
    meeting_id = board_meeting(services, board, date(2026, 4, 21), absent=(POLICE,), today=TODAY)
    m = services.meetings.get_meeting(meeting_id)
    assert len(m.attendees) == 17
    police = next(a for a in m.attendees if a.organisation == POLICE)
    assert (police.name, police.response) == ("Supt Alan Marsh", "apologies")
    [row] = services.meetings.list_meetings(board.collaboration)
    assert row.organisations == "16 of 17 organisations"
    assert row.kind == "Board"


def test_new_meeting_invites_every_member_by_its_strategic_contact(services, board):
    data = services.meetings.new_meeting(board.collaboration, TODAY)
    assert len(data.attendees) == 17
    assert data.attendees[0].name == "Miriam Okafor"
    assert all(a.response == "invited" for a in data.attendees)


def test_a_meeting_before_the_collaboration_started_is_refused(services, board):
    with pytest.raises(ValidationError) as caught:
        board_meeting(services, board, date(2013, 12, 1), today=TODAY)
    assert caught.value.errors.keys() == {"held_on"}
    assert "before Golden Key started (01/04/2014)" in caught.value.message
    assert services.meetings.list_meetings() == []


def test_a_future_meeting_cannot_be_marked_held(services, board):
    with pytest.raises(ValidationError) as caught:
        board_meeting(services, board, date(2027, 1, 19), today=TODAY)
    assert "status" in caught.value.errors
    assert "has not come yet" in caught.value.message
    # Planned, it is fine; and no one can be marked as attended yet.
    data = services.meetings.new_meeting(board.collaboration, date(2027, 1, 19))
    services.meetings.save_meeting(data, today=TODAY)
    data.attendees[0].response = "attended"
    with pytest.raises(ValidationError, match="only planned"):
        services.meetings.save_meeting(data, today=TODAY)


def test_an_action_cannot_go_to_an_organisation_that_has_left(services, board):
    meeting_id = board_meeting(
        services, board, date(2026, 4, 21),
        actions=[ActionData("Share data", board.organisations[POLICE], due_on=date(2026, 6, 1))],
        today=TODAY,
    )  # fmt: skip
    # The police leave the board.
    c = services.collaborations.get_collaboration(board.collaboration)
    c.members = [m for m in c.members if m.organisation != POLICE]
    services.collaborations.save_collaboration(c)

    # Their action stays on record with them, and the meeting can still be saved…
    m = services.meetings.get_meeting(meeting_id)
    m.notes = "Edited after the police left."
    services.meetings.save_meeting(m, today=TODAY)
    assert services.meetings.get_meeting(meeting_id).actions[0].organisation == POLICE
    # …but a new action cannot be given to them.
    m.actions.append(ActionData("Another", board.organisations[POLICE]))
    with pytest.raises(ValidationError) as caught:
        services.meetings.save_meeting(m, today=TODAY)
    assert f"{POLICE} is no longer a member of Golden Key" in caught.value.message
    assert len(services.meetings.get_meeting(meeting_id).actions) == 1


def test_a_person_who_moved_organisation_keeps_past_attendance_with_the_old_one(services, board):
    meeting_id = board_meeting(services, board, date(2026, 4, 21), today=TODAY)
    # Fiona Drake leaves the council for the CRC: removed there, added here.
    council = services.partners.get_partner(board.organisations[COUNCIL])
    council.contacts = [p for p in council.contacts if p.name != "Fiona Drake"]
    services.partners.save_partner(council, confirmed=True)
    crc = services.partners.get_partner(board.organisations[CRC])
    crc.contacts.append(ContactData(name="Fiona Drake", level="strategic"))
    services.partners.save_partner(crc, confirmed=True)

    m = services.meetings.get_meeting(meeting_id)
    fiona = [a for a in m.attendees if a.name == "Fiona Drake"]
    assert [(a.organisation, a.response) for a in fiona] == [(COUNCIL, "attended")]
    services.meetings.save_meeting(m, today=TODAY)  # saving again changes nothing
    engagement = services.engagement.engagement(board.collaboration, TODAY)
    council_row = next(o for o in engagement.organisations if o.name == COUNCIL)
    assert council_row.attended_total == 1


def test_deleting_a_meeting_with_actions_asks_first_and_the_audit_keeps_it(services, board):
    meeting_id = board_meeting(
        services, board, date(2026, 4, 21),
        actions=[ActionData("Circulate the form", board.organisations["Second Step"])],
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(NeedsConfirmation, match="has 1 action"):
        services.meetings.delete_meeting(meeting_id)
    assert len(services.meetings.list_meetings()) == 1
    services.meetings.delete_meeting(meeting_id, confirmed=True)
    assert services.meetings.list_meetings() == []
    with sqlite3.connect(services.path) as db:
        [(summary, details)] = db.execute(
            "SELECT summary, details FROM audit_entry WHERE action = 'meeting_deleted'"
        ).fetchall()
    db.close()
    assert summary == "Deleted the board meeting of Golden Key on 21/04/2026"
    assert json.loads(details)["actions"][0]["what"] == "Circulate the form"
    assert services.audit.check().sound


def test_a_meeting_without_actions_or_decisions_is_deleted_without_asking(services, board):
    meeting_id = board_meeting(services, board, date(2026, 4, 21), today=TODAY)
    services.meetings.delete_meeting(meeting_id)
    assert services.meetings.list_meetings() == []


def test_a_partner_recorded_at_meetings_cannot_be_deleted(services, board):
    board_meeting(services, board, date(2026, 4, 21), today=TODAY)
    c = services.collaborations.get_collaboration(board.collaboration)
    c.members = [m for m in c.members if m.organisation != "Voscur"]
    services.collaborations.save_collaboration(c)
    assert "is recorded at meetings" in services.partners.deletion_blocker(
        board.organisations["Voscur"]
    )


def test_quorum_is_counted_by_organisation_able_to_decide(services):
    case, version_id = signed_off_agreement(services)
    new_id = services.agreements.new_version(version_id)
    services.reviews.set_quorum(new_id, 3)
    from tests.builders import send_and_sign_all

    send_and_sign_all(services, new_id, date(2026, 3, 1))
    data = services.meetings.new_meeting(case.collaboration, date(2026, 5, 1))
    data.status = "held"
    for a in data.attendees:
        a.response = "attended"
    data.attendees[2].can_decide = False  # the prison sent someone who cannot decide
    meeting_id = services.meetings.save_meeting(data, today=TODAY)
    quorum = services.meetings.quorum(meeting_id)
    assert (quorum.needed, quorum.present, quorum.met) == (3, 2, False)
    assert "not quorate" in quorum.text
    with pytest.raises(StateError):
        services.reviews.set_quorum(new_id, 2)  # signed off: not editable


def test_engagement_shows_who_drifted_away(services, board):
    golden_key_year(services, board, TODAY)
    engagement = services.engagement.engagement(board.collaboration, TODAY)
    assert [q.label for q in engagement.quarters] == ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    police = next(o for o in engagement.organisations if o.name == POLICE)
    assert (police.invited, police.attended) == ([1, 1, 1, 1], [1, 1, 0, 0])
    assert police.last_attended == date(2026, 4, 21)
    assert police.actions_overdue == 1
    council = next(o for o in engagement.organisations if o.name == COUNCIL)
    assert (council.actions_on_time, council.actions_late) == (0, 1)
    assert f"{POLICE} has missed the last 2 board meetings" in engagement.flags
    assert (
        f"{CRC} has sent no one able to take decisions to the last 2 meetings it came to"
        in engagement.flags
    )
    assert not any("Eden House has missed" in f for f in engagement.flags)


def test_engagement_flags_a_signature_outstanding_after_six_weeks(services):
    case, version_id = signed_off_agreement(services)
    new_id = services.agreements.new_version(version_id)
    services.agreements.send_for_signatures(new_id)
    v = services.agreements.get_version(new_id)
    for s in v.signatories:
        if s.required and s.capacity != "host_approver":
            services.agreements.record_signature(s.id, date(2026, 2, 1), "wet_ink", "Tom")
    with sqlite3.connect(services.path) as db:  # version 1 sent in 2025, version 2 on 5 January
        for sent, id_ in ((datetime(2025, 3, 1), version_id), (datetime(2026, 1, 5), new_id)):
            db.execute(
                "UPDATE agreement_version SET sent_at = ? WHERE id = ?",
                (sent.isoformat(" ", timespec="microseconds"), id_.hex),
            )
    db.close()
    engagement = services.engagement.engagement(case.collaboration, date(2026, 2, 20))
    assert f"{LEYHILL}'s approver has not signed version 2 after 6 weeks" in engagement.flags
    leyhill = next(o for o in engagement.organisations if o.name == LEYHILL)
    assert leyhill.unsigned


def test_a_review_meeting_records_no_change_in_the_agreements_history(services):
    case, version_id = signed_off_agreement(services)
    from tests.builders import edit_draft  # noqa: F401  (the builders' own helpers)

    data = services.meetings.new_meeting(case.collaboration, date(2026, 3, 1))
    data.status = "held"
    meeting_id = services.meetings.save_meeting(data, today=TODAY)
    v = services.agreements.get_version(version_id)
    next_on = services.reviews.reviewed_no_change(meeting_id, version_id, date(2027, 3, 1))
    assert next_on == date(2027, 3, 1)
    history = services.audit.history(v.agreement_id)
    assert history[-1].summary == (
        "Reviewed at the meeting of 01/03/2026: no change; next review 01/03/2027"
    )
    assert services.agreements.get_version(version_id).warnings == []
    assert services.audit.check().sound


def test_a_review_meeting_can_start_a_new_version(services):
    case, version_id = signed_off_agreement(services)
    data = services.meetings.new_meeting(case.collaboration, date(2026, 3, 1))
    data.status = "held"
    meeting_id = services.meetings.save_meeting(data, today=TODAY)
    new_id = services.reviews.start_new_version(meeting_id, version_id)
    assert services.agreements.get_version(new_id).status == "draft"
    assert services.meetings.get_meeting(meeting_id).review_outcome == "new_version"


def test_needs_attention_lists_reviews_signatures_actions_registers_and_clearances(services):
    from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
    from tests.builders import edit_draft, send_and_sign_all
    from tests.delivery_builders import TODAY as MARCH
    from tests.delivery_builders import contact_id, needlework_activity

    case, version_id = reference_agreement(services)
    edit_draft(services, version_id, next_review=date(2026, 3, 20))
    send_and_sign_all(services, version_id)
    activity = needlework_activity(services, case)
    services.activities.sessions_of(activity, today=MARCH)  # planned up to now, as the page does
    margaret = contact_id(services, "Margaret Ellis")
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=margaret,
            clearances=[ClearanceData(site=LEYHILL, seen_on=date(2023, 4, 1),
                                      expires_on=date(2026, 4, 1))],
        )
    )  # fmt: skip
    data = services.meetings.new_meeting(case.collaboration, date(2026, 2, 1))
    data.status = "held"
    data.actions = [
        ActionData("Order the kits", case.fine_cell_work, due_on=date(2026, 2, 20)),
        ActionData(
            "Book the room", case.leyhill, due_on=date(2026, 2, 20), done_on=date(2026, 2, 20)
        ),
    ]
    meeting_id = services.meetings.save_meeting(data, today=MARCH)
    second = services.agreements.new_version(version_id)
    services.agreements.send_for_signatures(second)

    items = needs_attention(services.path, MARCH)
    by_kind: dict[str, list] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    assert sorted(by_kind) == ["action", "clearance", "register", "review", "signatures"]
    [action] = by_kind["action"]
    assert (action.target, action.target_id) == ("meeting", meeting_id)
    assert "“Order the kits” (Fine Cell Work)" in action.text
    [review] = by_kind["review"]
    assert (review.target, review.target_id) == ("agreement", version_id)
    assert "due for review on 20/03/2026" in review.text
    [waiting] = by_kind["signatures"]
    assert waiting.target_id == second and "Waiting for 3 signatures" in waiting.text
    # Eight Tuesdays since 6 January, none registered: the latest five shown, three counted.
    registers = by_kind["register"]
    assert len(registers) == 5 and registers[-1].more == 3
    assert registers[0].text == "No register yet: Needlework group on Tuesday 24/02/2026"
    [clearance] = by_kind["clearance"]
    assert clearance.text.startswith("Clearance running out: Margaret Ellis's")
    assert clearance.target == "volunteer"

    # Reviewed, no change: not due again until the date the meeting set.
    services.reviews.reviewed_no_change(meeting_id, version_id, date(2027, 2, 1))
    assert "review" not in [i.kind for i in needs_attention(services.path, MARCH)]
    # The action done: off the list.
    services.meetings.mark_action_done(action_id(services, meeting_id), MARCH, today=MARCH)
    assert "action" not in [i.kind for i in needs_attention(services.path, MARCH)]


def action_id(services, meeting_id):
    return services.meetings.get_meeting(meeting_id).actions[0].id


def test_needs_attention_counts_what_it_does_not_show(services, board):
    actions = [
        ActionData(f"Task {n}", board.organisations["Second Step"], due_on=date(2026, 5, n))
        for n in range(1, 9)
    ]
    board_meeting(services, board, date(2026, 4, 21), actions=actions, today=TODAY)
    items = [i for i in needs_attention(services.path, TODAY) if i.kind == "action"]
    assert len(items) == 5
    assert items[-1].more == 3
    assert "Task 8" in items[0].text  # the most recent first


def test_an_actions_choice_of_duty_reads_with_the_names_filled_in(services):
    # Seen in the dialog's pick list: "{{host}} allows…" as stored, not the prison's name.
    case, _version_id = signed_off_agreement(services)
    texts = [c.text for c in services.meetings.responsibilities(case.collaboration)]
    assert texts and not any("{{" in t for t in texts)
    assert any(LEYHILL in t.split(" — ", 1)[1] for t in texts)


def test_reviews_due_and_signatures_awaited_never_read_the_versions_text(services):
    # A version's row holds its frozen text (about four pages at ten years' scale), each page
    # decrypted in encrypted records: the home page finds what is due from an index alone
    # (migration 0013), and only the few awaiting signatures are read for when they went out.
    from collab_desktop.services.meetings.attention import _REVIEWS, _WAITING

    connection = sqlite3.connect(services.path)
    try:
        plans = {
            name: " | ".join(row[3] for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}"))
            for name, sql in (
                ("reviews", _REVIEWS.replace(":horizon", "'2099-01-01'")),
                ("waiting", _WAITING),
            )
        }
    finally:
        connection.close()
    assert "COVERING INDEX ix_agreement_version_review" in plans["reviews"], plans
    # Nor every due agreement's title: those of the few shown are read after.
    assert "SEARCH a " not in plans["reviews"] and " a " not in plans["reviews"], plans
    assert "SCAN v" not in plans["waiting"], plans
