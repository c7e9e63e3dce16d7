"""A list worked out in memory (the pipeline table) pages like every list read from the
database: the same page numbers, a page past the end gives the last page."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.pagination import Page, paginate_rows


def test_the_second_page_holds_the_next_rows():
    page = paginate_rows(list(range(1, 26)), 2, 10)
    assert page.items == list(range(11, 21))
    assert (page.page, page.pages, page.first_index, page.last_index) == (2, 3, 11, 20)


def test_a_page_past_the_end_gives_the_last_page():
    page = paginate_rows(list(range(25)), 9, 10)
    assert page.page == 3 and page.items == [20, 21, 22, 23, 24]


def test_an_empty_list_is_one_empty_page():
    page = paginate_rows([], 4, 10)
    assert (page.page, page.pages, page.items, page.first_index) == (1, 1, [], 0)


@settings(max_examples=50)
@given(st.integers(0, 120), st.integers(1, 30))
def test_the_pages_hold_every_row_once_in_order(count, per_page):
    rows = list(range(count))
    pages = paginate_rows(rows, 1, per_page).pages
    joined = [r for n in range(1, pages + 1) for r in paginate_rows(rows, n, per_page).items]
    assert joined == rows


def test_a_page_reshaped_keeps_its_place():
    page = Page(items=[1, 2], page=3, per_page=2, total=9).map(lambda n: n * 10)
    assert (page.items, page.page, page.per_page, page.total) == ([10, 20], 3, 2, 9)
