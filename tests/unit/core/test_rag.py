"""The RAG engine: the derivation rule, overrides, and the properties every RAG must keep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.core.rag import (
    RAG,
    SEVERITY,
    Progress,
    assess,
    derive,
    override_problem,
    roll_up,
    worse,
)

TODAY = date(2007, 11, 20)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))
progress = st.sampled_from(list(Progress))
tolerance = st.integers(min_value=0, max_value=365)


def test_complete_is_blue_even_when_overdue():
    result = derive(due=TODAY - timedelta(days=400), today=TODAY, progress=Progress.COMPLETE)
    assert result.rag is RAG.BLUE


def test_not_started_without_a_date_is_grey():
    result = derive(due=None, today=TODAY, progress=Progress.NOT_STARTED)
    assert result.rag is RAG.GREY
    assert "no target date" in result.reason


def test_past_target_is_red_and_says_by_how_much():
    result = derive(due=TODAY - timedelta(days=3), today=TODAY, progress=Progress.IN_PROGRESS)
    assert result.rag is RAG.RED
    assert result.reason == "Past its target date by 3 days."


@pytest.mark.parametrize("days_left", [0, 1, 28])
def test_within_tolerance_is_amber(days_left):
    due = TODAY + timedelta(days=days_left)
    result = derive(due=due, today=TODAY, progress=Progress.IN_PROGRESS, tolerance_days=28)
    assert result.rag is RAG.AMBER


def test_beyond_tolerance_is_green():
    result = derive(due=TODAY + timedelta(days=29), today=TODAY, progress=Progress.NOT_STARTED)
    assert result.rag is RAG.GREEN


def test_override_needs_a_reason():
    assert override_problem(RAG.RED, "  ") == "Give a reason for overriding the RAG"
    assert override_problem(RAG.BLUE, "done") is not None
    assert override_problem(None, "") is None
    with pytest.raises(ValueError):
        assess(due=None, today=TODAY, progress=Progress.IN_PROGRESS, override=RAG.RED)


def test_override_with_reason_is_shown_as_overridden():
    result = assess(
        due=TODAY + timedelta(days=100),
        today=TODAY,
        progress=Progress.IN_PROGRESS,
        override=RAG.RED,
        override_reason="Contractor has missed two deliveries",
    )
    assert result.rag is RAG.RED and result.overridden
    assert "Contractor" in result.reason


@given(due=dates, today=dates, tol=tolerance, override=st.sampled_from([RAG.RED, RAG.GREEN]))
def test_complete_is_always_blue(due, today, tol, override):
    result = assess(
        due=due,
        today=today,
        progress=Progress.COMPLETE,
        override=override,
        override_reason="x",
        tolerance_days=tol,
    )
    assert result.rag is RAG.BLUE


@given(due=dates, later=st.integers(min_value=0, max_value=3000), today=dates, p=progress,
       tol=tolerance)  # fmt: skip
def test_a_later_target_never_improves_the_rag(due, later, today, p, tol):
    """Moving a target date later never makes a RAG worse (and earlier never makes it better)."""
    earlier = derive(due=due, today=today, progress=p, tolerance_days=tol)
    moved = derive(due=due + timedelta(days=later), today=today, progress=p, tolerance_days=tol)
    assert not worse(moved.rag, earlier.rag)


@given(due=dates, today=dates, days=st.integers(min_value=0, max_value=3000), p=progress,
       tol=tolerance)  # fmt: skip
def test_time_passing_never_improves_the_rag(due, today, days, p, tol):
    before = derive(due=due, today=today, progress=p, tolerance_days=tol)
    after = derive(due=due, today=today + timedelta(days=days), progress=p, tolerance_days=tol)
    assert not worse(before.rag, after.rag)


@given(due=st.one_of(st.none(), dates), today=dates, p=progress, tol=tolerance)
def test_every_assessment_has_a_reason_and_grey_only_without_a_date(due, today, p, tol):
    result = derive(due=due, today=today, progress=p, tolerance_days=tol)
    assert result.reason
    assert (result.rag is RAG.GREY) == (due is None and p is not Progress.COMPLETE)
    assert result.rag in SEVERITY or result.rag is RAG.GREY


rag_lists = st.lists(st.sampled_from(list(RAG)), max_size=40)


def test_a_group_takes_the_worst_measured_status_and_counts_grey_apart():
    result = roll_up([RAG.GREEN, RAG.AMBER, RAG.BLUE, RAG.GREY, RAG.GREY])
    assert result.rag is RAG.AMBER
    assert result.counts[RAG.GREY] == 2
    assert result.measured == 3
    assert result.share(RAG.AMBER) == pytest.approx(100 / 3)
    assert result.share(RAG.GREY) is None
    assert "worst" in result.rule


def test_a_group_with_nothing_measured_is_grey():
    assert roll_up([]).rag is RAG.GREY
    assert roll_up([RAG.GREY, RAG.GREY]).rag is RAG.GREY


def test_a_group_is_blue_only_when_everything_measured_is_complete():
    assert roll_up([RAG.BLUE, RAG.BLUE, RAG.GREY]).rag is RAG.BLUE
    assert roll_up([RAG.BLUE, RAG.GREEN]).rag is RAG.GREEN


@given(rag_lists, st.sampled_from(list(RAG)))
def test_adding_an_item_never_makes_a_group_look_better(rags, extra):
    before = roll_up(rags).rag
    after = roll_up([*rags, extra]).rag
    if before is not RAG.GREY and after is not RAG.GREY:
        assert SEVERITY[after] >= SEVERITY[before]


@given(rag_lists)
def test_the_measured_shares_add_up_to_a_hundred(rags):
    result = roll_up(rags)
    shares = [result.share(c) for c in RAG if c is not RAG.GREY]
    if result.measured:
        assert sum(shares) == pytest.approx(100)
    assert sum(result.counts.values()) == len(rags)
