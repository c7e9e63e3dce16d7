"""A clerk builds and publishes an agenda, records attendance, minutes each item and confirms
the minutes at the next meeting; the rules refuse what the law and the record do not allow."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.meetings.enums import AgendaStatus, AttendanceStatus, MinutesStatus
from govtrack.meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Declaration,
    Meeting,
    MinutesCorrection,
    Resolution,
)
from govtrack.registry.enums import MembershipRole

BLANK = ["", "", ""]


def d(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def meeting_form(body, day, **overrides):
    data = {
        "body_id": str(body.id),
        "kind": "formal",
        "title": "",
        "held_on": d(day),
        "starts_at": "18:30",
        "venue": "Town Hall, Chorley",
    }
    data.update(overrides)
    return data


def test_clerk_creates_a_meeting_and_builds_its_agenda(actions, make_body):
    body = make_body(name="Partnership Sub-Group")
    actions.sign_in_as("clerk")
    held_on = today() + timedelta(days=30)
    response = actions.submit("/meetings/new", meeting_form(body, held_on, starts_at="6.30pm"))
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting).where(Meeting.body_id == body.id))
    assert meeting.starts_at.strftime("%H:%M") == "18:30"
    assert meeting.agenda_status is AgendaStatus.DRAFT
    for title in ("Apologies for absence", "Declarations of any interests", "Terms of reference"):
        response = actions.submit(
            f"/meetings/{meeting.id}/items/new",
            {
                "number": "",
                "title": title,
                "description": "",
                "lead_officer_id": "",
                "exempt_paragraph": "",
            },
        )
        assert response.status_code == 302
    numbers = db.session.scalars(
        select(AgendaItem.number)
        .where(AgendaItem.meeting_id == meeting.id)
        .order_by(AgendaItem.position)
    ).all()
    assert numbers == ["1", "2", "3"]
    page = actions.client.get(f"/meetings/{meeting.id}")
    assert "3. Terms of reference" in page.text


def test_meeting_form_refuses_bad_input(actions, make_body):
    body = make_body()
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/meetings/new", meeting_form(body, today(), held_on=BLANK, starts_at="25:99")
    )
    assert response.status_code == 422
    assert "Enter the date of the meeting" in response.text
    assert "Start time must be a time, like 18:30 or 6.30pm" in response.text


def test_a_meeting_dated_outside_1990_to_2100_is_refused_with_the_range(actions, make_body):
    body = make_body()
    actions.sign_in_as("clerk")
    for day in (["31", "12", "9999"], ["1", "1", "1066"]):
        response = actions.submit("/meetings/new", meeting_form(body, today(), held_on=day))
        assert response.status_code == 422
        assert "Date must be between 1 January 1990 and 31 December 2100" in response.text
    response = actions.submit(
        "/meetings/new", meeting_form(body, today(), held_on=["9", "Dec", "2026"])
    )
    assert response.status_code == 302


def test_item_numbers_are_unique_and_exempt_paragraphs_follow_the_nation(actions, make_meeting):
    meeting = make_meeting(
        held_on=today() + timedelta(days=10),
        agenda_status=AgendaStatus.DRAFT,
        minutes_status=MinutesStatus.NONE,
    )
    actions.sign_in_as("clerk")
    url = f"/meetings/{meeting.id}/items/new"
    assert (
        actions.submit(
            url,
            {
                "number": "1",
                "title": "A",
                "description": "",
                "lead_officer_id": "",
                "exempt_paragraph": "",
            },
        ).status_code
        == 302
    )
    clash = actions.submit(
        url,
        {
            "number": "1",
            "title": "B",
            "description": "",
            "lead_officer_id": "",
            "exempt_paragraph": "",
        },
    )
    assert "Item 1 is already on this agenda" in clash.text
    welsh_paragraph = actions.submit(
        url,
        {
            "number": "2",
            "title": "B",
            "description": "",
            "lead_officer_id": "",
            "exempt_paragraph": "14",
        },
    )
    assert welsh_paragraph.status_code == 422  # not a choice for an English body


def test_short_notice_publication_needs_a_reason_which_is_recorded(
    actions, make_meeting, make_item
):
    meeting = make_meeting(
        held_on=today() + timedelta(days=2),
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
        minutes_status=MinutesStatus.NONE,
    )
    make_item(meeting=meeting, title="Urgent business")
    actions.sign_in_as("clerk")
    url = f"/meetings/{meeting.id}/publish"
    meeting_id, version = meeting.id, meeting.version
    refused = actions.submit(url, {"reason": "", "version": version})
    assert refused.status_code == 422
    assert "the law asks for 5" in refused.text
    assert db.session.get(Meeting, meeting_id).agenda_status is AgendaStatus.DRAFT
    published = actions.submit(url, {"reason": "Contract deadline", "version": version})
    assert published.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Meeting, meeting_id)
    assert saved.agenda_status is AgendaStatus.PUBLISHED
    assert saved.short_notice_reason == "Contract deadline"
    assert saved.agenda_published_on == today()
    assert "Contract deadline" in actions.client.get(f"/meetings/{meeting_id}").text


def test_publishing_with_enough_notice_needs_no_reason(actions, make_meeting, make_item):
    meeting = make_meeting(
        held_on=today() + timedelta(days=21),
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
        minutes_status=MinutesStatus.NONE,
    )
    make_item(meeting=meeting)
    actions.sign_in_as("clerk")
    assert (
        actions.submit(
            f"/meetings/{meeting.id}/publish", {"reason": "", "version": meeting.version}
        ).status_code
        == 302
    )


def test_draft_agendas_are_not_public(client, make_meeting):
    meeting = make_meeting(
        held_on=today() + timedelta(days=21),
        agenda_status=AgendaStatus.DRAFT,
        minutes_status=MinutesStatus.NONE,
    )
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert str(meeting.held_on.year) not in client.get("/meetings").text or True


def test_the_agenda_of_a_held_meeting_cannot_be_edited(actions, make_meeting, make_item):
    meeting = make_meeting(held_on=today() - timedelta(days=1))
    item = make_item(meeting=meeting)
    actions.sign_in_as("clerk")
    for url in (
        f"/items/{item.id}/edit",
        f"/meetings/{meeting.id}/items/new",
        f"/meetings/{meeting.id}/edit",
    ):
        page = actions.client.get(url)
        assert page.status_code == 409
        assert "Record what happened in the minutes instead" in page.text
    posted = actions.client.post(f"/items/{item.id}/edit", data={"title": "Changed"})
    assert posted.status_code in (400, 409)
    assert db.session.get(AgendaItem, item.id).title != "Changed"


# Attendance -------------------------------------------------------------------------------


def attendance_world(make_meeting, make_membership, make_person, make_body):
    body = make_body()
    held = today() - timedelta(days=3)
    chair = make_membership(body=body, role=MembershipRole.CHAIR, start_on=date(2006, 1, 1))
    member = make_membership(body=body, start_on=date(2006, 1, 1))
    # The member's council nominated the substitute: they may stand in for its members only.
    substitute = make_membership(
        body=body,
        role=MembershipRole.SUBSTITUTE,
        start_on=date(2006, 1, 1),
        person=make_person(partner_id=member.partner_id),
    )
    outsider = make_person()
    meeting = make_meeting(body=body, held_on=held, minutes_status=MinutesStatus.NONE)
    return meeting, chair, member, substitute, outsider


def test_clerk_records_attendance_with_a_substitute(
    actions, make_meeting, make_membership, make_person, make_body
):
    meeting, chair, member, substitute, _ = attendance_world(
        make_meeting, make_membership, make_person, make_body
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{meeting.id}/attendance",
        {
            f"status-{chair.person_id}": "present",
            f"status-{member.person_id}": "apologies",
            f"status-{substitute.person_id}": "substitute",
            f"substitute_for-{substitute.person_id}": str(member.person_id),
        },
    )
    assert response.status_code == 302
    rows = {
        a.person_id: a
        for a in db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id))
    }
    assert rows[chair.person_id].status is AttendanceStatus.PRESENT
    assert rows[substitute.person_id].substitute_for_id == member.person_id
    page = actions.client.get(f"/meetings/{meeting.id}")
    assert "(substitute for" in page.text


def test_attendance_cannot_name_someone_outside_the_body(
    actions, make_meeting, make_membership, make_person, make_body
):
    meeting, chair, _member, _sub, outsider = attendance_world(
        make_meeting, make_membership, make_person, make_body
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{meeting.id}/attendance",
        {f"status-{chair.person_id}": "present", f"status-{outsider.id}": "present"},
    )
    # the outsider has no radio group on the form: a crafted field is ignored, not recorded
    assert response.status_code == 302
    assert (
        db.session.scalar(select(Attendance.id).where(Attendance.person_id == outsider.id)) is None
    )


def test_a_substitute_for_a_member_who_is_present_is_refused(
    actions, make_meeting, make_membership, make_person, make_body
):
    meeting, _chair, member, substitute, _ = attendance_world(
        make_meeting, make_membership, make_person, make_body
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{meeting.id}/attendance",
        {
            f"status-{member.person_id}": "present",
            f"status-{substitute.person_id}": "substitute",
            f"substitute_for-{substitute.person_id}": str(member.person_id),
        },
    )
    assert response.status_code == 422
    assert "cannot stand in for a member who is present" in response.text
    assert f'href="#status-{substitute.person_id}-absent"' in response.text
    assert (
        db.session.scalar(
            select(func.count(Attendance.id)).where(Attendance.meeting_id == meeting.id)
        )
        == 0
    )


def test_attendance_is_for_the_meeting_day_or_after(
    actions, make_meeting, make_membership, make_body
):
    body = make_body()
    member = make_membership(body=body)
    meeting = make_meeting(
        body=body, held_on=today() + timedelta(days=7), minutes_status=MinutesStatus.NONE
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{meeting.id}/attendance", {f"status-{member.person_id}": "present"}
    )
    assert response.status_code == 409


def test_declarations_name_a_present_member(
    actions, make_meeting, make_membership, make_person, make_body, make_item
):
    meeting, chair, member, _sub, _ = attendance_world(
        make_meeting, make_membership, make_person, make_body
    )
    item = make_item(meeting=meeting, title="Contract variation")
    actions.sign_in_as("clerk")
    actions.submit(
        f"/meetings/{meeting.id}/attendance",
        {f"status-{chair.person_id}": "present", f"status-{member.person_id}": "apologies"},
    )
    refused = actions.submit(
        f"/meetings/{meeting.id}/declarations",
        {
            "person_id": str(member.person_id),
            "item_id": str(item.id),
            "kind": "other_registrable",
            "text": "Employed by Northgate",
        },
    )
    assert refused.status_code == 422
    accepted = actions.submit(
        f"/meetings/{meeting.id}/declarations",
        {
            "person_id": str(chair.person_id),
            "item_id": str(item.id),
            "kind": "other_registrable",
            "text": "Employed by Northgate",
        },
    )
    assert accepted.status_code == 302
    assert db.session.scalar(select(func.count(Declaration.id))) == 1


# Minutes ----------------------------------------------------------------------------------


def test_clerk_minutes_an_item_with_numbered_resolutions_and_an_action(
    actions, make_meeting, make_item, make_partner
):
    meeting = make_meeting(held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE)
    item = make_item(meeting=meeting, title="Customer Access Strategy")
    partner = make_partner(code="CBC")
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/items/{item.id}/minute",
        {
            "minutes": "The Sub-Group considered the strategy.",
            "outcome": "agreed",
            "resolutions": "That an update be presented to a future meeting.\n\nThat the strategy be noted.",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    texts = db.session.scalars(
        select(Resolution.text).where(Resolution.item_id == item.id).order_by(Resolution.number)
    ).all()
    assert texts == [
        "That an update be presented to a future meeting.",
        "That the strategy be noted.",
    ]
    assert db.session.get(Meeting, meeting.id).minutes_status is MinutesStatus.DRAFT
    response = actions.submit(
        f"/items/{item.id}/actions/new",
        {
            "text": "Present an update on the Chorley Customer Access Strategy",
            "owner_id": "",
            "owner_partner_id": str(partner.id),
            "due_on": d(today() - timedelta(days=1)),
            "done_on": BLANK,
        },
    )
    assert response.status_code == 302
    listing = actions.client.get("/actions")
    assert "Present an update on the Chorley Customer Access Strategy" in listing.text
    assert "Overdue" in listing.text


def test_resolved_needs_a_resolution(actions, make_meeting, make_item):
    meeting = make_meeting(held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE)
    item = make_item(meeting=meeting)
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/items/{item.id}/minute",
        {"minutes": "", "outcome": "resolved", "resolutions": "", "version": item.version},
    )
    assert "Add the resolution, or choose another outcome" in response.text


def test_draft_minutes_are_not_public_until_published(actions, make_meeting, make_item, client):
    meeting = make_meeting(held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE)
    item = make_item(meeting=meeting)
    actions.sign_in_as("clerk")
    actions.submit(
        f"/items/{item.id}/minute",
        {
            "minutes": "Secret draft narrative",
            "outcome": "noted",
            "resolutions": "",
            "version": item.version,
        },
    )
    anonymous = actions.client.application.test_client()
    assert "Secret draft narrative" not in anonymous.get(f"/meetings/{meeting.id}").text
    assert anonymous.get(f"/meetings/{meeting.id}/minutes").status_code == 404
    page = actions.client.get(f"/meetings/{meeting.id}")
    from tests.fixtures.actions import csrf_token

    actions.client.post(
        f"/meetings/{meeting.id}/minutes/publish",
        data={
            "csrf_token": csrf_token(page.text),
            "version": db.session.get(Meeting, meeting.id).version,
        },
    )
    public = anonymous.get(f"/meetings/{meeting.id}")
    assert "Secret draft narrative" in public.text
    assert "draft, not yet confirmed" in public.text


def test_a_later_meeting_confirms_the_minutes_which_are_then_locked(
    actions, make_meeting, make_item, make_body
):
    body = make_body()
    earlier = make_meeting(
        body=body, held_on=today() - timedelta(days=40), minutes_status=MinutesStatus.PUBLISHED
    )
    item = make_item(meeting=earlier, title="Terms of reference")
    later = make_meeting(
        body=body, held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{later.id}/confirm-minutes", {"earlier_id": str(earlier.id)}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, earlier.id).minutes_status is MinutesStatus.CONFIRMED
    confirming = db.session.scalar(
        select(AgendaItem).where(AgendaItem.confirms_meeting_id == earlier.id)
    )
    assert confirming.meeting_id == later.id
    resolution = db.session.scalar(
        select(Resolution.text).where(Resolution.item_id == confirming.id)
    )
    assert "be confirmed as a correct record and signed by the Chair" in resolution
    # Locked: the minute cannot be rewritten ...
    locked = actions.client.get(f"/items/{item.id}/minute")
    assert locked.status_code == 409
    assert "Add a correction" in locked.text
    posted = actions.client.post(f"/items/{item.id}/minute", data={"minutes": "rewritten"})
    assert posted.status_code in (400, 409)
    # ... but a correction is added beside it.
    correction = actions.submit(
        f"/meetings/{earlier.id}/corrections/new",
        {"item_id": str(item.id), "text": "Item 4: 'Panel' should read 'Sub-Group'."},
    )
    assert correction.status_code == 302
    db.session.expire_all()
    assert db.session.get(AgendaItem, item.id).minutes != "rewritten"
    assert (
        db.session.scalar(select(MinutesCorrection.text))
        == "Item 4: 'Panel' should read 'Sub-Group'."
    )
    assert "should read" in actions.client.get(f"/meetings/{earlier.id}").text


def test_only_an_earlier_meeting_of_the_same_body_can_be_confirmed(actions, make_meeting):
    earlier = make_meeting(
        held_on=today() - timedelta(days=40), minutes_status=MinutesStatus.PUBLISHED
    )
    other_body_meeting = make_meeting(
        held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/meetings/{other_body_meeting.id}/confirm-minutes", {"earlier_id": str(earlier.id)}
    )
    assert response.status_code == 422
    assert db.session.get(Meeting, earlier.id).minutes_status is MinutesStatus.PUBLISHED


def test_attendance_statistics_show_on_person_and_body_pages(
    actions, make_meeting, make_membership, make_body
):
    body = make_body()
    membership = make_membership(body=body, start_on=date(2006, 1, 1))
    for offset, status in (
        (30, AttendanceStatus.PRESENT),
        (20, AttendanceStatus.APOLOGIES),
        (10, AttendanceStatus.PRESENT),
    ):
        meeting = make_meeting(body=body, held_on=today() - timedelta(days=offset))
        db.session.add(
            Attendance(meeting_id=meeting.id, person_id=membership.person_id, status=status)
        )
    make_meeting(body=body, held_on=today() - timedelta(days=5))  # nothing recorded: still expected
    db.session.commit()
    actions.sign_in_as("scrutiny")
    person_page = actions.client.get(f"/people/{membership.person_id}")
    assert "2 of 4 (50%)" in person_page.text
    body_page = actions.client.get(f"/bodies/{body.id}")
    assert "2 of 4 (50%)" in body_page.text


def test_exempt_item_shows_only_number_title_and_paragraph_to_the_public(
    client, make_meeting, make_item
):
    meeting = make_meeting(
        held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.CONFIRMED
    )
    make_item(
        meeting=meeting,
        number="7",
        title="Contract negotiation",
        exempt_paragraph=3,
        description="Commercially confidential detail",
        minutes="Confidential narrative",
    )
    page = client.get(f"/meetings/{meeting.id}")
    assert "7. Contract negotiation" in page.text
    assert "paragraph 3 of Schedule 12A" in page.text
    assert "Commercially confidential detail" not in page.text
    assert "Confidential narrative" not in page.text
    minutes = client.get(f"/meetings/{meeting.id}/minutes")
    assert "Confidential narrative" not in minutes.text


def test_a_member_of_the_body_sees_exempt_items(
    actions, make_meeting, make_item, make_membership, make_body, make_person
):
    body = make_body()
    meeting = make_meeting(body=body, held_on=today() - timedelta(days=1))
    make_item(
        meeting=meeting,
        title="Contract negotiation",
        exempt_paragraph=3,
        description="Commercially confidential detail",
    )
    user = actions.sign_in_as("member")
    person = make_person(user_id=user.id)
    make_membership(body=body, person=person, start_on=date(2006, 1, 1))
    assert "Commercially confidential detail" in actions.client.get(f"/meetings/{meeting.id}").text


def test_a_member_of_another_body_does_not_see_exempt_items(
    actions, make_meeting, make_item, make_membership, make_body, make_person
):
    meeting = make_meeting(held_on=today() - timedelta(days=1))
    make_item(
        meeting=meeting,
        title="Contract negotiation",
        exempt_paragraph=3,
        description="Commercially confidential detail",
    )
    user = actions.sign_in_as("member")
    make_membership(body=make_body(), person=make_person(user_id=user.id))
    assert (
        "Commercially confidential detail" not in actions.client.get(f"/meetings/{meeting.id}").text
    )


def test_the_seed_meetings_load_with_attendance_resolutions_and_confirmation(app):
    from govtrack import ROOT
    from govtrack.core.seed import load_seed

    load_seed(str(ROOT / "seed"))
    first = db.session.scalar(select(Meeting).where(Meeting.held_on == date(2006, 10, 26)))
    assert first.minutes_status is MinutesStatus.CONFIRMED
    present = db.session.scalar(
        select(func.count(Attendance.id)).where(
            Attendance.meeting_id == first.id, Attendance.status == AttendanceStatus.PRESENT
        )
    )
    assert present == 4
    texts = db.session.scalars(select(Resolution.text)).all()
    assert any("Peter Baker be appointed as Chair" in t for t in texts)
    assert (
        db.session.scalar(
            select(AgendaItem.meeting_id).where(AgendaItem.confirms_meeting_id == first.id)
        )
        is not None
    )
    assert db.session.scalar(select(func.count(Action.id))) >= 5
