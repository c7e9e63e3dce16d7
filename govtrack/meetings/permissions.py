"""Who may run meetings and who may see exempt items and their papers.

Clerks run the meetings of the bodies they clerk for (every body, or the ones named in their
grant); administrators run every body's. A check without a record ("any clerk") guards a page
that offers several bodies; the check with the record (a meeting, an item, an action, a body
id ...) decides for that record's body.
"""

from __future__ import annotations

from typing import Any

from govtrack.auth.enums import Role
from govtrack.auth.permissions import has_role, signed_in
from govtrack.auth.rights import rights_of
from govtrack.db import db
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.registry.models import Body


def body_of(record: Any) -> int | None:
    """The body a meetings record belongs to: a body id, a body, a meeting, or anything held
    by a meeting (``meeting_id``) or by an agenda item (``item_id``: actions, papers, motions,
    declarations). Records already loaded are read from the session without a query."""
    if record is None or isinstance(record, int):
        return record
    if isinstance(record, Body):
        return record.id
    if isinstance(record, Meeting):
        return record.body_id
    meeting_id = getattr(record, "meeting_id", None)
    if meeting_id is None and (item_id := getattr(record, "item_id", None)) is not None:
        item = db.session.get(AgendaItem, item_id)
        meeting_id = item.meeting_id if item is not None else None
    if meeting_id is None:
        return getattr(record, "body_id", None)
    meeting = db.session.get(Meeting, meeting_id)
    return meeting.body_id if meeting is not None else None


def clerked_bodies(user: Any) -> frozenset[int] | None:
    """The bodies whose meetings ``user`` runs: None for every body, none for the public."""
    return rights_of(user).clerk_bodies


def can_manage_meetings(user: Any, record: Any = None) -> bool:
    """Clerks (democratic services) and admins run meetings and write minutes: without a
    record, any clerk (a page offering several bodies); with one, a clerk for its body."""
    if record is None:
        return has_role(user, Role.ADMIN, Role.CLERK)
    return signed_in(user) and rights_of(user).clerk_for(body_of(record))


def can_see_exempt_item(user: Any, body_id: int, exempt_bodies: frozenset[int] | None) -> bool:
    """Exempt items are for admins, clerks for the body, and people who sit on it today.

    ``exempt_bodies`` is what ``queries.exempt_access(user)`` found: None for "every body".
    """
    if exempt_bodies is None:
        return True
    return body_id in exempt_bodies


def can_view_actions(user: Any, _record: Any = None) -> bool:
    return bool(getattr(user, "is_authenticated", False))
