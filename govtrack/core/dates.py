"""Dates and moments as the council writes them; moments are shown in Europe/London."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def long_date(value: date | None) -> str:
    """26 October 2006."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def local_moment(value: datetime | None) -> str:
    """26 October 2006 at 2:05pm, in UK time."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    return f"{long_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def today() -> date:
    """Today in the UK (the server may run on UTC)."""
    return datetime.now(LONDON).date()


def local_date(moment: datetime) -> date:
    """The UK date of a moment."""
    return moment.astimezone(LONDON).date()
