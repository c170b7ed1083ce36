"""What the Returns page reads to fill itself, in plain SQL on any DB-API connection: its
collaborations, the members that report, the templates and the return of the chosen period.

The page is read ahead while the app is idle (ui/preload.py) without SQLAlchemy, whose
loading costs some 70 MiB (issue 17), so these reads are answered by the quick services'
stand-in (services/quick_open.py); ReturnService reads through the same functions on its
session's connection (models/database.driver_connection), so the two cannot differ. As in
services/list_rows.py, which this follows: nothing here may load SQLAlchemy or the models,
and every cursor is read to the end and closed before a function returns.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

from collab_desktop.services.list_rows import _all
from collab_desktop.services.returns.states import REPORTING_ROLES


class TemplateChoice(NamedTuple):
    """A template as the page's list offers it ("Quarterly monitoring (version 2)")."""

    id: uuid.UUID
    name: str
    version: int


def collaboration_choices(connection: Any) -> list[tuple[uuid.UUID, str]]:
    # Ordered as the collaborations list orders them (list_rows.collaboration_rows).
    return [
        (uuid.UUID(hex=id_), name)
        for id_, name in _all(connection, "SELECT id, name FROM collaboration ORDER BY lower(name)")
    ]


_REPORTING = (
    "SELECT o.id, o.name FROM organisation AS o JOIN member AS m ON m.organisation_id = o.id"
    f" WHERE m.collaboration_id = ? AND m.role IN ({', '.join('?' * len(REPORTING_ROLES))})"
    " ORDER BY m.position, o.name"
)


def reporting_members(connection: Any, collaboration_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    rows = _all(connection, _REPORTING, (collaboration_id.hex, *REPORTING_ROLES))
    return [(uuid.UUID(hex=id_), name) for id_, name in rows]


def template_choices(connection: Any, collaboration_id: uuid.UUID) -> list[TemplateChoice]:
    # The id, name and version alone: the full templates (ReturnService.templates_of) bring
    # every indicator of each, which the list does not show. Ordered as templates_of orders
    # them; the id breaks a tie of names (nothing stops two templates sharing one).
    rows = _all(
        connection,
        "SELECT id, name, version FROM return_template WHERE collaboration_id = ?"
        " ORDER BY name, id",
        (collaboration_id.hex,),
    )
    return [TemplateChoice(uuid.UUID(hex=id_), name, version) for id_, name, version in rows]


def latest_return(
    connection: Any, collaboration_id: uuid.UUID, organisation_id: uuid.UUID, first: date
) -> uuid.UUID | None:
    """The newest version of an organisation's return for the period starting `first` (the
    unique index on collaboration, organisation, period start and version answers it)."""
    found = _all(
        connection,
        "SELECT id FROM monitoring_return WHERE collaboration_id = ? AND organisation_id = ?"
        " AND period_start = ? ORDER BY version DESC LIMIT 1",
        (collaboration_id.hex, organisation_id.hex, first.isoformat()),
    )
    return uuid.UUID(hex=found[0][0]) if found else None
