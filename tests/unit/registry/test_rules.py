"""Registry rules: date ranges and membership periods."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.registry.enums import MembershipRole
from govtrack.registry.rules import (
    Period,
    is_current,
    partner_status,
    period_problem,
    periods_overlap,
    role_rank,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))
maybe_days = st.none() | days


@st.composite
def periods(draw) -> Period:
    start, end = draw(maybe_days), draw(maybe_days)
    if start and end and end < start:
        start, end = end, start
    return Period(start, end)


def test_end_before_start_is_a_problem_and_same_day_is_not():
    assert period_problem(date(2007, 1, 2), date(2007, 1, 1), "Date joined", "Date left") == (
        "Date left must be the same as or after date joined"
    )
    assert period_problem(date(2007, 1, 1), date(2007, 1, 1), "From", "To") is None
    assert period_problem(None, date(2007, 1, 1), "From", "To") is None


def test_adjacent_periods_do_not_overlap_but_sharing_a_day_does():
    first = Period(date(2006, 1, 1), date(2006, 12, 31))
    assert not periods_overlap(first, Period(date(2007, 1, 1), None))
    assert periods_overlap(first, Period(date(2006, 12, 31), None))


def test_open_ends_reach_for_ever():
    assert periods_overlap(Period(None, None), Period(date(1990, 1, 1), date(1990, 1, 1)))
    assert periods_overlap(Period(date(2006, 1, 1), None), Period(date(2040, 1, 1), None))


@given(periods(), periods())
def test_overlap_is_symmetric(a, b):
    assert periods_overlap(a, b) == periods_overlap(b, a)


@given(periods())
def test_a_period_overlaps_itself(a):
    assert periods_overlap(a, a)


@given(periods(), periods(), days)
def test_two_periods_current_on_the_same_day_overlap(a, b, day):
    if is_current(a, day) and is_current(b, day):
        assert periods_overlap(a, b)


@given(periods(), periods())
def test_overlap_means_some_day_is_in_both(a, b):
    """Check against the definition: a shared day exists within the bounded window."""
    lo, hi = date(1999, 12, 31), date(2031, 1, 1)

    def clamp(p):
        return (max(p.start or lo, lo), min(p.end or hi, hi))

    (a1, a2), (b1, b2) = clamp(a), clamp(b)
    shared = max(a1, b1) <= min(a2, b2)
    assert periods_overlap(a, b) == shared


def test_partner_status():
    today = date(2007, 6, 1)
    assert partner_status(None, None, today) == "Member"
    assert partner_status(date(2008, 1, 1), None, today) == "Joining"
    assert partner_status(date(2003, 1, 1), today - timedelta(days=1), today) == "Left"
    assert partner_status(date(2003, 1, 1), today, today) == "Member"


# The order of a body's members ------------------------------------------------------------


@settings(max_examples=50)
@given(st.lists(st.sampled_from(list(MembershipRole)), max_size=12))
def test_members_are_listed_chair_vice_chair_members_substitutes_then_others(roles):
    listed = sorted(roles, key=role_rank)
    ranks = [role_rank(r) for r in listed]
    assert ranks == sorted(ranks)
    words = [r.label for r in listed]
    expected_order = ["Chair", "Vice-chair", "Member", "Substitute"]
    seen = [w for w in dict.fromkeys(words) if w in expected_order]
    assert seen == [w for w in expected_order if w in seen]
    others = [r for r in listed if r.label not in expected_order]
    assert listed[len(listed) - len(others) :] == others
