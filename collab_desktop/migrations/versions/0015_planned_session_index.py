"""An index of the planned sessions by date (issue 17): the first page's "Needs attention"
counts the sessions of the last weeks still planned, with no register, and without it SQLite
read every session of those weeks to look at its status (20 ms of the first page at four
times ten years' scale, growing with the activities; 0.2 ms with it).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Of the planned sessions alone: an index of every session by status and date misled
    # SQLite in the figures' query (minutes at four times the scale, as against a second).
    op.execute(
        'CREATE INDEX ix_activity_session_planned_on ON activity_session ("on")'
        " WHERE status = 'planned'"
    )


def downgrade() -> None:
    op.drop_index("ix_activity_session_planned_on", table_name="activity_session")
