"""What the meetings capability adds to a person's and a body's page: attendance figures and
the body's meetings."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for
from flask_login import current_user
from sqlalchemy import case, func, select

from govtrack.core.dates import long_date, today
from govtrack.db import db
from govtrack.meetings import queries
from govtrack.meetings.enums import AgendaStatus
from govtrack.meetings.models import Meeting
from govtrack.meetings.permissions import can_manage_meetings


def person_panel(person: Any):
    figures = queries.attendance_by_body_for_person(person.id, today())
    if not figures:
        return None
    return "meetings/_person_attendance.html", {
        "figures": figures,
        "body_link": lambda body_id: url_for("registry.body", body_id=body_id),
    }


def body_panel(body: Any):
    day = today()
    upcoming, recent = _next_and_last(body.id, day, 5)
    figures = queries.attendance_by_member_for_body(body.id, day)
    return "meetings/_body_meetings.html", {
        "body": body,
        "upcoming": upcoming,
        "recent": recent,
        "figures": figures,
        "total": queries.attendance_total(figures, "All members"),
        "person_link": lambda person_id: url_for("registry.person", person_id=person_id),
    }


def _next_and_last(body_id: int, day: date, n: int) -> tuple[list[Meeting], list[Meeting]]:
    """The body's next ``n`` meetings (today's included), soonest first, and its last ``n``
    before today, latest first, in one query: each meeting numbered within its side of today
    (upcoming by date, past by date backwards)."""
    ahead = Meeting.held_on >= day
    place = (
        func.row_number()
        .over(
            partition_by=ahead,
            order_by=(case((ahead, Meeting.held_on)), Meeting.held_on.desc(), Meeting.id),
        )
        .label("place")
    )
    stmt = select(Meeting.id, place).where(Meeting.body_id == body_id)
    if not can_manage_meetings(current_user, body_id):
        stmt = stmt.where(Meeting.agenda_status == AgendaStatus.PUBLISHED)
    ranked = stmt.subquery()
    meetings = db.session.scalars(
        select(Meeting)
        .join(ranked, ranked.c.id == Meeting.id)
        .where(ranked.c.place <= n)
        .order_by(ranked.c.place)
    )
    upcoming, recent = [], []
    for meeting in meetings:
        (upcoming if meeting.held_on >= day else recent).append(meeting)
    return upcoming, recent


def meeting_name(meeting: Meeting) -> str:
    """A meeting as the history pages name it: its name and day."""
    return f"{meeting.name}, {long_date(meeting.held_on)}"


def item_name(item: Any) -> str:
    """An agenda item as the history pages name it: "Item 4: Budget", or its title alone."""
    return f"Item {item.number}: {item.title}" if item.number else item.title
