"""The agenda as a council issues it: substitutes stand in for their own council, items added
after publication are supplementary and need a reason for urgency, the printed agenda has a
front sheet and a marked Part II, and the small things a careful reader notices."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from sqlalchemy import func, select

from govtrack.core.dates import long_date, today
from govtrack.db import db
from govtrack.meetings.enums import AgendaStatus, MinutesStatus
from govtrack.meetings.models import Action, AgendaItem, Attendance, Resolution
from govtrack.registry.enums import MembershipRole
from tests.fixtures.actions import Actions

BLANK = ["", "", ""]
SECRET = "Bidder B scored lowest because of its pension liabilities"


def d(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def item_form(title: str, **overrides) -> dict:
    data = {
        "number": "",
        "title": title,
        "description": "",
        "lead_officer_id": "",
        "exempt_paragraph": "",
    }
    data.update(overrides)
    return data


def text_of(html: str) -> str:
    """The page's words as a reader meets them, tags gone and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# 6. Substitutes stand in for their own council ---------------------------------------------


def test_a_substitute_cannot_stand_in_for_another_councils_member(
    actions, make_meeting, make_membership, make_person, make_body, make_partner
):
    body = make_body()
    chorley = make_partner(name="Chorley Borough Council", code="CBC")
    county = make_partner(name="Lancashire County Council", code="LCC")
    cbc_member = make_membership(body=body, person=make_person(partner=chorley))
    lcc_member = make_membership(body=body, person=make_person(partner=county, name="Ann Ashe"))
    substitute = make_membership(
        body=body, role=MembershipRole.SUBSTITUTE, person=make_person(partner=chorley)
    )
    meeting = make_meeting(
        body=body, held_on=today() - timedelta(days=2), minutes_status=MinutesStatus.NONE
    )
    actions.sign_in_as("clerk")
    url = f"/meetings/{meeting.id}/attendance"
    form = actions.client.get(url).text
    choices = re.search(
        rf'<select[^>]*name="substitute_for-{substitute.person_id}"[^>]*>(.*?)</select>',
        form,
        re.S,
    ).group(1)
    assert f'value="{cbc_member.person_id}"' in choices
    assert f'value="{lcc_member.person_id}"' not in choices  # only their own council's members

    refused = actions.submit(
        url,
        {
            f"status-{lcc_member.person_id}": "apologies",
            f"status-{substitute.person_id}": "substitute",
            f"substitute_for-{substitute.person_id}": str(lcc_member.person_id),
        },
    )
    assert refused.status_code == 422
    summary = refused.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert "represents Chorley Borough Council, so can stand in only for one of its own" in (
        text_of(summary)
    )
    assert "Lancashire County Council" in text_of(summary)
    assert (
        db.session.scalar(
            select(func.count(Attendance.id)).where(Attendance.meeting_id == meeting.id)
        )
        == 0
    )

    accepted = actions.submit(
        url,
        {
            f"status-{cbc_member.person_id}": "apologies",
            f"status-{substitute.person_id}": "substitute",
            f"substitute_for-{substitute.person_id}": str(cbc_member.person_id),
        },
    )
    assert accepted.status_code == 302


def test_the_attendance_form_lists_chair_vice_chair_members_substitutes_then_others(
    actions, make_meeting, make_membership, make_person, make_body
):
    body = make_body()
    # Names in the reverse of the order wanted, so alphabetical order cannot pass the test.
    for name, role in (
        ("Ada Adviser", MembershipRole.OFFICER_ADVISER),
        ("Bea Coopted", MembershipRole.CO_OPTED),
        ("Cal Substitute", MembershipRole.SUBSTITUTE),
        ("Dee Member", MembershipRole.MEMBER),
        ("Eve Vicechair", MembershipRole.VICE_CHAIR),
        ("Fay Chair", MembershipRole.CHAIR),
    ):
        make_membership(body=body, role=role, person=make_person(name=name))
    meeting = make_meeting(
        body=body, held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.NONE
    )
    actions.sign_in_as("clerk")
    page = actions.client.get(f"/meetings/{meeting.id}/attendance").text
    legends = re.findall(r'<legend class="govuk-fieldset__legend[^"]*">([^<]+)</legend>', page)
    assert legends == [
        "Fay Chair",
        "Eve Vicechair",
        "Dee Member",
        "Cal Substitute",
        "Bea Coopted",
        "Ada Adviser",
    ]


