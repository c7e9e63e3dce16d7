"""rule versions may hide the running tally and electronic votes until a decision closes

Revision ID: e5f7a9b1c3d4
Revises: d4e6f8a0b2c3
Create Date: 2026-12-06 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e5f7a9b1c3d4"
down_revision: str | None = "d4e6f8a0b2c3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # ADD COLUMN only (no batch rebuild), so the append-only triggers on the table stay. Every
    # version recorded so far keeps the tally open, as before.
    op.add_column(
        "decision_rule_versions",
        sa.Column(
            "hide_tally_until_closed", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )


def downgrade() -> None:
    op.drop_column("decision_rule_versions", "hide_tally_until_closed")
