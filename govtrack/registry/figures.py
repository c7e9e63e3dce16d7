"""What the registry tells the pages that read it across (the dashboards, the programme):
partners, bodies and people as plain summaries, each answer one query however many are asked
for. They read the registry through these and never its tables, so the registry's models can
change without them (the import-linter contract "Programme and the dashboards read other
capabilities through their figures, not their tables" holds them to it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Integer, String, cast, literal_column, null, select, union_all

from govtrack.db import db
from govtrack.registry.models import Body, Partner, Person


@dataclass(frozen=True)
class PartnerSummary:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class BodySummary:
    id: int
    name: str


@dataclass(frozen=True)
class PersonSummary:
    id: int
    name: str
    partner_id: int | None
    # The short code of the council the person works for ("" for none).
    partner_code: str = ""


def _partner(row: Partner) -> PartnerSummary:
    return PartnerSummary(row.id, row.name, row.code)


def partner(partner_id: int | None) -> PartnerSummary | None:
    """The partner of that id, or None (also for no id)."""
    if partner_id is None:
        return None
    row = db.session.get(Partner, partner_id)
    return _partner(row) if row is not None else None


def partners(order: Literal["name", "code"] = "name") -> list[PartnerSummary]:
    """Every partner, by name or by short code."""
    by = Partner.code if order == "code" else Partner.name
    return [_partner(p) for p in db.session.scalars(select(Partner).order_by(by))]


def partners_by_id(ids: Iterable[int | None]) -> dict[int, PartnerSummary]:
    """The partners of these ids (None and unknown ids left out), by id: one query, or none
    when no id is given."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = db.session.scalars(select(Partner).where(Partner.id.in_(wanted)))
    return {p.id: _partner(p) for p in rows}


def body(body_id: int) -> BodySummary | None:
    row = db.session.get(Body, body_id)
    return BodySummary(row.id, row.name) if row is not None else None


def bodies() -> list[BodySummary]:
    """Every governance body, by name."""
    rows = db.session.execute(select(Body.id, Body.name).order_by(Body.name))
    return [BodySummary(i, name) for i, name in rows]


def partners_and_bodies() -> tuple[list[PartnerSummary], list[BodySummary]]:
    """Every partner and every body, each by name, in one query."""
    stmt = union_all(
        select(literal_column("1", Integer).label("kind"), Partner.id, Partner.name, Partner.code),
        select(literal_column("2", Integer), Body.id, Body.name, cast(null(), String)),
    )
    found_partners, found_bodies = [], []
    for kind, record_id, name, code in db.session.execute(stmt.order_by("kind", "name")):
        if kind == 1:
            found_partners.append(PartnerSummary(record_id, name, code))
        else:
            found_bodies.append(BodySummary(record_id, name))
    return found_partners, found_bodies


def _people(where: Any, order: tuple[Any, ...] = ()) -> list[PersonSummary]:
    stmt = (
        select(Person.id, Person.name, Person.partner_id, Partner.code)
        .outerjoin(Partner, Partner.id == Person.partner_id)
        .where(where)
        .order_by(*order)
    )
    rows = db.session.execute(stmt)
    return [PersonSummary(i, name, pid, code or "") for i, name, pid, code in rows]


def person(person_id: int | None) -> PersonSummary | None:
    """The person of that id, with their council's code, or None (also for no id)."""
    if person_id is None:
        return None
    found = _people(Person.id == person_id)
    return found[0] if found else None


def people_of_partners() -> list[PersonSummary]:
    """Everyone who works for a partner, by the partner's code and then by name."""
    return _people(Person.partner_id.is_not(None), (Partner.code, Person.name))
