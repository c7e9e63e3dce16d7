"""A recommendation's status tag takes its colour from scrutiny's rules, one for every status."""

from __future__ import annotations

from govtrack.scrutiny import rules
from govtrack.scrutiny.enums import Status


def test_every_status_has_a_tag_colour():
    assert set(rules.STATUS_TAG_CLASSES) == set(Status)


def test_signed_off_is_green_and_not_implemented_orange():
    assert rules.STATUS_TAG_CLASSES[Status.SIGNED_OFF] == "govuk-tag--green"
    assert rules.STATUS_TAG_CLASSES[Status.NOT_IMPLEMENTED] == "govuk-tag--orange"
