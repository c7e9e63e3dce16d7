"""The overall count leaves out the areas that roll up other areas' items, and says so."""

from __future__ import annotations

from govtrack.core.rag import RAG
from govtrack.dashboards import rules


def area(label, in_total=True):
    return rules.AreaCounts(label, dict.fromkeys(RAG, 1), in_total=in_total)


def test_nothing_is_said_when_every_area_is_counted():
    assert rules.left_out_note([area("milestones"), area("services")]) == ""


def test_the_areas_left_out_are_named_in_order():
    note = rules.left_out_note([area("objectives", False), area("services"), area("x", False)])
    assert note.startswith("The overall count leaves out objectives and x: ")
    assert "counting it too would count them twice" in note
