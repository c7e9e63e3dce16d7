"""scrutiny inquiries, recommendations, responses and updates

Revision ID: 3e5c2a7b9d10
Revises: f94fd65ce759
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db
from govtrack.core.append_only import protect, unprotect

revision: str = "3e5c2a7b9d10"
down_revision: str | None = "f94fd65ce759"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY_TABLES = ("scrutiny_responses", "scrutiny_updates", "scrutiny_events")


def upgrade() -> None:
    op.create_table(
        "scrutiny_inquiries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("terms_of_reference", sa.Text(), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("response_days", sa.Integer(), nullable=False),
        sa.Column("final_report_url", sa.String(length=500), nullable=False),
        sa.Column("final_report_filename", sa.String(length=200), nullable=False),
        sa.Column("final_report_content_type", sa.String(length=100), nullable=False),
        sa.Column("final_report_size", sa.Integer(), nullable=True),
        sa.Column("final_report_sha256", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "reported_on IS NULL OR started_on IS NULL OR reported_on >= started_on",
            name=op.f("ck_scrutiny_inquiries_dates"),
        ),
        sa.CheckConstraint("response_days > 0", name=op.f("ck_scrutiny_inquiries_response_days")),
        sa.ForeignKeyConstraint(
            ["body_id"], ["bodies.id"], name=op.f("fk_scrutiny_inquiries_body_id_bodies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_inquiries")),
    )
    with op.batch_alter_table("scrutiny_inquiries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scrutiny_inquiries_body_id"), ["body_id"], unique=False
        )

    op.create_table(
        "scrutiny_evidence_meetings",
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["scrutiny_inquiries.id"],
            name=op.f("fk_scrutiny_evidence_meetings_inquiry_id_scrutiny_inquiries"),
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_scrutiny_evidence_meetings_meeting_id_meetings"),
        ),
        sa.PrimaryKeyConstraint(
            "inquiry_id", "meeting_id", name=op.f("pk_scrutiny_evidence_meetings")
        ),
    )

    op.create_table(
        "scrutiny_recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inquiry_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("lead_officer_id", sa.Integer(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("revised_target_date", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "implemented",
                "not_implemented",
                "superseded",
                "signed_off",
                name="recommendation_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "rag",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rag_reason", sa.String(length=300), nullable=False),
        sa.Column(
            "rag_override",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="rag_override",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("rag_override_reason", sa.String(length=300), nullable=False),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("signed_off_on", sa.Date(), nullable=True),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inquiry_id"],
            ["scrutiny_inquiries.id"],
            name=op.f("fk_scrutiny_recommendations_inquiry_id_scrutiny_inquiries"),
        ),
        sa.ForeignKeyConstraint(
            ["lead_officer_id"],
            ["people.id"],
            name=op.f("fk_scrutiny_recommendations_lead_officer_id_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_recommendations")),
        sa.UniqueConstraint(
            "inquiry_id", "reference", name=op.f("uq_scrutiny_recommendations_inquiry_id_reference")
        ),
    )
    with op.batch_alter_table("scrutiny_recommendations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scrutiny_recommendations_lead_officer_id"),
            ["lead_officer_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_scrutiny_recommendations_next_review_on"),
            ["next_review_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_scrutiny_recommendations_status_rag", ["status", "rag"], unique=False
        )

    op.create_table(
        "scrutiny_addressees",
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("response_due_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_scrutiny_addressees_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["scrutiny_recommendations.id"],
            name=op.f("fk_scrutiny_addressees_recommendation_id_scrutiny_recommendations"),
        ),
        sa.PrimaryKeyConstraint(
            "recommendation_id", "partner_id", name=op.f("pk_scrutiny_addressees")
        ),
    )

    with op.batch_alter_table("scrutiny_addressees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scrutiny_addressees_response_due_on"), ["response_due_on"], unique=False
        )

    op.create_table(
        "scrutiny_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column(
            "decision",
            sa.Enum(
                "accepted",
                "accepted_in_principle",
                "partially_accepted",
                "rejected",
                name="response_decision",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision = 'accepted' OR length(reasons) > 0",
            name=op.f("ck_scrutiny_responses_reasons_unless_accepted"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_scrutiny_responses_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_scrutiny_responses_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["scrutiny_recommendations.id"],
            name=op.f("fk_scrutiny_responses_recommendation_id_scrutiny_recommendations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_responses")),
    )
    with op.batch_alter_table("scrutiny_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scrutiny_responses_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            "ix_scrutiny_responses_recommendation",
            ["recommendation_id", "partner_id"],
            unique=False,
        )

    op.create_table(
        "scrutiny_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "assessment",
            sa.Enum(
                "achieved",
                "on_track",
                "slipped",
                "not_achieved",
                name="assessment",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "not_started",
                "in_progress",
                "implemented",
                "not_implemented",
                "superseded",
                "signed_off",
                name="update_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "rag_override",
            sa.Enum(
                "blue",
                "green",
                "amber",
                "red",
                "grey",
                name="update_rag",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("rag_reason", sa.String(length=300), nullable=False),
        sa.Column("new_target_date", sa.Date(), nullable=True),
        sa.Column("slip_reason", sa.Text(), nullable=False),
        sa.Column("evidence_links", sa.Text(), nullable=False),
        sa.Column("corrects_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "assessment IS NULL OR assessment != 'slipped' OR (new_target_date IS NOT NULL AND length(slip_reason) > 0)",
            name=op.f("ck_scrutiny_updates_slipped_needs_date_and_reason"),
        ),
        sa.CheckConstraint(
            "rag_override IS NULL OR length(rag_reason) > 0",
            name=op.f("ck_scrutiny_updates_override_needs_reason"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_scrutiny_updates_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["corrects_id"],
            ["scrutiny_updates.id"],
            name=op.f("fk_scrutiny_updates_corrects_id_scrutiny_updates"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_scrutiny_updates_partner_id_partners")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["scrutiny_recommendations.id"],
            name=op.f("fk_scrutiny_updates_recommendation_id_scrutiny_recommendations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_updates")),
    )
    with op.batch_alter_table("scrutiny_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scrutiny_updates_partner_id"), ["partner_id"], unique=False
        )
        batch_op.create_index(
            "ix_scrutiny_updates_recommendation", ["recommendation_id", "on", "id"], unique=False
        )

    op.create_table(
        "scrutiny_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recommendation_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "challenge",
                "comment",
                "sign_off",
                "reopen",
                "status_change",
                "rag_change",
                name="recommendation_event_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("from_value", sa.String(length=40), nullable=False),
        sa.Column("to_value", sa.String(length=40), nullable=False),
        sa.Column("update_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("created_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_scrutiny_events_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recommendation_id"],
            ["scrutiny_recommendations.id"],
            name=op.f("fk_scrutiny_events_recommendation_id_scrutiny_recommendations"),
        ),
        sa.ForeignKeyConstraint(
            ["update_id"],
            ["scrutiny_updates.id"],
            name=op.f("fk_scrutiny_events_update_id_scrutiny_updates"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrutiny_events")),
    )
    with op.batch_alter_table("scrutiny_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_scrutiny_events_recommendation", ["recommendation_id", "on", "id"], unique=False
        )

    for table in HISTORY_TABLES:
        protect(table)


def downgrade() -> None:
    for table in HISTORY_TABLES:
        unprotect(table)
    for table in (
        "scrutiny_events",
        "scrutiny_updates",
        "scrutiny_responses",
        "scrutiny_addressees",
        "scrutiny_recommendations",
        "scrutiny_evidence_meetings",
        "scrutiny_inquiries",
    ):
        op.drop_table(table)
