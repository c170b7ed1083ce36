"""Issue 15: the agreement's data-protection section reads the collaboration's reasons for
keeping personal data (lawful basis, the condition for criminal-offence data, the policy
document), from the records as they are until the version is sent."""

from __future__ import annotations

from dataclasses import replace
from io import BytesIO

from pypdf import PdfReader

from collab_desktop.pdf.agreement_pdf import write_agreement_pdf
from collab_desktop.services.agreements.party_text import lawful_basis_text
from tests.builders import reference_agreement


def _section(services, version_id) -> str:
    return services.agreements.get_version(version_id).sections["information_sharing"]


def test_the_section_says_what_is_not_recorded_yet(services):
    _, version_id = reference_agreement(services)
    assert "lawful basis for keeping personal information is not yet recorded" in _section(
        services, version_id
    )


def test_the_section_draws_on_the_collaborations_reasons_and_prints_them(services, tmp_path):
    case, version_id = reference_agreement(services)
    data = services.collaborations.get_collaboration(case.collaboration)
    services.collaborations.save_collaboration(
        replace(
            data,
            lawful_basis="legitimate_interests",
            offence_condition="safeguarding",
            policy_document="yes",
            policy_document_where="shared drive, Policies folder",
        )
    )
    section = _section(services, version_id)
    assert "lawful basis of legitimate interests" in section
    assert "condition of safeguarding of children and individuals at risk (para 18)" in section
    assert "appropriate policy document is in place (shared drive, Policies folder)" in section
    target = tmp_path / "agreement.pdf"
    write_agreement_pdf(services.agreements.document(version_id), target)
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(BytesIO(target.read_bytes())).pages
    )
    assert "lawful basis of legitimate interests" in text
    # Saving the draft as shown keeps the token, so a later change is read again.
    version = services.agreements.get_version(version_id)
    services.agreements.save_draft(version)
    services.collaborations.save_collaboration(
        replace(
            services.collaborations.get_collaboration(case.collaboration),
            lawful_basis="public_task",
        )
    )
    assert "lawful basis of public task" in _section(services, version_id)


def test_a_policy_document_not_in_place_is_said():
    text = lawful_basis_text("consent", "", "no", "")
    assert text.startswith("Personal information is kept on the lawful basis of consent")
    assert "no appropriate policy document" in text
    assert "criminal offences" not in text
