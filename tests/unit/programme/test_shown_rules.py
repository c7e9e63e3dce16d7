"""What a milestone's page shows comes from the programme's rules: whether it is complete, its
status tag's colour, and the five-point rating folding to three would hide."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rag import FOLD, Confidence
from govtrack.programme import rules
from govtrack.programme.enums import MilestoneStatus


def test_only_a_complete_milestone_is_complete():
    assert [s for s in MilestoneStatus if rules.is_complete(s)] == [MilestoneStatus.COMPLETE]


def test_every_status_has_a_tag_colour():
    assert set(rules.MILESTONE_STATUS_TAG_CLASSES) == set(MilestoneStatus)
    assert rules.MILESTONE_STATUS_TAG_CLASSES[MilestoneStatus.MISSED] == "govuk-tag--red"


def test_the_mixed_ratings_are_shown_beside_the_colour():
    assert rules.confidence_note(Confidence.AMBER_GREEN) == "Amber/Green"
    assert rules.confidence_note(Confidence.AMBER_RED) == "Amber/Red"


def test_no_override_shows_no_rating():
    assert rules.confidence_note(None) == ""


@settings(max_examples=50)
@given(st.sampled_from(list(Confidence)))
def test_a_rating_is_shown_exactly_when_the_folded_colour_hides_it(confidence):
    shown = rules.confidence_note(confidence)
    assert (shown != "") == (FOLD[confidence].label != confidence.label)
