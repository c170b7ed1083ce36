"""Privacy (issue 15): why each collaboration keeps personal data, people's preferred language
and consent notes, when a volunteer stopped, anonymised participants, and the log of erasure
requests.

Revision ID: 0009
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = {
    "collaboration": [
        ("lawful_basis", sa.String(length=40)),
        ("offence_condition", sa.String(length=60)),
        ("policy_document", sa.String(length=10)),
        ("policy_document_where", sa.String(length=300)),
    ],
    "contact": [("preferred_language", sa.String(length=60)), ("consent_notes", sa.Text())],
    "participant": [("preferred_language", sa.String(length=60)), ("consent_notes", sa.Text())],
}


def upgrade() -> None:
    # In place (ALTER TABLE ADD COLUMN): every existing row reads "" (not recorded yet).
    for table, columns in _TEXT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=""))
            if table == "participant":
                batch_op.add_column(sa.Column("anonymised_on", sa.Date(), nullable=True))
    with op.batch_alter_table("volunteer", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("stopped_on", sa.Date(), nullable=True))
    op.create_table(
        "erasure_request",
        sa.Column("asked_by", sa.String(length=200), nullable=False),
        sa.Column("asked_on", sa.Date(), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_by", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_erasure_request")),
    )


def downgrade() -> None:
    op.drop_table("erasure_request")
    with op.batch_alter_table("volunteer", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("stopped_on")
    for table, columns in _TEXT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            if table == "participant":
                batch_op.drop_column("anonymised_on")
            for name, _ in reversed(columns):
                batch_op.drop_column(name)
