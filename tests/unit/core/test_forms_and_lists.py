"""The GOV.UK date field and list arguments: bad input gives messages, never a crash."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms import Form

from govtrack.core.forms import GovDateField
from govtrack.core.pagination import ListRequest


class DateForm(Form):
    joined_on = GovDateField("Date joined")


def submit(*values):
    form = DateForm(MultiDict([("joined_on", v) for v in values]))
    form.validate()
    return form.joined_on


def test_a_real_date_is_read():
    assert submit("26", "10", "2006").data == date(2006, 10, 26)


def test_blank_is_no_date():
    field = submit("", "", "")
    assert field.data is None and not field.errors


def test_messages_name_what_is_wrong():
    assert submit("31", "2", "2007").errors == ["Date joined must be a real date"]
    assert submit("1", "", "2007").errors == ["Date joined must include a month"]
    assert submit("", "", "2007").errors == ["Date joined must include a day and a month"]
    assert submit("1", "2", "07").errors == [
        "Date joined must be a real date, with a four-digit year"
    ]
    assert submit("x", "2", "2007").errors == [
        "Date joined must be a real date, with a four-digit year"
    ]


def test_missing_boxes_in_a_crafted_post_keep_three_raw_values():
    field = submit("5")
    assert field.raw_data == ["5", "", ""]
    assert field.errors == ["Date joined must include a month and a year"]


@given(st.lists(st.text(max_size=6), max_size=5))
def test_any_input_gives_a_date_or_a_message(values):
    field = submit(*values)
    assert field.data is not None or field.errors or not any(v.strip() for v in values[:3])


def test_list_request_ignores_malformed_arguments():
    req = ListRequest.from_args(
        {"page": "-3", "sort": "evil", "order": "sideways", "q": "  lcc "},
        sorts=["name", "code"],
        default_sort="name",
        filters=("q", "kind"),
    )
    assert req.page == 1
    assert req.sort == "name"
    assert req.descending is False
    assert dict(req.filters) == {"q": "lcc"}
    assert req.args(page=2) == {"q": "lcc", "sort": "name", "order": "asc", "page": 2}


@given(st.text(max_size=10))
def test_any_page_argument_gives_a_page_of_at_least_one(page):
    assert ListRequest.from_args({"page": page}, ["name"], "name").page >= 1
