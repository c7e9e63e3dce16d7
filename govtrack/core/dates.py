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


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4}|\d{2})")
_DAY_NAMED_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4}|\d{2})")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

# How every date is typed: the hint beside date filters and in messages about dates.
DATE_EXAMPLE = "27/3/2007 or 27 March 2007"
# The dates any field accepts unless it says otherwise: nothing the partnership records is
# older, and nothing is planned beyond; a year like 9999 is a slip, not a plan, and would
# make every count of working days or month ends over it needlessly long.
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2100, 12, 31)


def month_number(text: str) -> int | None:
    """A month typed as 3, 03, Mar or March; None if it is none of those."""
    text = (text or "").strip().lower().rstrip(".")
    if text.isascii() and text.isdigit() and len(text) <= 2:
        return int(text)
    return MONTHS.get(text)


def parse_day(text: str | None, *, two_digit_years: bool = False) -> date | None:
    """A date typed any of the ways people write one: 31/12/2026 (or 31-12-2026, 31.12.2026,
    31 12 2026), 31 December 2026 (or 31 Dec 2026) and 2026-12-31; with ``two_digit_years``,
    31/12/26 too (as 2026). None if the text is not a real date. The one parser of typed dates:
    every form's date boxes and every date filter read dates with it."""
    text = " ".join((text or "").split()).lower()
    if not text.isascii() or len(text) > 40:
        return None
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = match.groups()
    elif match := _DAY_MONTH_YEAR.fullmatch(text) or _DAY_NAMED_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
    else:
        return None
    number = month_number(month)
    if number is None:
        return None
    if len(year) == 2:
        if not two_digit_years:
            return None
        year = "20" + year
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def day_range_problem(
    day: date, label: str, earliest: date | None = EARLIEST_DAY, latest: date | None = LATEST_DAY
) -> str | None:
    """Why ``day`` is outside the range its field accepts, or None. A bound given as None is
    not checked here: the field's own rule checks that side, with its own message."""
    if (earliest is None or earliest <= day) and (latest is None or day <= latest):
        return None
    if earliest is None:
        return f"{label} must be {long_date(latest)} or earlier"
    if latest is None:
        return f"{label} must be {long_date(earliest)} or later"
    return f"{label} must be between {long_date(earliest)} and {long_date(latest)}"


def read_day(
    text: str | None,
    label: str,
    *,
    earliest: date = EARLIEST_DAY,
    latest: date = LATEST_DAY,
    two_digit_years: bool = False,
) -> tuple[date | None, str | None]:
    """A typed date (a filter's, a query string's) and what is wrong with it: (None, None)
    when nothing was typed; (None, message naming ``label``) when it is not a real date or is
    outside the range."""
    if not (text or "").strip():
        return None, None
    day = parse_day(text, two_digit_years=two_digit_years)
    if day is None:
        return None, f"{label} must be a real date, like {DATE_EXAMPLE}"
    if problem := day_range_problem(day, label, earliest, latest):
        return None, problem
    return day, None
