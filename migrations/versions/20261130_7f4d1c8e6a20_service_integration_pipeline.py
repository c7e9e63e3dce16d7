"""service-integration pipeline: services, stages, transitions, mechanisms

Revision ID: 7f4d1c8e6a20
Revises: 3e5c2a7b9d10
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence

revision: str = "7f4d1c8e6a20"
down_revision: str | None = "3e5c2a7b9d10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
