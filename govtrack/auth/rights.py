"""The rights of the account making a request: its grants plus what the registry says today.

The registry knows who sits on which body and which partner a person works for; it registers
``registry_facts`` here (``use_registry_facts``) so accounts need not import the registry. The
answer is worked out once a request (permission checks ask it for every row of a list).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, has_request_context

from govtrack.auth.enums import Role
from govtrack.auth.rules import (
    ALL_RIGHTS,
    NO_RIGHTS,
    ROLE_RANK,
    Grant,
    Rights,
    Sitting,
    rights_from,
)

# (user id) -> (the account's grants, seats held today, the person's partner id or None)
RegistryFacts = Callable[[int], tuple[list[Grant], list[Sitting], int | None]]
_registry_facts: list[RegistryFacts] = []


def use_registry_facts(facts: RegistryFacts) -> None:
    """Called once by the registry when the app is made."""
    _registry_facts[:] = [facts]


def grants_of(user: Any) -> list[Grant]:
    return [Grant(g.right, g.body_id, g.partner_id) for g in getattr(user, "grants", ())]


def _facts(user: Any) -> tuple[list[Grant], list[Sitting], int | None]:
    if _registry_facts:
        return _registry_facts[0](user.id)
    return grants_of(user), [], None


def rights_of(user: Any) -> Rights:
    """What ``user`` may do now: nothing for the public, everything for the system actor."""
    if not getattr(user, "is_authenticated", False):
        return NO_RIGHTS
    user_id = getattr(user, "id", None)
    if user_id is None:  # the system actor (seed loader, commands, the clock)
        return ALL_RIGHTS
    key = f"rights_{user_id}"
    if has_request_context() and key in g:
        return g.get(key)
    grants, sittings, own_partner = _facts(user)
    rights = rights_from(grants, sittings, own_partner)
    if has_request_context():
        setattr(g, key, rights)
    return rights


def forget_rights(user_id: int) -> None:
    """After a change to an account's grants or seats within the request."""
    if has_request_context():
        g.pop(f"rights_{user_id}", None)


def main_right(user: Any) -> Role | None:
    """The highest kind of right the account holds now, granted or from the registry (the
    label beside a signed-in person's name)."""
    rights = rights_of(user)
    return next((role for role in ROLE_RANK if rights.has(role)), None)
