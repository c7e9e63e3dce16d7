"""dashboards: what the programme dashboards need to store

Revision ID: b2c4d6e8f012
Revises: 9a1e5b3c7d40
Create Date: 2026-11-30 03:00:00
"""

from collections.abc import Sequence

revision: str = "b2c4d6e8f012"
down_revision: str | None = "9a1e5b3c7d40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
