"""The motions and votes section of a meeting's page and of its printed minutes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from govtrack.core.dates import today
from govtrack.meetings import queries as meetings
from govtrack.meetings import rules as meeting_rules
from govtrack.voting import queries
from govtrack.voting.enums import Channel


def meeting_panel(meeting: Any):
    access = meetings.exempt_access(current_user, today())
    items = [i for i in meeting.items if meetings.item_visible(i, meeting.body_id, access)]
    motions = queries.motions_of_items([i.id for i in items])
    decisions = queries.decisions_of_motions([m.id for ms in motions.values() for m in ms])
    return "voting/_meeting_motions.html", {
        "meeting": meeting,
        "items": items,
        "motions": motions,
        "decisions": decisions,
        "meeting_day_reached": meeting_rules.meeting_day_reached(meeting.held_on, today()),
        "proceedings_open": meeting_rules.proceedings_open(
            meeting.held_on, meeting.minutes_status, today()
        ),
        "minutes_confirmed": meeting_rules.minutes_confirmed(meeting.minutes_status),
    }


@dataclass(frozen=True)
class MinutedMotion:
    """A motion as the printed minutes record it: mover, seconder, the vote and how it went."""

    motion: Any
    decision: Any
    votes: list
    casting_name: str | None


def minutes_panel(meeting: Any):
    """The printed minutes' "Motions and votes" section (none when nothing was moved)."""
    minuted = minutes_votes(meeting)
    return ("voting/_minutes_votes.html", {"minuted": minuted}) if minuted else None


def minutes_votes(meeting: Any) -> list[tuple[Any, list[MinutedMotion]]]:
    """The motions of the items the reader may see, each with its vote, for the minutes (a
    fixed number of queries whatever the number of motions)."""
    access = meetings.exempt_access(current_user, today())
    items = [i for i in meeting.items if meetings.item_visible(i, meeting.body_id, access)]
    motions = queries.motions_of_items([i.id for i in items])
    decisions = queries.decisions_of_motions([m.id for ms in motions.values() for m in ms])
    named = queries.named_votes([d.id for d in decisions.values() if d.recorded_vote])
    out = []
    for item in items:
        entries = []
        for motion in motions.get(item.id, []):
            decision = decisions.get(motion.id)
            casting = None
            if decision is not None and _casting_used(decision):
                casting = decision.presiding.name if decision.presiding else "The person presiding"
            votes = named.get(decision.id, []) if decision is not None else []
            if decision is not None and (
                decision.closed_at is None or queries.is_consultation(decision, meeting.body)
            ):
                # Electronic votes still coming in are not minuted (and may be kept hidden);
                # consultation responses are not votes.
                votes = [v for v in votes if v.channel is Channel.IN_MEETING]
            entries.append(MinutedMotion(motion, decision, votes, casting))
        if entries:
            out.append((item, entries))
    return out


def _casting_used(decision: Any) -> bool:
    """A casting vote was given on an equality of the votes counted (which leave it out)."""
    from govtrack.voting.enums import Choice

    return (
        decision.casting_vote in (Choice.FOR, Choice.AGAINST)
        and decision.counted_for is not None
        and decision.counted_for == decision.counted_against
        and decision.counted_for > 0
    )
