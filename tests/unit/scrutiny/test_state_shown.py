"""A recommendation's status beside its RAG says each thing once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import RAG
from govtrack.scrutiny.enums import Status
from govtrack.scrutiny.rules import state_shown


def test_a_signed_off_recommendation_shows_no_second_complete_tag():
    shown = state_shown(Status.SIGNED_OFF, RAG.BLUE, overridden=False, reason="Complete.")
    assert not shown.rag
    assert shown.reason == ""


def test_an_overridden_rag_is_shown_even_when_signed_off():
    assert state_shown(Status.SIGNED_OFF, RAG.BLUE, overridden=True).rag


def test_a_reason_that_says_more_than_the_colour_is_kept():
    shown = state_shown(Status.IN_PROGRESS, RAG.RED, False, "Past its target date by 3 days.")
    assert shown.rag
    assert shown.reason == "Past its target date by 3 days."


@given(st.sampled_from(Status), st.sampled_from(RAG), st.booleans())
@settings(max_examples=50)
def test_a_reason_repeating_the_colour_is_never_shown(status, colour, overridden):
    assert state_shown(status, colour, overridden, f"{colour.label}.").reason == ""


@given(st.sampled_from(Status), st.sampled_from(RAG), st.booleans())
@settings(max_examples=50)
def test_the_rag_is_hidden_only_for_a_signed_off_complete_recommendation(
    status, colour, overridden
):
    hidden = not state_shown(status, colour, overridden).rag
    assert hidden == (status is Status.SIGNED_OFF and colour is RAG.BLUE and not overridden)
