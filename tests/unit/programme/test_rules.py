"""The programme's rules: dates a milestone may carry, loops of predecessors, completion."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import Progress
from govtrack.programme.enums import MilestoneStatus
from govtrack.programme.rules import (
    MISSED_REASON_NEEDED,
    SLIP_REASON_NEEDED,
    completion_problem,
    creates_cycle,
    date_problems,
    detail_change_text,
    forecast_out_of_date,
    long_dates_in,
    predecessor_change_text,
    progress_of,
    slip_reason_problem,
)

START = date(2002, 3, 1)
TODAY = date(2007, 11, 20)


def test_dates_before_the_programme_start_are_refused():
    problems = date_problems(
        starts_on=START, today=TODAY, baseline=date(2002, 2, 28), forecast=date(2001, 1, 1)
    )
    assert problems == {
        "baseline_date": "The baseline date must be on or after the programme start, 1 March 2002",
        "forecast_date": "The forecast date must be on or after the programme start, 1 March 2002",
    }


def test_an_actual_date_in_the_future_is_refused():
    problems = date_problems(starts_on=START, today=TODAY, actual=TODAY + timedelta(days=1))
    assert problems == {"actual_date": "The actual date must be today or in the past"}
    assert date_problems(starts_on=START, today=TODAY, actual=TODAY) == {}


def test_a_milestone_that_waits_on_itself_is_a_loop():
    assert creates_cycle(1, [1], {})


def test_a_loop_through_others_is_found():
    links = {2: [3], 3: [4]}
    assert creates_cycle(4, [2], links)
    assert not creates_cycle(5, [2], links)


@given(st.lists(st.tuples(st.integers(1, 8), st.integers(1, 8)), max_size=20))
def test_links_built_without_loops_never_contain_one(pairs):
    links: dict[int, list[int]] = {}
    for milestone, predecessor in pairs:
        wanted = [*links.get(milestone, []), predecessor]
        if not creates_cycle(milestone, wanted, links):
            links[milestone] = wanted
    # Following predecessors from any milestone never comes back to it.
    for start in links:
        seen, stack = set(), list(links[start])
        while stack:
            node = stack.pop()
            assert node != start
            if node not in seen:
                seen.add(node)
                stack.extend(links.get(node, []))


def test_complete_only_after_the_predecessors():
    open_pred = [("Decide", MilestoneStatus.IN_PROGRESS, None)]
    assert "before its predecessor “Decide” is complete" in completion_problem(TODAY, open_pred)
    later = [("Decide", MilestoneStatus.COMPLETE, TODAY + timedelta(days=1))]
    assert "completed on" in completion_problem(TODAY, later)
    done = [("Decide", MilestoneStatus.COMPLETE, TODAY), ("Agree", MilestoneStatus.COMPLETE, None)]
    assert completion_problem(TODAY, done) is None


def test_complete_only_on_or_before_its_successors():
    # Re-recording a completion as 1/3/2007 when the successor was done on 13/2/2007.
    successor = [("Go live", MilestoneStatus.COMPLETE, date(2007, 2, 13))]
    problem = completion_problem(date(2007, 3, 1), [], successor)
    assert problem == (
        "It cannot be complete after its successor “Go live”, completed on 13 February 2007"
    )
    assert completion_problem(date(2007, 2, 13), [], successor) is None
    still_open = [("Go live", MilestoneStatus.IN_PROGRESS, None)]
    assert completion_problem(date(2007, 3, 1), [], still_open) is None


def test_a_completion_without_a_date_is_checked_against_its_predecessors_status():
    assert "is complete" in completion_problem(None, [("Decide", MilestoneStatus.MISSED, None)])
    assert completion_problem(None, [("Decide", MilestoneStatus.COMPLETE, TODAY)]) is None


def test_missed_and_unreported_milestones_are_measured_as_open():
    assert progress_of(MilestoneStatus.MISSED) is Progress.IN_PROGRESS
    assert progress_of(MilestoneStatus.NOT_REPORTED) is Progress.IN_PROGRESS
    assert progress_of(MilestoneStatus.COMPLETE) is Progress.COMPLETE


def test_a_change_of_predecessors_names_what_was_added_and_removed():
    assert predecessor_change_text(["Decide"], []) == "Predecessor added: “Decide”."
    assert predecessor_change_text(["B", "A"], ["C"]) == (
        "Predecessors added: “A”, “B”. Predecessor removed: “C”."
    )
    assert predecessor_change_text([], []) == ""


def test_a_forecast_is_out_of_date_once_passed_on_an_open_milestone_not_missed():
    passed, ahead = TODAY - timedelta(days=1), TODAY
    assert forecast_out_of_date(MilestoneStatus.IN_PROGRESS, passed, None, TODAY)
    assert forecast_out_of_date(MilestoneStatus.NOT_STARTED, passed, None, TODAY)
    assert not forecast_out_of_date(MilestoneStatus.IN_PROGRESS, ahead, None, TODAY)
    assert not forecast_out_of_date(MilestoneStatus.IN_PROGRESS, None, None, TODAY)
    assert not forecast_out_of_date(MilestoneStatus.MISSED, passed, None, TODAY)
    assert not forecast_out_of_date(MilestoneStatus.COMPLETE, passed, passed, TODAY)


def test_an_edit_names_each_field_that_changed_with_old_and_new():
    before = {"title": "“CRM”", "objective": "1. Access", "owner_partner": "", "notes": "a"}
    after = {
        "title": "“CRM”",
        "objective": "2. Services",
        "owner_partner": "Lancaster",
        "notes": "b",
    }
    assert detail_change_text(before, after) == (
        "Objective: 1. Access → 2. Services. Owning partner: none → Lancaster. Notes edited."
    )
    assert detail_change_text(before, before) == ""


def test_iso_dates_in_history_text_are_shown_long():
    assert long_dates_in("Green until 2026-12-31") == "Green until 31 December 2026"
    assert long_dates_in("2007-02-30 and 12345-01-01x") == "2007-02-30 and 12345-01-01x"
    assert long_dates_in("") == ""


# A slip needs a reason -----------------------------------------------------------------------

BASE = date(2007, 4, 30)


def _slip(forecast_before, forecast, reason="", before=None, status=None):
    return slip_reason_problem(
        baseline=BASE,
        forecast_before=forecast_before,
        forecast=forecast,
        status_before=before or MilestoneStatus.IN_PROGRESS,
        status=status or MilestoneStatus.IN_PROGRESS,
        reason=reason,
    )


def test_a_forecast_later_than_expected_needs_a_reason():
    assert _slip(None, BASE + timedelta(days=1)) == SLIP_REASON_NEEDED
    assert _slip(BASE + timedelta(days=10), BASE + timedelta(days=20)) == SLIP_REASON_NEEDED
    assert _slip(None, BASE + timedelta(days=1), reason="Supplier late") is None


def test_bringing_a_forecast_forward_or_keeping_it_needs_no_reason():
    assert _slip(BASE + timedelta(days=10), BASE + timedelta(days=5)) is None
    assert _slip(BASE + timedelta(days=10), BASE + timedelta(days=10)) is None
    assert _slip(BASE + timedelta(days=10), None) is None
    assert _slip(None, BASE) is None


def test_marking_a_milestone_missed_needs_a_reason():
    assert _slip(None, None, status=MilestoneStatus.MISSED) == MISSED_REASON_NEEDED
    assert _slip(None, None, before=MilestoneStatus.MISSED, status=MilestoneStatus.MISSED) is None
    assert _slip(None, None, reason="Funding withdrawn", status=MilestoneStatus.MISSED) is None


@settings(max_examples=50)
@given(
    before=st.one_of(st.none(), st.dates(date(2002, 1, 1), date(2030, 12, 31))),
    after=st.one_of(st.none(), st.dates(date(2002, 1, 1), date(2030, 12, 31))),
    reason=st.text(max_size=5),
)
def test_a_reason_is_asked_for_exactly_when_the_expected_day_moves_later(before, after, reason):
    problem = _slip(before, after, reason=reason)
    expected = before or BASE
    later = after is not None and after > expected
    assert (problem is not None) == (later and not reason.strip())
