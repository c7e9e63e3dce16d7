"""Dates and moments as the council writes them; moments are shown in Europe/London."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def long_date(value: date | None) -> str:
    """26 October 2006."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def local_time(value: datetime) -> str:
    """2:05pm, in UK time."""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def local_moment(value: datetime | None) -> str:
    """26 October 2006 at 2:05pm, in UK time."""
    if value is None:
        return ""
    return f"{long_date(local_date(value))} at {local_time(value)}"


def today() -> date:
    """Today in the UK (the server may run on UTC)."""
    return datetime.now(LONDON).date()


def local_date(moment: datetime) -> date:
    """The UK date of a moment."""
    return moment.astimezone(LONDON).date()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})")


def parse_day(text: str | None, *, two_digit_years: bool = False) -> date | None:
    """A date typed as 2007-03-22 or 22/03/2007 (or 22-03-2007); with ``two_digit_years``,
    22/03/07 too (as 2007). None if the text is not a real date."""
    text = (text or "").strip()
    try:
        if _ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        match = _DAY_MONTH_YEAR.fullmatch(text)
        if match is None:
            return None
        day, month, year = match.groups()
        if len(year) == 2:
            if not two_digit_years:
                return None
            year = "20" + year
        return date(int(year), int(month), int(day))
    except ValueError:
        return None
