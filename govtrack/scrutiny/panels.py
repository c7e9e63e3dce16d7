"""What scrutiny adds to other pages: recommendations due for review on the scrutiny body's
next meeting (its agenda), and a body's inquiries."""

from __future__ import annotations

from typing import Any

from govtrack.core.dates import today
from govtrack.scrutiny import queries


def meeting_panel(meeting: Any):
    """On the body's next meeting (today or later): the recommendations due for review by then."""
    day = today()
    if meeting.held_on < day:
        return None
    upcoming = queries.next_meeting_of(meeting.body_id, day)
    if upcoming is None or upcoming.id != meeting.id:
        return None
    due = queries.due_for_review(meeting.body_id, meeting.held_on)
    if not due:
        return None
    return "scrutiny/_due_for_review.html", {
        "meeting": meeting,
        "due": due,
        "responses": queries.response_lines(due, day),
    }


def body_panel(body: Any):
    inquiries = queries.inquiries_of_body(body.id)
    day = today()
    due = queries.due_for_review(body.id, day)
    if not inquiries and not due:
        return None
    return "scrutiny/_body_inquiries.html", {
        "inquiries": inquiries,
        "due": due,
        "body": body,
        "overdue": queries.overdue_counts([i.id for i in inquiries], day),
        "responses": queries.response_lines(due, day),
    }


def person_panel(person: Any):
    """The recommendations a person is lead officer for."""
    led = queries.led_by(person.id)
    if not led:
        return None
    return "scrutiny/_person_recommendations.html", {
        "led": led,
        "responses": queries.response_lines(led, today()),
    }
