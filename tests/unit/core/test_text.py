"""Text as a reader expects it: paragraphs (hard wraps joined, list items kept), numbers
with thousands separators, dates without a leading zero, sources named by their paper."""

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.text import paragraphs


def test_hard_wrapped_lines_join_and_blank_lines_separate_paragraphs():
    text = "The Sub-Group noted that the Partnership\nwas a groundbreaking project.\n\nIt AGREED."
    assert paragraphs(text) == [
        ["The Sub-Group noted that the Partnership was a groundbreaking project."],
        ["It AGREED."],
    ]


def test_list_lines_keep_their_own_line():
    text = (
        "The terms of reference are:\n1. To review the arrangements.\n2. To identify\nimprovements."
    )
    assert paragraphs(text) == [
        [
            "The terms of reference are:",
            "1. To review the arrangements.",
            "2. To identify improvements.",
        ]
    ]


@given(st.text())
def test_no_text_is_lost_but_whitespace(text):
    joined = " ".join(" ".join(lines) for lines in paragraphs(text))
    assert joined.split() == text.split()


# Numbers and citations as the pages print them -------------------------------------------


def test_numbers_over_999_have_thousands_separators():
    from govtrack.core.text import number

    assert number(18768) == "18,768"
    assert number(1000000) == "1,000,000"
    assert number(999) == "999"
    assert number(18768.0) == "18,768"
    assert number(None) == ""


@settings(max_examples=50)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_a_separated_number_reads_back_as_itself_in_groups_of_three(n):
    from govtrack.core.text import number

    shown = number(n)
    assert int(shown.replace(",", "")) == n
    groups = shown.lstrip("-").split(",")
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])


PAPERS = {
    "002_b7395ae3564ed772.txt": "Partnership Sub-Group agenda pack, 7 March 2007",
    "003_99870c6df4292efd.txt": "Notes of the visit to the Red Rose Hub, 8 December 2006",
    "004_7463baab5be351af.txt": "Lancaster City Council Cabinet report, 29 May 2012",
}


def test_a_citation_names_the_paper_not_the_file_it_was_read_from():
    from govtrack.core.text import cited

    shown = cited(
        "seed/sources/003_99870c6df4292efd.txt line 77; "
        "seed/sources/002_b7395ae3564ed772.txt lines 1770, 1979",
        PAPERS,
    )
    assert shown == (
        "Notes of the visit to the Red Rose Hub, 8 December 2006, line 77; "
        "Partnership Sub-Group agenda pack, 7 March 2007, lines 1770, 1979"
    )
    assert ".txt" not in cited("004_7463baab5be351af.txt", PAPERS)
    assert cited("seed/sources/005_0123456789abcdef.txt", PAPERS) == "a source paper"
    assert cited("Agreed at the meeting", PAPERS) == "Agreed at the meeting"


def test_a_date_reads_9_december_2026_without_a_leading_zero():
    from govtrack.core.dates import local_moment, long_date

    assert long_date(date(2026, 12, 9)) == "9 December 2026"
    moment = datetime(2026, 12, 9, 9, 5, tzinfo=UTC)
    assert local_moment(moment) == "9 December 2026 at 9:05am"


@settings(max_examples=50)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_no_shown_date_has_a_leading_zero(day):
    from govtrack.core.dates import long_date

    shown = long_date(day)
    assert not shown.startswith("0")
    assert shown == f"{day.day} {day:%B} {day.year}"
