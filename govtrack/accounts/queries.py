"""What the accounts pages read: the list of accounts (a page of them, with their rights, person
and invitation in a fixed number of queries), one account's page, and the choices the forms
offer. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import joinedload

from govtrack.accounts import rules
from govtrack.accounts.enums import AccountState
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import AccountLink, AccountRight, User
from govtrack.auth.rules import Rights, rights_from
from govtrack.core import audit
from govtrack.core.history import HistoryLine, describe_history
from govtrack.core.pagination import ListRequest, Page, order_by_choice, paginate
from govtrack.db import db, utcnow
from govtrack.registry.models import Body, Partner, Person
from govtrack.registry.rights import SCRUTINY_KINDS, registry_facts

ACCOUNT_SORTS = {
    "name": User.name,
    "email": User.email,
    "signed_in": User.last_sign_in_at,
    "_id": User.id,
}


def _has_password():
    return User.password_hash.is_not(None)


def _uses_sso():
    return User.oidc_subject.is_not(None)


# The same conditions as rules.account_state, for the list's filter.
STATE_CONDITIONS = {
    AccountState.DISABLED: User.active.is_(False),
    AccountState.INVITED: and_(
        User.active.is_(True), User.password_hash.is_(None), User.oidc_subject.is_(None)
    ),
    AccountState.ACTIVE: and_(User.active.is_(True), or_(_has_password(), _uses_sso())),
}


def state_of(user: User) -> AccountState:
    return rules.account_state(
        user.active, user.password_hash is not None, user.oidc_subject is not None
    )


@dataclass(frozen=True)
class GrantShown:
    """A granted right as the pages show it: with its body's or partner's name."""

    id: int
    right: Role
    body_id: int | None
    partner_id: int | None
    label: str
    granted_at: datetime


@dataclass(frozen=True)
class Invitation:
    sent_at: datetime
    expires_at: datetime
    pending: bool  # False: expired (or revoked) without being accepted


@dataclass(frozen=True)
class AccountRow:
    user: User
    state: AccountState
    grants: list[GrantShown]
    person: str | None
    invitation: Invitation | None


def _chosen(enum_cls, value: str | None):
    """The filter's enum member, or None for no choice or a value that is not one."""
    return next((member for member in enum_cls if member.value == value), None)


def _filtered(req: ListRequest) -> Select:
    stmt: Select = select(User)
    if q := req.filters.get("q"):
        text = q.lower()
        stmt = stmt.where(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                func.lower(User.email).contains(text, autoescape=True),
            )
        )
    if right := _chosen(Role, req.filters.get("right")):
        stmt = stmt.where(
            exists().where(AccountRight.user_id == User.id, AccountRight.right == right)
        )
    if state := _chosen(AccountState, req.filters.get("state")):
        stmt = stmt.where(STATE_CONDITIONS[state])
    return stmt


def grants_shown(user_ids: list[int]) -> dict[int, list[GrantShown]]:
    """The granted rights of these accounts with body and partner names (one query)."""
    stmt = (
        select(AccountRight, Body.name, Partner.name)
        .outerjoin(Body, Body.id == AccountRight.body_id)
        .outerjoin(Partner, Partner.id == AccountRight.partner_id)
        .where(AccountRight.user_id.in_(user_ids))
        .order_by(AccountRight.user_id, AccountRight.id)
    )
    out: dict[int, list[GrantShown]] = defaultdict(list)
    for grant, body, partner in db.session.execute(stmt):
        out[grant.user_id].append(
            GrantShown(
                id=grant.id,
                right=grant.right,
                body_id=grant.body_id,
                partner_id=grant.partner_id,
                label=rules.grant_label(grant.right, body, partner),
                granted_at=grant.granted_at,
            )
        )
    return out


def _people(user_ids: list[int]) -> dict[int, str]:
    stmt = select(Person.user_id, Person.name).where(Person.user_id.in_(user_ids))
    return dict(db.session.execute(stmt).all())


