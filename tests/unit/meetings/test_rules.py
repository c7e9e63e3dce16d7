"""Meeting rules: clear days' notice, exempt paragraphs, attendance, minutes, actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.meetings import rules
from govtrack.meetings.models import AttendanceStatus, MinutesStatus
from govtrack.meetings.rules import AttendanceEntry
from govtrack.registry.models import Jurisdiction

ENGLAND, WALES = Jurisdiction.ENGLAND, Jurisdiction.WALES


def test_clear_days_exclude_publication_day_meeting_day_and_weekends():
    # Published Monday 5 March 2007 for Monday 12 March: Tue-Fri are clear (4 days).
    assert rules.clear_days(date(2007, 3, 5), date(2007, 3, 12), ENGLAND) == 4
    # Published the Friday before: Mon-Fri of the week between are 5 clear days.
    assert rules.clear_days(date(2007, 3, 2), date(2007, 3, 12), ENGLAND) == 5


def test_bank_holidays_of_the_nation_do_not_count():
    # Easter Monday 9 April 2007 is a bank holiday in England and Wales.
    assert rules.clear_days(date(2007, 4, 5), date(2007, 4, 13), ENGLAND) == 3  # Tue-Thu
    # St Andrew's Day is a Scottish holiday only: it counts in England.
    assert rules.is_working_day(date(2026, 11, 30), ENGLAND)
    # 26 December 2026 is a Saturday; the substitute holiday Monday 28th does not count.
    assert not rules.is_working_day(date(2026, 12, 28), WALES)


def test_notice_asks_for_a_reason_when_short():
    short = rules.notice(date(2007, 3, 5), date(2007, 3, 12), ENGLAND)
    assert short.short and short.required == 5
    assert "the law asks for 5" in short.explain()
    wales = rules.notice(date(2007, 3, 5), date(2007, 3, 12), WALES)
    assert not wales.short and wales.required == 3


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 1, 1)), st.integers(0, 60))
def test_clear_days_never_exceed_the_calendar_days_between(published, gap):
    meeting = published + timedelta(days=gap)
    days = rules.clear_days(published, meeting, ENGLAND)
    assert 0 <= days <= max(0, gap - 1)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 1, 1)), st.integers(1, 40))
def test_publishing_earlier_never_gives_less_notice(published, earlier_by):
    meeting = published + timedelta(days=20)
    assert rules.clear_days(
        published - timedelta(days=earlier_by), meeting, ENGLAND
    ) >= rules.clear_days(published, meeting, ENGLAND)


def test_exempt_paragraphs_differ_by_nation():
    assert rules.exempt_paragraph_problem(3, ENGLAND) is None
    assert rules.exempt_paragraph_problem(14, WALES) is None
    assert "12 to 18" in rules.exempt_paragraph_problem(3, WALES)
    assert "1 to 7" in rules.exempt_paragraph_problem(14, ENGLAND)
    assert "financial or business affairs" in rules.exempt_paragraph_label(3, ENGLAND)


def test_agenda_editable_until_the_meeting_day_is_over():
    day = date(2007, 3, 7)
    assert rules.agenda_is_editable(day, day)
    assert not rules.agenda_is_editable(day, day + timedelta(days=1))


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (MinutesStatus.NONE, MinutesStatus.DRAFT, True),
        (MinutesStatus.DRAFT, MinutesStatus.PUBLISHED, True),
        (MinutesStatus.PUBLISHED, MinutesStatus.CONFIRMED, True),
        (MinutesStatus.DRAFT, MinutesStatus.CONFIRMED, False),
        (MinutesStatus.CONFIRMED, MinutesStatus.DRAFT, False),
        (MinutesStatus.CONFIRMED, MinutesStatus.PUBLISHED, False),
    ],
)
def test_minutes_move_draft_published_confirmed(current, wanted, allowed):
    assert (rules.minutes_transition_problem(current, wanted) is None) == allowed


def test_confirmed_minutes_explain_what_to_do_instead():
    problem = rules.minutes_transition_problem(MinutesStatus.CONFIRMED, MinutesStatus.DRAFT)
    assert "Add a correction instead" in problem


def test_action_status():
    today = date(2007, 3, 1)
    assert rules.action_status(None, None, today) == "open"
    assert rules.action_status(date(2007, 3, 1), None, today) == "open"
    assert rules.action_status(date(2007, 2, 28), None, today) == "overdue"
    assert rules.action_status(date(2007, 2, 28), date(2007, 3, 1), today) == "done"


P, A, X, S = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.APOLOGIES,
    AttendanceStatus.ABSENT,
    AttendanceStatus.SUBSTITUTE,
)


def test_attendance_of_members_and_a_substitute_is_accepted():
    entries = [AttendanceEntry(1, P), AttendanceEntry(2, A), AttendanceEntry(9, S, 2)]
    assert rules.attendance_problems(entries, members={1, 2, 3}, substitutes={9}) == []


def test_attendance_refuses_non_members_and_duplicates():
    problems = rules.attendance_problems(
        [AttendanceEntry(1, P), AttendanceEntry(1, A), AttendanceEntry(7, P)],
        members={1},
        substitutes=set(),
    )
    assert (1, "is recorded more than once") in problems
    assert (7, "is not a member of this body on the meeting date") in problems


def test_substitutes_must_stand_in_for_an_absent_member():
    members, subs = {1, 2}, {8, 9}
    assert rules.attendance_problems([AttendanceEntry(9, S)], members, subs) == [
        (9, "is a substitute: choose the member they stood in for")
    ]
    assert rules.attendance_problems([AttendanceEntry(9, S, 5)], members, subs) == [
        (9, "can only stand in for a voting member of the body on that date")
    ]
    present = rules.attendance_problems(
        [AttendanceEntry(1, P), AttendanceEntry(9, S, 1)], members, subs
    )
    assert present == [(9, "cannot stand in for a member who is present")]
    twice = rules.attendance_problems(
        [AttendanceEntry(8, S, 1), AttendanceEntry(9, S, 1)], members, subs
    )
    assert twice == [(9, "stands in for a member someone else already stands in for")]


@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from([P, A, X])), max_size=8))
def test_members_with_one_status_each_are_always_accepted(rows):
    unique = dict(rows)
    entries = [AttendanceEntry(p, s) for p, s in unique.items()]
    assert rules.attendance_problems(entries, members=set(range(1, 7)), substitutes=set()) == []


def test_attendance_rate():
    assert rules.attendance_rate(3, 4) == "3 of 4 (75%)"
    assert rules.attendance_rate(0, 0) == "no meetings expected"


def test_a_substitute_cannot_take_a_co_opted_members_place():
    co_opted = 3
    problems = rules.attendance_problems(
        [AttendanceEntry(9, S, co_opted)],
        members={1, 2, co_opted},
        substitutes={9},
        replaceable={1, 2},
    )
    assert problems == [(9, "can only stand in for a voting member of the body on that date")]
