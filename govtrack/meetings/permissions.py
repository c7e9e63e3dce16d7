"""Who may run meetings and who may see exempt items and their papers."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role


def can_manage_meetings(user: Any, _record: Any = None) -> bool:
    """Clerks (democratic services) and admins run meetings and write minutes."""
    return has_role(user, Role.ADMIN, Role.CLERK)


def sees_all_exempt_items(user: Any) -> bool:
    return has_role(user, Role.ADMIN, Role.CLERK)


def can_see_exempt_item(user: Any, body_id: int, exempt_bodies: frozenset[int] | None) -> bool:
    """Exempt items are for clerks, admins, and signed-in members and officers of the body.

    ``exempt_bodies`` is what ``services.exempt_access(user)`` found: None for "every body".
    """
    if exempt_bodies is None:
        return True
    return body_id in exempt_bodies


def can_view_actions(user: Any, _record: Any = None) -> bool:
    return bool(getattr(user, "is_authenticated", False))
