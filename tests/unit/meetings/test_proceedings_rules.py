"""When a meeting's proceedings (attendance, minutes, actions, motions) may be recorded: from the
meeting day until its minutes are confirmed."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.meetings import rules
from govtrack.meetings.models import MinutesStatus

MEETING = date(2025, 3, 20)


def test_nothing_is_recorded_before_the_meeting_day():
    day_before = MEETING - timedelta(days=1)
    assert rules.proceedings_closed(MEETING, MinutesStatus.DRAFT, day_before) == (
        rules.BEFORE_THE_MEETING
    )
    assert not rules.proceedings_open(MEETING, MinutesStatus.DRAFT, day_before)


def test_proceedings_are_recorded_on_the_meeting_day_and_after():
    for day in (MEETING, MEETING + timedelta(days=30)):
        for status in (MinutesStatus.DRAFT, MinutesStatus.PUBLISHED):
            assert rules.proceedings_closed(MEETING, status, day) is None
            assert rules.proceedings_open(MEETING, status, day)


def test_confirmed_minutes_close_the_proceedings():
    assert rules.proceedings_closed(MEETING, MinutesStatus.CONFIRMED, MEETING) == (
        rules.MINUTES_CONFIRMED
    )
    assert not rules.proceedings_open(MEETING, MinutesStatus.CONFIRMED, MEETING)


@settings(max_examples=50)
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 1, 1)),
    st.integers(-400, 400),
    st.sampled_from(list(MinutesStatus)),
)
def test_open_exactly_when_the_day_has_come_and_the_minutes_are_not_confirmed(
    meeting_on, offset, status
):
    today = meeting_on + timedelta(days=offset)
    assert rules.meeting_day_reached(meeting_on, today) is (offset >= 0)
    assert rules.proceedings_open(meeting_on, status, today) is (
        offset >= 0 and status is not MinutesStatus.CONFIRMED
    )
