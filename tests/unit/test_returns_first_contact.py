"""Issue 13 as the three-laptop run met it: the partner typed its own name at the welcome, so
its laptop has its own UUID for itself, linked to the lead's only by name when the lead's
collaboration pack arrived. Its return, sent through a real pack, must reach the lead's board
as that partner's (it was refused as "not a member"), and the lead's query must get back."""

from __future__ import annotations

from datetime import date

from collab_desktop.services.collaborations import CollaborationData, MemberData
from collab_desktop.services.partners import PartnerData
from collab_desktop.services.returns.periods import periods_of_year
from collab_desktop.services.returns.templates import IndicatorData, TemplateData
from tests.exchange_helpers import two_laptops

Q1 = periods_of_year("quarter", 2026)[0]
AFTER = date(2026, 4, 20)


def carry(sender, sender_org, receiver, receiver_org, kind, request):
    out = sender.exchange.export_pack(kind, request, sender_org)
    opened = receiver.exchange.read_pack(out.data, receiver_org)
    preview = receiver.exchange.preview(opened)
    receiver.exchange.apply(opened, own_organisation_id=receiver_org)
    return preview


def test_a_return_from_a_partner_linked_by_name_reaches_the_lead(tmp_path, new_database):
    with two_laptops(tmp_path, new_database) as (lead, partner):
        fcw = lead.partners.save_partner(PartnerData(name="Fine Cell Work"), confirmed=True)
        recoop_there = lead.partners.save_partner(PartnerData(name="RECOOP"), confirmed=True)
        c = lead.collaborations.save_collaboration(CollaborationData(
            name="Family links", members=[MemberData(fcw, "lead"),
                                          MemberData(recoop_there, "partner")],
        ))  # fmt: skip
        # The partner's own organisation, typed at its welcome: another UUID.
        recoop = partner.partners.save_partner(PartnerData(name="RECOOP"), confirmed=True)
        assert recoop != recoop_there
        carry(lead, fcw, partner, recoop, "collaboration",
              {"collaboration_id": str(c), "participants": False})  # fmt: skip
        t = lead.returns.save_template(_template(c, fcw))
        carry(lead, fcw, partner, recoop, "return_template", {"template_id": str(t)})
        rid = partner.returns.draft(c, recoop, *Q1, template_id=t, today=AFTER)
        partner.returns.save_draft(rid, {("family_contacts", ""): 4})
        partner.returns.sign_off(rid, "Amir Khan", today=AFTER)

        preview = carry(partner, recoop, lead, fcw, "monitoring_return", {"return_id": str(rid)})
        (line,) = preview.lines
        assert line.state == "new", line.reason
        received = lead.returns.get(rid)
        assert received.organisation_id == recoop_there and received.status == "received"
        (board,) = lead.returns.board(c, t, [Q1], AFTER)
        cell = next(x for x in board.cells if x.organisation == "RECOOP")
        assert cell.return_id == rid and cell.state.startswith("received")

        lead.returns.ask(rid, "Only 4?", by="Sarah Bennett")
        carry(lead, fcw, partner, recoop, "monitoring_return", {"return_id": str(rid)})
        assert partner.returns.get(rid).status == "queried"


def _template(collaboration_id, lead_id) -> TemplateData:
    return TemplateData(collaboration_id, lead_id, "Quarterly monitoring", indicators=[
        IndicatorData("family_contacts", "Family contacts supported", unit="contacts"),
    ])  # fmt: skip


def test_quarters_before_the_collaboration_began_ask_for_nothing(tmp_path, new_database):
    # Seen in the run: a collaboration begun in April showed every partner late for Q1.
    with two_laptops(tmp_path, new_database) as (lead, _partner):
        fcw = lead.partners.save_partner(PartnerData(name="Fine Cell Work"), confirmed=True)
        recoop = lead.partners.save_partner(PartnerData(name="RECOOP"), confirmed=True)
        c = lead.collaborations.save_collaboration(CollaborationData(
            name="Family links", start_date=date(2026, 4, 1),
            members=[MemberData(fcw, "lead"), MemberData(recoop, "partner")],
        ))  # fmt: skip
        t = lead.returns.save_template(_template(c, fcw))
        q1, q2 = lead.returns.board(c, t, periods_of_year("quarter", 2026)[:2], date(2026, 12, 2))
        assert {cell.state for cell in q1.cells} == {"not running then"}
        assert {cell.state for cell in q2.cells} == {"late"}
