"""The collections of the Popolo export: for each, one page of its records (a fixed number of
queries however many there are), limited to what the caller may see on the site, and the
serializer that turns a record into its Popolo object.

A new kind of record (motions, vote events, votes) is one more ``Collection`` in
``COLLECTIONS``: its route, its entry in the index and its schema check follow from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm import joinedload

from govtrack.core.pagination import Page, paginate
from govtrack.db import db
from govtrack.meetings.models import AgendaStatus, Meeting
from govtrack.popolo import serializers
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.permissions import can_view_people
from govtrack.registry.services import current_on


@dataclass(frozen=True)
class Collection:
    name: str  # the URL segment and the endpoint: /api/popolo/<name>
    schema: str  # the Popolo schema its objects follow, e.g. "organization"
    description: str  # what is in it, as the index says
    page: Callable[[Any, date, int, int], Page[Any]]  # (user, today, page, per_page) -> records
    serialize: Callable[[Any, date], dict[str, Any]]  # (record, today) -> Popolo object

    @property
    def schema_url(self) -> str:
        return f"{serializers.SCHEMA_BASE}{self.schema}.json#"


def organizations_page(_user: Any, _today: date, page: int, per_page: int) -> Page[Any]:
    """Partners (by id), then governance bodies (by id), paged as one list."""
    kinds = union_all(
        select(literal_column("0").label("kind"), Partner.id.label("id")),
        select(literal_column("1").label("kind"), Body.id.label("id")),
    ).subquery()
    stmt = select(kinds.c.kind, kinds.c.id).order_by(kinds.c.kind, kinds.c.id)
    keys = paginate(stmt, page, per_page, scalars=False)
    # Both are loaded even when the page holds only one kind, so every page costs the same.
    partner_ids = [record_id for kind, record_id in keys.items if kind == 0]
    body_ids = [record_id for kind, record_id in keys.items if kind == 1]
    partners = {
        p.id: p for p in db.session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))
    }
    bodies = {b.id: b for b in db.session.scalars(select(Body).where(Body.id.in_(body_ids)))}
    items = [
        partners[record_id] if kind == 0 else bodies[record_id] for kind, record_id in keys.items
    ]
    return Page(items=items, page=keys.page, per_page=keys.per_page, total=keys.total)


def persons_page(user: Any, today: date, page: int, per_page: int) -> Page[Person]:
    """Everyone for signed-in users; for the public, the people with a current membership
    (whom the bodies' pages name)."""
    stmt = select(Person).order_by(Person.id)
    if not can_view_people(user):
        seated = select(Membership.id).where(Membership.person_id == Person.id, current_on(today))
        stmt = stmt.where(seated.exists())
    return paginate(stmt, page, per_page)


def memberships_page(user: Any, today: date, page: int, per_page: int) -> Page[Membership]:
    """Every membership for signed-in users; current ones only for the public, as the
    registry's pages show them."""
    stmt = select(Membership).order_by(Membership.id)
    if not can_view_people(user):
        stmt = stmt.where(current_on(today))
    return paginate(stmt, page, per_page)


def events_page(_user: Any, _today: date, page: int, per_page: int) -> Page[Meeting]:
    """Meetings with a published agenda, for everyone (drafts are never open data)."""
    stmt = (
        select(Meeting)
        .where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
        .options(joinedload(Meeting.body))
        .order_by(Meeting.held_on, Meeting.id)
    )
    return paginate(stmt, page, per_page)


COLLECTIONS: list[Collection] = [
    Collection(
        name="organizations",
        schema="organization",
        description=(
            "The partners (classification council, contractor or other; ids partner-N) and "
            "the governance bodies (classification the kind of body, parent_id the body it "
            "sits under; ids body-N)."
        ),
        page=organizations_page,
        serialize=lambda record, _today: serializers.organization(record),
    ),
    Collection(
        name="persons",
        schema="person",
        description=(
            "People, by name only. Without signing in: the people with a current membership "
            "of a body. Signed in: everyone in the registry."
        ),
        page=persons_page,
        serialize=lambda record, _today: serializers.person(record),
    ),
    Collection(
        name="memberships",
        schema="membership",
        description=(
            "Seats on bodies: organization_id is the body, on_behalf_of_id the partner "
            "represented. Without signing in: current memberships only. Signed in: current, "
            "past and future ones."
        ),
        page=memberships_page,
        serialize=lambda record, _today: serializers.membership(record),
    ),
    Collection(
        name="events",
        schema="event",
        description=(
            "Meetings whose agenda has been published (ids meeting-N; organization_id is the "
            "body). start_date is the day, or the UK local time with its offset when known."
        ),
        page=events_page,
        serialize=serializers.event,
    ),
]
