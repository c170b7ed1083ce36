"""The states of a monitoring return and who reports, as plain constants: the Returns page
is built and filled without SQLAlchemy (issue 17: ui/preload.py reads it ahead while the app
is idle), and the home page's "Needs attention" reads returns before it is loaded
(services/meetings/attention.py). drafting.py and packs.py, which need SQLAlchemy, give them
as before."""

from __future__ import annotations

STATUSES = {
    "draft": "Draft",
    "signed_off": "Signed off",
    "sent": "Sent",
    "received": "Received",
    "queried": "Queried",
}
# Roles that report: hosts, funders and referral partners do not send returns.
REPORTING_ROLES = ("lead", "partner", "subcontractor")
# The states a return may be sent in (to the lead, or back to the partner with a query).
SENDABLE = ("signed_off", "sent", "queried", "received")
