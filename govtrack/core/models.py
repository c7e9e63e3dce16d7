"""The core's own records: the append-only audit log (who changed what, when, with the values
before and after), the outbox of e-mails govtrack sends, and the leases that let one scheduler
at a time do the clock's work."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from govtrack.core.rules import Delivery, MailState, mail_state
from govtrack.db import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """One change to one record. Rows are inserted and never updated or deleted."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_subject", "subject_type", "subject_id", "id"),
        Index("ix_audit_entries_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Kept as text too, so the entry still reads right if the account is renamed.
    actor_label: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column()
    summary: Mapped[str] = mapped_column(String(300))
    # {field: [before, after]}; for a creation "before" is null.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OutboxMessage(Base):
    """An e-mail govtrack sends (or, in development, writes to the console), written in the
    transaction that asked for it and delivered after its commit by ``core.mail.deliver_due``,
    with retries (``core.rules.mail_retry``); shown on the outbox page."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "sent_at", "next_attempt_at"),)
    __audit_subject__ = "outbox_message"
    __audit_fields__ = ("attempts", "next_attempt_at", "sent_at", "error")

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last delivery attempt's error ("" once sent or before any attempt).
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # When the next attempt is due; None once sent or given up (an administrator may retry).
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def state(self) -> MailState:
        return mail_state(Delivery(self.sent_at is not None, self.attempts, self.next_attempt_at))


class ClockLease(Base):
    """Who is doing a named piece of scheduled work (``flask tick``) and until when: a second
    scheduler finds the lease held and does nothing. A crashed holder's lease lapses."""

    __tablename__ = "clock_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
