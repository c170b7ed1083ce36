"""Agreements that name the parties (issue 11): which member plays each part a template
names (lead partner, partner, host…), kept on each agreement version.

Revision ID: 0007
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every existing version: its text names no parts, and the members' own roles
    # stand in for a map, exactly as before.
    with op.batch_alter_table("agreement_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role_map", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # In place, as 0005 does: rebuilding the table would trip over the foreign keys.
    with op.batch_alter_table("agreement_version", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("role_map")
