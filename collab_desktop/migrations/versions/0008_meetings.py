"""Meetings of a collaboration (issue 14): who was invited and came, by person and by
organisation, decisions and actions; and an agreement's quorum, counted by organisation.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _keyed() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "meeting",
        sa.Column("collaboration_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("agreement_version_id", sa.Uuid(), nullable=True),
        sa.Column("review_outcome", sa.String(length=20), nullable=False),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("minutes_approved_by", sa.String(length=200), nullable=False),
        sa.Column("minutes_approved_on", sa.Date(), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["collaboration_id"], ["collaboration.id"],
            name=op.f("fk_meeting_collaboration_id_collaboration"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["agreement_version_id"], ["agreement_version.id"],
            name=op.f("fk_meeting_agreement_version_id_agreement_version"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )  # fmt: skip
    op.create_index("ix_meeting_collaboration_on", "meeting", ["collaboration_id", "held_on"])
    op.create_index(op.f("ix_meeting_agreement_version_id"), "meeting", ["agreement_version_id"])

    op.create_table(
        "meeting_attendee",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("substitute_for", sa.String(length=200), nullable=False),
        sa.Column("can_decide", sa.Boolean(), nullable=False),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"],
            name=op.f("fk_meeting_attendee_meeting_id_meeting"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_meeting_attendee_organisation_id_organisation"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"],
            name=op.f("fk_meeting_attendee_contact_id_contact"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_attendee")),
    )  # fmt: skip
    for column in ("meeting_id", "organisation_id", "contact_id"):
        op.create_index(op.f(f"ix_meeting_attendee_{column}"), "meeting_attendee", [column])

    op.create_table(
        "meeting_decision",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("look_again_on", sa.Date(), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"],
            name=op.f("fk_meeting_decision_meeting_id_meeting"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_decision")),
    )  # fmt: skip
    op.create_index(op.f("ix_meeting_decision_meeting_id"), "meeting_decision", ["meeting_id"])

    op.create_table(
        "meeting_action",
        sa.Column("meeting_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("owner_name", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("responsibility_id", sa.Uuid(), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meeting.id"],
            name=op.f("fk_meeting_action_meeting_id_meeting"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_meeting_action_organisation_id_organisation"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"],
            name=op.f("fk_meeting_action_contact_id_contact"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["responsibility_id"], ["responsibility.id"],
            name=op.f("fk_meeting_action_responsibility_id_responsibility"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_action")),
    )  # fmt: skip
    op.create_index(op.f("ix_meeting_action_meeting_id"), "meeting_action", ["meeting_id"])
    op.create_index(
        op.f("ix_meeting_action_organisation_id"), "meeting_action", ["organisation_id"]
    )
    op.create_index("ix_meeting_action_open_due", "meeting_action", ["done_on", "due_on"])

    # NULL for every existing version: no agreement so far set a quorum.
    with op.batch_alter_table("agreement_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quorum", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("agreement_version", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("quorum")
    for table in ("meeting_action", "meeting_decision", "meeting_attendee", "meeting"):
        op.drop_table(table)
