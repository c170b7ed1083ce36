"""Issue 11, "Name the parties" and "Roles that do not fit the template": templates name
parts; drafts name the organisations playing them (and the group's day, time and place, its
purpose and funding), in the editor's data and in the PDF, follow a rename until the version
is sent, and are frozen then. Over the reference case (tests/builders.py)."""

from __future__ import annotations

import io
import re
import sqlite3

from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import build_agreement_pdf
from collab_desktop.services.agreements import parts as agreement_parts
from tests.builders import (
    FCW,
    LEYHILL,
    RECOOP,
    TEMPLATE,
    add_collaboration,
    reference_agreement,
    reference_partners,
    send_and_sign_all,
)
from tests.delivery_builders import TODAY, needlework_activity


def pdf_text(services, version_id) -> str:
    data = build_agreement_pdf(services.agreements.document(version_id))
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(re.sub(r"\s+", " ", p.extract_text() or "") for p in pages)


def rename(services, organisation_id, name) -> None:
    data = services.partners.get_partner(organisation_id)
    data.name = name
    services.partners.save_partner(data, confirmed=True)


def test_reference_agreement_names_the_organisations_and_the_group(services):
    case, version_id = reference_agreement(services)
    needlework_activity(services, case)
    v = services.agreements.get_version(version_id)
    purpose = v.sections["purpose"]
    assert purpose.startswith(
        f"This agreement sets out how {FCW} and {RECOOP} will run a weekly group together "
        f"inside {LEYHILL}"
    )
    assert "A weekly needlework group in the Lobster Pot social space." in purpose
    assert "The group meets Tuesdays, 10:00 to 12:00, in The Lobster Pot." in purpose
    assert "No money changes hands between Fine Cell Work and RECOOP" in v.sections["money"]
    assert "no outside funding" in v.sections["money"]
    assert v.reviewers.startswith(f"{FCW}'s project manager and {RECOOP}'s prison-based")
    assert not any("{{" in text for text in v.sections.values())
    assert not any(
        re.search(r"\bthe (lead )?partner\b", text, re.I) for text in v.sections.values()
    )
    printed = pdf_text(services, version_id)
    for name in (FCW, RECOOP, LEYHILL, "Tuesdays, 10:00 to 12:00"):
        assert name in printed


def test_a_rename_before_sending_is_followed_and_after_sending_is_not(services, tmp_path):
    case, version_id = reference_agreement(services)
    # The editor gets names and saves them back: the stored text keeps its tokens.
    services.agreements.save_draft(services.agreements.get_version(version_id))
    rename(services, case.recoop, "RECOOP Trust")
    v = services.agreements.get_version(version_id)
    assert "RECOOP Trust is already based in HMP Leyhill" in v.sections["purpose"]
    assert "RECOOP Trust is already based" in pdf_text(services, version_id)

    send_and_sign_all(services, version_id)
    rename(services, case.recoop, "Resettlement and Care")
    printed = pdf_text(services, version_id)
    assert "RECOOP Trust is already based" in printed
    assert "Resettlement and Care is already" not in printed
    # The frozen text still matches its fingerprint, and a rename is not tampering.
    assert services.agreements.get_version(version_id).warnings == []


def test_names_typed_in_the_editor_follow_a_rename_too(services):
    case, version_id = reference_agreement(services)
    v = services.agreements.get_version(version_id)
    v.sections["term"] = f"Signed by {FCW}, {RECOOP} and {LEYHILL}."
    services.agreements.save_draft(v)
    rename(services, case.fine_cell_work, "Fine Cell Work CIC")
    term = services.agreements.get_version(version_id).sections["term"]
    assert term == f"Signed by Fine Cell Work CIC, {RECOOP} and {LEYHILL}."


def test_two_partners_no_lead_are_mapped_not_copied(services):
    fcw, recoop, leyhill = reference_partners(services)
    collaboration = add_collaboration(
        services, "Needlework", [(fcw, "partner"), (recoop, "partner"), (leyhill, "host")]
    )
    plan = services.agreements.plan_parts(collaboration, TEMPLATE)
    assert [p.role for p in plan.parts] == ["lead", "partner", "host"]
    assert plan.chosen() == {fcw: "lead", recoop: "partner", leyhill: "host"}
    notes = agreement_parts.notes(plan)
    assert f"{FCW} is recorded as partner but plays the lead partner in this agreement." in notes

    version_id = services.agreements.create_agreement(collaboration, TEMPLATE)
    v = services.agreements.get_version(version_id)
    owners = [r.organisation_id for r in v.responsibilities]
    # RECOOP's three duties are RECOOP's alone; the lead's two are Fine Cell Work's; the
    # host's three the prison's; only the two truly joint ones are joint.
    assert owners.count(recoop) == 3
    assert owners.count(fcw) == 2
    assert owners.count(leyhill) == 3
    assert owners.count(None) == 2
    assert "lead partner" not in " ".join(v.sections.values())
    assert [p.role for p in v.parties] == ["Lead partner", "Partner", "Host"]


