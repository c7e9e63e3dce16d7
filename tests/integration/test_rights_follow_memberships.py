"""Rights follow memberships: a clerk for one body, a councillor sitting on one scrutiny panel
and an officer of one partner may do on their own body's or partner's records what a one-right
account may do everywhere, and are refused on another's.

The route walk asks every route of the app (the same walk as ``test_permissions``) as each of
these accounts, once with the records of their own body and partner and once with another's;
the tests after it follow one refusal or one permission through the page a person sees.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight
from govtrack.core.dates import today
from govtrack.db import db
from govtrack.meetings.enums import AgendaStatus, MinutesStatus
from govtrack.meetings.models import Meeting
from govtrack.registry.enums import BodyKind
from govtrack.registry.models import Partner, Person
from govtrack.scrutiny.models import Inquiry
from tests.fixtures.actions import csrf_token
from tests.fixtures.factories import TEST_PASSWORD
from tests.integration.scrutiny.conftest import date_parts
from tests.integration.test_permissions import (
    EXPECTED,
    REGISTRY_KEEPERS,
    SIGNED_IN,
    build_world,
    walk,
)

# What belongs to no one body: kept by clerks for every body and administrators only.
SHARED = {
    endpoint
    for endpoint, who in EXPECTED.items()
    if endpoint.split(".")[0] in ("registry", "pipeline", "programme", "dashboards")
    and Role.CLERK in who
    and "public" not in who
    and who != SIGNED_IN
} | {"scrutiny.import_sheet", "scrutiny.confirm_import"}
# Decided by the record's body for clerks (the route guard lets in any clerk).
BODY_RECORDS = (
    {
        endpoint
        for endpoint, who in EXPECTED.items()
        if endpoint.startswith("meetings.") and who == REGISTRY_KEEPERS
    }
    - {"meetings.new_meeting"}
) | {
    "voting.new_rule_version",
    "voting.new_motion",
    "voting.record_vote",
    "voting.correct_motion",
    "scrutiny.edit_inquiry",
    "scrutiny.upload_report",
    "scrutiny.new_recommendation",
    "scrutiny.edit_recommendation",
    "scrutiny.new_response",
    "scrutiny.new_update",
}
# Decided by the inquiry's body for scrutiny members.
INQUIRY_RECORDS = {
    "scrutiny.edit_inquiry",
    "scrutiny.upload_report",
    "scrutiny.new_recommendation",
    "scrutiny.edit_recommendation",
    "scrutiny.new_response",
    "scrutiny.review",
    "scrutiny.sign_off",
    "scrutiny.reopen",
}
# Decided by the record's partner for officers.
PARTNER_RECORDS = {
    "pipeline.move",
    "pipeline.edit_service",
    "pipeline.edit_directorate",
    "programme.edit_milestone",
    "programme.forecast",
    "programme.rebaseline",
    "programme.complete",
    "programme.override",
    "programme.end_override",
    "scrutiny.new_update",
    "scrutiny.new_response",
}


def clerk_of_one_body(endpoint: str, own: bool) -> bool:
    if endpoint in SHARED or (not own and endpoint in BODY_RECORDS):
        return False
    return Role.CLERK in EXPECTED[endpoint]


def sits_on_one_panel(endpoint: str, own: bool) -> bool:
    if not own and endpoint in INQUIRY_RECORDS:
        return False
    return bool(EXPECTED[endpoint] & {Role.SCRUTINY, Role.MEMBER})


def officer_of_one_partner(endpoint: str, own: bool) -> bool:
    return Role.OFFICER in EXPECTED[endpoint] or (own and endpoint in PARTNER_RECORDS)


ACCOUNTS = {
    "clerk of body A": clerk_of_one_body,
    "councillor on panel A": sits_on_one_panel,
    "officer of partner A": officer_of_one_partner,
}


@pytest.fixture
def sides(make_membership, make_meeting, make_item, make_user, make_body):
    """Two worlds, each on its own scrutiny panel (A and B) and partner."""
    a, b = (
        build_world(
            make_membership,
            make_meeting,
            make_item,
            make_user,
            side=side,
            body=make_body(kind=BodyKind.SCRUTINY_PANEL),
        )
        for side in (1, 2)
    )
    return {"A": a, "B": b}


def account(make_user, who: str, side: dict):
    """The account ``who`` holding its right on side A."""
    if who == "clerk of body A":
        user = make_user(role=Role.CLERK)
        user.grants = [AccountRight(right=Role.CLERK, body_id=side["body_id"])]
    elif who == "officer of partner A":
        user = make_user(role=Role.OFFICER)
        user.grants = [AccountRight(right=Role.OFFICER, partner_id=side["partner_id"])]
    else:  # a councillor whose person sits on panel A: scrutiny rights come from the seat
        user = make_user(role=Role.MEMBER)
        db.session.get(Person, side["person_id"]).user_id = user.id
    db.session.commit()
    return user


def meeting_form(body_id: int, day) -> dict:
    return {
        "body_id": str(body_id),
        "kind": "formal",
        "title": "",
        "held_on": [str(day.day), str(day.month), str(day.year)],
        "starts_at": "18:30",
        "venue": "Town Hall",
    }


def _inquiry_form(body_id: int) -> dict:
    return {
        "body_id": str(body_id),
        "title": "Contact Centre Efficiencies",
        "terms_of_reference": "1. To review the partnership arrangements.",
        "scope": "",
        "started_on": date_parts(date(2006, 10, 26)),
        "reported_on": date_parts(date(2007, 3, 7)),
        "response_days": "56",
        "final_report_url": "",
    }


def sign_in(client, user):
    page = client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("records", ["A", "B"])
@pytest.mark.parametrize("who", sorted(ACCOUNTS))
def test_rights_by_route(app, client, make_user, sides, who, records):
    sign_in(client, account(make_user, who, sides["A"]))
    expected = ACCOUNTS[who]
    walk(
        app,
        client,
        sides[records],
        lambda endpoint: expected(endpoint, records == "A"),
        f"{who}, records of side {records}",
    )


# One refusal or permission at a time, as a person meets it --------------------------------


def test_a_clerk_for_one_body_is_offered_and_may_add_meetings_of_that_body_only(
    client, make_user, sides
):
    sign_in(client, account(make_user, "clerk of body A", sides["A"]))
    page = client.get("/meetings/new")
    assert page.status_code == 200
    assert f'value="{sides["A"]["body_id"]}"' in page.text
    assert f'value="{sides["B"]["body_id"]}"' not in page.text
    held_on = today() + timedelta(days=30)
    before = db.session.query(Meeting).count()
    tampered = client.post(
        "/meetings/new",
        data={
            "csrf_token": csrf_token(page.text),
            **meeting_form(sides["B"]["body_id"], held_on),
        },
    )
    assert tampered.status_code == 422  # another body is not a choice: the form says so
    assert db.session.query(Meeting).count() == before
    own = client.post(
        "/meetings/new",
        data={
            "csrf_token": csrf_token(page.text),
            **meeting_form(sides["A"]["body_id"], held_on),
        },
    )
    assert own.status_code == 302
    assert db.session.query(Meeting).count() == before + 1


def test_a_clerk_for_one_body_sees_that_bodys_drafts_and_its_controls_only(
    client, make_user, make_meeting, sides
):
    drafts = {
        side: make_meeting(
            body_id=sides[side]["body_id"],
            held_on=today() + timedelta(days=40),
            title=f"Draft of side {side}",
            agenda_status=AgendaStatus.DRAFT,
            agenda_published_on=None,
            minutes_status=MinutesStatus.NONE,
        )
        for side in ("A", "B")
    }
    sign_in(client, account(make_user, "clerk of body A", sides["A"]))
    calendar = client.get("/meetings?when=upcoming").text
    assert "Draft of side A" in calendar
    assert "Draft of side B" not in calendar
    assert client.get(f"/meetings/{drafts['B'].id}").status_code == 404
    own = client.get(f"/meetings/{sides['A']['meeting_id']}").text
    other = client.get(f"/meetings/{sides['B']['meeting_id']}").text
    assert f"/meetings/{sides['A']['meeting_id']}/edit" in own
    assert f"/meetings/{sides['B']['meeting_id']}/edit" not in other
    assert f"/items/{sides['B']['item_id']}/motions/new" not in other
    assert client.get(f"/meetings/{sides['B']['meeting_id']}/edit").status_code == 403


def test_a_councillor_on_one_panel_scrutinises_its_inquiries_only(client, make_user, sides):
    sign_in(client, account(make_user, "councillor on panel A", sides["A"]))
    own = client.get(f"/recommendations/{sides['A']['recommendation_id']}").text
    other = client.get(f"/recommendations/{sides['B']['recommendation_id']}").text
    assert "Challenge or comment" in own
    assert "Challenge or comment" not in other
    inquiry = client.get(f"/scrutiny/inquiries/{sides['B']['inquiry_id']}").text
    assert "Add a recommendation" not in inquiry
    assert (
        "Add a recommendation" in client.get(f"/scrutiny/inquiries/{sides['A']['inquiry_id']}").text
    )
    page = client.get("/scrutiny/inquiries/new")
    assert f'value="{sides["A"]["body_id"]}"' in page.text
    assert f'value="{sides["B"]["body_id"]}"' not in page.text
    before = db.session.query(Inquiry).count()
    tampered = client.post(
        "/scrutiny/inquiries/new",
        data={"csrf_token": csrf_token(page.text), **_inquiry_form(sides["B"]["body_id"])},
    )
    assert tampered.status_code == 422
    assert db.session.query(Inquiry).count() == before
    review = client.post(
        f"/recommendations/{sides['B']['recommendation_id']}/review",
        data={"csrf_token": csrf_token(page.text), "kind": "comment", "text": "Well done."},
    )
    assert review.status_code == 403


def test_an_officer_of_one_partner_reports_for_that_partner_only(client, make_user, sides):
    sign_in(client, account(make_user, "officer of partner A", sides["A"]))
    own = client.get(f"/recommendations/{sides['A']['recommendation_id']}").text
    other = client.get(f"/recommendations/{sides['B']['recommendation_id']}").text
    assert "Add an update" in own
    assert "Add an update" not in other
    refused = client.get(f"/recommendations/{sides['B']['recommendation_id']}/updates/new")
    assert refused.status_code == 403
    assert "Officers can add updates to only the recommendations addressed to" in refused.text
    page = client.get("/pipeline/services/new").text
    assert db.session.get(Partner, sides["A"]["partner_id"]).name in page
    assert db.session.get(Partner, sides["B"]["partner_id"]).name not in page
    assert client.get(f"/pipeline/services/{sides['B']['service_id']}/edit").status_code == 403
    assert client.get(f"/programme/milestones/{sides['B']['milestone_id']}/edit").status_code == (
        403
    )
    assert client.get(f"/programme/milestones/{sides['A']['milestone_id']}/edit").status_code == (
        200
    )


def test_a_councillor_sees_the_private_items_of_the_body_they_sit_on_only(
    client, make_user, make_item, sides
):
    for side in ("A", "B"):
        make_item(
            meeting_id=sides[side]["meeting_id"],
            number="9",
            title=f"Exempt on side {side}",
            description=f"private words of side {side}",
            exempt_paragraph=3,
        )
    sign_in(client, account(make_user, "councillor on panel A", sides["A"]))
    own = client.get(f"/meetings/{sides['A']['meeting_id']}").text
    other = client.get(f"/meetings/{sides['B']['meeting_id']}").text
    assert "private words of side A" in own
    assert "private words of side B" not in other
    assert "Exempt on side B" in other  # the item's title is public; its words are not
