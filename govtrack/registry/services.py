"""Use-cases for the registry: list, create and edit partners, people, bodies, memberships.

Each checks the permission and the rules, writes, audits, and only flushes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload

from govtrack.auth.models import User
from govtrack.core.dates import long_date
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.core.permissions import ensure
from govtrack.core.records import create_record, raise_if, update_record
from govtrack.db import db
from govtrack.registry import rules
from govtrack.registry.enums import BodyKind, Jurisdiction, LegalForm, MembershipRole, PartnerKind
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.permissions import can_manage_registry

PARTNER_SORTS = {
    "name": Partner.name,
    "code": Partner.code,
    "kind": Partner.kind,
    "joined": Partner.joined_on,
    "_id": Partner.id,
}
PERSON_SORTS = {
    "name": Person.name,
    "title": Person.title,
    "partner": Partner.code,
    "_id": Person.id,
}
BODY_SORTS = {"name": Body.name, "kind": Body.kind, "host": Partner.code, "_id": Body.id}
MEMBERSHIP_SORTS = {
    "person": Person.name,
    "body": Body.name,
    "partner": Partner.code,
    "role": Membership.role,
    "from": Membership.start_on,
    "to": Membership.end_on,
    "_id": Membership.id,
}


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _enum_or_none(enum_cls, value: str | None):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def current_on(day: date):
    """SQL condition: the membership runs on ``day`` (open ends run for ever)."""
    return and_(
        or_(Membership.start_on.is_(None), Membership.start_on <= day),
        or_(Membership.end_on.is_(None), Membership.end_on >= day),
    )


# Partners ---------------------------------------------------------------------------------


def list_partners(req: ListRequest, per_page: int, today: date) -> Page[Partner]:
    stmt: Select = select(Partner)
    if q := req.filters.get("q"):
        stmt = stmt.where(
            or_(
                func.lower(Partner.name).like(_like(q), escape="\\"),
                func.lower(Partner.code).like(_like(q), escape="\\"),
            )
        )
    if kind := _enum_or_none(PartnerKind, req.filters.get("kind")):
        stmt = stmt.where(Partner.kind == kind)
    status = req.filters.get("status")
    if status == "current":
        stmt = stmt.where(or_(Partner.left_on.is_(None), Partner.left_on >= today))
    elif status == "left":
        stmt = stmt.where(Partner.left_on < today)
    return paginate(order_by_choice(stmt, req, PARTNER_SORTS), req.page, per_page)


def all_partners(order: Literal["name", "code"] = "name") -> list[Partner]:
    """Every partner, by name (most lists) or by short code (programme and scrutiny)."""
    by = Partner.code if order == "code" else Partner.name
    return list(db.session.scalars(select(Partner).order_by(by)))


def _partner_problems(values: Mapping[str, Any], partner: Partner | None) -> dict[str, str | None]:
    code = values["code"]
    clash = db.session.scalar(select(Partner.id).where(func.upper(Partner.code) == code.upper()))
    return {
        "code": f"Short code {code} is already used by another partner"
        if clash is not None and (partner is None or clash != partner.id)
        else None,
        "left_on": rules.period_problem(
            values.get("joined_on"), values.get("left_on"), "Date joined", "Date left"
        ),
    }


def _clean_partner(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"].strip(),
        "code": values["code"].strip().upper(),
        "kind": PartnerKind(values["kind"]),
        "joined_on": values.get("joined_on"),
        "left_on": values.get("left_on"),
    }


def create_partner(actor: User, values: Mapping[str, Any]) -> Partner:
    ensure(can_manage_registry(actor))
    clean = _clean_partner(values)
    raise_if(_partner_problems(clean, None))
    partner = Partner(**clean)
    return create_record(actor, partner, f"Added partner {partner.code} ({partner.name})")


def update_partner(
    actor: User, partner: Partner, values: Mapping[str, Any], version: int | None
) -> Partner:
    ensure(can_manage_registry(actor, partner))
    clean = _clean_partner(values)
    raise_if(_partner_problems(clean, partner))
    return update_record(actor, partner, clean, version, f"Edited partner {clean['code']}")


def partner_representation(partner: Partner, today: date) -> list[Membership]:
    """Current seats held on behalf of the partner, with person and body loaded."""
    stmt = (
        select(Membership)
        .where(Membership.partner_id == partner.id, current_on(today))
        .options(joinedload(Membership.person), joinedload(Membership.body))
        .join(Body, Membership.body_id == Body.id)
        .join(Person, Membership.person_id == Person.id)
        .order_by(Body.name, Person.name)
    )
    return list(db.session.scalars(stmt))


# People -----------------------------------------------------------------------------------


def list_people(req: ListRequest, per_page: int) -> Page[Person]:
    stmt: Select = (
        select(Person)
        .join(Partner, Person.partner_id == Partner.id)
        .options(joinedload(Person.partner))
    )
    if q := req.filters.get("q"):
        stmt = stmt.where(
            or_(
                func.lower(Person.name).like(_like(q), escape="\\"),
                func.lower(Person.title).like(_like(q), escape="\\"),
            )
        )
    if partner_id := record_id(req.filters.get("partner")):
        stmt = stmt.where(Person.partner_id == partner_id)
    return paginate(order_by_choice(stmt, req, PERSON_SORTS), req.page, per_page)


def all_people() -> list[Person]:
    stmt = select(Person).options(joinedload(Person.partner)).order_by(Person.name)
    return list(db.session.scalars(stmt))


def own_person(user: Any) -> Person | None:
    """The person the account belongs to (None for the public and unlinked accounts)."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "id", None) is None:
        return None
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def unlinked_users(person: Person | None) -> list[User]:
    """Accounts not yet linked to a person (plus this person's own)."""
    linked = select(Person.user_id).where(Person.user_id.is_not(None))
    if person is not None:
        linked = linked.where(Person.id != person.id)
    return list(db.session.scalars(select(User).where(User.id.not_in(linked)).order_by(User.name)))


