"""What a meeting's page offers for the stage its minutes are at, and the colour of an action."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.meetings import rules
from govtrack.meetings.enums import MinutesStatus


def test_only_a_draft_can_be_published_and_only_confirmed_minutes_corrected():
    draft = rules.minutes_state(MinutesStatus.DRAFT)
    confirmed = rules.minutes_state(MinutesStatus.CONFIRMED)
    assert draft.draft and not draft.confirmed
    assert confirmed.confirmed and not confirmed.draft
    assert rules.minutes_state(MinutesStatus.PUBLISHED).awaiting_confirmation


def test_a_meeting_without_minutes_has_nothing_to_print():
    assert not rules.minutes_state(MinutesStatus.NONE).exist
    assert all(rules.minutes_state(s).exist for s in MinutesStatus if s is not MinutesStatus.NONE)


@given(st.sampled_from(MinutesStatus))
@settings(max_examples=20)
def test_minutes_are_at_exactly_one_stage_once_they_exist(status):
    state = rules.minutes_state(status)
    stages = [state.draft, state.awaiting_confirmation, state.confirmed]
    assert sum(stages) == (1 if state.exist else 0)
    assert state.confirmed == rules.minutes_confirmed(status)


@given(st.none() | st.dates(), st.none() | st.dates(), st.dates())
@settings(max_examples=50)
def test_every_action_status_has_a_colour(due_on, done_on, today):
    status = rules.action_status(due_on, done_on, today)
    assert rules.ACTION_STATUS_TAG_CLASSES[status].startswith("govuk-tag--")


def test_an_overdue_action_is_red_and_a_done_one_green():
    today = date(2025, 6, 1)
    overdue = rules.action_status(date(2025, 5, 1), None, today)
    done = rules.action_status(date(2025, 5, 1), date(2025, 5, 2), today)
    assert rules.ACTION_STATUS_TAG_CLASSES[overdue] == "govuk-tag--red"
    assert rules.ACTION_STATUS_TAG_CLASSES[done] == "govuk-tag--green"
