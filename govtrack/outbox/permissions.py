"""Who may read the outbox: administrators (messages hold voters' addresses and vote links)."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role


def can_view_outbox(user: Any) -> bool:
    return has_role(user, Role.ADMIN)
