"""Each contact's minutes of held sessions led, kept by the database (issue 17): the Volunteers
page read them by adding up every held session's leaders (100,000 sessions after ten years)
each time it was shown.

The triggers keep the totals right whatever writes the sessions and their leaders (the ORM,
registers, exchange packs, erasure, plain SQL), so no app code has to remember them. A session
deleted with its leaders (ON DELETE CASCADE) is subtracted by the session's own trigger: the
leaders' delete trigger, run by the cascade, no longer finds the session. A table rebuilt by a
later migration (batch mode's "recreate") loses its triggers: such a migration must create
these again (tests/integration/test_leader_minutes.py notices if not).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def _clock(column: str) -> str:
    """Minutes since midnight of a time stored as text, 'HH:MM:SS.ffffff' (or 'H:MM')."""
    return (
        f"(CAST({column} AS INTEGER) * 60"
        f" + CAST(substr({column}, instr({column}, ':') + 1) AS INTEGER))"
    )


def minutes(row: str) -> str:
    """A session's length in whole minutes, never below 0: schedule.hours_between × 60."""
    return f"max({_clock(f'{row}.end_time')} - {_clock(f'{row}.start_time')}, 0)"


def _held_minutes(session_id: str) -> str:
    """A held session's minutes; NULL if it is not held or is not there (any more)."""
    return (
        f"(SELECT {minutes('s')} FROM activity_session AS s"
        f" WHERE s.id = {session_id} AND s.status = 'held')"
    )


def _add(contact_id: str, session_id: str) -> str:
    return (
        f"INSERT INTO leader_minutes (contact_id, minutes) SELECT {contact_id}, {minutes('s')}"
        f" FROM activity_session AS s WHERE s.id = {session_id} AND s.status = 'held'"
        " ON CONFLICT (contact_id) DO UPDATE SET minutes = minutes + excluded.minutes;"
    )


def _subtract(contact_id: str, session_id: str) -> str:
    return (
        f"UPDATE leader_minutes SET minutes = minutes - coalesce({_held_minutes(session_id)}, 0)"
        f" WHERE contact_id = {contact_id};"
    )


def _held(row: str) -> str:
    return f"(CASE WHEN {row}.status = 'held' THEN {minutes(row)} ELSE 0 END)"


TRIGGERS = {
    "leader_minutes_leader_added": (
        "AFTER INSERT ON session_leader",
        _add("NEW.contact_id", "NEW.session_id"),
    ),
    "leader_minutes_leader_removed": (
        "AFTER DELETE ON session_leader",
        _subtract("OLD.contact_id", "OLD.session_id"),
    ),
    "leader_minutes_leader_changed": (
        "AFTER UPDATE OF session_id, contact_id ON session_leader",
        _subtract("OLD.contact_id", "OLD.session_id") + _add("NEW.contact_id", "NEW.session_id"),
    ),
    "leader_minutes_session_changed": (
        "AFTER UPDATE OF status, start_time, end_time ON activity_session"
        " WHEN (OLD.status = 'held' OR NEW.status = 'held')"
        " AND (OLD.status IS NOT NEW.status OR OLD.start_time IS NOT NEW.start_time"
        " OR OLD.end_time IS NOT NEW.end_time)",
        f"INSERT INTO leader_minutes (contact_id, minutes)"
        f" SELECT l.contact_id, {_held('NEW')} - {_held('OLD')}"
        " FROM session_leader AS l WHERE l.session_id = NEW.id"
        " ON CONFLICT (contact_id) DO UPDATE SET minutes = minutes + excluded.minutes;",
    ),
    "leader_minutes_session_removed": (
        "BEFORE DELETE ON activity_session WHEN OLD.status = 'held'",
        f"UPDATE leader_minutes SET minutes = minutes - {minutes('OLD')} WHERE contact_id IN"
        " (SELECT l.contact_id FROM session_leader AS l WHERE l.session_id = OLD.id);",
    ),
}


def upgrade() -> None:
    op.create_table(
        "leader_minutes",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"],
            name=op.f("fk_leader_minutes_contact_id_contact"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_leader_minutes")),
    )  # fmt: skip
    op.execute(
        f"INSERT INTO leader_minutes (contact_id, minutes) SELECT l.contact_id, sum({minutes('s')})"
        " FROM activity_session AS s JOIN session_leader AS l ON l.session_id = s.id"
        " WHERE s.status = 'held' GROUP BY l.contact_id"
    )
    for name, (when, body) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("leader_minutes")
