"""index update corrections: finding whether an update has been corrected uses an index

Revision ID: d4e6f8a0b2c3
Revises: c3d5e7f9a1b2
Create Date: 2026-11-30 05:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "d4e6f8a0b2c3"
down_revision: str | None = "c3d5e7f9a1b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # CREATE INDEX only (no table rebuild), so the append-only triggers on scrutiny_updates stay.
    op.create_index("ix_scrutiny_updates_corrects", "scrutiny_updates", ["corrects_id"])


def downgrade() -> None:
    op.drop_index("ix_scrutiny_updates_corrects", table_name="scrutiny_updates")
