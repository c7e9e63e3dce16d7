"""The one audit writer. Services call it in the same transaction as the change they record."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from govtrack.core.models import AuditEntry
from govtrack.db import db


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or remove a history row."""


class HistoryRow:
    """Mixin for rows that are history: inserted, never updated or deleted."""


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: Any) -> dict[str, Any]:
    """The audited fields of a record as plain JSON values (``__audit_fields__`` on the model)."""
    return {name: _plain(getattr(obj, name)) for name in obj.__audit_fields__}


def subject_type_of(obj: Any) -> str:
    return obj.__audit_subject__


def actor_fields(actor: Any) -> tuple[int | None, str]:
    """The actor's id (None for the system) and a label that reads right for ever."""
    if actor is None:
        return None, "system"
    return actor.id, f"{actor.name} <{actor.email}>"


def record(
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry | None:
    """Write one audit entry for ``obj``; an update that changed nothing writes nothing."""
    session = db.session
    session.flush()  # the subject needs its id
    row = entry_for(actor, action, obj, summary, before, after)
    if row is None:
        return None
    entry = AuditEntry(**row)
    session.add(entry)
    return entry


def entry_for(
    actor: Any,
    action: str,
    obj: Any,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """The audit entry ``record`` writes, as the row's values: for a bulk write, whose entries
    are inserted together (``record_all``) once the subjects have their ids. ``obj`` must have
    its id; an update that changed nothing gives None."""
    before = before or {}
    after = after if after is not None else snapshot(obj)
    changes = {
        key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)
    }
    if action == "update" and not changes:
        return None
    actor_id, actor_label = actor_fields(actor)
    return {
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "subject_type": subject_type_of(obj),
        "subject_id": obj.id,
        "summary": summary[:300],
        "changes": changes,
    }


def record_all(rows: Iterable[dict[str, Any] | None]) -> None:
    """Write the entries of a bulk write (``entry_for``) in their order, in one batch (they
    are history: nothing refers to their ids, so none are asked back)."""
    wanted = [row for row in rows if row is not None]
    if wanted:
        db.session.flush()
        db.session.execute(insert(AuditEntry), wanted)


def history_of(subject_type: str, subject_ids: Iterable[int]) -> list[AuditEntry]:
    """Every audit entry about the given records, newest first."""
    ids = list(subject_ids)
    stmt = (
        select(AuditEntry)
        .where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id.in_(ids))
        .order_by(AuditEntry.id.desc())
    )
    return list(db.session.scalars(stmt))


@event.listens_for(Session, "before_flush")
def _refuse_history_changes(session: Session, _context, _instances) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry | HistoryRow) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise AppendOnlyError(f"{type(obj).__name__} rows are history and cannot change")
