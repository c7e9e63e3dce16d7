"""Who may do what, by role. Each capability's permissions build on these."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role


def signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def has_role(user: Any, *roles: Role) -> bool:
    return signed_in(user) and user.role in roles


def can_view_audit_log(user: Any) -> bool:
    return has_role(user, Role.ADMIN)
