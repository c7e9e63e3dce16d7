"""scrutiny inquiries, recommendations, responses and updates

Revision ID: 3e5c2a7b9d10
Revises: f94fd65ce759
Create Date: 2026-11-30 02:00:00
"""

from collections.abc import Sequence

revision: str = "3e5c2a7b9d10"
down_revision: str | None = "f94fd65ce759"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
