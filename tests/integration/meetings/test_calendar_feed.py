"""A body's meetings as an iCalendar feed: published agendas only, times in Europe/London that
Outlook reads right, and exempt items by number, title and paragraph only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar

from govtrack.auth.enums import Role
from govtrack.core.dates import LONDON
from govtrack.meetings.enums import AgendaStatus, MeetingKind

SECRET = "Bidder B scored lowest on price because of its pension liabilities"


def feed(client, body_id: int):
    response = client.get(f"/bodies/{body_id}/meetings.ics")
    assert response.status_code == 200
    return response, Calendar.from_ical(response.data)


def events_by_uid(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def unfolded(response) -> str:
    """The feed's text with folded lines joined (RFC 5545 3.1)."""
    return response.data.decode("utf-8").replace("\r\n ", "")


@pytest.fixture
def joint_committee(make_body, make_meeting, make_item):
    """A body with a summer and a winter evening meeting, a meeting of unknown time, a draft
    agenda, and a meeting of another body."""
    body = make_body(name="Shared Services Joint Committee")
    summer = make_meeting(
        body=body,
        held_on=date(2025, 7, 10),
        starts_at=time(18, 30),
        venue="Town Hall, Chorley",
    )
    make_item(meeting=summer, number="1", title="Apologies for absence", position=1)
    make_item(
        meeting=summer,
        number="2",
        title="Revenues and benefits performance",
        description="The quarterly performance report.",
        position=2,
    )
    make_item(
        meeting=summer,
        number="3",
        title="Award of the printing contract",
        description=SECRET,
        exempt_paragraph=3,
        position=3,
    )
    winter = make_meeting(
        body=body, held_on=date(2025, 1, 15), starts_at=time(14, 0), title="Budget meeting"
    )
    unknown_time = make_meeting(
        body=body, held_on=date(2006, 10, 26), kind=MeetingKind.SITE_VISIT, starts_at=None
    )
    draft = make_meeting(
        body=body,
        held_on=date(2025, 9, 18),
        starts_at=time(18, 0),
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
    )
    other = make_meeting(held_on=date(2025, 7, 11), starts_at=time(10, 0))
    return {
        "body": body,
        "summer": summer.id,
        "winter": winter.id,
        "unknown_time": unknown_time.id,
        "draft": draft.id,
        "other": other.id,
    }


def test_the_feed_has_each_published_meeting_in_london_time(client, joint_committee):
    world = joint_committee
    body_id = world["body"].id
    response, calendar = feed(client, body_id)

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="shared-services-joint-committee-meetings.ics"'
    )
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//govtrack//Meetings calendar//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Shared Services Joint Committee: meetings"
    events = events_by_uid(calendar)
    assert set(events) == {
        f"meeting-{world['summer']}@govtrack",
        f"meeting-{world['winter']}@govtrack",
        f"meeting-{world['unknown_time']}@govtrack",
    }

    summer = events[f"meeting-{world['summer']}@govtrack"]
    start = summer["DTSTART"].dt
    assert start == datetime(2025, 7, 10, 18, 30, tzinfo=LONDON)
    assert start.utcoffset() == timedelta(hours=1)  # British Summer Time
    assert summer["DTSTART"].params["TZID"] == "Europe/London"
    assert summer["DTEND"].dt == datetime(2025, 7, 10, 20, 30, tzinfo=LONDON)
    assert str(summer["SUMMARY"]) == "Shared Services Joint Committee: Formal meeting"
    assert str(summer["LOCATION"]) == "Town Hall, Chorley"
    assert str(summer["URL"]).endswith(f"/meetings/{world['summer']}")
    assert summer["DTSTAMP"].dt.tzinfo is not None

    winter = events[f"meeting-{world['winter']}@govtrack"]
    assert winter["DTSTART"].dt == datetime(2025, 1, 15, 14, 0, tzinfo=LONDON)
    assert winter["DTSTART"].dt.astimezone(UTC).hour == 14  # GMT in January
    assert str(winter["SUMMARY"]) == "Shared Services Joint Committee: Budget meeting"

    all_day = events[f"meeting-{world['unknown_time']}@govtrack"]
    assert all_day["DTSTART"].dt == date(2006, 10, 26)
    assert all_day["DTEND"].dt == date(2006, 10, 27)
    assert "DTSTART;VALUE=DATE:20061026" in unfolded(response)

    text = unfolded(response)
    assert "DTSTART;TZID=Europe/London:20250710T183000" in text


def test_the_feed_defines_london_time_as_outlook_reads_it(client, joint_committee):
    _response, calendar = feed(client, joint_committee["body"].id)
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/London"
    for part in timezone.walk("DAYLIGHT") + timezone.walk("STANDARD"):
        # Outlook ignores RDATE and approximates a zone from one yearly RRULE per part.
        assert "RRULE" in part
        assert "RDATE" not in part
    rules = timezone.to_tz(lookup_tzid=False)
    for year in range(2006, 2041):
        for month, day in ((1, 15), (3, 30), (4, 2), (7, 10), (10, 24), (10, 31), (12, 1)):
            moment = datetime(year, month, day, 12, tzinfo=UTC)
            assert moment.astimezone(rules).utcoffset() == moment.astimezone(LONDON).utcoffset()


def test_exempt_items_appear_by_number_title_and_paragraph_only(client, joint_committee):
    world = joint_committee
    response, calendar = feed(client, world["body"].id)
    summer = events_by_uid(calendar)[f"meeting-{world['summer']}@govtrack"]
    description = str(summer["DESCRIPTION"])
    assert description.splitlines()[:3] == [
        "1. Apologies for absence",
        "2. Revenues and benefits performance",
        "3. Award of the printing contract (exempt: paragraph 3)",
    ]
    assert f"/meetings/{world['summer']}" in description
    assert "pension liabilities" not in unfolded(response)
    assert "quarterly performance report" not in unfolded(response)


def test_the_feed_is_the_same_for_a_clerk(actions, joint_committee):
    world = joint_committee
    body_id = world["body"].id
    actions.sign_in_as(Role.CLERK)
    response, calendar = feed(actions.client, body_id)
    assert f"meeting-{world['draft']}@govtrack" not in events_by_uid(calendar)
    assert "pension liabilities" not in unfolded(response)


def test_a_body_without_published_meetings_gives_an_empty_calendar(client, make_body):
    body = make_body(name="Task Group: ICT")
    response, calendar = feed(client, body.id)
    assert calendar.walk("VEVENT") == []
    assert 'filename="task-group-ict-meetings.ics"' in response.headers["Content-Disposition"]


def test_an_unknown_body_has_no_feed(client, app):
    assert client.get("/bodies/999999/meetings.ics").status_code == 404


@pytest.mark.parametrize("starts_at", [None, time(22, 30)])
def test_a_meeting_stored_on_the_last_day_of_9999_is_in_the_feed_without_an_end(
    client, make_body, make_meeting, starts_at
):
    body = make_body()
    far = make_meeting(body=body, held_on=date(9999, 12, 31), starts_at=starts_at)
    _response, calendar = feed(client, body.id)
    event = events_by_uid(calendar)[f"meeting-{far.id}@govtrack"]
    assert event.decoded("DTSTART") in (
        date(9999, 12, 31),
        datetime(9999, 12, 31, 22, 30, tzinfo=LONDON),
    )
    assert "DTEND" not in event
