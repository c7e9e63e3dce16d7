"""Who may read the outbox and ask for a message to be tried again: administrators (messages
hold voters' addresses and vote links)."""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role


def can_view_outbox(user: Any) -> bool:
    return has_role(user, Role.ADMIN)


def can_retry_mail(user: Any) -> bool:
    return has_role(user, Role.ADMIN)
