"""Audit entries turned into what a reader wants: labelled fields, names instead of ids, the
labels the pages use instead of stored codes, dates and numbers as the pages print them."""

from __future__ import annotations

import enum
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import select

from govtrack.core.capabilities import registered
from govtrack.core.dates import local_moment, long_date
from govtrack.core.enums import LabelledEnum
from govtrack.core.models import AuditEntry
from govtrack.core.text import cited, number
from govtrack.db import Base, db


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
    subject: str  # the kind of record, in words ("Pipeline service")


_CODE = re.compile(r"[a-z]+(_[a-z]+)*")
# Words a field name spells that the pages write otherwise.
_WORDS = {"rag": "RAG", "csc": "CSC", "url": "web address", "sha256": "file fingerprint"}


def _list_references() -> dict[str, type]:
    """Fields that hold a list of ids, and the model whose names to show instead, as each
    capability registers them (single-id fields are found from the models' foreign keys)."""
    return {
        field: model
        for capability in registered()
        for field, model in capability.history_references.items()
    }


def _names() -> dict[type, Callable[[Any], str]]:
    return {
        model: name
        for capability in registered()
        for model, name in capability.history_names.items()
    }


@cache
def _audited() -> dict[str, Any]:
    """Each audited model's mapper, by its subject type."""
    return {
        m.class_.__audit_subject__: m
        for m in Base.registry.mappers
        if getattr(m.class_, "__audit_subject__", None)
    }


@cache
def _table_models() -> dict[str, type]:
    return {m.local_table.name: m.class_ for m in Base.registry.mappers}


def _column(subject: str, field: str) -> Any:
    mapper = _audited().get(subject)
    return None if mapper is None else mapper.columns.get(field)


def _enum_of(subject: str, field: str) -> type[enum.Enum] | None:
    column = _column(subject, field)
    type_ = getattr(column, "type", None)
    return getattr(type_, "enum_class", None)


def _referenced(subject: str, field: str) -> type | None:
    model = _list_references().get(field)
    if model is not None:
        return model
    column = _column(subject, field)
    for key in getattr(column, "foreign_keys", ()) or ():
        return _table_models().get(key.column.table.name)
    return None


@cache
def _all_labels() -> dict[str, str]:
    """Every stored code of every labelled set whose label is the same wherever it is used,
    for values kept in a JSON column (a service's delivery mechanisms)."""
    seen: dict[str, set[str]] = defaultdict(set)
    pending = list(LabelledEnum.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        for member in cls:
            seen[member.value].add(member.label)
    return {value: labels.pop() for value, labels in seen.items() if len(labels) == 1}


def _name_of(model: type, record: Any, names: dict[type, Callable[[Any], str]]) -> str:
    if model in names:
        return names[model](record)
    for attr in (getattr(model, "__history_label__", None), "name", "title", "reference"):
        if attr and isinstance(getattr(record, attr, None), str):
            return getattr(record, attr)
    return "a record since removed"


def _label(field: str) -> str:
    if field.endswith("_ids"):
        field = field[:-4] + "s"
    elif field.endswith("_id"):
        field = field[:-3]
    if field.endswith("_on"):
        field = field[:-3] + " date"
    words = [_WORDS.get(word, word) for word in field.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _display(subject: str, field: str, value: Any, names: dict[tuple[type, int], str]) -> str:
    if value is None or value == "" or value == {} or value == []:
        return "(none)"
    model = _referenced(subject, field)
    if model is not None:
        ids = value if isinstance(value, list) else [value]
        return "; ".join(names.get((model, i), str(i)) for i in ids)
    labels = _all_labels()
    if isinstance(value, dict):  # a JSON column, such as a service's delivery mechanisms
        return "; ".join(
            f"{labels.get(key, key)}: {labels.get(item, item) if isinstance(item, str) else item}"
            for key, item in value.items()
        )
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    enum_cls = _enum_of(subject, field)
    if enum_cls is not None:
        return _enum_display(enum_cls, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, str) and field.endswith(("_on", "date", "_at", "_until")):
        return _day_or_moment(field, value)
    if isinstance(value, str) and _CODE.fullmatch(value) and value in labels:
        # A code kept as text (an event's "from" and "to"): the label it has wherever it is used.
        return labels[value]
    return cited(str(value))


def _enum_display(enum_cls: type, value: Any) -> str:
    try:
        member = enum_cls(value)
    except ValueError:
        return str(value)
    numbered = getattr(member, "numbered", None)
    return numbered if isinstance(numbered, str) else getattr(member, "label", str(value))


def _day_or_moment(field: str, value: str) -> str:
    """A date or a moment kept as ISO text, in words (the text itself if it is neither)."""
    if field.endswith(("_at", "_until")):
        try:
            return local_moment(datetime.fromisoformat(value))
        except ValueError:
            pass
    try:
        return long_date(date.fromisoformat(value))
    except ValueError:
        return value


def subject_label(subject_type: str) -> str:
    """The kind of record an audit entry is about, in words."""
    return _label(subject_type)


def describe_history(entries: list[AuditEntry]) -> list[HistoryLine]:
    """Resolve referenced ids in one query per kind of record, whatever the number of entries."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for entry in entries:
        for field, pair in entry.changes.items():
            model = _referenced(entry.subject_type, field)
            if model is None:
                continue
            for value in pair:
                values = value if isinstance(value, list) else [value]
                wanted[model].update(v for v in values if isinstance(v, int))
    names: dict[tuple[type, int], str] = {}
    registered_names = _names()
    for model, ids in wanted.items():
        for record in db.session.scalars(select(model).where(model.id.in_(ids))):
            names[(model, record.id)] = _name_of(model, record, registered_names)
    lines = []
    for entry in entries:
        subject = entry.subject_type
        changes = [
            Change(
                _label(field),
                _display(subject, field, before, names),
                _display(subject, field, after, names),
            )
            for field, (before, after) in entry.changes.items()
        ]
        lines.append(
            HistoryLine(
                entry=entry,
                when=local_moment(entry.at),
                changes=changes,
                subject=subject_label(subject),
            )
        )
    return lines
