"""Who may set decision rules, record motions and votes, and vote.

Rules, motions and the votes taken belong to a body: clerks for that body (or every body) and
administrators record them. Who may vote or respond is not a right granted to an account: it is
the person's seat on the body (``queries.electorate``), as the registry records it.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.permissions import signed_in
from govtrack.db import db
from govtrack.meetings.permissions import body_of, can_manage_meetings
from govtrack.voting.models import Decision, Motion


def _body(record: Any) -> int | None:
    """A decision's body is its motion's; everything else says its own (``body_of``)."""
    if isinstance(record, Decision):
        record = db.session.get(Motion, record.motion_id)
    return body_of(record)


def can_manage_rules(user: Any, body: Any = None) -> bool:
    """Admins and clerks record a body's decision rules (any clerk without a body)."""
    return can_manage_meetings(user, None if body is None else _body(body))


def can_record_votes(user: Any, record: Any = None) -> bool:
    """Clerks (democratic services) and admins record motions and the votes taken: with a
    record (an item, a motion, a decision, a meeting), the clerks of its body."""
    return can_manage_meetings(user, None if record is None else _body(record))


def can_have_decisions(user: Any, _record: Any = None) -> bool:
    """Any signed-in user has a 'My decisions' page; it lists what their person may vote on."""
    return signed_in(user)
