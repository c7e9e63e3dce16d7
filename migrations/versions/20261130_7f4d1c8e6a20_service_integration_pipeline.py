"""service-integration pipeline: services, stages, transitions, mechanisms

Revision ID: 7f4d1c8e6a20
Revises: 3e5c2a7b9d10
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db
from govtrack.core.append_only import protect, unprotect

revision: str = "7f4d1c8e6a20"
down_revision: str | None = "3e5c2a7b9d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "directorates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_directorates_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_directorates")),
        sa.UniqueConstraint("partner_id", "code", name=op.f("uq_directorates_partner_id_code")),
    )
    op.create_table(
        "pipeline_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("directorate_id", sa.Integer(), nullable=True),
        sa.Column("stage", sa.Integer(), nullable=False),
        sa.Column("partially_integrated", sa.Boolean(), nullable=False),
        sa.Column("date_integrated", sa.Date(), nullable=True),
        sa.Column("planned_integration_date", sa.Date(), nullable=True),
        sa.Column("integration_lead", sa.String(length=120), nullable=False),
        sa.Column("further_integration", sa.Text(), nullable=False),
        sa.Column("enquiries_per_month", sa.Integer(), nullable=True),
        sa.Column("head_of_service", sa.String(length=300), nullable=False),
        sa.Column("head_of_service_meeting", sa.Date(), nullable=True),
        sa.Column("head_of_service_meeting_note", sa.String(length=120), nullable=False),
        sa.Column("mechanisms", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "enquiries_per_month IS NULL OR enquiries_per_month >= 0",
            name=op.f("ck_pipeline_services_enquiries"),
        ),
        sa.CheckConstraint("stage BETWEEN 1 AND 7", name=op.f("ck_pipeline_services_stage")),
        sa.ForeignKeyConstraint(
            ["directorate_id"],
            ["directorates.id"],
            name=op.f("fk_pipeline_services_directorate_id_directorates"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_pipeline_services_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pipeline_services")),
        sa.UniqueConstraint(
            "partner_id", "name", name=op.f("uq_pipeline_services_partner_id_name")
        ),
    )
    with op.batch_alter_table("pipeline_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pipeline_services_directorate_id"), ["directorate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pipeline_services_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index("ix_pipeline_services_stage", ["stage", "name"], unique=False)

    op.create_table(
        "stage_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("moved_on", sa.Date(), nullable=False),
        sa.Column("from_stage", sa.Integer(), nullable=True),
        sa.Column("to_stage", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "from_stage IS NULL OR from_stage BETWEEN 1 AND 7",
            name=op.f("ck_stage_transitions_from_stage"),
        ),
        sa.CheckConstraint("to_stage BETWEEN 1 AND 7", name=op.f("ck_stage_transitions_to_stage")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_stage_transitions_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["pipeline_services.id"],
            name=op.f("fk_stage_transitions_service_id_pipeline_services"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_transitions")),
    )
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.create_index("ix_stage_transitions_moved_on", ["moved_on"], unique=False)
        batch_op.create_index(
            "ix_stage_transitions_service", ["service_id", "moved_on", "id"], unique=False
        )

    # Stage transitions are history: never updated or deleted, even by raw SQL.
    protect("stage_transitions")


def downgrade() -> None:
    unprotect("stage_transitions")
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_transitions_service")
        batch_op.drop_index("ix_stage_transitions_moved_on")

    op.drop_table("stage_transitions")
    with op.batch_alter_table("pipeline_services", schema=None) as batch_op:
        batch_op.drop_index("ix_pipeline_services_stage")
        batch_op.drop_index(batch_op.f("ix_pipeline_services_partner_id"))
        batch_op.drop_index(batch_op.f("ix_pipeline_services_directorate_id"))

    op.drop_table("pipeline_services")
    op.drop_table("directorates")
