"""Sign-in rules as pure functions: when guessing is slowed, and for how long.

Failed sign-ins are counted three ways: for one account from one address, from one address
(whatever the account) and for one account from everywhere. The first two slow a guesser down
without touching anyone else. The third cannot lock the account's owner out: once an account
has had too many failures from everywhere, each address may still try it, but an address that
has already failed at it waits until its own failures expire (or the account cools down). So a
person signing in from their own address with the right password always gets through, while a
guesser spread over many addresses gets one try per address per window.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govtrack.auth.enums import Role


@dataclass(frozen=True)
class FailureCount:
    """Failed sign-ins counted in one window: how many so far, how many the window allows, and
    how many seconds until the count is forgotten."""

    failures: int
    allowed: int
    resets_in: int

    @property
    def spent(self) -> bool:
        return self.failures >= self.allowed


def sign_in_wait(here: FailureCount, address: FailureCount, everywhere: FailureCount) -> int:
    """Seconds this address must wait before trying this account again; 0 lets it try.

    ``here`` counts failures at this account from this address, ``address`` failures from this
    address at any account, ``everywhere`` failures at this account from any address.
    """
    waits = []
    if here.spent:
        waits.append(here.resets_in)
    if address.spent:
        waits.append(address.resets_in)
    if everywhere.spent and here.failures:
        waits.append(min(here.resets_in, everywhere.resets_in))
    return max(1, max(waits)) if waits else 0


def wait_in_words(seconds: int) -> str:
    """ "1 minute", "5 minutes", "30 seconds": a wait as the sign-in page says it."""
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# Rights ------------------------------------------------------------------------------------

# Highest first: the one-word label of an account with several rights.
ROLE_RANK = (Role.ADMIN, Role.CLERK, Role.SCRUTINY, Role.OFFICER, Role.MEMBER)

EVERY = None  # a right held over every body (or every scrutiny body)


@dataclass(frozen=True)
class Grant:
    """A granted right as the rules see it (``AccountRight`` without the database)."""

    right: Role
    body_id: int | None = None
    partner_id: int | None = None


@dataclass(frozen=True)
class Sitting:
    """A seat the account's person holds today: on which body, and whether it is a scrutiny
    body (whose inquiries the seat gives scrutiny rights over)."""

    body_id: int
    scrutiny: bool


@dataclass(frozen=True)
class Rights:
    """What an account may do, from its grants and the registry on the day.

    ``clerk_bodies`` and ``scrutiny_bodies`` are None for "every body"; ``member_bodies`` are
    the bodies the person sits on (vote or respond there, see their private items);
    ``officer_partners`` the partners whose officer rights the account holds.
    """

    admin: bool = False
    clerk_bodies: frozenset[int] | None = frozenset()
    member_bodies: frozenset[int] = frozenset()
    scrutiny_bodies: frozenset[int] | None = frozenset()
    officer_partners: frozenset[int] = frozenset()
    councillor: bool = False
    # Holds an officer grant, even when the account is linked to no person (and so speaks for
    # no partner yet): it may open the officers' forms, which then offer nothing to change.
    officer: bool = False

    def has(self, role: Role) -> bool:
        """Holds this kind of right anywhere (what a route that is open to it asks)."""
        if role is Role.ADMIN:
            return self.admin
        if role is Role.CLERK:
            return self.clerk_bodies is None or bool(self.clerk_bodies)
        if role is Role.SCRUTINY:
            return self.scrutiny_bodies is None or bool(self.scrutiny_bodies)
        if role is Role.OFFICER:
            return self.officer or bool(self.officer_partners)
        return self.councillor or bool(self.member_bodies)

    @property
    def clerk_everywhere(self) -> bool:
        return self.clerk_bodies is None

    def clerk_for(self, body_id: int | None) -> bool:
        return self.clerk_bodies is None or body_id in self.clerk_bodies

    def scrutiny_for(self, body_id: int | None) -> bool:
        return self.scrutiny_bodies is None or body_id in self.scrutiny_bodies

    def sits_on(self, body_id: int | None) -> bool:
        return body_id in self.member_bodies

    def officer_for(self, partner_id: int | None) -> bool:
        return partner_id is not None and partner_id in self.officer_partners


ALL_RIGHTS = Rights(admin=True, clerk_bodies=EVERY, scrutiny_bodies=EVERY, councillor=True)
NO_RIGHTS = Rights()


def _union(held: frozenset[int] | None, more: frozenset[int] | None) -> frozenset[int] | None:
    return None if held is None or more is None else held | more


def rights_from(
    grants: Iterable[Grant], sittings: Iterable[Sitting], own_partner_id: int | None
) -> Rights:
    """The rights of an account holding ``grants`` whose person sits on ``sittings`` today and
    works for ``own_partner_id``.

    An administrator holds every right. A clerk grant with no body is for every body. An officer
    grant with no partner is for the person's own partner (none when the account is linked to
    nobody). A scrutiny grant with no body covers every scrutiny body; a seat on a scrutiny body
    gives scrutiny rights over that body; any seat lets the person act as a member there.
    """
    grants = list(grants)
    sittings = list(sittings)
    admin = any(g.right is Role.ADMIN for g in grants)
    clerk: frozenset[int] | None = frozenset()
    scrutiny: frozenset[int] | None = frozenset(s.body_id for s in sittings if s.scrutiny)
    officers: set[int] = set()
    for grant in grants:
        one = EVERY if grant.body_id is None else frozenset({grant.body_id})
        if grant.right is Role.CLERK:
            clerk = _union(clerk, one)
        elif grant.right is Role.SCRUTINY:
            scrutiny = _union(scrutiny, one)
        elif grant.right is Role.OFFICER:
            partner = grant.partner_id if grant.partner_id is not None else own_partner_id
            if partner is not None:
                officers.add(partner)
    if admin:
        return Rights(
            admin=True,
            clerk_bodies=EVERY,
            member_bodies=frozenset(s.body_id for s in sittings),
            scrutiny_bodies=EVERY,
            officer_partners=frozenset(officers),
            councillor=True,
            officer=any(g.right is Role.OFFICER for g in grants),
        )
    return Rights(
        clerk_bodies=clerk,
        member_bodies=frozenset(s.body_id for s in sittings),
        scrutiny_bodies=scrutiny,
        officer_partners=frozenset(officers),
        councillor=any(g.right is Role.MEMBER for g in grants),
        officer=any(g.right is Role.OFFICER for g in grants),
    )
