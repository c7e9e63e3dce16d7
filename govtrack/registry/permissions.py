"""Who may see and change the registry."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in


def can_manage_registry(user: Any, _record: Any = None) -> bool:
    """Clerks (democratic services) and admins keep the registry."""
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_view_people(user: Any, _record: Any = None) -> bool:
    """People's details (e-mail, account) are for signed-in users; the public sees names on
    bodies' current membership only."""
    return signed_in(user)


def can_view_history(user: Any, _record: Any = None) -> bool:
    return signed_in(user)