# 7. A published agenda cannot be padded late -----------------------------------------------


def test_an_item_added_after_publication_is_supplementary_and_needs_a_reason(
    actions, make_meeting, make_item
):
    # A skeleton agenda published three weeks ahead, then filled in.
    meeting = make_meeting(
        held_on=today() + timedelta(days=21),
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
        minutes_status=MinutesStatus.NONE,
    )
    make_item(meeting=meeting, number="1", title="Apologies for absence")
    actions.sign_in_as("clerk")
    published = actions.submit(
        f"/meetings/{meeting.id}/publish", {"reason": "", "version": meeting.version}
    )
    assert published.status_code == 302

    url = f"/meetings/{meeting.id}/items/new"
    form = actions.client.get(url).text
    assert "Add a supplementary item" in form
    assert "Reason for urgency" in form
    refused = actions.submit(url, item_form("Contact centre contract award"))
    assert refused.status_code == 422
    assert "section 100B(4)(b)" in refused.text
    assert "govuk-error-summary" in refused.text
    assert (
        db.session.scalar(
            select(AgendaItem.id).where(AgendaItem.title == "Contact centre contract award")
        )
        is None
    )

    added = actions.submit(
        url,
        item_form(
            "Contact centre contract award",
            number="2",
            urgency_reason="The tender expires before the next meeting.",
        ),
    )
    assert added.status_code == 302
    item = db.session.scalar(
        select(AgendaItem).where(AgendaItem.title == "Contact centre contract award")
    )
    assert item.added_late_on == today()
    assert item.urgency_reason == "The tender expires before the next meeting."

    public = actions.client.application.test_client()
    for viewer in (actions.client, public):  # the clerk and the public see it alike
        page = text_of(viewer.get(f"/meetings/{meeting.id}").text)
        agenda = page.split("Supplementary items")
        assert len(agenda) == 2, "one Supplementary heading"
        assert "Apologies for absence" in agenda[0]
        assert "Contact centre contract award" not in agenda[0]
        assert "2. Contact centre contract award" in agenda[1]
        assert (
            f"Late item Added on {long_date(today())}, after the agenda was published"
            in (agenda[1])
        )
        assert "Reason for urgency: The tender expires before the next meeting." in agenda[1]
        printed = text_of(viewer.get(f"/meetings/{meeting.id}/agenda").text)
        assert printed.index("Supplementary items") < printed.index(
            "2. Contact centre contract award"
        )


def test_items_added_before_publication_are_not_supplementary(actions, make_meeting):
    meeting = make_meeting(
        held_on=today() + timedelta(days=21),
        agenda_status=AgendaStatus.DRAFT,
        agenda_published_on=None,
        minutes_status=MinutesStatus.NONE,
    )
    actions.sign_in_as("clerk")
    url = f"/meetings/{meeting.id}/items/new"
    assert "Reason for urgency" not in actions.client.get(url).text
    assert actions.submit(url, item_form("Budget monitoring")).status_code == 302
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
    assert item.added_late_on is None
    assert "Supplementary items" not in actions.client.get(f"/meetings/{meeting.id}").text


def test_a_supplementary_items_reason_cannot_be_emptied_later(actions, make_meeting, make_item):
    meeting = make_meeting(held_on=today() + timedelta(days=5), minutes_status=MinutesStatus.NONE)
    item = make_item(
        meeting=meeting, added_late_on=today(), urgency_reason="Deadline", title="Late"
    )
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/items/{item.id}/edit",
        item_form("Late", number=item.number, urgency_reason="", version=item.version),
    )
    assert response.status_code == 422
    assert "section 100B(4)(b)" in response.text


# 8. A printed private agenda is marked ----------------------------------------------------


