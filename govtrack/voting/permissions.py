"""Who may set decision rules, record motions and votes, and vote."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in


def can_manage_rules(user: Any, _record: Any = None) -> bool:
    """Admins and clerks record a body's decision rules."""
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_record_votes(user: Any, _record: Any = None) -> bool:
    """Clerks (democratic services) and admins record motions and the votes taken."""
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_have_decisions(user: Any, _record: Any = None) -> bool:
    """Any signed-in user has a 'My decisions' page; it lists what their person may vote on."""
    return signed_in(user)
