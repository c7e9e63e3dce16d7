"""Whether an agenda is published is meetings' rule: the page offers a supplementary item then,
and publishing only while it is a draft."""

from __future__ import annotations

from govtrack.meetings import rules
from govtrack.meetings.enums import AgendaStatus


def test_only_a_published_agenda_is_published():
    assert rules.agenda_published(AgendaStatus.PUBLISHED)
    assert not rules.agenda_published(AgendaStatus.DRAFT)
