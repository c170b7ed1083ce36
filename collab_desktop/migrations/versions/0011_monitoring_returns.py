"""Monitoring returns (issue 13): return templates and their indicators, returns (every
version kept), their figures and the lead's queries.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
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
        "return_template",
        sa.Column("collaboration_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("period_kind", sa.String(length=20), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("due_dates", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["collaboration_id"], ["collaboration.id"],
            name=op.f("fk_return_template_collaboration_id_collaboration"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["organisation.id"],
            name=op.f("fk_return_template_lead_id_organisation"), ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_template")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_return_template_collaboration_id"), "return_template", ["collaboration_id"]
    )
    op.create_index(op.f("ix_return_template_lead_id"), "return_template", ["lead_id"])

    op.create_table(
        "template_indicator",
        sa.Column("template_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.String(length=60), nullable=False),
        sa.Column("breakdowns", sa.Text(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["template_id"], ["return_template.id"],
            name=op.f("fk_template_indicator_template_id_return_template"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_template_indicator")),
        sa.UniqueConstraint("template_id", "code", name=op.f("uq_template_indicator_template_id")),
    )  # fmt: skip
    op.create_index(
        op.f("ix_template_indicator_template_id"), "template_indicator", ["template_id"]
    )

    op.create_table(
        "monitoring_return",
        sa.Column("collaboration_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("template_version", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("signed_off_by", sa.String(length=200), nullable=False),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("problems", sa.Text(), nullable=False),
        sa.Column("case_study", sa.Text(), nullable=False),
        sa.Column("notices", sa.Text(), nullable=False),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["collaboration_id"], ["collaboration.id"],
            name=op.f("fk_monitoring_return_collaboration_id_collaboration"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisation.id"],
            name=op.f("fk_monitoring_return_organisation_id_organisation"), ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["template_id"], ["return_template.id"],
            name=op.f("fk_monitoring_return_template_id_return_template"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitoring_return")),
        sa.UniqueConstraint(
            "collaboration_id", "organisation_id", "period_start", "version",
            name=op.f("uq_monitoring_return_collaboration_id"),
        ),
    )  # fmt: skip
    for column in ("collaboration_id", "organisation_id", "template_id", "period_start"):
        op.create_index(op.f(f"ix_monitoring_return_{column}"), "monitoring_return", [column])

    op.create_table(
        "return_figure",
        sa.Column("return_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("breakdown", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["return_id"], ["monitoring_return.id"],
            name=op.f("fk_return_figure_return_id_monitoring_return"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_figure")),
        sa.UniqueConstraint(
            "return_id", "code", "breakdown", name=op.f("uq_return_figure_return_id")
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_return_figure_return_id"), "return_figure", ["return_id"])

    op.create_table(
        "return_query",
        sa.Column("return_id", sa.Uuid(), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("asked_by", sa.String(length=200), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        *_keyed(),
        sa.ForeignKeyConstraint(
            ["return_id"], ["monitoring_return.id"],
            name=op.f("fk_return_query_return_id_monitoring_return"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_query")),
    )  # fmt: skip
    op.create_index(op.f("ix_return_query_return_id"), "return_query", ["return_id"])


def downgrade() -> None:
    for table in (
        "return_query", "return_figure", "monitoring_return", "template_indicator",
        "return_template",
    ):  # fmt: skip
        op.drop_table(table)
