"""Reading the audit log."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from govtrack.core.models import AuditEntry
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.db import db

AUDIT_SORTS = {
    "at": AuditEntry.id,
    "actor": AuditEntry.actor_label,
    "subject": AuditEntry.subject_type,
}


def list_audit_entries(req: ListRequest, per_page: int) -> Page[AuditEntry]:
    stmt: Select = select(AuditEntry)
    if subject := req.filters.get("subject"):
        stmt = stmt.where(AuditEntry.subject_type == subject)
    if actor := req.filters.get("actor"):
        stmt = stmt.where(
            func.lower(AuditEntry.actor_label).contains(actor.lower(), autoescape=True)
        )
    return paginate(order_by_choice(stmt, req, AUDIT_SORTS), req.page, per_page)


def subject_types() -> list[str]:
    stmt = select(AuditEntry.subject_type).distinct().order_by(AuditEntry.subject_type)
    return list(db.session.scalars(stmt))
