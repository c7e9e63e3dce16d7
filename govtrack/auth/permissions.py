"""Who may do what, by the rights an account holds. Each capability's permissions build on
these; ``rights_of(user)`` answers the finer questions (clerk for this body, officer of this
partner, scrutiny member of this panel)."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.rights import rights_of


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def has_role(user: Any, *roles: Role) -> bool:
    """Holds any of these kinds of right (for any body or partner)."""
    if not signed_in(user):
        return False
    rights = rights_of(user)
    return any(rights.has(role) for role in roles)


def is_administrator(user: Any, _record: Any = None) -> bool:
    return has_role(user, Role.ADMIN)


def can_view_audit_log(user: Any) -> bool:
    return has_role(user, Role.ADMIN)
