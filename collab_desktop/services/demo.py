"""The example data behind --demo: the four collaborations of the case-study report, entered
through the same services a user's typing goes through, so the example is always valid."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, time, timedelta
from typing import cast

from collab_desktop.resources import resource
from collab_desktop.services.agreements.version_data import SignatoryData
from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.delivery.activities import ActivityData
from collab_desktop.services.delivery.attendance import Newcomer
from collab_desktop.services.delivery.participants import ParticipantData
from collab_desktop.services.delivery.volunteers import ClearanceData, VolunteerData
from collab_desktop.services.open_records import Services
from collab_desktop.services.partners import ContactData, PartnerData

RECORDED_BY = "Example data"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_demo(services: Services, today: date | None = None) -> None:
    today = today or date.today()
    data = json.loads(resource("demo", "case_studies.json").read_text(encoding="utf-8"))
    ids = {}
    for org in data["organisations"]:
        contacts = [ContactData(**c) for c in org.get("contacts", [])]
        fields = {k: v for k, v in org.items() if k not in ("ref", "contacts")}
        ids[org["ref"]] = services.partners.save_partner(
            PartnerData(**fields, contacts=contacts), confirmed=True
        )
    for collab in data["collaborations"]:
        collaboration_id = services.collaborations.save_collaboration(
            CollaborationData(
                name=collab["name"],
                purpose=collab.get("purpose", ""),
                setting=collab.get("setting", "custody"),
                site=collab.get("site", ""),
                start_date=_date(collab.get("start_date")),
                end_date=_date(collab.get("end_date")),
                status=collab.get("status", "active"),
                funding_type=collab.get("funding_type", "unfunded"),
                funder_id=ids.get(collab.get("funder")),
                funding_from=_date(collab.get("funding_from")),
                funding_until=_date(collab.get("funding_until")),
                notes=collab.get("notes", ""),
                members=[MemberData(ids[m["org"]], m["role"]) for m in collab["members"]],
            )
        )
        if collab.get("agreement"):
            _load_agreement(services, collaboration_id, collab["agreement"], ids)
        if collab.get("delivery"):
            _load_delivery(services, collaboration_id, collab["delivery"], ids, today)


def _load_agreement(services: Services, collaboration_id, spec: dict, ids: dict) -> None:
    agreements = services.agreements
    version_id = agreements.create_agreement(collaboration_id, spec["template"], spec["title"])
    version = agreements.get_version(version_id)
    signatures = spec.get("signatures", [])
    if signatures:
        # The case studies name who signed; they replace the template's guesses.
        version = replace(
            version,
            signatories=[
                SignatoryData(
                    name=s["name"],
                    role=s.get("role", ""),
                    organisation_id=ids[s["org"]],
                    capacity=s.get("capacity", "party"),
                )
                for s in signatures
            ],
        )
        agreements.save_draft(version)
    if spec.get("sections"):
        # What the case study's own agreement said where a template leaves a blank (the money).
        version = agreements.get_version(version_id)
        version.sections.update(spec["sections"])
        agreements.save_draft(version)
    if spec["status"] == "draft":
        return
    agreements.send_for_signatures(version_id)
    stored = agreements.get_version(version_id).signatories
    for signatory, s in zip(stored, signatures, strict=True):
        if s.get("signed_on"):
            assert signatory.id is not None  # a stored signatory has its id
            agreements.record_signature(
                signatory.id,
                date.fromisoformat(s["signed_on"]),
                s.get("method") or "wet_ink",
                RECORDED_BY,
            )
    if spec["status"] == "ended":
        agreements.mark_ended(version_id)


def _load_delivery(
    services: Services,
    collaboration_id,
    spec: dict,
    ids: dict,
    today: date,
) -> None:
    """A weekly group with a few weeks of registers behind it, one week lost to a lock-down,
    and its volunteer's vetting. Weeks count from the week the example is opened in, so the
    home page always has this week's session to show."""
    contacts = {
        c.name: cast(uuid.UUID, c.id)  # stored contacts have their ids
        for org_id in ids.values()
        for c in services.partners.get_partner(org_id).contacts
    }
    a = spec["activity"]
    monday = today - timedelta(days=today.weekday())

    def week(n: int) -> date:
        return monday + timedelta(weeks=n, days=a["weekday"])

    activity_id = services.activities.save_activity(
        ActivityData(
            collaboration_id=collaboration_id,
            name=a["name"],
            venue=a["venue"],
            weekday=a["weekday"],
            start_time=time.fromisoformat(a["start_time"]),
            end_time=time.fromisoformat(a["end_time"]),
            frequency=a["frequency"],
            starts_on=week(a["first_week"]),
            name_printing=a["name_printing"],
            facilitator_ids=[contacts[name] for name in a["facilitators"]],
        ),
        today=today,
    )
    v = spec["volunteer"]
    services.volunteers.save_volunteer(
        VolunteerData(
            contact_id=contacts[v["name"]],
            since=_date(v.get("since")),
            induction_on=_date(v.get("induction_on")),
            training=v.get("training", ""),
            training_on=_date(v.get("training_on")),
            risk_assessed_on=_date(v.get("risk_assessed_on")),
            risk_reviewer=v.get("risk_reviewer", ""),
            risk_review_due=_date(v.get("risk_review_due")),
            clearances=[
                ClearanceData(
                    kind=c["kind"],
                    site=c["site"],
                    certificate_number=c["certificate_number"],
                    seen_on=_date(c.get("seen_on")),
                    expires_on=(
                        today + timedelta(weeks=c["expires_on_weeks"])
                        if "expires_on_weeks" in c
                        else _date(c.get("expires_on"))
                    ),
                )
                for c in v["clearances"]
            ],
        )
    )
    sessions = {
        row.on: row.id
        for row in services.activities.sessions_between(
            week(a["first_week"]), week(0), activity_id, today
        )
    }
    cancelled = {week(c["week"]): c for c in spec["cancelled"]}
    for day, c in cancelled.items():
        services.activities.cancel_session(sessions[day], c["reason"], c.get("note", ""))
    people = spec["participants"]
    first_week = a["first_week"]
    enrolled = {
        p["name"]: services.participants.save_participant(
            ParticipantData(
                display_name=p["name"],
                reference=p["reference"],
                joined_on=week(first_week),
                activity_ids=[activity_id],
            ),
            confirmed=True,
            today=today,
        )
        for p in people
        if "first_week" not in p
    }
    leaders = [contacts[name] for name in a["facilitators"]]
    for n in range(first_week, 0):
        day = week(n)
        if day in cancelled:
            continue
        # Most people come most weeks; a fixed pattern keeps the example the same each time.
        came = [
            enrolled[p["name"]]
            for i, p in enumerate(people)
            if p["name"] in enrolled and (n * 7 + i * 3) % 5 != 0
        ]
        # Later joiners arrive as newcomers, added on the register of their first session.
        newcomers = [
            Newcomer(p["name"], p["reference"]) for p in people if p.get("first_week") == n
        ]
        saved = services.attendance.save_register(
            sessions[day], came, newcomers, leader_ids=leaders, today=today
        )
        for newcomer, new_id in zip(newcomers, saved.new_participants, strict=True):
            enrolled[newcomer.display_name] = new_id
