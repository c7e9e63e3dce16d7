"""Registry rules as pure functions: date ranges, overlaps, current membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govtrack.registry.enums import MembershipRole


@dataclass(frozen=True)
class Period:
    """An inclusive date range; None at either end means open (not recorded / still running)."""

    start: date | None
    end: date | None


def period_problem(start: date | None, end: date | None, start_label: str, end_label: str):
    """Why a from/to pair is impossible, or None."""
    if start is not None and end is not None and end < start:
        return f"{end_label} must be the same as or after {start_label.lower()}"
    return None


def periods_overlap(a: Period, b: Period) -> bool:
    """Do two inclusive periods share at least one day? Open ends reach forever."""
    a_start = a.start or date.min
    b_start = b.start or date.min
    a_end = a.end or date.max
    b_end = b.end or date.max
    return a_start <= b_end and b_start <= a_end


def is_current(period: Period, on: date) -> bool:
    """Is the period running on the given day?"""
    return periods_overlap(period, Period(on, on))


def partner_status(joined_on: date | None, left_on: date | None, today: date) -> str:
    """'Member', 'Joining' (date in the future) or 'Left', for the partner list."""
    if left_on is not None and left_on < today:
        return "Left"
    if joined_on is not None and joined_on > today:
        return "Joining"
    return "Member"


# The order councils list a body's members in: Chair, Vice-chair, Members, Substitutes, then
# everyone else (co-opted members, officer advisers).
ROLE_ORDER = (
    MembershipRole.CHAIR,
    MembershipRole.VICE_CHAIR,
    MembershipRole.MEMBER,
    MembershipRole.SUBSTITUTE,
    MembershipRole.CO_OPTED,
    MembershipRole.OFFICER_ADVISER,
)


def role_rank(role: MembershipRole) -> int:
    """Where a role comes in a list of members (Chair first); roles not listed come last."""
    return ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER)