def test_the_user_chooses_the_parts_and_can_change_them_later(services):
    fcw, recoop, leyhill = reference_partners(services)
    collaboration = add_collaboration(
        services, "Needlework", [(fcw, "partner"), (recoop, "partner"), (leyhill, "host")]
    )
    # The user says RECOOP leads, then thinks better of it.
    version_id = services.agreements.create_agreement(
        collaboration, TEMPLATE, parts={recoop: "lead", fcw: "partner", leyhill: "host"}
    )
    v = services.agreements.get_version(version_id)
    assert v.sections["purpose"].startswith(f"This agreement sets out how {RECOOP} and {FCW}")
    assert [r.organisation_id for r in v.responsibilities].count(fcw) == 3

    left = services.agreements.change_parts(
        version_id, {fcw: "lead", recoop: "partner", leyhill: "host"}
    )
    assert left == []
    v = services.agreements.get_version(version_id)
    assert v.sections["purpose"].startswith(f"This agreement sets out how {FCW} and {RECOOP}")
    owners = [r.organisation_id for r in v.responsibilities]
    assert (owners.count(recoop), owners.count(fcw)) == (3, 2)
    assert [(s.name, s.organisation_id) for s in v.signatories] == [
        ("Sarah Bennett", fcw),
        ("Tom Rhys", recoop),
        ("Helen Price", leyhill),
    ]


def test_a_part_nobody_plays_is_said_before_drafting(services):
    fcw, recoop, leyhill = reference_partners(services)
    collaboration = add_collaboration(services, "x", [(fcw, "lead"), (leyhill, "host")])
    plan = services.agreements.plan_parts(collaboration, TEMPLATE)
    notes = agreement_parts.notes(plan)
    assert notes == [
        "Nobody plays the partner: its 3 duties and a signature will be left out, and the "
        "text will say “the partner”."
    ]


def test_new_versions_keep_the_parts(services):
    case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    new_id = services.agreements.new_version(version_id)
    assert FCW in services.agreements.get_version(new_id).sections["purpose"]


def test_stored_text_keeps_tokens(services, tmp_path):
    _, version_id = reference_agreement(services)
    services.agreements.save_draft(services.agreements.get_version(version_id))
    path = services.engine.url.database
    with sqlite3.connect(path) as db:
        [(purpose, role_map)] = db.execute(
            "SELECT purpose, role_map FROM agreement_version"
        ).fetchall()
    db.close()
    assert purpose.startswith("This agreement sets out how {{lead}} and {{partner}}")
    assert set(__import__("json").loads(role_map)) == {"lead", "partner", "host"}
    assert TODAY  # the delivery builders' fixed day, imported for needlework_activity


def test_the_money_shares_are_written_in_the_agreement_not_a_missing_schedule(services):
    # Issue 11, "The schedule": two templates referred to a schedule the agreement did not
    # contain. The shares are now written in the Money section (fingerprinted with it), and a
    # share left blank stops the version being sent.
    import pytest

    from collab_desktop.services.errors import ValidationError
    from tests.builders import add_partner

    for info in services.templates.list_templates():
        assert "schedule" not in str(info.body).lower(), info.key
    lead = add_partner(services, "Pact", contacts=[])
    sub = add_partner(services, "Nepacs", contacts=[])
    collaboration = add_collaboration(
        services, "Alliance", [(lead, "lead"), (sub, "subcontractor")]
    )
    version_id = services.agreements.create_agreement(collaboration, "lead_with_subcontractors")
    v = services.agreements.get_version(version_id)
    assert "Nepacs" in v.sections["money"]
    with pytest.raises(ValidationError) as raised:
        services.agreements.send_for_signatures(version_id)
    assert "money" in raised.value.errors
    assert "blank to fill in" in raised.value.errors["money"]


def test_a_sent_version_shows_the_names_it_was_sent_with(services):
    case, version_id = reference_agreement(services)
    services.agreements.send_for_signatures(version_id)
    rename(services, case.recoop, "Resettlement and Care")
    purpose = services.agreements.get_version(version_id).sections["purpose"]
    assert "RECOOP is already based" in purpose
