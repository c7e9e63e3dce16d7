"""The pipeline's rules: moves, shares of the enquiries, overdue, stage as at a date, time in
each stage."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import RAG
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.rules import (
    Edit,
    Move,
    Step,
    ahead_problem,
    date_integrated_problem,
    days_in_stages,
    enquiries_problem,
    is_overdue,
    length_problem,
    meeting_date_problem,
    planned_date_problem,
    service_rag,
    shares,
    slip_days,
    stage_on,
    stale_problem,
    transition_problems,
    values_on,
    years_after,
)

TODAY = date(2007, 3, 22)


def move(current=Stage.MANDATE, to=Stage.BUSINESS_CASE, **overrides) -> Move:
    values = {
        "current": current,
        "seen": current,
        "to": to,
        "on": TODAY,
        "reason": "",
        "date_integrated": None,
        "last_move_on": date(2007, 1, 1),
    }
    values.update(overrides)
    return Move(**values)


def test_the_next_stage_needs_no_reason():
    assert transition_problems(move(), TODAY) == {}


def test_moving_back_needs_a_reason():
    problems = transition_problems(move(Stage.START_UP, Stage.MANDATE), TODAY)
    assert problems == {
        "reason": "Give a reason for moving the service back from 3 - Start up to 1 - Mandate"
    }
    assert transition_problems(move(Stage.START_UP, Stage.MANDATE, reason="Paused"), TODAY) == {}


def test_skipping_names_the_stages_skipped():
    problems = transition_problems(move(Stage.MANDATE, Stage.PROJECT_PLANNING), TODAY)
    assert problems["reason"] == "Give a reason for skipping Business Case, Start up"


def test_a_reason_of_only_spaces_is_no_reason():
    assert "reason" in transition_problems(move(Stage.START_UP, Stage.MANDATE, reason="  "), TODAY)


def test_operational_needs_a_date_integrated_not_in_the_future():
    to_live = move(Stage.INTEGRATION, Stage.OPERATIONAL)
    assert "date_integrated" in transition_problems(to_live, TODAY)
    future = move(Stage.INTEGRATION, Stage.OPERATIONAL, date_integrated=TODAY + timedelta(1))
    assert transition_problems(future, TODAY) == {
        "date_integrated": "The date integrated must be today or in the past"
    }
    done = move(Stage.INTEGRATION, Stage.OPERATIONAL, date_integrated=TODAY)
    assert transition_problems(done, TODAY) == {}


def test_a_stale_form_is_refused_before_anything_else():
    stale = move(Stage.START_UP, Stage.MANDATE, seen=Stage.MANDATE)
    problems = transition_problems(stale, TODAY)
    assert list(problems) == ["from_stage"]
    assert "now at 3 - Start up, not 1 - Mandate" in problems["from_stage"]
    assert stale_problem(Stage.MANDATE, Stage.MANDATE) is None


def test_a_move_to_the_same_stage_is_refused():
    assert "to_stage" in transition_problems(move(Stage.MANDATE, Stage.MANDATE), TODAY)


def test_a_move_is_dated_in_order_and_not_in_the_future():
    assert "moved_on" in transition_problems(move(on=TODAY + timedelta(1)), TODAY)
    assert "moved_on" in transition_problems(move(on=date(2006, 12, 31)), TODAY)
    assert transition_problems(move(on=date(2007, 1, 1)), TODAY) == {}


@given(st.sampled_from(Stage), st.sampled_from(Stage))
def test_only_the_next_stage_or_a_reasoned_move_is_allowed(current, to):
    integrated = date(2007, 2, 1) if to == Stage.OPERATIONAL else None
    problems = transition_problems(move(current, to, date_integrated=integrated), TODAY)
    if to == current:
        assert "to_stage" in problems
    elif to == current + 1:
        assert problems == {}
    else:
        assert "reason" in problems
        reasoned = move(current, to, date_integrated=integrated, reason="Agreed")
        assert transition_problems(reasoned, TODAY) == {}


@given(st.sampled_from(Stage), st.sampled_from([s for s in Stage if s != Stage.OPERATIONAL]))
def test_a_date_integrated_is_refused_on_a_move_to_any_stage_but_operational(current, to):
    problems = transition_problems(
        move(current, to, date_integrated=date(2007, 2, 1), reason="Agreed"), TODAY
    )
    if to != current:
        assert problems == {
            "date_integrated": "Leave the date integrated empty: only an Operational service "
            f"has one, not one at {to.numbered}"
        }
    assert date_integrated_problem(date(2007, 2, 1), TODAY, to) is not None
    assert date_integrated_problem(None, TODAY, to) is None


def test_the_date_integrated_falls_between_the_last_move_and_the_move_to_operational():
    def problems(integrated, on=date(2007, 3, 1)):
        return transition_problems(
            move(
                Stage.INTEGRATION,
                Stage.OPERATIONAL,
                on=on,
                date_integrated=integrated,
                last_move_on=date(2007, 1, 1),
            ),
            TODAY,
        )

    assert problems(date(2001, 1, 1)) == {
        "date_integrated": "The date integrated cannot be before 1 January 2007, when the "
        "service reached 6 - Integration"
    }
    assert problems(date(2007, 3, 2)) == {
        "date_integrated": "The date integrated cannot be after the date of the move "
        "(1 March 2007): a service is Operational from the day it was integrated"
    }
    for inside in (date(2007, 1, 1), date(2007, 2, 14), date(2007, 3, 1)):
        assert problems(inside) == {}


@given(st.dates(min_value=date(2000, 1, 1), max_value=TODAY))
def test_a_move_to_operational_takes_only_a_date_integrated_in_its_window(integrated):
    last, on = date(2006, 6, 1), date(2007, 1, 1)
    found = transition_problems(
        move(
            Stage.INTEGRATION,
            Stage.OPERATIONAL,
            on=on,
            date_integrated=integrated,
            last_move_on=last,
        ),
        TODAY,
    )
    assert ("date_integrated" in found) == (not last <= integrated <= on)


def test_stages_parse_from_numbers_labels_and_the_papers_wording():
    assert Stage.parse("7 - Operational") is Stage.OPERATIONAL
    assert Stage.parse("7 \u2013 Operational") is Stage.OPERATIONAL
    assert Stage.parse("business case") is Stage.BUSINESS_CASE
    assert Stage.parse("3") is Stage.START_UP
    assert Stage.parse(5) is Stage.PRODUCT_DELIVERY
    for unknown in ("8", "0", "Partially Integrated", "", None, "-1"):
        assert Stage.parse(unknown) is None


def test_appendix_a_shares():
    volumes = [2167, 11, 125, 105, 1400, 10000, 4400, 530, 30, None]
    assert shares(volumes) == [
        Decimal("11.55"),
        Decimal("0.06"),
        Decimal("0.67"),
        Decimal("0.56"),
        Decimal("7.46"),
        Decimal("53.28"),
        Decimal("23.44"),
        Decimal("2.82"),
        Decimal("0.16"),
        None,
    ]


def test_no_enquiries_give_no_shares():
    assert shares([None, 0, None]) == [None, None, None]


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), max_size=60))
def test_shares_add_up_to_exactly_100_and_follow_the_volumes(volumes):
    result = shares(volumes)
    assert len(result) == len(volumes)
    known = [s for s in result if s is not None]
    if sum(v for v in volumes if v):
        assert sum(known) == Decimal("100.00")
        total = sum(v for v in volumes if v)
        for volume, share in zip(volumes, result, strict=True):
            if volume is not None:
                exact = Decimal(100 * volume) / Decimal(total)
                assert abs(share - exact) < Decimal("0.01")
    else:
        assert known == []


def test_overdue_means_planned_date_passed_and_not_operational():
    planned = date(2007, 1, 10)
    assert is_overdue(Stage.PRODUCT_DELIVERY, planned, TODAY)
    assert not is_overdue(Stage.OPERATIONAL, planned, TODAY)
    assert not is_overdue(Stage.PRODUCT_DELIVERY, TODAY, TODAY)  # due today is not late yet
    assert not is_overdue(Stage.MANDATE, None, TODAY)


def test_the_stage_on_a_day_is_the_latest_move_on_or_before_it():
    steps = [
        Step(date(2006, 1, 1), 1, Stage.MANDATE),
        Step(date(2006, 6, 1), 2, Stage.BUSINESS_CASE),
        Step(date(2006, 6, 1), 3, Stage.START_UP),  # same day, recorded later
        Step(date(2007, 6, 1), 4, Stage.OPERATIONAL),
    ]
    assert stage_on(steps, date(2005, 12, 31)) is None
    assert stage_on(steps, date(2006, 3, 1)) is Stage.MANDATE
    assert stage_on(steps, date(2006, 6, 1)) is Stage.START_UP
    assert stage_on(reversed(steps), date(2007, 3, 22)) is Stage.START_UP
    assert stage_on(steps, date(2008, 1, 1)) is Stage.OPERATIONAL


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=3000), st.sampled_from(Stage)),
        min_size=1,
        max_size=20,
    ),
    st.integers(min_value=0, max_value=3500),
)
def test_the_stage_on_a_day_ignores_later_moves(moves, offset):
    start = date(2000, 1, 1)
    steps = [Step(start + timedelta(d), i, s) for i, (d, s) in enumerate(moves)]
    day = start + timedelta(offset)
    earlier = [s for s in steps if s.on <= day]
    expected = max(earlier, key=lambda s: (s.on, s.sequence)).to if earlier else None
    assert stage_on(steps, day) == expected


def test_days_in_each_stage_count_only_finished_stays():
    one = [
        Step(date(2006, 1, 1), 1, Stage.MANDATE),
        Step(date(2006, 1, 11), 2, Stage.BUSINESS_CASE),
        Step(date(2006, 2, 10), 3, Stage.START_UP),
    ]
    two = [
        Step(date(2006, 1, 1), 4, Stage.MANDATE),
        Step(date(2006, 1, 31), 5, Stage.BUSINESS_CASE),
    ]
    spreads = {s.stage: s for s in days_in_stages([one, two], TODAY)}
    assert spreads[Stage.MANDATE].count == 2
    assert spreads[Stage.MANDATE].median == 20.0
    assert (spreads[Stage.MANDATE].shortest, spreads[Stage.MANDATE].longest) == (10, 30)
    assert spreads[Stage.BUSINESS_CASE].count == 1  # the second is still in it
    assert spreads[Stage.START_UP].count == 0 and spreads[Stage.START_UP].median is None


def test_slip_is_actual_minus_planned():
    assert slip_days(date(2007, 1, 10), date(2007, 1, 17)) == 7
    assert slip_days(date(2007, 1, 10), None) is None


@pytest.mark.parametrize("stage", list(Stage))
def test_each_stage_reads_as_the_paper_prints_it(stage):
    assert stage.numbered.startswith(f"{stage.value} - ")


@given(st.integers(min_value=0, max_value=1_000_000))
def test_any_count_up_to_a_million_a_month_is_accepted(value):
    assert enquiries_problem(value) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "Average contact-centre telephone enquiries a month must be 0 or more"),
        (
            1_000_001,
            "Average contact-centre telephone enquiries a month must be 1,000,000 or fewer",
        ),
        (
            10**25 - 1,
            "Average contact-centre telephone enquiries a month must be 1,000,000 or fewer",
        ),
    ],
)
def test_enquiries_below_zero_or_over_a_million_are_refused(value, message):
    assert enquiries_problem(value) == message


def test_as_at_a_day_edits_recorded_later_are_undone_newest_first():
    current = {"note": "third", "date_integrated": None}
    edits = [Edit({"note": ["second", "third"]}), Edit({"note": ["first", "second"]})]

    assert values_on(current, edits, TODAY) == {"note": "first", "date_integrated": None}


def test_as_at_a_day_a_move_dated_by_then_keeps_the_date_integrated_it_set():
    to_operational = Edit(
        {"stage": [1, 7], "date_integrated": [None, "2007-01-10"]}, moved_on=date(2007, 1, 10)
    )
    later_edit = Edit({"date_integrated": ["2007-01-10", "2007-01-12"]})
    earlier_edit = Edit({"date_integrated": ["2006-05-01", None]})

    shown = values_on(
        {"date_integrated": "2007-01-12"}, [later_edit, to_operational, earlier_edit], TODAY
    )
    before_the_move = values_on(
        {"date_integrated": "2007-01-12"},
        [later_edit, to_operational, earlier_edit],
        date(2007, 1, 9),
    )

    assert shown == {"date_integrated": "2007-01-10"}
    assert before_the_move == {"date_integrated": "2006-05-01"}


def test_as_at_a_day_a_move_out_of_operational_dated_by_then_keeps_it_cleared():
    back = Edit({"stage": [7, 6], "date_integrated": ["2007-01-10", None]}, date(2007, 2, 1))

    assert values_on({"date_integrated": None}, [back], TODAY) == {"date_integrated": None}
    assert values_on({"date_integrated": None}, [back], date(2007, 1, 31)) == {
        "date_integrated": "2007-01-10"
    }


@given(st.dates(max_value=date(1999, 12, 31)))
def test_no_date_before_2000_is_taken_for_a_move_or_a_date_integrated(day):
    early = move(on=day, last_move_on=None, to=Stage.OPERATIONAL, date_integrated=day)

    problems = transition_problems(early, TODAY)

    assert problems["moved_on"] == "The date of the move must be 1 January 2000 or later"
    assert problems["date_integrated"] == "The date integrated must be 1 January 2000 or later"
    assert date_integrated_problem(day, TODAY, Stage.OPERATIONAL) == problems["date_integrated"]


def test_the_first_day_of_2000_is_taken():
    first = move(
        Stage.INTEGRATION,
        Stage.OPERATIONAL,
        on=date(2000, 1, 1),
        last_move_on=None,
        date_integrated=date(2000, 1, 1),
    )
    assert transition_problems(first, TODAY) == {}


def test_planned_dates_run_from_2000_to_twenty_years_ahead():
    assert planned_date_problem(date(1900, 1, 1), TODAY) == (
        "The planned integration date must be 1 January 2000 or later"
    )
    assert planned_date_problem(date(2150, 1, 1), TODAY) == (
        "The planned integration date must be 22 March 2027 or earlier (not more than 20 "
        "years ahead)"
    )
    for fine in (None, date(2000, 1, 1), date(2027, 3, 22)):
        assert planned_date_problem(fine, TODAY) is None


def test_meeting_dates_run_from_2000_to_five_years_ahead():
    assert meeting_date_problem(date(1890, 1, 1), TODAY) == (
        "The date of the head-of-service meeting must be 1 January 2000 or later"
    )
    assert meeting_date_problem(date(2012, 3, 23), TODAY) == (
        "The date of the head-of-service meeting must be 22 March 2012 or earlier (not more "
        "than 5 years ahead)"
    )
    assert meeting_date_problem(date(2012, 3, 22), TODAY) is None


@given(st.dates(date(2000, 1, 1), date(2900, 12, 31)), st.integers(min_value=0, max_value=50))
def test_a_date_is_never_refused_up_to_its_years_ahead(today, years):
    latest = years_after(today, years)
    assert latest >= today
    assert ahead_problem(latest, max(today, date(2000, 1, 1)), years, "It") is None


def test_long_text_is_refused_with_its_limit_named():
    assert length_problem("x" * 2000, 2000, "Notes") is None
    assert length_problem("x" * 2001, 2000, "Notes") == "Notes must be 2,000 characters or fewer"


# A service's RAG (what an objective's page and roll-up show for a linked service) ----------


def test_an_operational_service_is_blue_even_past_its_planned_date():
    assessment = service_rag(Stage.OPERATIONAL, date(2007, 3, 1), date(2008, 1, 1))
    assert assessment.rag is RAG.BLUE


def test_a_service_without_a_planned_date_is_grey():
    assert service_rag(Stage.BUSINESS_CASE, None, date(2008, 1, 1)).rag is RAG.GREY


@given(
    stage=st.sampled_from(list(Stage)),
    planned=st.dates(date(2005, 1, 1), date(2012, 12, 31)),
    today=st.dates(date(2005, 1, 1), date(2012, 12, 31)),
)
@settings(max_examples=50)
def test_a_service_is_red_exactly_when_it_is_overdue(stage, planned, today):
    """The page's red tag and its "Overdue" mark never disagree."""
    assert (service_rag(stage, planned, today).rag is RAG.RED) == is_overdue(stage, planned, today)
