"""Transcribed text reads as paragraphs: hard wraps joined, list items kept."""

from hypothesis import given
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