def _clean_person(values: Mapping[str, Any]) -> dict[str, Any]:
    email = (values.get("email") or "").strip().lower() or None
    return {
        "name": values["name"].strip(),
        "title": (values.get("title") or "").strip(),
        "partner_id": int(values["partner_id"]),
        "email": email,
        "user_id": values.get("user_id") or None,
    }


def _person_problems(values: Mapping[str, Any], person: Person | None) -> dict[str, str | None]:
    problems: dict[str, str | None] = {}
    if db.session.get(Partner, values["partner_id"]) is None:
        problems["partner_id"] = "Select the partner this person belongs to"
    if values["user_id"] is not None:
        if db.session.get(User, values["user_id"]) is None:
            problems["user_id"] = "Select an existing user account"
        else:
            holder = db.session.scalar(select(Person.id).where(Person.user_id == values["user_id"]))
            if holder is not None and (person is None or holder != person.id):
                problems["user_id"] = "That user account is already linked to another person"
    return problems


def create_person(actor: User, values: Mapping[str, Any]) -> Person:
    ensure(can_manage_registry(actor))
    clean = _clean_person(values)
    raise_if(_person_problems(clean, None))
    person = Person(**clean)
    return create_record(actor, person, f"Added person {person.name}")


def update_person(actor: User, person: Person, values: Mapping[str, Any], version: int | None):
    ensure(can_manage_registry(actor, person))
    clean = _clean_person(values)
    raise_if(_person_problems(clean, person))
    return update_record(actor, person, clean, version, f"Edited person {clean['name']}")


def load_person(person_id: int) -> Person | None:
    stmt = (
        select(Person)
        .where(Person.id == person_id)
        .options(joinedload(Person.partner), joinedload(Person.user))
    )
    return db.session.scalar(stmt)


# Bodies -----------------------------------------------------------------------------------


def _current_member_counts(today: date):
    return (
        select(Membership.body_id, func.count(Membership.id).label("members"))
        .where(current_on(today))
        .group_by(Membership.body_id)
        .subquery()
    )


