"""Reading the outbox: every e-mail govtrack sent, or tried to send."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from govtrack.core.models import OutboxMessage
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate

# Newest first is by id: ids follow creation and, unlike a timestamp, never tie.
OUTBOX_SORTS = {"created": OutboxMessage.id}


def list_messages(req: ListRequest, per_page: int) -> Page[OutboxMessage]:
    stmt: Select = select(OutboxMessage)
    if recipient := req.filters.get("recipient"):
        stmt = stmt.where(
            func.lower(OutboxMessage.recipient).contains(recipient.lower(), autoescape=True)
        )
    return paginate(order_by_choice(stmt, req, OUTBOX_SORTS), req.page, per_page)