def invitations(user_ids: list[int]) -> dict[int, Invitation]:
    """Each account's newest invitation still unused (pending, or expired or revoked)."""
    newest = (
        select(func.max(AccountLink.id))
        .where(
            AccountLink.user_id.in_(user_ids),
            AccountLink.purpose == LinkPurpose.INVITATION,
            AccountLink.used_at.is_(None),
        )
        .group_by(AccountLink.user_id)
    )
    now = utcnow()
    out = {}
    for link in db.session.scalars(select(AccountLink).where(AccountLink.id.in_(newest))):
        pending = link.revoked_at is None and link.expires_at > now
        out[link.user_id] = Invitation(link.created_at, link.expires_at, pending)
    return out


def list_accounts(req: ListRequest, per_page: int) -> Page[AccountRow]:
    """A page of accounts with their rights, person and invitation: four queries besides the
    count, however many accounts the page shows."""
    page = paginate(order_by_choice(_filtered(req), req, ACCOUNT_SORTS), req.page, per_page)
    ids = [user.id for user in page.items]
    grants = grants_shown(ids)
    people = _people(ids)
    invited = invitations(ids)
    return page.map(
        lambda user: AccountRow(
            user=user,
            state=state_of(user),
            grants=grants.get(user.id, []),
            person=people.get(user.id),
            invitation=invited.get(user.id),
        )
    )


def rights_today(user_id: int) -> Rights:
    """What this account may do today, from its grants and the registry (like
    ``govtrack.auth.rights.rights_of`` for the signed-in user, but for any account)."""
    return rights_from(*registry_facts(user_id))


def _names(model, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(model.id, model.name).where(model.id.in_(ids))).all())


def rights_today_in_words(user_id: int) -> list[str]:
    rights = rights_today(user_id)
    body_ids = set(rights.member_bodies)
    body_ids |= set(rights.clerk_bodies or ()) | set(rights.scrutiny_bodies or ())
    return rules.rights_in_words(
        rights, _names(Body, body_ids), _names(Partner, set(rights.officer_partners))
    )


@dataclass(frozen=True)
class AccountPage:
    user: User
    state: AccountState
    grants: list[GrantShown]
    rights_today: list[str]
    person: Person | None
    invitation: Invitation | None
    history: list[HistoryLine]


def load_account(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def account_page(user: User) -> AccountPage:
    person = db.session.scalar(
        select(Person).where(Person.user_id == user.id).options(joinedload(Person.partner))
    )
    return AccountPage(
        user=user,
        state=state_of(user),
        grants=grants_shown([user.id]).get(user.id, []),
        rights_today=rights_today_in_words(user.id),
        person=person,
        invitation=invitations([user.id]).get(user.id),
        history=describe_history(audit.history_of("user", [user.id])),
    )


def find_account(email: str) -> User | None:
    """The account of this address, asked of what was typed before the form is checked: text no
    stored address could be (too long, or holding a control character, which PostgreSQL would
    refuse outright) has none."""
    wanted = email.strip().lower()
    if not wanted or len(wanted) > 254 or any(ord(c) < 32 for c in wanted):
        return None
    return db.session.scalar(select(User).where(func.lower(User.email) == wanted))


def people_without_account() -> list[Person]:
    """People in the registry an account may be linked to (those with none yet)."""
    stmt = (
        select(Person)
        .where(Person.user_id.is_(None))
        .options(joinedload(Person.partner))
        .order_by(Person.name)
    )
    return list(db.session.scalars(stmt))


def bodies() -> list[Body]:
    return list(db.session.scalars(select(Body).order_by(Body.name)))


def is_scrutiny_body(body: Body) -> bool:
    return body.kind in SCRUTINY_KINDS


def active_administrators(lock: bool = False) -> list[int]:
    """The active accounts holding the administrator right (ids, once each). ``lock`` holds
    their grants until the commit (PostgreSQL), so two administrators removing each other at
    once cannot both succeed and leave none (the lock is on their grants and accounts)."""
    stmt = (
        select(AccountRight.user_id)
        .join(User, User.id == AccountRight.user_id)
        .where(AccountRight.right == Role.ADMIN, User.active.is_(True))
    )
    if lock:
        stmt = stmt.with_for_update()
    return sorted(set(db.session.scalars(stmt)))