def list_bodies(req: ListRequest, per_page: int, today: date) -> Page[tuple[Body, int]]:
    """Bodies with their number of current members (one query, however many bodies)."""
    counts = _current_member_counts(today)
    stmt: Select = (
        select(Body, func.coalesce(counts.c.members, 0))
        .outerjoin(Partner, Body.host_partner_id == Partner.id)
        .outerjoin(counts, counts.c.body_id == Body.id)
        .options(joinedload(Body.host_partner))
    )
    if q := req.filters.get("q"):
        stmt = stmt.where(func.lower(Body.name).like(_like(q), escape="\\"))
    if kind := _enum_or_none(BodyKind, req.filters.get("kind")):
        stmt = stmt.where(Body.kind == kind)
    if host := record_id(req.filters.get("host")):
        stmt = stmt.where(Body.host_partner_id == host)
    return paginate(order_by_choice(stmt, req, BODY_SORTS), req.page, per_page, scalars=False)


def all_bodies() -> list[Body]:
    return list(db.session.scalars(select(Body).order_by(Body.name)))


def load_body(body_id: int) -> Body | None:
    stmt = (
        select(Body)
        .where(Body.id == body_id)
        .options(joinedload(Body.host_partner), joinedload(Body.parent))
    )
    return db.session.scalar(stmt)


def sub_bodies(body: Body) -> list[Body]:
    return list(
        db.session.scalars(select(Body).where(Body.parent_id == body.id).order_by(Body.name))
    )


def _ancestors(body_id: int | None) -> list[int]:
    """Ids up the parent chain (bounded, so a corrupt loop cannot hang the request)."""
    seen: list[int] = []
    while body_id is not None and body_id not in seen and len(seen) < 50:
        seen.append(body_id)
        body_id = db.session.scalar(select(Body.parent_id).where(Body.id == body_id))
    return seen


def _clean_body(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": values["name"].strip(),
        "kind": BodyKind(values["kind"]),
        "legal_form": LegalForm(values["legal_form"]),
        "jurisdiction": Jurisdiction(values["jurisdiction"]),
        "host_partner_id": values.get("host_partner_id") or None,
        "parent_id": values.get("parent_id") or None,
        "terms_of_reference": (values.get("terms_of_reference") or "").strip(),
    }


def _body_problems(values: Mapping[str, Any], body: Body | None) -> dict[str, str | None]:
    problems: dict[str, str | None] = {}
    clash = db.session.scalar(
        select(Body.id).where(func.lower(Body.name) == values["name"].lower())
    )
    if clash is not None and (body is None or clash != body.id):
        problems["name"] = "There is already a body with this name"
    host = values["host_partner_id"]
    if host is not None and db.session.get(Partner, host) is None:
        problems["host_partner_id"] = "Select an existing partner"
    parent = values["parent_id"]
    if parent is not None:
        if db.session.get(Body, parent) is None:
            problems["parent_id"] = "Select an existing body"
        elif body is not None and body.id in _ancestors(parent):
            problems["parent_id"] = "A body cannot sit under itself or one of its own sub-bodies"
    return problems


def create_body(actor: User, values: Mapping[str, Any]) -> Body:
    ensure(can_manage_registry(actor))
    clean = _clean_body(values)
    raise_if(_body_problems(clean, None))
    body = Body(**clean)
    return create_record(actor, body, f"Added body {body.name}")


def update_body(actor: User, body: Body, values: Mapping[str, Any], version: int | None) -> Body:
    ensure(can_manage_registry(actor, body))
    clean = _clean_body(values)
    raise_if(_body_problems(clean, body))
    return update_record(actor, body, clean, version, f"Edited body {clean['name']}")


# Memberships ------------------------------------------------------------------------------


def _membership_query() -> Select:
    return (
        select(Membership)
        .join(Person, Membership.person_id == Person.id)
        .join(Body, Membership.body_id == Body.id)
        .join(Partner, Membership.partner_id == Partner.id)
        .options(
            joinedload(Membership.person),
            joinedload(Membership.body),
            joinedload(Membership.partner),
        )
    )


