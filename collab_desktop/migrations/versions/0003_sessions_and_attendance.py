"""Activities and their sessions, participants, enrolments, attendance and who led each
session; volunteers and their clearances.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "participant",
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant")),
    )
    with op.batch_alter_table("participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_display_name"), ["display_name"], unique=False
        )

    op.create_table(
        "activity",
        sa.Column("collaboration_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("frequency", sa.String(length=20), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("name_printing", sa.String(length=20), nullable=False),
        sa.Column("spare_rows", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collaboration_id"],
            ["collaboration.id"],
            name=op.f("fk_activity_collaboration_id_collaboration"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_collaboration_id"), ["collaboration_id"], unique=False
        )

    op.create_table(
        "volunteer",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("induction_on", sa.Date(), nullable=True),
        sa.Column("training", sa.Text(), nullable=False),
        sa.Column("training_on", sa.Date(), nullable=True),
        sa.Column("risk_assessed_on", sa.Date(), nullable=True),
        sa.Column("risk_reviewer", sa.String(length=200), nullable=False),
        sa.Column("risk_review_due", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_volunteer_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volunteer")),
        sa.UniqueConstraint("contact_id", name=op.f("uq_volunteer_contact_id")),
    )
    op.create_table(
        "activity_session",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("scheduled_on", sa.Date(), nullable=True),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("cancel_reason", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_activity_session_activity_id_activity"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_session")),
        sa.UniqueConstraint("activity_id", "on", name=op.f("uq_activity_session_activity_id")),
    )
    with op.batch_alter_table("activity_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activity_session_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activity_session_on"), ["on"], unique=False)

    op.create_table(
        "clearance",
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("site", sa.String(length=200), nullable=False),
        sa.Column("certificate_number", sa.String(length=60), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteer.id"],
            name=op.f("fk_clearance_volunteer_id_volunteer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clearance")),
    )
    with op.batch_alter_table("clearance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clearance_volunteer_id"), ["volunteer_id"], unique=False
        )

    op.create_table(
        "enrolment",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=True),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_enrolment_activity_id_activity"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_enrolment_participant_id_participant"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("activity_id", "participant_id", name=op.f("uq_enrolment_activity_id")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enrolment_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "facilitator",
        sa.Column("activity_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activity.id"],
            name=op.f("fk_facilitator_activity_id_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_facilitator_contact_id_contact"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facilitator")),
        sa.UniqueConstraint("activity_id", "contact_id", name=op.f("uq_facilitator_activity_id")),
    )
    with op.batch_alter_table("facilitator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_facilitator_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_facilitator_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_attendance_participant_id_participant"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_attendance_session_id_activity_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("session_id", "participant_id", name=op.f("uq_attendance_session_id")),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "session_leader",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_session_leader_contact_id_contact"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["activity_session.id"],
            name=op.f("fk_session_leader_session_id_activity_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_leader")),
        sa.UniqueConstraint("session_id", "contact_id", name=op.f("uq_session_leader_session_id")),
    )
    with op.batch_alter_table("session_leader", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_leader_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_session_leader_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    # Indexes go with their tables. Children first: foreign keys are on.
    op.drop_table("session_leader")
    op.drop_table("attendance")
    op.drop_table("facilitator")
    op.drop_table("enrolment")
    op.drop_table("clearance")
    op.drop_table("activity_session")
    op.drop_table("volunteer")
    op.drop_table("activity")
    op.drop_table("participant")
