"""programme: objectives, work-plan actions, milestones and their history

Revision ID: 9a1e5b3c7d40
Revises: 7f4d1c8e6a20
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db
from govtrack.core.append_only import protect, unprotect

revision: str = "9a1e5b3c7d40"
down_revision: str | None = "7f4d1c8e6a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column(
            "reporting",
            sa.Enum(
                "three_point",
                "five_point",
                name="reporting_scale",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("slip_tolerance_days", sa.Integer(), nullable=False),
        sa.Column("due_soon_days", sa.Integer(), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("due_soon_days >= 0", name=op.f("ck_programmes_due_soon_days")),
        sa.CheckConstraint(
            "slip_tolerance_days >= 0", name=op.f("ck_programmes_slip_tolerance_days")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programmes")),
        sa.UniqueConstraint("key", name=op.f("uq_programmes_key")),
    )
    op.create_table(
        "objectives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_objectives_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sa.UniqueConstraint(
            "programme_id", "number", name=op.f("uq_objectives_programme_id_number")
        ),
    )
    op.create_table(
        "milestones",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=True),
        sa.Column("workstream", sa.String(length=120), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=True),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("baseline_wording", sa.String(length=300), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=True),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "complete",
                "missed",
                "not_reported",
                name="milestone_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column(
            "rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="milestone_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rag_reason", sa.String(length=300), nullable=False),
        sa.Column("rag_since", sa.Date(), nullable=True),
        sa.Column(
            "override_confidence",
            sa.Enum(
                "green",
                "amber_green",
                "amber",
                "amber_red",
                "red",
                name="override_confidence",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("override_reason", sa.String(length=300), nullable=False),
        sa.Column("override_expires_on", sa.Date(), nullable=True),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "override_confidence IS NULL OR (length(override_reason) > 0 AND override_expires_on IS NOT NULL)",
            name=op.f("ck_milestones_override_needs_reason_and_expiry"),
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"], ["objectives.id"], name=op.f("fk_milestones_objective_id_objectives")
        ),
        sa.ForeignKeyConstraint(
            ["owner_partner_id"],
            ["partners.id"],
            name=op.f("fk_milestones_owner_partner_id_partners"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"], ["people.id"], name=op.f("fk_milestones_owner_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programmes.id"], name=op.f("fk_milestones_programme_id_programmes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestones")),
        sa.UniqueConstraint("programme_id", "key", name=op.f("uq_milestones_programme_id_key")),
    )
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestones_forecast", ["programme_id", "forecast_date"], unique=False
        )
        batch_op.create_index("ix_milestones_objective", ["objective_id", "id"], unique=False)
        batch_op.create_index(
            "ix_milestones_owner_partner", ["owner_partner_id", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_milestones_owner_person_id"), ["owner_person_id"], unique=False
        )
        batch_op.create_index(
            "ix_milestones_programme_rag", ["programme_id", "rag", "id"], unique=False
        )

    op.create_table(
        "work_plan_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("owner_partner_id", sa.Integer(), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "complete",
                name="action_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column(
            "rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="action_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rag_reason", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_work_plan_actions_objective_id_objectives"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_partner_id"],
            ["partners.id"],
            name=op.f("fk_work_plan_actions_owner_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_plan_actions")),
    )
    with op.batch_alter_table("work_plan_actions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_work_plan_actions_objective", ["objective_id", "due", "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_work_plan_actions_owner_partner_id"), ["owner_partner_id"], unique=False
        )

    op.create_table(
        "milestone_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=True),
        sa.Column("previous_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("recorded_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "previous_date IS NULL OR length(reason) > 0",
            name=op.f("ck_milestone_baselines_rebaseline_needs_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_baselines_milestone_id_milestones"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_milestone_baselines_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_baselines")),
    )
    with op.batch_alter_table("milestone_baselines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestone_baselines_milestone", ["milestone_id", "id"], unique=False
        )

    op.create_table(
        "milestone_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "created",
                "forecast",
                "actual",
                "status",
                "baseline",
                "override",
                "override_ended",
                "details",
                "progress",
                name="milestone_change_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("from_value", sa.String(length=60), nullable=False),
        sa.Column("to_value", sa.String(length=60), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("recorded_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_changes_milestone_id_milestones"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_milestone_changes_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_changes")),
    )
    with op.batch_alter_table("milestone_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestone_changes_milestone", ["milestone_id", "on", "id"], unique=False
        )

    op.create_table(
        "milestone_predecessors",
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "milestone_id != predecessor_id", name=op.f("ck_milestone_predecessors_not_itself")
        ),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_predecessors_milestone_id_milestones"),
        ),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_predecessors_predecessor_id_milestones"),
        ),
        sa.PrimaryKeyConstraint(
            "milestone_id", "predecessor_id", name=op.f("pk_milestone_predecessors")
        ),
    )
    with op.batch_alter_table("milestone_predecessors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_predecessors_predecessor_id"), ["predecessor_id"], unique=False
        )

    op.create_table(
        "milestone_rag_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column(
            "from_rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="from_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="to_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestones.id"],
            name=op.f("fk_milestone_rag_changes_milestone_id_milestones"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_rag_changes")),
    )
    with op.batch_alter_table("milestone_rag_changes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_milestone_rag_changes_milestone", ["milestone_id", "on", "id"], unique=False
        )
        batch_op.create_index("ix_milestone_rag_changes_on", ["on", "to_rag"], unique=False)

    op.create_table(
        "objective_services",
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_objective_services_objective_id_objectives"),
        ),
        sa.ForeignKeyConstraint(
            ["service_id"],
            ["pipeline_services.id"],
            name=op.f("fk_objective_services_service_id_pipeline_services"),
        ),
        sa.PrimaryKeyConstraint("objective_id", "service_id", name=op.f("pk_objective_services")),
    )
    with op.batch_alter_table("objective_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objective_services_service_id"), ["service_id"], unique=False
        )

    op.create_table(
        "objective_recommendations",
        sa.Column("objective_id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_objective_recommendations_objective_id_objectives"),
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["scrutiny_recommendations.id"],
            name=op.f("fk_objective_recommendations_recommendation_id_scrutiny_recommendations"),
        ),
        sa.PrimaryKeyConstraint(
            "objective_id", "recommendation_id", name=op.f("pk_objective_recommendations")
        ),
    )
    with op.batch_alter_table("objective_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_objective_recommendations_recommendation_id"),
            ["recommendation_id"],
            unique=False,
        )
    protect("milestone_baselines")
    protect("milestone_changes")
    protect("milestone_rag_changes")


def downgrade() -> None:
    unprotect("milestone_baselines")
    unprotect("milestone_changes")
    unprotect("milestone_rag_changes")
    with op.batch_alter_table("objective_recommendations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objective_recommendations_recommendation_id"))

    op.drop_table("objective_recommendations")
    with op.batch_alter_table("objective_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objective_services_service_id"))

    op.drop_table("objective_services")
    with op.batch_alter_table("milestone_rag_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_rag_changes_on")
        batch_op.drop_index("ix_milestone_rag_changes_milestone")

    op.drop_table("milestone_rag_changes")
    with op.batch_alter_table("milestone_predecessors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_predecessors_predecessor_id"))

    op.drop_table("milestone_predecessors")
    with op.batch_alter_table("milestone_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_changes_milestone")

    op.drop_table("milestone_changes")
    with op.batch_alter_table("milestone_baselines", schema=None) as batch_op:
        batch_op.drop_index("ix_milestone_baselines_milestone")

    op.drop_table("milestone_baselines")
    with op.batch_alter_table("work_plan_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_work_plan_actions_owner_partner_id"))
        batch_op.drop_index("ix_work_plan_actions_objective")

    op.drop_table("work_plan_actions")
    with op.batch_alter_table("milestones", schema=None) as batch_op:
        batch_op.drop_index("ix_milestones_programme_rag")
        batch_op.drop_index(batch_op.f("ix_milestones_owner_person_id"))
        batch_op.drop_index("ix_milestones_owner_partner")
        batch_op.drop_index("ix_milestones_objective")
        batch_op.drop_index("ix_milestones_forecast")

    op.drop_table("milestones")
    op.drop_table("objectives")
    op.drop_table("programmes")