def list_memberships(req: ListRequest, per_page: int, today: date) -> Page[Membership]:
    stmt = _membership_query()
    if q := req.filters.get("q"):
        stmt = stmt.where(func.lower(Person.name).like(_like(q), escape="\\"))
    if body_id := record_id(req.filters.get("body")):
        stmt = stmt.where(Membership.body_id == body_id)
    if partner_id := record_id(req.filters.get("partner")):
        stmt = stmt.where(Membership.partner_id == partner_id)
    if role := _enum_or_none(MembershipRole, req.filters.get("role")):
        stmt = stmt.where(Membership.role == role)
    when = req.filters.get("when")
    if when == "current":
        stmt = stmt.where(current_on(today))
    elif when == "past":
        stmt = stmt.where(Membership.end_on < today)
    return paginate(order_by_choice(stmt, req, MEMBERSHIP_SORTS), req.page, per_page)


def body_memberships(body: Body, today: date) -> tuple[list[Membership], list[Membership]]:
    """The body's current members and its past (and future) memberships, in one query; each
    list in the order councils print it (Chair, Vice-chair, Members, Substitutes, others), by
    name within a role."""
    stmt = (
        _membership_query()
        .where(Membership.body_id == body.id)
        .order_by(Person.name, Membership.start_on)
    )
    rows = sorted(db.session.scalars(stmt), key=lambda m: rules.role_rank(m.role))
    current, other = [], []
    for membership in rows:
        period = rules.Period(membership.start_on, membership.end_on)
        (current if rules.is_current(period, today) else other).append(membership)
    return current, other


def person_memberships(person: Person) -> list[Membership]:
    stmt = (
        _membership_query()
        .where(Membership.person_id == person.id)
        .order_by(Membership.end_on.is_(None).desc(), Membership.end_on.desc(), Body.name)
    )
    return list(db.session.scalars(stmt))


def load_membership(membership_id: int) -> Membership | None:
    return db.session.scalar(_membership_query().where(Membership.id == membership_id))


def _clean_membership(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "person_id": int(values["person_id"]),
        "body_id": int(values["body_id"]),
        "partner_id": int(values["partner_id"]),
        "role": MembershipRole(values["role"]),
        "start_on": values.get("start_on"),
        "end_on": values.get("end_on"),
    }


def _membership_problems(values: Mapping[str, Any], membership: Membership | None):
    problems: dict[str, str | None] = {
        "end_on": rules.period_problem(values["start_on"], values["end_on"], "From", "To"),
    }
    if db.session.get(Person, values["person_id"]) is None:
        problems["person_id"] = "Select an existing person"
    if db.session.get(Body, values["body_id"]) is None:
        problems["body_id"] = "Select an existing body"
    if db.session.get(Partner, values["partner_id"]) is None:
        problems["partner_id"] = "Select the partner the person represents"
    if any(problems.values()):
        return problems
    others = db.session.scalars(
        select(Membership).where(
            Membership.person_id == values["person_id"],
            Membership.body_id == values["body_id"],
        )
    )
    new_period = rules.Period(values["start_on"], values["end_on"])
    for other in others:
        if membership is not None and other.id == membership.id:
            continue
        if rules.periods_overlap(new_period, rules.Period(other.start_on, other.end_on)):
            problems["person_id"] = (
                "This person is already a member of this body for some of these dates "
                f"({other.role.label}, {_describe_period(other)}). "
                "End that membership first or choose other dates"
            )
            break
    return problems


def _describe_period(m: Membership) -> str:
    start = long_date(m.start_on) if m.start_on else "date not recorded"
    end = long_date(m.end_on) if m.end_on else "now"
    return f"{start} to {end}"


def create_membership(actor: User, values: Mapping[str, Any]) -> Membership:
    ensure(can_manage_registry(actor))
    clean = _clean_membership(values)
    raise_if(_membership_problems(clean, None))
    membership = Membership(**clean)
    person = db.session.get(Person, clean["person_id"])
    body = db.session.get(Body, clean["body_id"])
    summary = f"Added {person.name} to {body.name} as {clean['role'].label}"
    return create_record(actor, membership, summary)


def update_membership(
    actor: User, membership: Membership, values: Mapping[str, Any], version: int | None
) -> Membership:
    ensure(can_manage_registry(actor, membership))
    clean = _clean_membership(values)
    raise_if(_membership_problems(clean, membership))
    summary = f"Edited membership of {membership.person.name} on {membership.body.name}"
    return update_record(actor, membership, clean, version, summary)
