"""How many invitation e-mails may go out: to one address, for one account, and from one
administrator, each in a window (counted in the rate limiter's storage, so several processes
share the counts when ``RATELIMIT_STORAGE_URI`` names a shared store)."""

from __future__ import annotations

from flask import current_app
from limits import parse

from govtrack.core.security import limiter

# Settings (with these defaults) a deployment may change.
LIMITS = {
    "INVITATION_LIMIT_PER_ADDRESS": "5 per hour",
    "INVITATION_LIMIT_PER_ACCOUNT": "5 per hour",
    "INVITATION_LIMIT_PER_ADMINISTRATOR": "100 per hour",
}


def _keys(address: str, account_id: int | None, actor_id: int | None) -> dict[str, tuple]:
    return {
        "INVITATION_LIMIT_PER_ADDRESS": ("invitation-address", address),
        "INVITATION_LIMIT_PER_ACCOUNT": ("invitation-account", str(account_id or address)),
        "INVITATION_LIMIT_PER_ADMINISTRATOR": ("invitation-sender", str(actor_id or "system")),
    }


def spend(address: str, account_id: int | None, actor_id: int | None) -> bool:
    """Count one invitation e-mail; False (and nothing counted) when any window is full."""
    items = {
        setting: (parse(current_app.config.get(setting, LIMITS[setting])), key)
        for setting, key in _keys(address, account_id, actor_id).items()
    }
    if not all(limiter.limiter.test(item, *key) for item, key in items.values()):
        return False
    for item, key in items.values():
        limiter.limiter.hit(item, *key)
    return True
