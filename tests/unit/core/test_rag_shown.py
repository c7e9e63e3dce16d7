"""How a RAG is shown: one tag colour per colour, and a roll-up's counts in words with the
items without data counted apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import RAG, RAG_TAG_CLASSES, roll_up


def test_every_colour_has_its_own_tag_and_amber_is_the_yellow_one():
    assert {colour.tag_class for colour in RAG} == set(RAG_TAG_CLASSES.values())
    assert len(set(RAG_TAG_CLASSES.values())) == len(RAG)
    assert RAG.AMBER.tag_class == "govuk-tag--yellow"


def test_a_roll_up_names_each_colour_present_and_the_grey_apart():
    up = roll_up([RAG.GREEN, RAG.GREEN, RAG.RED, RAG.GREY])
    assert up.in_words == "2 green, 1 red; 1 with no data (counted apart)"


def test_a_roll_up_of_nothing_measured_says_so():
    assert roll_up([]).in_words == "nothing measured"
    assert roll_up([RAG.GREY] * 3).in_words == "nothing measured; 3 with no data (counted apart)"


def test_complete_items_are_called_complete():
    assert roll_up([RAG.BLUE]).in_words == "1 complete"


@settings(max_examples=50)
@given(st.lists(st.sampled_from(list(RAG)), max_size=40))
def test_the_words_count_every_item_once(colours):
    text = roll_up(colours).in_words
    measured, _, grey = text.partition("; ")
    counted = (
        0
        if measured == "nothing measured"
        else sum(int(part.split(" ", 1)[0]) for part in measured.split(", "))
    )
    assert counted == sum(1 for c in colours if c is not RAG.GREY)
    assert (grey != "") == (RAG.GREY in colours)