def print_world(make_meeting, make_item, make_membership, make_person, make_body):
    body = make_body(name="Shared Services Joint Committee")
    make_membership(body=body, role=MembershipRole.MEMBER, person=make_person(name="Ben Member"))
    make_membership(body=body, role=MembershipRole.CHAIR, person=make_person(name="Zoe Chair"))
    meeting = make_meeting(
        body=body,
        held_on=date(2026, 12, 9),
        agenda_published_on=date(2026, 11, 30),
        minutes_status=MinutesStatus.NONE,
        venue="Council Chamber, County Hall, Preston",
        contact="Jane Clerk, Democratic Services, 01772 000000",
        starts_at=time(18, 30),
    )
    make_item(meeting=meeting, number="1", title="Budget monitoring", description="Open detail")
    make_item(
        meeting=meeting,
        number="2",
        title="Contact centre contract",
        exempt_paragraph=3,
        description=SECRET,
    )
    return body, meeting


def test_the_clerks_print_agenda_has_a_front_sheet_and_a_marked_part_two(
    actions, make_meeting, make_item, make_membership, make_person, make_body
):
    _body, meeting = print_world(make_meeting, make_item, make_membership, make_person, make_body)
    actions.sign_in_as("clerk")
    meeting_page = actions.client.get(f"/meetings/{meeting.id}").text
    assert f'href="/meetings/{meeting.id}/agenda"' in meeting_page
    page = text_of(actions.client.get(f"/meetings/{meeting.id}/agenda").text)
    assert "Clerk's copy" in page
    front, rest = page.split("Part I: items open to the public")
    assert "Shared Services Joint Committee" in front
    assert "Wednesday, 9 December 2026" in front
    assert "18:30" in front
    assert "Council Chamber, County Hall, Preston" in front
    assert "Jane Clerk, Democratic Services, 01772 000000" in front
    assert "Agenda published 30 November 2026" in front
    assert front.index("Zoe Chair (Chair") < front.index("Ben Member (Member")
    part_one, part_two = rest.split("Part II: items not for publication")
    assert "1. Budget monitoring" in part_one and "Open detail" in part_one
    assert "Contact centre contract" not in part_one
    assert "2. Contact centre contract" in part_two
    assert (
        "NOT FOR PUBLICATION by virtue of paragraph 3 of Part 1 of Schedule 12A to the Local "
        "Government Act 1972" in part_two
    )
    assert SECRET in part_two


def test_the_public_print_agenda_gives_private_items_by_number_title_and_paragraph(
    actions, client, make_user, make_meeting, make_item, make_membership, make_person, make_body
):
    _body, meeting = print_world(make_meeting, make_item, make_membership, make_person, make_body)
    anonymous = client.application.test_client()
    public = text_of(anonymous.get(f"/meetings/{meeting.id}/agenda").text)
    assert "Public copy" in public and "Clerk's copy" not in public
    part_two = public.split("Part II: items not for publication")[1]
    assert "2. Contact centre contract" in part_two
    assert "paragraph 3 of Part 1 of Schedule 12A" in part_two
    assert SECRET not in public
    # A member of another body gets the public copy too.
    member = Actions(client.application.test_client(), make_user)
    user = member.sign_in_as("member")
    make_membership(body=make_body(), person=make_person(user_id=user.id))
    assert SECRET not in member.client.get(f"/meetings/{meeting.id}/agenda").text
    # The clerk can print the public copy.
    actions.sign_in_as("clerk")
    clerk_public = actions.client.get(f"/meetings/{meeting.id}/agenda?copy=public").text
    assert SECRET not in clerk_public and "Public copy" in clerk_public


def test_a_draft_agendas_print_view_is_for_clerks_only(actions, client, make_meeting):
    meeting = make_meeting(
        held_on=today() + timedelta(days=21),
        agenda_status=AgendaStatus.DRAFT,
        minutes_status=MinutesStatus.NONE,
    )
    assert client.get(f"/meetings/{meeting.id}/agenda").status_code == 404
    actions.sign_in_as("clerk")
    page = text_of(actions.client.get(f"/meetings/{meeting.id}/agenda").text)
    assert "Not yet published: this is a draft" in page


# 12. Small things ---------------------------------------------------------------------------


