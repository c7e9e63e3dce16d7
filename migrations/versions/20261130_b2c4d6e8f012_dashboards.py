"""dashboards: reporting periods and daily RAG observations

Revision ID: b2c4d6e8f012
Revises: 9a1e5b3c7d40
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db
from govtrack.core.append_only import protect, unprotect

revision: str = "b2c4d6e8f012"
down_revision: str | None = "9a1e5b3c7d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporting_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ends_on >= starts_on", name=op.f("ck_reporting_periods_ends_after_start")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programmes.id"],
            name=op.f("fk_reporting_periods_programme_id_programmes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_periods")),
    )
    with op.batch_alter_table("reporting_periods", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reporting_periods_ends_on"), ["ends_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_reporting_periods_programme_id"), ["programme_id"], unique=False
        )
    op.create_table(
        "rag_observations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=40), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column(
            "rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="observed_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("recorded_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("count >= 0", name=op.f("ck_rag_observations_count_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rag_observations")),
        sa.UniqueConstraint("area", "on", "rag", name=op.f("uq_rag_observations_area_on_rag")),
    )
    with op.batch_alter_table("rag_observations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rag_observations_on"), ["on"], unique=False)

    # The clock's observations are history: never updated or deleted, even by raw SQL.
    protect("rag_observations")


def downgrade() -> None:
    unprotect("rag_observations")
    with op.batch_alter_table("rag_observations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rag_observations_on"))
    op.drop_table("rag_observations")
    with op.batch_alter_table("reporting_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_periods_programme_id"))
        batch_op.drop_index(batch_op.f("ix_reporting_periods_ends_on"))
    op.drop_table("reporting_periods")
