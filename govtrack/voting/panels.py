"""The motions and votes section of a meeting's page."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from govtrack.core.dates import today
from govtrack.meetings import services as meetings
from govtrack.voting import services


def meeting_panel(meeting: Any):
    access = meetings.exempt_access(current_user, today())
    items = [i for i in meeting.items if meetings.item_visible(i, meeting.body_id, access)]
    motions = services.motions_of_items([i.id for i in items])
    decisions = services.decisions_of_motions([m.id for ms in motions.values() for m in ms])
    return "voting/_meeting_motions.html", {
        "meeting": meeting,
        "items": items,
        "motions": motions,
        "decisions": decisions,
        "today": today(),
    }
