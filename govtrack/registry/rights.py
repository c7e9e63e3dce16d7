"""What the registry tells accounts about rights, in one query a request: the rights granted
to the account, the seats its person holds today, and the partner the person works for
(``govtrack.auth.rights`` asks)."""

from __future__ import annotations

from sqlalchemy import literal, null, select, union_all

from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight
from govtrack.auth.rules import Grant, Sitting
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.registry.enums import BodyKind
from govtrack.registry.models import Body, Membership, Person
from govtrack.registry.services import current_on

# The bodies that run inquiries (as scrutiny.queries counts them): a seat on one gives
# scrutiny rights over its inquiries.
SCRUTINY_KINDS = (BodyKind.SCRUTINY_PANEL, BodyKind.SCRUTINY_SUB_GROUP, BodyKind.TASK_GROUP)


def registry_facts(user_id: int) -> tuple[list[Grant], list[Sitting], int | None]:
    """The account's grants, the bodies its person sits on today (and which are scrutiny
    bodies), and the person's partner; no seats and no partner for an account linked to
    nobody. One round trip: the grants and the seats as one list of rows."""
    granted = select(
        literal("grant").label("row"),
        AccountRight.right.label("right"),
        AccountRight.body_id.label("body_id"),
        AccountRight.partner_id.label("partner_id"),
        null().label("kind"),
    ).where(AccountRight.user_id == user_id)
    seats = (
        select(
            literal("seat").label("row"),
            null().label("right"),
            Membership.body_id.label("body_id"),
            Person.partner_id.label("partner_id"),
            Body.kind.label("kind"),
        )
        .outerjoin(Membership, (Membership.person_id == Person.id) & current_on(today()))
        .outerjoin(Body, Body.id == Membership.body_id)
        .where(Person.user_id == user_id)
    )
    grants, sittings, partner = [], [], None
    for row in db.session.execute(union_all(granted, seats)):
        if row.row == "grant":
            grants.append(Grant(Role(row.right), row.body_id, row.partner_id))
            continue
        partner = row.partner_id
        if row.body_id is not None:
            sittings.append(Sitting(row.body_id, BodyKind(row.kind) in SCRUTINY_KINDS))
    return grants, sittings, partner
