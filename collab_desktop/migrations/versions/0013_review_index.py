"""An index that answers "Needs attention" about agreement versions (issue 10): the home page
read every signed-off version's row to find the reviews due, and a row holds the version's
frozen text (about four pages each). In encrypted records each of those pages was decrypted
on every start: 0.14 s of the first page at ten years' scale, 20 ms plain.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

COLUMNS = ["status", "next_review", "agreement_id", "number", "id"]


def upgrade() -> None:
    op.create_index("ix_agreement_version_review", "agreement_version", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_agreement_version_review", table_name="agreement_version")
