"""programme: objectives, work-plan actions, milestones and their history

Revision ID: 9a1e5b3c7d40
Revises: 7f4d1c8e6a20
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

revision: str = "9a1e5b3c7d40"
down_revision: str | None = "7f4d1c8e6a20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
