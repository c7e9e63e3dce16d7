"""Who may administer accounts: administrators only."""

from __future__ import annotations

from typing import Any

from govtrack.auth.permissions import is_administrator


def can_manage_accounts(user: Any, _record: Any = None) -> bool:
    return is_administrator(user)
