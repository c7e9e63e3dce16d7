"""Dates typed by people: the forms the app reads, and nonsense refused."""

from __future__ import annotations

from datetime import date

from govtrack.core.dates import parse_day


def test_dates_are_read_in_either_form_and_nonsense_is_none():
    assert parse_day("2007-03-31") == date(2007, 3, 31)
    assert parse_day("31/03/2007") == date(2007, 3, 31)
    for bad in ("", "31/02/2007", "banana", "1/1/07"):
        assert parse_day(bad) is None


def test_two_digit_years_are_read_only_where_allowed():
    assert parse_day("22/03/07", two_digit_years=True) == date(2007, 3, 22)
    assert parse_day("22-03-2007") == date(2007, 3, 22)
    assert parse_day("2007-02-30") is None
