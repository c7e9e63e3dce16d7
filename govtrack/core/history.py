"""Audit entries turned into what a reader wants: labelled fields, names instead of ids."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from govtrack.core.dates import local_moment, long_date
from govtrack.core.models import AuditEntry
from govtrack.db import db


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    when: str
    changes: list[Change]


def _reference_models() -> dict[str, Any]:
    """Fields that hold an id, and the model whose name to show instead."""
    from govtrack.auth.models import User
    from govtrack.pipeline.models import Directorate
    from govtrack.registry.models import Body, Partner, Person

    return {
        "directorate_id": Directorate,
        "partner_id": Partner,
        "host_partner_id": Partner,
        "person_id": Person,
        "lead_officer_id": Person,
        "body_id": Body,
        "parent_id": Body,
        "user_id": User,
    }


def _label(field: str) -> str:
    if field.endswith("_id"):
        field = field[:-3]
    if field.endswith("_on"):
        field = field[:-3] + " date"
    return field.replace("_", " ").capitalize()


def _display(field: str, value: Any, names: dict[tuple[str, int], str]) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "(none)"
    if isinstance(value, dict):  # a JSON column, such as a service's delivery mechanisms
        return "; ".join(f"{key}: {item}" for key, item in value.items())
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if (field, value) in names:
        return names[(field, value)]
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and field.endswith("_on"):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, str) and field.endswith("_at"):
        try:
            return local_moment(datetime.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


def describe_history(entries: list[AuditEntry]) -> list[HistoryLine]:
    """Resolve referenced ids in one query per kind of record, whatever the number of entries."""
    refs = _reference_models()
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        for field, pair in entry.changes.items():
            if field in refs:
                wanted[field].update(v for v in pair if isinstance(v, int))
    names: dict[tuple[str, int], str] = {}
    for field, ids in wanted.items():
        model = refs[field]
        # A model may name the column that reads best (a directorate's code); else its name.
        label = getattr(model, "__history_label__", "name")
        for record_id, name in db.session.execute(
            select(model.id, getattr(model, label)).where(model.id.in_(ids))
        ):
            names[(field, record_id)] = name
    lines = []
    for entry in entries:
        changes = [
            Change(_label(field), _display(field, before, names), _display(field, after, names))
            for field, (before, after) in entry.changes.items()
        ]
        lines.append(HistoryLine(entry=entry, when=local_moment(entry.at), changes=changes))
    return lines
