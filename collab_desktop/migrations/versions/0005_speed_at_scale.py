"""Speed at scale (issue 6): how far each activity's sessions are planned, so the calendar
need not re-check every schedule on each look.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for every existing activity: the first look at the calendar plans each of them
    # from scratch once, exactly as before, and records how far.
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_until", sa.Date(), nullable=True))


def downgrade() -> None:
    # In place (SQLite 3.35 or newer, as every supported Python has): rebuilding the table,
    # batch mode's other way, would trip over the foreign keys the app keeps switched on.
    with op.batch_alter_table("activity", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("planned_until")
