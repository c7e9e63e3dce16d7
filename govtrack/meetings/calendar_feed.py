"""A body's meetings as an iCalendar feed (.ics) that Outlook and other calendars import or
subscribe to: every meeting with a published agenda, exempt items by number and title only."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta
from typing import Any

from flask import Response, url_for
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from govtrack.core.blueprints import BlueprintParts
from govtrack.core.dates import LONDON
from govtrack.core.permissions import anyone, require
from govtrack.core.views import found
from govtrack.db import db, utcnow
from govtrack.meetings import queries, rules
from govtrack.meetings.models import AgendaItem, Meeting
from govtrack.registry.models import Body

routes = BlueprintParts()

PRODID = "-//govtrack//Meetings calendar//EN"
TZID = "Europe/London"
# A meeting's length is not recorded; two hours is what most agendas plan for.
DEFAULT_LENGTH = timedelta(hours=2)


def london_timezone() -> Timezone:
    """Europe/London as a yearly rule: summer time from 01:00 GMT on the last Sunday of March
    to 01:00 GMT on the last Sunday of October (the EU rule the UK has kept since 1996).

    Written as RRULEs because Outlook reads only TZID, DTSTART, RRULE and the offsets of a
    VTIMEZONE ([MS-STANOICAL] 2.2.47); the RDATE lists icalendar generates from the tz
    database would be ignored and summer meetings shown an hour out.
    """
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1996, 3, 31, 1, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1SU"})
    daylight.add("tzoffsetfrom", timedelta(0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("tzname", "BST")
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1996, 10, 27, 2, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1SU"})
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "GMT")
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add_component(daylight)
    timezone.add_component(standard)
    return timezone


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def item_line(item: AgendaItem) -> str:
    """What the feed says about an item; an exempt item's description never leaves the app."""
    if item.exempt:
        heading = rules.item_heading(item.number, item.title)
        return f"{heading} (exempt: paragraph {item.exempt_paragraph})"
    return rules.item_heading(item.number, item.title)


def meeting_event(body: Body, meeting: Meeting, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@govtrack")
    event.add("dtstamp", stamp)
    if meeting.starts_at is not None:
        start = datetime.combine(meeting.held_on, meeting.starts_at, tzinfo=LONDON)
        length = DEFAULT_LENGTH
    else:
        start, length = meeting.held_on, timedelta(days=1)
    event.add("dtstart", start)
    # A meeting stored on the last day the calendar holds (31/12/9999, from before dates were
    # bounded) has no end to give; without DTEND a calendar takes the day (or the moment).
    with contextlib.suppress(OverflowError):
        event.add("dtend", start + length)
    event.add("summary", f"{body.name}: {meeting.name}")
    if meeting.venue:
        event.add("location", meeting.venue)
    url = url_for("meetings.meeting", meeting_id=meeting.id, _external=True)
    event.add("url", url)
    agenda = [item_line(item) for item in meeting.items]
    event.add("description", "\n".join([*agenda, "", f"Agenda and reports: {url}"]).lstrip())
    return event


def body_calendar(body: Body, meetings: list[Meeting], stamp: datetime) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"{body.name}: meetings")
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(london_timezone())
    for meeting in meetings:
        calendar.add_component(meeting_event(body, meeting, stamp))
    return calendar


@routes.route("/bodies/<int:body_id>/meetings.ics")
@require(anyone)
def body_ics(body_id: int) -> Any:
    body = found(db.session.get(Body, body_id))
    meetings = queries.meetings_of_body(body.id)
    calendar = body_calendar(body, meetings, utcnow().replace(microsecond=0))
    filename = f"{slug(body.name) or f'body-{body.id}'}-meetings.ics"
    return Response(
        calendar.to_ical(),
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            # The same for every visitor (published agendas only), so it may be cached.
            "Cache-Control": "public, max-age=900",
        },
    )
