"""Audit entries sealed with a key kept outside the database (issue 9, item 8).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty for every existing entry: those are checked on the hash chain alone, as before,
    # and pinned by the anchor the app writes on its first commit after the upgrade. Added in
    # place (ALTER TABLE ADD COLUMN), so the triggers that refuse UPDATE and DELETE stay.
    with op.batch_alter_table("audit_entry", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("mac", sa.String(length=64), nullable=False,
                                      server_default=""))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("mac")
