"""supplementary agenda items and the agenda's contact: when a late item was added, why it is
urgent, and who to ask about the meeting

Revision ID: 7b3e9c2d5f61
Revises: e5f7a9b1c3d4
Create Date: 2026-12-07 09:00:00

An item added once the agenda is published is a late (supplementary) item: LGA 1972
s.100B(4)(b) lets the meeting take it only as a matter of urgency, for reasons minuted. The
printed agenda's front sheet names a contact for the meeting.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7b3e9c2d5f61"
down_revision: str | None = "e5f7a9b1c3d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("agenda_items", sa.Column("added_late_on", sa.Date(), nullable=True))
    op.add_column(
        "agenda_items",
        sa.Column("urgency_reason", sa.Text(), nullable=False, server_default=""),
    )
    op.add_column(
        "meetings",
        sa.Column("contact", sa.String(length=300), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch_op:
        batch_op.drop_column("contact")
    with op.batch_alter_table("agenda_items") as batch_op:
        batch_op.drop_column("urgency_reason")
        batch_op.drop_column("added_late_on")
