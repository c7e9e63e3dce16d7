"""Counting failed sign-ins (in the rate limiter's storage, so several processes share the
counts when ``RATELIMIT_STORAGE_URI`` names a shared store); ``rules.sign_in_wait`` decides."""

from __future__ import annotations

import time

from flask import current_app
from limits import parse

from govtrack.auth.rules import FailureCount, sign_in_wait
from govtrack.core.security import limiter

_SETTINGS = {
    "here": "LOGIN_LIMIT_PER_ACCOUNT",
    "address": "LOGIN_LIMIT_PER_ADDRESS",
    "everywhere": "LOGIN_LIMIT_PER_ACCOUNT_EVERYWHERE",
}


def _keys(account: str, address: str) -> dict[str, tuple[str, ...]]:
    return {
        "here": ("sign-in-account-address", account, address),
        "address": ("sign-in-address", address),
        "everywhere": ("sign-in-account", account),
    }


def _count(which: str, key: tuple[str, ...]) -> FailureCount:
    item = parse(current_app.config[_SETTINGS[which]])
    stats = limiter.limiter.get_window_stats(item, *key)
    return FailureCount(
        failures=item.amount - stats.remaining,
        allowed=item.amount,
        resets_in=max(0, int(stats.reset_time - time.time()) + 1),
    )


def wait_before_trying(account: str, address: str) -> int:
    """Seconds before this address may try to sign in to this account; 0 if it may now."""
    counts = {which: _count(which, key) for which, key in _keys(account, address).items()}
    return sign_in_wait(counts["here"], counts["address"], counts["everywhere"])


def record_failure(account: str, address: str) -> None:
    for which, key in _keys(account, address).items():
        limiter.limiter.hit(parse(current_app.config[_SETTINGS[which]]), *key)


def record_success(account: str, address: str) -> None:
    """The right password from here: this address's earlier slips at this account are forgiven
    (the counts from this address and from everywhere stay, as they guard others)."""
    key = _keys(account, address)["here"]
    limiter.limiter.clear(parse(current_app.config[_SETTINGS["here"]]), *key)
