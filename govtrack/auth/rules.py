"""Sign-in rules as pure functions: when guessing is slowed, and for how long.

Failed sign-ins are counted three ways: for one account from one address, from one address
(whatever the account) and for one account from everywhere. The first two slow a guesser down
without touching anyone else. The third cannot lock the account's owner out: once an account
has had too many failures from everywhere, each address may still try it, but an address that
has already failed at it waits until its own failures expire (or the account cools down). So a
person signing in from their own address with the right password always gets through, while a
guesser spread over many addresses gets one try per address per window.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FailureCount:
    """Failed sign-ins counted in one window: how many so far, how many the window allows, and
    how many seconds until the count is forgotten."""

    failures: int
    allowed: int
    resets_in: int

    @property
    def spent(self) -> bool:
        return self.failures >= self.allowed


def sign_in_wait(here: FailureCount, address: FailureCount, everywhere: FailureCount) -> int:
    """Seconds this address must wait before trying this account again; 0 lets it try.

    ``here`` counts failures at this account from this address, ``address`` failures from this
    address at any account, ``everywhere`` failures at this account from any address.
    """
    waits = []
    if here.spent:
        waits.append(here.resets_in)
    if address.spent:
        waits.append(address.resets_in)
    if everywhere.spent and here.failures:
        waits.append(min(here.resets_in, everywhere.resets_in))
    return max(1, max(waits)) if waits else 0


def wait_in_words(seconds: int) -> str:
    """ "1 minute", "5 minutes", "30 seconds": a wait as the sign-in page says it."""
    if seconds < 60:
        return "1 second" if seconds == 1 else f"{seconds} seconds"
    minutes = -(-seconds // 60)
    return "1 minute" if minutes == 1 else f"{minutes} minutes"