def test_an_action_cannot_be_marked_done_on_a_future_date(
    actions, make_meeting, make_item, make_partner
):
    meeting = make_meeting(held_on=today() - timedelta(days=10))
    item = make_item(meeting=meeting)
    partner = make_partner()
    action = Action(item_id=item.id, text="Report back", owner_partner_id=partner.id)
    db.session.add(action)
    db.session.commit()
    actions.sign_in_as("clerk")
    values = {
        "text": "Report back",
        "owner_id": "",
        "owner_partner_id": str(partner.id),
        "due_on": BLANK,
        "version": action.version,
    }
    future = actions.submit(
        f"/actions/{action.id}/edit", values | {"done_on": d(today() + timedelta(days=1))}
    )
    assert future.status_code == 422
    assert "must be today or in the past" in future.text
    assert db.session.get(Action, action.id).done_on is None
    done = actions.submit(f"/actions/{action.id}/edit", values | {"done_on": d(today())})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, action.id).done_on == today()


def test_an_unnumbered_item_shows_no_stray_full_stop(client, make_meeting, make_item):
    meeting = make_meeting(held_on=date(2006, 6, 1), minutes_status=MinutesStatus.CONFIRMED)
    item = make_item(meeting=meeting, number="", title="Visit to the Red Rose Hub")
    db.session.add(
        Resolution(
            item_id=item.id,
            number=1,
            text="That the visit be noted.",
            search_text="That the visit be noted.\nVisit to the Red Rose Hub",
        )
    )
    db.session.commit()
    pages = {
        "meeting page": client.get(f"/meetings/{meeting.id}").text,
        "minutes": client.get(f"/meetings/{meeting.id}/minutes").text,
        "print agenda": client.get(f"/meetings/{meeting.id}/agenda").text,
        "decision register": client.get("/decisions").text,
        "calendar feed": client.get(f"/bodies/{meeting.body_id}/meetings.ics").text,
    }
    for where, html in pages.items():
        assert "Visit to the Red Rose Hub" in html, where
        assert ". Visit to the Red Rose Hub" not in html, where


def test_exempt_is_said_once(actions, make_meeting, make_item, make_resolution):
    meeting = make_meeting(held_on=today() - timedelta(days=3))
    make_item(meeting=meeting, title="Contract negotiation", exempt_paragraph=3)
    make_resolution(exempt_paragraph=3, title="Lease of the Red Rose Hub")
    actions.sign_in_as("clerk")
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/minutes", "/decisions"):
        words = text_of(actions.client.get(url).text)
        assert "paragraph 3 of Schedule 12A" in words, url
        assert "Exempt Exempt" not in words, url


def test_links_on_meeting_pages_are_never_run_together(
    actions, make_meeting, make_item, make_partner
):
    meeting = make_meeting(held_on=today() - timedelta(days=1), minutes_status=MinutesStatus.DRAFT)
    item = make_item(meeting=meeting)
    db.session.add(Action(item_id=item.id, text="Report back", owner_partner_id=make_partner().id))
    db.session.commit()
    actions.sign_in_as("clerk")
    for url in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/agenda", "/actions"):
        html = actions.client.get(url).text
        # Buttons sit apart in a button group; text links need words or a separator between.
        assert not re.search(r'</a>\s*<a class="govuk-link', html), url


def test_the_body_page_says_whose_membership_has_ended(
    client, make_meeting, make_membership, make_person, make_body
):
    body = make_body()
    make_membership(
        body=body,
        person=make_person(name="Former Member"),
        start_on=date(2006, 1, 1),
        end_on=date(2008, 3, 31),
    )
    make_membership(body=body, person=make_person(name="Sitting Member"), start_on=date(2006, 1, 1))
    make_meeting(body=body, held_on=date(2007, 5, 1))
    page = client.get(f"/bodies/{body.id}").text
    rows = {
        text_of(row).split(" ")[0] + " " + text_of(row).split(" ")[1]: text_of(row)
        for row in re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
        if "Member" in row
    }
    assert rows["Former Member"].endswith("Ended 31 March 2008")
    assert rows["Sitting Member"].endswith("Current")
