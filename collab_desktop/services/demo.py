"""The example data behind --demo: the four collaborations of the case-study report, entered
through the same services a user's typing goes through, so the example is always valid."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from collab_desktop.resources import resource
from collab_desktop.services.agreements import SignatoryData
from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.partners import ContactData, PartnerData
from collab_desktop.services.store import Services

RECORDED_BY = "Example data"


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def load_demo(services: Services) -> None:
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


def _load_agreement(services: Services, collaboration_id, spec: dict, ids: dict) -> None:  # noqa: ANN001
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
    if spec["status"] == "draft":
        return
    agreements.send_for_signatures(version_id)
    stored = agreements.get_version(version_id).signatories
    for signatory, s in zip(stored, signatures, strict=True):
        if s.get("signed_on"):
            agreements.record_signature(
                signatory.id, _date(s["signed_on"]), s.get("method") or "wet_ink", RECORDED_BY
            )
    if spec["status"] == "ended":
        agreements.mark_ended(version_id)
