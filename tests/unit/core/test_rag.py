"""The RAG engine: the derivation rule, overrides, and the properties every RAG must keep."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.core.rag import (
    RAG,
    ROLL_UP_RULE,
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


def test_a_group_with_work_not_started_is_in_progress_not_complete():
    # Two milestones complete and one not started: work is outstanding, so green, not blue.
    result = roll_up([RAG.BLUE, RAG.BLUE, RAG.GREY])
    assert result.rag is RAG.GREEN
    assert result.measured == 2
    assert result.counts[RAG.GREY] == 1
    assert roll_up([RAG.BLUE, RAG.GREEN]).rag is RAG.GREEN
    assert roll_up([RAG.BLUE, RAG.BLUE]).rag is RAG.BLUE
    assert "keep a group from being complete" in ROLL_UP_RULE


@given(rag_lists)
def test_a_group_is_blue_only_when_every_item_is_complete(rags):
    assert (roll_up(rags).rag is RAG.BLUE) == (bool(rags) and all(c is RAG.BLUE for c in rags))


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


# --- Milestones: the slip rule, the five-point scale, overrides that expire ----------------

from govtrack.core.rag import (  # noqa: E402
    DCA_DEFINITIONS,
    FOLD,
    Confidence,
    Scale,
    Thresholds,
    assess_milestone,
    choices_for,
    derive_milestone,
    fold,
    milestone_override_problems,
)

thresholds = st.builds(
    Thresholds,
    slip_tolerance_days=st.integers(min_value=0, max_value=120),
    due_soon_days=st.integers(min_value=0, max_value=60),
)
maybe_dates = st.one_of(st.none(), dates)


STANDARD = Thresholds(28, 14)


def milestone(baseline, forecast=None, progress=Progress.IN_PROGRESS, t=STANDARD):
    return derive_milestone(
        baseline=baseline, forecast=forecast, today=TODAY, progress=progress, thresholds=t
    )


def test_a_complete_milestone_is_blue_whatever_its_dates():
    late = TODAY - timedelta(days=300)
    assert milestone(late, late + timedelta(days=200), Progress.COMPLETE).rag is RAG.BLUE


def test_not_started_without_dates_is_grey():
    assert milestone(None, None, Progress.NOT_STARTED).rag is RAG.GREY


def test_a_passed_forecast_is_red_overdue():
    result = milestone(TODAY - timedelta(days=10), TODAY - timedelta(days=2))
    assert result.rag is RAG.RED and "Overdue" in result.reason


def test_a_passed_baseline_without_forecast_is_red():
    assert milestone(TODAY - timedelta(days=1)).rag is RAG.RED


@pytest.mark.parametrize(("slip", "colour"), [(1, RAG.AMBER), (28, RAG.AMBER), (29, RAG.RED)])
def test_slip_within_the_tolerance_is_amber_and_beyond_it_red(slip, colour):
    baseline = TODAY + timedelta(days=100)
    assert milestone(baseline, baseline + timedelta(days=slip)).rag is colour


@pytest.mark.parametrize(("days", "colour"), [(0, RAG.AMBER), (14, RAG.AMBER), (15, RAG.GREEN)])
def test_due_soon_is_amber(days, colour):
    assert milestone(TODAY + timedelta(days=days)).rag is colour


def test_a_forecast_ahead_of_its_baseline_is_green():
    baseline = TODAY + timedelta(days=100)
    assert milestone(baseline, baseline - timedelta(days=10)).rag is RAG.GREEN


def test_the_rule_text_names_the_programmes_numbers():
    text = Thresholds(21, 7).rule()
    assert "21 days" in text and "7 days" in text


@given(
    baseline=maybe_dates,
    forecast=maybe_dates,
    today=dates,
    t=thresholds,
)
def test_a_complete_milestone_is_always_blue(baseline, forecast, today, t):
    result = derive_milestone(
        baseline=baseline, forecast=forecast, today=today, progress=Progress.COMPLETE, thresholds=t
    )
    assert result.rag is RAG.BLUE


def test_a_later_forecast_cannot_clear_an_overdue_milestone():
    # Baseline 10 days ago, forecast yesterday: overdue. Forecasting 5 days ahead changes nothing.
    baseline = TODAY - timedelta(days=10)
    assert milestone(baseline, TODAY - timedelta(days=1)).rag is RAG.RED
    moved = milestone(baseline, TODAY + timedelta(days=5))
    assert moved.rag is RAG.RED and "Overdue: its baseline date passed 10 days ago" in moved.reason


def test_a_passed_forecast_ahead_of_its_baseline_is_not_overdue():
    result = milestone(TODAY + timedelta(days=60), TODAY - timedelta(days=1))
    assert result.rag is RAG.GREEN


def test_without_a_baseline_there_is_nothing_to_measure_against():
    result = milestone(None, TODAY - timedelta(days=5))
    assert result.rag is RAG.GREY and result.reason == "No baseline date to measure against."


def test_not_started_on_track_is_grey():
    result = milestone(TODAY + timedelta(days=100), None, Progress.NOT_STARTED)
    assert result.rag is RAG.GREY
    assert result.reason == "Not started; its baseline date is in 100 days, and it has not slipped."


@pytest.mark.parametrize(
    ("baseline", "forecast", "colour", "words"),
    [
        (-3, None, RAG.RED, "Overdue"),
        (100, 140, RAG.RED, "beyond the 28 days tolerance"),
        (100, 110, RAG.AMBER, "within the 28 days tolerance"),
        (10, None, RAG.AMBER, "within 14 days"),
    ],
)
def test_not_started_but_late_slipping_or_due_soon_is_not_hidden_as_grey(
    baseline, forecast, colour, words
):
    result = milestone(
        TODAY + timedelta(days=baseline),
        TODAY + timedelta(days=forecast) if forecast is not None else None,
        Progress.NOT_STARTED,
    )
    assert result.rag is colour and words in result.reason and "Not started." in result.reason


def test_the_rule_text_states_each_step_the_engine_takes():
    text = STANDARD.rule()
    for step in (
        "Complete is blue",
        "Marked missed is red, whatever the dates",
        "Without a baseline date it is grey",
        "the baseline date has passed → red (overdue), whatever the forecast",
        "more than 28 days after the baseline → red",
        "by up to that → amber (slipped)",
        "the baseline is within 14 days → amber (due soon)",
        "otherwise grey if work has not started, else green",
        "A forecast date that has passed while the baseline is still ahead leaves the colour",
    ):
        assert step in text


@given(
    baseline=maybe_dates,
    forecast=maybe_dates,
    today=dates,
    t=thresholds,
    p=st.sampled_from([Progress.IN_PROGRESS, Progress.NOT_STARTED]),
)
def test_a_missed_milestone_is_always_red(baseline, forecast, today, t, p):
    result = derive_milestone(
        baseline=baseline, forecast=forecast, today=today, progress=p, thresholds=t, missed=True
    )
    assert result.rag is RAG.RED and result.reason == "Marked missed."


def test_a_missed_milestone_ignores_an_override_and_a_complete_one_stays_blue():
    kw = {"baseline": date(2027, 1, 31), "forecast": date(2026, 11, 1), "today": TODAY}
    result = assess_milestone(
        **kw,
        progress=Progress.IN_PROGRESS,
        missed=True,
        override=Confidence.GREEN,
        override_reason="Recovering",
        override_expires_on=TODAY + timedelta(days=5),
    )
    assert result.rag is RAG.RED and not result.overridden
    assert derive_milestone(**kw, progress=Progress.COMPLETE, missed=True).rag is RAG.BLUE


@pytest.mark.parametrize(
    ("baseline", "progress", "colour"),
    [(30, Progress.IN_PROGRESS, RAG.GREEN), (10, Progress.IN_PROGRESS, RAG.AMBER),
     (30, Progress.NOT_STARTED, RAG.GREY)],
)  # fmt: skip
def test_a_passed_forecast_keeps_its_colour_and_says_it_needs_updating(baseline, progress, colour):
    result = milestone(TODAY + timedelta(days=baseline), TODAY - timedelta(days=2), progress)
    assert result.rag is colour
    assert result.reason.endswith(
        "Its forecast date, 18 November 2007, has passed: the forecast needs updating."
    )
    assert "needs updating" not in milestone(TODAY + timedelta(days=30), TODAY).reason


open_progress = st.sampled_from([Progress.IN_PROGRESS, Progress.NOT_STARTED])


@given(
    baseline=maybe_dates,
    forecast=dates,
    later=st.integers(min_value=0, max_value=400),
    today=dates,
    t=thresholds,
    progress=open_progress,
    missed=st.booleans(),
)
def test_moving_a_forecast_later_never_improves_the_rag(
    baseline, forecast, later, today, t, progress, missed
):
    before = derive_milestone(
        baseline=baseline,
        forecast=forecast,
        today=today,
        progress=progress,
        thresholds=t,
        missed=missed,
    )
    after = derive_milestone(
        baseline=baseline,
        forecast=forecast + timedelta(days=later),
        today=today,
        progress=progress,
        thresholds=t,
        missed=missed,
    )
    # Grey (not started, no data) is not on the scale: a measured RAG never turns grey, and
    # never turns better.
    if before.rag is not RAG.GREY:
        assert after.rag is not RAG.GREY
        assert SEVERITY[after.rag] >= SEVERITY[before.rag]


@given(
    baseline=maybe_dates,
    forecast=maybe_dates,
    today=dates,
    days=st.integers(min_value=0, max_value=400),
    t=thresholds,
    progress=open_progress,
    missed=st.booleans(),
)
def test_the_passing_of_time_never_improves_the_rag(
    baseline, forecast, today, days, t, progress, missed
):
    before = derive_milestone(
        baseline=baseline,
        forecast=forecast,
        today=today,
        progress=progress,
        thresholds=t,
        missed=missed,
    )
    after = derive_milestone(
        baseline=baseline,
        forecast=forecast,
        today=today + timedelta(days=days),
        progress=progress,
        thresholds=t,
        missed=missed,
    )
    if before.rag is not RAG.GREY:
        assert after.rag is not RAG.GREY
        assert SEVERITY[after.rag] >= SEVERITY[before.rag]


@given(baseline=maybe_dates, forecast=maybe_dates, today=dates, t=thresholds, p=open_progress)
def test_grey_means_not_started_or_no_baseline(baseline, forecast, today, t, p):
    result = derive_milestone(
        baseline=baseline, forecast=forecast, today=today, progress=p, thresholds=t
    )
    assert result.reason
    if result.rag is RAG.GREY:
        assert baseline is None or p is Progress.NOT_STARTED
    if baseline is None:
        assert result.rag is RAG.GREY


@given(baseline=dates, forecast=maybe_dates, today=dates, t=thresholds)
def test_a_dated_open_milestone_is_never_grey_or_blue(baseline, forecast, today, t):
    result = derive_milestone(
        baseline=baseline, forecast=forecast, today=today, progress=Progress.IN_PROGRESS,
        thresholds=t,
    )  # fmt: skip
    assert result.rag in (RAG.GREEN, RAG.AMBER, RAG.RED)


@given(rag_lists, st.integers(min_value=0, max_value=20))
def test_grey_items_never_change_the_percentages(rags, greys):
    without = roll_up([c for c in rags if c is not RAG.GREY])
    with_grey = roll_up([*rags, *[RAG.GREY] * greys])
    assert with_grey.measured == without.measured
    for colour in RAG:
        assert with_grey.share(colour) == without.share(colour)
    assert with_grey.counts[RAG.GREY] == rags.count(RAG.GREY) + greys


def test_every_five_point_rating_has_its_published_definition_and_folds_to_three():
    assert set(DCA_DEFINITIONS) == set(Confidence) == set(FOLD)
    assert fold(Confidence.AMBER_GREEN) is RAG.AMBER
    assert fold(Confidence.AMBER_RED) is RAG.RED
    assert DCA_DEFINITIONS[Confidence.GREEN].startswith("Successful delivery")


@given(st.sampled_from(list(Confidence)))
def test_folding_never_hides_a_risk(confidence):
    # The folded colour is never better than the better half of a mixed rating.
    best_half = {"green": RAG.GREEN, "amber": RAG.AMBER, "red": RAG.RED}[
        confidence.value.split("_")[-1]
    ]
    assert SEVERITY[fold(confidence)] >= SEVERITY[best_half]


def test_three_point_programmes_choose_red_amber_or_green_only():
    assert set(choices_for(Scale.THREE_POINT)) == {
        Confidence.RED,
        Confidence.AMBER,
        Confidence.GREEN,
    }
    assert set(choices_for(Scale.FIVE_POINT)) == set(Confidence)
    problems = milestone_override_problems(
        confidence=Confidence.AMBER_RED, reason="x", expires_on=TODAY + timedelta(days=1),
        today=TODAY,
    )  # fmt: skip
    assert "three points" in problems["confidence"]


def test_an_override_needs_a_reason_and_an_expiry_after_today():
    problems = milestone_override_problems(
        confidence=Confidence.RED, reason=" ", expires_on=TODAY, today=TODAY
    )
    assert problems == {
        "reason": "Give a reason for overriding the RAG",
        "expires_on": "The expiry date must be after today",
    }
    assert milestone_override_problems(
        confidence=None, reason="", expires_on=None, today=TODAY
    ).keys() == {"confidence", "reason", "expires_on"}


def test_an_override_shows_until_it_expires_then_the_derived_rag_returns():
    kwargs = {
        "baseline": TODAY + timedelta(days=100),
        "forecast": None,
        "progress": Progress.IN_PROGRESS,
        "override": Confidence.AMBER_RED,
        "override_reason": "Supplier at risk",
        "override_expires_on": TODAY + timedelta(days=5),
    }
    live = assess_milestone(today=TODAY, **kwargs)
    assert live.overridden and live.rag is RAG.RED and live.confidence is Confidence.AMBER_RED
    assert "Supplier at risk" in live.reason
    expired = assess_milestone(today=TODAY + timedelta(days=5), **kwargs)
    assert not expired.overridden and expired.rag is RAG.GREEN


@given(today=dates, confidence=st.sampled_from(list(Confidence)))
def test_an_override_never_hides_completion(today, confidence):
    result = assess_milestone(
        baseline=None,
        forecast=None,
        today=today,
        progress=Progress.COMPLETE,
        override=confidence,
        override_reason="x",
        override_expires_on=today + timedelta(days=1),
    )
    assert result.rag is RAG.BLUE and not result.overridden


def test_items_without_data_are_counted_apart_from_the_measured():
    result = roll_up([RAG.GREEN, RAG.RED, RAG.GREY, RAG.GREY])
    assert result.measured == 2
    assert result.no_data == 2
