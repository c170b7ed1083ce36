"""Builders of realistic records through the real services, for service and UI tests.

The reference case of docs/architecture.md §1: Fine Cell Work (lead) and RECOOP (partner)
run a weekly needlework group at HMP Leyhill (host), which signs the agreement off. People's
names are invented (the same ones as tests/unit/pdf_samples.py).

Every builder takes the `services` fixture (collab_desktop.services.open_records.Services).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from collab_desktop.services.agreements.version_data import VersionData
from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.open_records import Services
from collab_desktop.services.partners import ContactData, PartnerData

FCW = "Fine Cell Work"
RECOOP = "RECOOP"
LEYHILL = "HMP Leyhill"

# Strategic contacts: who signs for each organisation.
FCW_SIGNER = "Sarah Bennett"
RECOOP_SIGNER = "Tom Rhys"
LEYHILL_SIGNER = "Helen Price"

TEMPLATE = "two_charity_prison"
SIGNED_ON = date(2025, 3, 10)


@dataclass(frozen=True)
class ReferenceCase:
    fine_cell_work: uuid.UUID
    recoop: uuid.UUID
    leyhill: uuid.UUID
    collaboration: uuid.UUID

    @property
    def organisations(self) -> dict[str, uuid.UUID]:
        return {FCW: self.fine_cell_work, RECOOP: self.recoop, LEYHILL: self.leyhill}


def contact(name: str, level: str = "operational", **fields: str) -> ContactData:
    return ContactData(name=name, level=level, **fields)


def add_partner(
    services: Services,
    name: str,
    kind: str = "charity",
    contacts: list[ContactData] | None = None,
    confirmed: bool = True,
    **fields: str,
) -> uuid.UUID:
    data = PartnerData(name=name, kind=kind, contacts=list(contacts or []), **fields)
    return services.partners.save_partner(data, confirmed=confirmed)


def reference_partners(services: Services) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """Fine Cell Work, RECOOP and HMP Leyhill, each with a strategic contact. Each also has an
    operational contact whose name sorts first, so "the strategic one signs" is tested."""
    fcw = add_partner(
        services,
        FCW,
        charity_number="1139884",
        town="London",
        email="info@finecellwork.example",
        contacts=[
            contact("Margaret Ellis", job_title="Volunteer tutor"),
            contact(FCW_SIGNER, "strategic", job_title="Head of Prison Programmes"),
        ],
    )
    recoop = add_partner(
        services,
        RECOOP,
        charity_number="1116987",
        town="Bristol",
        contacts=[
            contact("Amir Khan", job_title="Activities worker"),
            contact(RECOOP_SIGNER, "strategic", job_title="Regional Coordinator"),
        ],
    )
    leyhill = add_partner(
        services,
        LEYHILL,
        kind="prison",
        address="Tortworth Road",
        town="Wotton-under-Edge",
        postcode="GL12 8BT",
        contacts=[
            contact("Dan Hughes", job_title="Custodial manager"),
            contact(LEYHILL_SIGNER, "strategic", job_title="Governor"),
        ],
    )
    return fcw, recoop, leyhill


def add_collaboration(
    services: Services,
    name: str,
    members: list[tuple[uuid.UUID, str]],
    **fields: object,
) -> uuid.UUID:
    data = CollaborationData(
        name=name, members=[MemberData(org, role) for org, role in members], **fields
    )
    return services.collaborations.save_collaboration(data)


def reference_case(services: Services) -> ReferenceCase:
    fcw, recoop, leyhill = reference_partners(services)
    collaboration = add_collaboration(
        services,
        "Needlework group at HMP Leyhill",
        [(fcw, "lead"), (recoop, "partner"), (leyhill, "host")],
        purpose="A weekly needlework group in the Lobster Pot social space.",
        setting="custody",
        site=LEYHILL,
        start_date=date(2014, 5, 1),
        status="active",
    )
    return ReferenceCase(fcw, recoop, leyhill, collaboration)


def reference_agreement(
    services: Services, template: str | None = TEMPLATE
) -> tuple[ReferenceCase, uuid.UUID]:
    """The reference case with a first draft agreement; returns the case and the version id."""
    case = reference_case(services)
    version_id = services.agreements.create_agreement(case.collaboration, template)
    return case, version_id


def send_and_sign_all(
    services: Services, version_id: uuid.UUID, signed_on: date = SIGNED_ON
) -> str:
    """Send a draft for signatures and record every required signature. Returns the status."""
    services.agreements.send_for_signatures(version_id)
    status = ""
    for s in services.agreements.get_version(version_id).signatories:
        if s.required:
            status = services.agreements.record_signature(s.id, signed_on, "wet_ink", "Tom Rhys")
    return status


def signed_off_agreement(services: Services) -> tuple[ReferenceCase, uuid.UUID]:
    case, version_id = reference_agreement(services)
    send_and_sign_all(services, version_id)
    return case, version_id


def edit_draft(services: Services, version_id: uuid.UUID, **changes: object) -> VersionData:
    """Load a draft, apply attribute changes (sections may be passed as a partial dict), save
    it and return the data as saved."""
    data = services.agreements.get_version(version_id)
    sections = changes.pop("sections", None)
    if sections:
        data.sections.update(sections)
    for attr, value in changes.items():
        setattr(data, attr, value)
    services.agreements.save_draft(data)
    return data
