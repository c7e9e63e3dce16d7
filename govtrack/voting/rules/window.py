"""The response window of an electronic decision, counted in working days of the body's
nation."""

from __future__ import annotations

from datetime import date, timedelta

from govtrack.meetings.rules import MAX_COUNTED_DAYS, is_working_day, working_days
from govtrack.registry.enums import Jurisdiction


def response_deadline(opened_on: date, window_days: int, jurisdiction: Jurisdiction) -> date:
    """The last day for electronic responses: the ``window_days``-th working day after the day
    the decision is opened (that day does not count; weekends and the nation's bank holidays
    do not count)."""
    if not 1 <= window_days <= MAX_COUNTED_DAYS:
        raise ValueError(f"a response window is 1 to {MAX_COUNTED_DAYS} working days")
    day, left = opened_on, window_days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, jurisdiction):
            left -= 1
    return day


def remaining_working_days(today: date, closes_on: date, jurisdiction: Jurisdiction) -> int:
    """Working days left to respond, today included if it is one; 0 once the window closed
    (counted up to a year's worth, like every count of working days)."""
    return working_days(today, closes_on, jurisdiction)
