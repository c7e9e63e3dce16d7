"""mail delivered after the commit with retries; one scheduler at a time

Revision ID: f3a1c5e7b9d2
Revises: c8da11ac3349
Create Date: 2026-12-10 08:00:00

The outbox keeps how many delivery attempts a message has had and when the next is due (none
once sent or given up). Messages already sent stay sent; a message whose delivery failed at its
commit counts as one attempt given up (an administrator may retry it from the outbox page); any
other unsent message is due now. ``clock_leases`` holds the lease ``flask tick`` takes so that
two schedulers never do the clock's work at once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govtrack.db

revision: str = "f3a1c5e7b9d2"
down_revision: str | None = "c8da11ac3349"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("next_attempt_at", govtrack.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            "ix_outbox_messages_due", ["sent_at", "next_attempt_at"], unique=False
        )
    outbox = sa.table(
        "outbox_messages",
        sa.column("sent_at"),
        sa.column("error", sa.Text()),
        sa.column("attempts", sa.Integer()),
        sa.column("created_at"),
        sa.column("next_attempt_at"),
    )
    op.execute(outbox.update().where(outbox.c.sent_at.is_not(None)).values(attempts=1))
    op.execute(
        outbox.update().where(outbox.c.sent_at.is_(None), outbox.c.error != "").values(attempts=1)
    )
    op.execute(
        outbox.update()
        .where(outbox.c.sent_at.is_(None), outbox.c.error == "")
        .values(next_attempt_at=outbox.c.created_at)
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.alter_column("attempts", server_default=None)

    op.create_table(
        "clock_leases",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("expires_at", govtrack.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_clock_leases")),
    )


def downgrade() -> None:
    op.drop_table("clock_leases")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_due")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("attempts")
