"""Dates typed by people: the forms the app reads, and nonsense refused."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.dates import day_range_problem, month_number, parse_day, read_day


def test_dates_are_read_in_either_form_and_nonsense_is_none():
    assert parse_day("2007-03-31") == date(2007, 3, 31)
    assert parse_day("31/03/2007") == date(2007, 3, 31)
    for bad in ("", "31/02/2007", "banana", "1/1/07"):
        assert parse_day(bad) is None


def test_two_digit_years_are_read_only_where_allowed():
    assert parse_day("22/03/07", two_digit_years=True) == date(2007, 3, 22)
    assert parse_day("22-03-2007") == date(2007, 3, 22)
    assert parse_day("2007-02-30") is None


def test_every_way_people_write_a_date_is_read_the_same():
    for typed in (
        "31/12/2026",
        "31-12-2026",
        "31.12.2026",
        "31 12 2026",
        "31 December 2026",
        "31 december 2026",
        "31 Dec 2026",
        "31st Dec. 2026",
        "2026-12-31",
        " 31 / 12 / 2026 ",
    ):
        assert parse_day(typed) == date(2026, 12, 31), typed


def test_text_that_only_looks_like_a_date_is_none():
    for bad in ("31 Decembre 2026", "31 12", "2026", "٣١/١٢/٢٠٢٦", "31/12/2026x", "9" * 500):
        assert parse_day(bad) is None, bad


@settings(max_examples=50)
@given(day=st.dates(min_value=date(1000, 1, 1)))
def test_a_date_written_any_of_the_ways_reads_back_as_itself(day):
    for typed in (
        day.isoformat(),
        f"{day.day}/{day.month}/{day.year}",
        f"{day.day} {day:%B} {day.year}",
        f"{day.day} {day:%b} {day.year}",
    ):
        assert parse_day(typed) == day


def test_a_typed_filter_date_says_what_is_wrong_naming_the_field():
    assert read_day("", "From date") == (None, None)
    assert read_day("27 March 2024", "From date") == (date(2024, 3, 27), None)
    assert read_day("31/02/2024", "From date") == (
        None,
        "From date must be a real date, like 27/3/2007 or 27 March 2007",
    )
    assert read_day("31/12/9999", "From date") == (
        None,
        "From date must be between 1 January 1970 and 31 December 2100",
    )


def test_months_are_read_as_numbers_or_names():
    assert month_number("3") == month_number("03") == month_number("Mar") == 3
    assert month_number("September") == month_number("sept.") == 9
    assert month_number("13") == 13  # a number; the date itself then fails
    assert month_number("Marchember") is None
    assert month_number("") is None


def test_a_date_field_refuses_a_date_outside_its_range_with_the_range(app_less_form):
    form = app_less_form(["31", "12", "9999"])
    assert not form.validate()
    assert form.held_on.errors == ["Date must be between 1 January 1990 and 31 December 2100"]
    form = app_less_form(["31", "Dec", "2026"])
    assert form.validate()
    assert form.held_on.data == date(2026, 12, 31)
    form = app_less_form(["31", "12", "1989"])
    assert not form.validate()


def test_a_side_left_open_is_left_to_the_field_s_own_rule():
    early, late = date(2000, 1, 1), date(2030, 12, 31)
    assert day_range_problem(date(1, 1, 1), "Date", None, late) is None
    assert day_range_problem(date(9999, 1, 1), "Date", early, None) is None
    assert day_range_problem(date(9999, 1, 1), "Date", None, None) is None
    assert day_range_problem(date(1999, 12, 31), "Date", early, None) == (
        "Date must be 1 January 2000 or later"
    )
    assert day_range_problem(date(2031, 1, 1), "Date", None, late) == (
        "Date must be 31 December 2030 or earlier"
    )


def test_a_date_field_left_open_reads_any_real_date_for_its_form_to_judge():
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from govtrack.core.forms import GovDateField

    class Planned(Form):
        on = GovDateField("Planned date", earliest=None, latest=None)

    for values, day in (
        (["1", "1", "0001"], date(1, 1, 1)),
        (["1", "1", "2150"], date(2150, 1, 1)),
    ):
        form = Planned(formdata=MultiDict([("on", v) for v in values]))
        assert form.validate(), form.on.errors
        assert form.on.data == day
    form = Planned(formdata=MultiDict([("on", v) for v in ["31", "2", "2150"]]))
    assert not form.validate()
    assert form.on.errors == ["Planned date must be a real date"]


@pytest.fixture
def app_less_form():
    from werkzeug.datastructures import MultiDict
    from wtforms import Form

    from govtrack.core.forms import GovDateField

    class MeetingDate(Form):
        held_on = GovDateField("Date", earliest=date(1990, 1, 1))

    def make(values):
        return MeetingDate(formdata=MultiDict([("held_on", v) for v in values]))

    return make
