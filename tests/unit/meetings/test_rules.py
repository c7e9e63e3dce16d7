"""Meeting rules: clear days' notice, exempt paragraphs, attendance, minutes, actions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govtrack.meetings import rules
from govtrack.meetings.enums import AttendanceStatus, MinutesStatus
from govtrack.meetings.rules import AttendanceEntry
from govtrack.registry.enums import Jurisdiction

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


# Substitutes stand in for their own council ------------------------------------------------

CBC, LCC = 1, 2


def test_a_substitute_stands_in_only_for_a_member_of_the_partner_that_nominated_them():
    # 10 and 11 are members (CBC, LCC); 20 is CBC's substitute.
    represents = {10: CBC, 11: LCC, 20: CBC}
    names = {CBC: "Chorley Borough Council", LCC: "Lancashire County Council"}
    for_other_council = [
        AttendanceEntry(11, AttendanceStatus.APOLOGIES),
        AttendanceEntry(20, AttendanceStatus.SUBSTITUTE, substitute_for_id=11),
    ]
    problems = rules.attendance_problems(
        for_other_council, {10, 11}, {20}, represents=represents, partner_names=names
    )
    assert problems == [
        (
            20,
            "represents Chorley Borough Council, so can stand in only for one of its own "
            "members, not for a member representing Lancashire County Council",
        )
    ]
    for_own_council = [
        AttendanceEntry(10, AttendanceStatus.APOLOGIES),
        AttendanceEntry(20, AttendanceStatus.SUBSTITUTE, substitute_for_id=10),
    ]
    assert rules.attendance_problems(for_own_council, {10, 11}, {20}, represents=represents) == []


def test_the_stand_in_choices_are_the_substitutes_own_councils_members():
    represents = {10: CBC, 11: LCC, 12: CBC, 20: CBC}
    assert rules.stand_in_choices(20, [10, 11, 12], represents) == [10, 12]


@given(
    st.dictionaries(st.integers(1, 30), st.integers(1, 4), min_size=2, max_size=12),
    st.data(),
)
def test_no_accepted_substitution_crosses_councils(represents, data):
    people = sorted(represents)
    substitute = data.draw(st.sampled_from(people))
    member = data.draw(st.sampled_from([p for p in people if p != substitute]))
    entries = [
        AttendanceEntry(member, AttendanceStatus.APOLOGIES),
        AttendanceEntry(substitute, AttendanceStatus.SUBSTITUTE, substitute_for_id=member),
    ]
    members = set(people) - {substitute}
    problems = rules.attendance_problems(entries, members, {substitute}, represents=represents)
    accepted = not problems
    assert accepted == (represents[substitute] == represents[member])
    assert (member in rules.stand_in_choices(substitute, members, represents)) == accepted


# Late (supplementary) items -----------------------------------------------------------------


def test_an_item_added_after_publication_needs_a_reason_for_urgency():
    problem = rules.late_item_problem(True, "  ")
    assert problem is not None and "section 100B(4)(b)" in problem
    assert rules.late_item_problem(True, "The contract must be signed by Friday") is None
    assert rules.late_item_problem(False, "") is None


@given(st.lists(st.booleans(), max_size=20))
def test_supplementary_items_follow_the_published_agenda_and_keep_their_order(flags):
    items = list(enumerate(flags))
    published, supplementary = rules.split_supplementary(items, lambda item: item[1])
    assert published + supplementary == sorted(items, key=lambda item: (item[1], item[0]))
    assert all(not late for _, late in published) and all(late for _, late in supplementary)


# Print and display ---------------------------------------------------------------------------


def test_an_item_without_a_number_shows_no_stray_full_stop():
    assert rules.item_heading("4", "Budget monitoring") == "4. Budget monitoring"
    assert rules.item_heading("", "Visit to the Red Rose Hub") == "Visit to the Red Rose Hub"
    assert rules.item_heading(None, "Minutes") == "Minutes"


def test_the_exempt_reason_does_not_repeat_the_word_exempt():
    reason = rules.exempt_paragraph_reason(3, ENGLAND)
    assert reason.startswith("Under paragraph 3 of Schedule 12A: Information relating to the")
    assert "Exempt" not in reason
    assert rules.exempt_paragraph_label(3, ENGLAND).startswith("Exempt under paragraph 3")


def test_a_private_item_is_marked_not_for_publication_with_its_paragraph_and_part():
    assert rules.not_for_publication(3, ENGLAND) == (
        "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A to the "
        "Local Government Act 1972"
    )
    assert "paragraph 14 of Part 4 of Schedule 12A" in rules.not_for_publication(14, WALES)


# Actions and memberships --------------------------------------------------------------------


def test_an_action_cannot_be_done_on_a_future_date_or_before_its_meeting():
    today, meeting = date(2026, 12, 9), date(2026, 11, 1)
    assert rules.action_done_problem(None, today, meeting) is None
    assert rules.action_done_problem(today, today, meeting) is None
    assert "today or in the past" in rules.action_done_problem(
        today + timedelta(days=1), today, meeting
    )
    assert "1 November 2026" in rules.action_done_problem(date(2026, 10, 31), today, meeting)


@given(st.dates(date(2000, 1, 1), date(2040, 1, 1)), st.integers(-400, 400))
def test_a_done_date_is_accepted_only_between_the_meeting_and_today(today, offset):
    meeting = today - timedelta(days=30)
    done = today + timedelta(days=offset)
    accepted = rules.action_done_problem(done, today, meeting) is None
    assert accepted == (meeting <= done <= today)


def test_a_seat_has_ended_only_when_every_membership_of_the_body_has():
    today = date(2026, 12, 9)
    assert rules.membership_ended_on([date(2008, 3, 31)], today) == date(2008, 3, 31)
    assert rules.membership_ended_on([date(2008, 3, 31), date(2010, 5, 1)], today) == date(
        2010, 5, 1
    )
    assert rules.membership_ended_on([date(2008, 3, 31), None], today) is None
    assert rules.membership_ended_on([today], today) is None  # the last day is still a member's


def test_members_are_listed_chair_vice_chair_members_substitutes_then_others():
    from govtrack.registry.enums import MembershipRole as R
    from govtrack.registry.rules import role_rank

    roles = [R.OFFICER_ADVISER, R.SUBSTITUTE, R.CO_OPTED, R.MEMBER, R.VICE_CHAIR, R.CHAIR]
    assert sorted(roles, key=role_rank) == [
        R.CHAIR,
        R.VICE_CHAIR,
        R.MEMBER,
        R.SUBSTITUTE,
        R.CO_OPTED,
        R.OFFICER_ADVISER,
    ]


def test_counting_clear_days_stops_at_a_year_whatever_the_meeting_date():
    from govtrack.meetings.rules import MAX_COUNTED_DAYS, clear_days, notice

    far = clear_days(date(2026, 12, 1), date(9999, 12, 31), Jurisdiction.ENGLAND)
    assert far == MAX_COUNTED_DAYS
    explained = notice(date(2026, 12, 1), date(9999, 12, 31), Jurisdiction.ENGLAND).explain()
    assert explained == "Publishing now gives more than 365 clear days' notice."
    # Below the cap the count is exact: 2027 has 261 weekdays and 8 bank holidays in England.
    assert clear_days(date(2026, 12, 31), date(2028, 1, 1), Jurisdiction.ENGLAND) == 253
