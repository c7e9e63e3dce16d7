"""recommendation override expiry: a RAG override on a recommendation stands until a date

Revision ID: c3d5e7f9a1b2
Revises: b2c4d6e8f012
Create Date: 2026-11-30 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c3d5e7f9a1b2"
down_revision: str | None = "b2c4d6e8f012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild), so the append-only triggers on scrutiny_updates stay.
    op.add_column("scrutiny_updates", sa.Column("rag_override_until", sa.Date(), nullable=True))
    op.add_column(
        "scrutiny_recommendations", sa.Column("rag_override_until", sa.Date(), nullable=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("scrutiny_recommendations") as batch_op:
        batch_op.drop_column("rag_override_until")
    # scrutiny_updates is append-only history; dropping the column rebuilds it on SQLite.
    from govtrack.core.append_only import protect, unprotect

    unprotect("scrutiny_updates")
    with op.batch_alter_table("scrutiny_updates") as batch_op:
        batch_op.drop_column("rag_override_until")
    protect("scrutiny_updates")
