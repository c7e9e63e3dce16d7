"""Scrutiny rules: response deadlines (s.9FE two months for the body's own council, the agreed
days for others), overdue responses, review dates, what an update may say, sign-off, and the
RAG a recommendation shows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.core.rag import RAG
from govtrack.scrutiny.enums import Assessment, ResponseDecision, Status
from govtrack.scrutiny.rules import (
    RESPONSE_DUTY_SINCE,
    SCRUTINY_SINCE,
    HistoryItem,
    UpdateInput,
    add_months,
    earliest_update,
    next_review,
    no_due_date_because,
    recommendation_rag,
    report_day_problem,
    response_due,
    response_overdue,
    response_problems,
    review_due,
    signoff_problem,
    standing,
    state_from_history,
    update_problems,
)

TODAY = date(2007, 11, 20)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def entry(**values) -> UpdateInput:
    base = {
        "on": TODAY,
        "text": "Progress.",
        "assessment": None,
        "status": None,
        "new_target_date": None,
        "slip_reason": "",
        "rag_override": None,
        "rag_reason": "",
    }
    base.update(values)
    return UpdateInput(**base)


def problems(**values) -> dict[str, str]:
    found = update_problems(entry(**values), Status.IN_PROGRESS, TODAY)
    return {k: v for k, v in found.items() if v}


def test_host_council_has_two_months_from_receipt():
    assert response_due(date(2008, 3, 7), host=True, partner_days=56) == date(2008, 5, 7)
    assert response_due(date(2007, 12, 31), host=True, partner_days=56) == date(2008, 2, 29)


def test_no_deadline_for_the_host_before_the_law_set_one():
    # The LGPIHA 2007 (Royal Assent 30 October 2007) first required an executive's response:
    # the LCC task group's report received on 5 September 2006 had no due date.
    assert response_due(date(2006, 9, 5), host=True, partner_days=56) is None
    assert response_due(date(2007, 10, 29), host=True, partner_days=56) is None
    assert response_due(date(2007, 10, 30), host=True, partner_days=56) == date(2007, 12, 30)
    # Other partners' days come from their agreement, whatever the year.
    assert response_due(date(2006, 9, 5), host=False, partner_days=56) == date(2006, 10, 31)
    assert "30 October 2007" in no_due_date_because(date(2006, 9, 5))
    assert no_due_date_because(None) == "no report date yet"


def test_other_partners_have_the_agreed_days():
    assert response_due(date(2007, 3, 7), host=False, partner_days=56) == date(2007, 5, 2)
    assert response_due(None, host=False, partner_days=56) is None


def test_overdue_only_when_missing_and_past_due():
    due = date(2007, 5, 7)
    assert response_overdue(due, None, date(2007, 5, 8))
    assert not response_overdue(due, None, due)
    assert not response_overdue(due, date(2007, 6, 1), date(2007, 7, 1))
    assert not response_overdue(None, None, date(2020, 1, 1))


def test_review_is_due_six_months_after_the_last():
    assert next_review(date(2007, 11, 20)) == date(2008, 5, 20)
    assert review_due(date(2008, 5, 20), Status.IN_PROGRESS, date(2008, 5, 20))
    assert not review_due(date(2008, 5, 20), Status.SIGNED_OFF, date(2009, 1, 1))


def test_future_dated_update_is_refused():
    assert problems(on=TODAY + timedelta(days=1)) == {
        "on": "The date of the update must be today or in the past"
    }


def test_slipped_needs_date_and_reason():
    assert set(problems(assessment=Assessment.SLIPPED)) == {"new_target_date", "slip_reason"}
    assert (
        problems(
            assessment=Assessment.SLIPPED, new_target_date=date(2008, 4, 1), slip_reason="CRM late"
        )
        == {}
    )


def test_override_without_reason_is_refused():
    assert problems(rag_override=RAG.RED, rag_override_until=TODAY + timedelta(days=1)) == {
        "rag_reason": "Give a reason for overriding the RAG"
    }


def test_an_override_needs_an_end_date_in_the_future():
    assert problems(rag_override=RAG.RED, rag_reason="Board") == {
        "rag_override_until": "Give the date the override ends"
    }
    assert problems(rag_override=RAG.RED, rag_reason="Board", rag_override_until=TODAY) == {
        "rag_override_until": "The date the override ends must be in the future"
    }
    assert set(problems(rag_override_until=TODAY + timedelta(days=9))) == {"rag_override_until"}


@given(until=dates, today=dates)
def test_an_override_shows_exactly_until_its_end_date(until, today):
    result = recommendation_rag(
        status=Status.IN_PROGRESS,
        target_date=None,
        revised_target_date=None,
        today=today,
        override=RAG.RED,
        override_reason="Board",
        override_until=until,
    )
    assert result.overridden == (today < until)
    assert result.rag is (RAG.RED if today < until else RAG.GREY)
    if result.overridden:
        assert result.reason.startswith(f"Overridden until {until.day} ")


def test_no_update_after_sign_off():
    found = update_problems(entry(), Status.SIGNED_OFF, TODAY)
    assert "signed off" in found["text"]


def test_only_implemented_or_achieved_is_signed_off():
    assert signoff_problem(Status.IN_PROGRESS, Assessment.ON_TRACK)
    assert signoff_problem(Status.IN_PROGRESS, Assessment.ACHIEVED) is None
    assert signoff_problem(Status.IMPLEMENTED, None) is None
    assert signoff_problem(Status.SIGNED_OFF, Assessment.ACHIEVED)


@pytest.mark.parametrize(
    ("status", "target", "expected"),
    [
        (Status.IMPLEMENTED, date(2000, 1, 1), RAG.BLUE),
        (Status.SIGNED_OFF, None, RAG.BLUE),
        (Status.NOT_STARTED, None, RAG.GREY),
        (Status.IN_PROGRESS, TODAY - timedelta(days=1), RAG.RED),
        (Status.IN_PROGRESS, TODAY + timedelta(days=10), RAG.AMBER),
        (Status.NOT_STARTED, TODAY + timedelta(days=100), RAG.GREEN),
    ],
)
def test_recommendation_rag(status, target, expected):
    result = recommendation_rag(
        status=status, target_date=target, revised_target_date=None, today=TODAY
    )
    assert result.rag is expected


def test_a_revised_target_replaces_the_original():
    result = recommendation_rag(
        status=Status.IN_PROGRESS,
        target_date=TODAY - timedelta(days=30),
        revised_target_date=TODAY + timedelta(days=90),
        today=TODAY,
    )
    assert result.rag is RAG.GREEN


@given(day=dates, months=st.integers(min_value=0, max_value=240))
def test_add_months_lands_in_the_right_month_never_earlier(day, months):
    later = add_months(day, months)
    assert later >= day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day


@given(received=dates, days=st.integers(min_value=1, max_value=365), host=st.booleans())
def test_a_response_is_never_due_before_the_report_arrives(received, days, host):
    due = response_due(received, host, days)
    # None only for the host, on a report received before the law asked for a response.
    assert due > received if due is not None else host and received < RESPONSE_DUTY_SINCE


@given(on=dates, today=dates)
def test_an_update_is_refused_exactly_when_it_is_in_the_future(on, today):
    found = update_problems(entry(on=on), Status.IN_PROGRESS, today)
    assert bool(found.get("on")) == (on > today)


history_items = st.builds(
    HistoryItem,
    on=st.dates(min_value=date(2007, 1, 1), max_value=date(2008, 12, 31)),
    order=st.tuples(st.integers(min_value=0, max_value=10**6)),
    status=st.one_of(st.none(), st.sampled_from(list(Status))),
    assessment=st.one_of(st.none(), st.sampled_from(list(Assessment))),
    new_target_date=st.one_of(st.none(), dates),
    rag_override=st.one_of(st.none(), st.sampled_from([RAG.RED, RAG.AMBER, RAG.GREEN])),
    rag_reason=st.just("a reason"),
    signed_off=st.booleans(),
)


@given(items=st.lists(history_items, max_size=12, unique_by=lambda i: i.order), data=st.data())
def test_the_state_depends_on_the_history_not_on_the_order_it_was_entered(items, data):
    shuffled = data.draw(st.permutations(items))
    assert state_from_history(list(shuffled)) == state_from_history(items)


@given(items=st.lists(history_items, min_size=1, max_size=12, unique_by=lambda i: i.order))
def test_the_latest_dated_status_wins(items):
    with_status = [i for i in items if i.status is not None]
    state = state_from_history(items)
    if with_status:
        latest = max(with_status, key=lambda i: (i.on, *i.order))
        assert state.status is latest.status
    else:
        assert state.status is Status.NOT_STARTED


def test_a_back_dated_update_does_not_undo_later_news():
    later = HistoryItem(on=date(2007, 11, 20), order=(1,), status=Status.IMPLEMENTED)
    earlier = HistoryItem(on=date(2007, 6, 1), order=(2,), status=Status.IN_PROGRESS)
    assert state_from_history([later, earlier]).status is Status.IMPLEMENTED


def test_a_response_is_checked_field_by_field_all_at_once():
    found = response_problems(
        partner_id=None,
        addressee_ids=[1, 2],
        decision=ResponseDecision.REJECTED,
        responded_on=TODAY + timedelta(days=1),
        reasons=" ",
        today=TODAY,
    )
    assert {k for k, v in found.items() if v} == {"partner_id", "responded_on", "reasons"}
    found = response_problems(
        partner_id=3,
        addressee_ids=[1, 2],
        decision=ResponseDecision.ACCEPTED,
        responded_on=TODAY,
        reasons="",
        today=TODAY,
    )
    assert {k: v for k, v in found.items() if v} == {
        "partner_id": "This recommendation is not addressed to that partner"
    }


def test_an_update_cannot_predate_the_report_or_else_the_inquiry():
    reported, started = date(2006, 9, 5), date(2006, 3, 17)
    found = update_problems(
        entry(on=date(1, 1, 1)), Status.IN_PROGRESS, TODAY, earliest_update(reported, started)
    )
    assert found["on"] == (
        "The date of the update must be on or after 5 September 2006, the day the inquiry's "
        "final report was received"
    )
    assert "26 October 2006, the day the inquiry started" in update_problems(
        entry(on=date(2006, 10, 25)),
        Status.IN_PROGRESS,
        TODAY,
        earliest_update(None, date(2006, 10, 26)),
    ).get("on")
    assert earliest_update(None, None).on == SCRUTINY_SINCE
    assert not update_problems(
        entry(on=reported), Status.IN_PROGRESS, TODAY, earliest_update(reported, started)
    ).get("on")


@given(on=dates, new_target=dates)
def test_a_slipped_target_is_refused_exactly_when_not_after_the_update(on, new_target):
    found = update_problems(
        entry(on=on, assessment=Assessment.SLIPPED, new_target_date=new_target, slip_reason="Late"),
        Status.IN_PROGRESS,
        date(2041, 1, 1),
    )
    assert bool(found.get("new_target_date")) == (new_target <= on)


@given(
    items=st.lists(history_items, min_size=1, max_size=10, unique_by=lambda i: i.order),
    said=history_items,
    data=st.data(),
)
def test_replaying_with_a_correction_is_replaying_as_if_the_corrected_update_said_it(
    items, said, data
):
    items = [replace(item, id=n) for n, item in enumerate(items, 1)]
    corrected = data.draw(st.sampled_from(items))
    correction = replace(said, id=len(items) + 1, corrects_id=corrected.id, order=(10**7,))
    instead = [i for i in items if i is not corrected] + [replace(correction, corrects_id=None)]
    assert state_from_history([*items, correction]) == state_from_history(instead)


def test_a_same_day_correction_takes_back_achieved_and_implemented():
    before = HistoryItem(on=TODAY, order=(1,), id=1, status=Status.IN_PROGRESS)
    achieved = HistoryItem(
        on=TODAY, order=(2,), id=2, assessment=Assessment.ACHIEVED, status=Status.IMPLEMENTED
    )
    on_track = HistoryItem(
        on=TODAY, order=(3,), id=3, assessment=Assessment.ON_TRACK, corrects_id=2
    )
    assert state_from_history([before, achieved]).status is Status.IMPLEMENTED
    assert state_from_history([before, achieved, on_track]).status is Status.IN_PROGRESS


def test_a_corrected_correction_still_leaves_out_what_it_corrected():
    first = HistoryItem(on=TODAY, order=(1,), id=1)
    second = HistoryItem(on=TODAY, order=(2,), id=2, corrects_id=1)
    third = HistoryItem(on=TODAY, order=(3,), id=3, corrects_id=2)
    assert standing([first, second, third]) == [third]
    # A sign-off or reopening (no id) always counts.
    event = HistoryItem(on=TODAY, order=(4,), signed_off=True, status=Status.SIGNED_OFF)
    assert standing([first, event]) == [first, event]


@given(responded_on=dates, reported=dates)
def test_a_response_is_refused_exactly_when_it_predates_the_report(responded_on, reported):
    found = response_problems(
        partner_id=1,
        addressee_ids=[1],
        decision=ResponseDecision.ACCEPTED,
        responded_on=responded_on,
        reasons="",
        today=date(2041, 1, 1),
        earliest=earliest_update(reported, None),
    )
    assert bool(found["responded_on"]) == (responded_on < reported)


@given(day=dates, today=dates)
def test_a_report_date_is_refused_exactly_when_in_the_future(day, today):
    found = report_day_problem(day.isoformat(), day, today, "as at")
    assert bool(found) == (day > today)
    assert report_day_problem("2026-13-45", None, today, "as at") == (
        "Enter the 'as at' date like 20/11/2007 or 20 November 2007"
    )
    assert report_day_problem(" ", None, today, "as at") is None


def test_a_report_date_in_an_impossible_year_is_refused_with_the_range():
    assert report_day_problem("1/1/1066", date(1066, 1, 1), date(2026, 12, 6), "as at") == (
        "The 'as at' date must be between 1 January 1970 and 31 December 2100"
    )


def test_the_final_report_is_not_received_before_the_inquiry_started():
    from govtrack.scrutiny.rules import inquiry_dates_problem

    assert inquiry_dates_problem(date(2006, 10, 26), date(2006, 10, 25)) is not None
    assert inquiry_dates_problem(date(2006, 10, 26), date(2006, 10, 26)) is None
    assert inquiry_dates_problem(None, date(2006, 10, 25)) is None
