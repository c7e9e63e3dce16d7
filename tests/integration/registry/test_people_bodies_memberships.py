"""People, governance bodies and memberships: forms, rules, history, public view."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from govtrack.db import db
from govtrack.registry.enums import MembershipRole
from govtrack.registry.models import Body, Membership, Person

BLANK = ["", "", ""]


def d(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


# People -----------------------------------------------------------------------------------


def test_clerk_adds_a_person_linked_to_an_account(actions, make_partner, make_user):
    partner = make_partner(code="CBC")
    account = make_user(role="member", name="Peter Baker")
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/people/new",
        {
            "name": "Peter Baker",
            "title": "Councillor",
            "partner_id": str(partner.id),
            "email": "Peter.Baker@example.org",
            "user_id": str(account.id),
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.name == "Peter Baker"))
    assert person.email == "peter.baker@example.org"
    assert person.user_id == account.id
    page = actions.client.get(f"/people/{person.id}")
    assert ("Councillor" in page.text and "CBC" not in page.text) or "Partner Council" in page.text
    assert f'<a class="govuk-link" href="/partners/{partner.id}">{partner.name}</a>' in page.text


def test_person_form_checks_email_and_account(actions, make_partner, make_user, make_person):
    partner = make_partner()
    account = make_user()
    make_person(partner=partner, user_id=account.id)
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/people/new",
        {
            "name": "Someone",
            "title": "",
            "partner_id": str(partner.id),
            "email": "not-an-email",
            "user_id": "",
        },
    )
    assert "Enter an email address in the correct format" in response.text
    response = actions.submit(
        "/people/new",
        {"name": "", "title": "", "partner_id": "", "email": "", "user_id": str(account.id)},
    )
    assert "Enter the person&#39;s name" in response.text
    assert "Select the partner this person belongs to" in response.text


def test_a_tampered_partner_choice_is_refused(actions, make_partner):
    make_partner()
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/people/new",
        {"name": "X", "title": "", "partner_id": "999999", "email": "", "user_id": ""},
    )
    assert response.status_code == 422
    assert "Partner: choose one of the options given" in response.text


# Bodies -----------------------------------------------------------------------------------


def body_form(**overrides):
    data = {
        "name": "Shared Customer Service Joint Committee",
        "kind": "joint_committee",
        "legal_form": "lga1972_joint_committee",
        "jurisdiction": "england",
        "host_partner_id": "",
        "parent_id": "",
        "terms_of_reference": "",
    }
    data.update(overrides)
    return data


def test_clerk_adds_a_body_with_a_parent_and_host(actions, make_partner, make_body):
    host = make_partner(code="CBC")
    panel = make_body(name="Corporate & Customer Overview & Scrutiny Panel")
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/bodies/new",
        body_form(
            name="Partnership Sub-Group",
            kind="scrutiny_sub_group",
            legal_form="lga1972_committee",
            host_partner_id=str(host.id),
            parent_id=str(panel.id),
            terms_of_reference="1. To review.\n2. To report.",
        ),
    )
    assert response.status_code == 302
    body = db.session.scalar(select(Body).where(Body.name == "Partnership Sub-Group"))
    assert body.parent_id == panel.id and body.host_partner_id == host.id
    page = actions.client.get(f"/bodies/{body.id}")
    # "Reports to" is a link to the parent body, its name escaped once (not the link's markup).
    assert (
        f'<a class="govuk-link" href="/bodies/{panel.id}">'
        "Corporate &amp; Customer Overview &amp; Scrutiny Panel</a>"
    ) in page.text
    assert "To review." in page.text


def test_body_names_are_unique_and_required_choices_checked(actions, make_body):
    make_body(name="Partnership Board")
    actions.sign_in_as("clerk")
    response = actions.submit("/bodies/new", body_form(name="partnership board"))
    assert "There is already a body with this name" in response.text
    response = actions.submit("/bodies/new", body_form(kind="", legal_form="", jurisdiction=""))
    for message in (
        "Select the kind of body",
        "Select the body&#39;s legal form",
        "Select England or Wales",
    ):
        assert message in response.text


def test_a_body_cannot_sit_under_its_own_sub_body(actions, make_body):
    parent = make_body(name="Panel")
    child = make_body(name="Sub-group", parent_id=parent.id)
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/bodies/{parent.id}/edit",
        body_form(name="Panel", parent_id=str(child.id), version=parent.version),
    )
    assert response.status_code == 422
    assert "cannot sit under itself or one of its own sub-bodies" in response.text


# Memberships ------------------------------------------------------------------------------


def membership_form(person, body, **overrides):
    data = {
        "person_id": str(person.id),
        "body_id": str(body.id),
        "partner_id": str(person.partner_id),
        "role": "member",
        "start_on": ["26", "10", "2006"],
        "end_on": BLANK,
    }
    data.update(overrides)
    return data


def test_clerk_adds_a_membership_and_it_shows_on_the_body(actions, make_person, make_body):
    person = make_person(name="Hasina Khan")
    body = make_body(name="Partnership Sub-Group")
    actions.sign_in_as("clerk")
    response = actions.submit("/memberships/new", membership_form(person, body))
    assert response.status_code == 302
    page = actions.client.get(f"/bodies/{body.id}")
    assert "Hasina Khan" in page.text
    assert "26 October 2006 to now" in page.text


def test_overlapping_duplicate_membership_is_refused(actions, make_membership):
    existing = make_membership(start_on=date(2006, 10, 26), end_on=None)
    person = db.session.get(Person, existing.person_id)
    body = db.session.get(Body, existing.body_id)
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/memberships/new", membership_form(person, body, start_on=["1", "1", "2007"])
    )
    assert response.status_code == 422
    assert "already a member of this body for some of these dates" in response.text
    count = (
        db.session.scalar(
            select(db.func.count(Membership.id)).where(Membership.person_id == person.id)
        )
        if hasattr(db, "func")
        else None
    )
    assert count in (None, 1)


def test_a_later_non_overlapping_membership_is_allowed(actions, make_membership):
    existing = make_membership(start_on=date(2006, 1, 1), end_on=date(2006, 12, 31))
    person = db.session.get(Person, existing.person_id)
    body = db.session.get(Body, existing.body_id)
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/memberships/new", membership_form(person, body, role="chair", start_on=["1", "1", "2007"])
    )
    assert response.status_code == 302


def test_membership_ending_before_it_starts_is_refused(actions, make_person, make_body):
    person, body = make_person(), make_body()
    actions.sign_in_as("clerk")
    response = actions.submit(
        "/memberships/new", membership_form(person, body, end_on=["1", "1", "2006"])
    )
    assert "To must be the same as or after from" in response.text


def test_past_memberships_stay_visible_as_history_to_signed_in_users(
    actions, make_membership, make_body
):
    body = make_body()
    today = date.today()
    make_membership(
        body=body,
        role=MembershipRole.CHAIR,
        start_on=date(2005, 1, 1),
        end_on=today - timedelta(days=30),
    )
    actions.sign_in_as("scrutiny")
    page = actions.client.get(f"/bodies/{body.id}")
    assert "Past and future memberships" in page.text
    assert "Chair" in page.text


def test_ending_a_membership_is_an_audited_edit(actions, make_membership):
    membership = make_membership(start_on=date(2006, 10, 26))
    person = db.session.get(Person, membership.person_id)
    body = db.session.get(Body, membership.body_id)
    actions.sign_in_as("clerk")
    response = actions.submit(
        f"/memberships/{membership.id}/edit",
        membership_form(person, body, end_on=["31", "3", "2007"], version=membership.version),
    )
    assert response.status_code == 302
    history = actions.client.get(f"/memberships/{membership.id}/history")
    assert "(none) → 31 March 2007" in history.text


# The public -------------------------------------------------------------------------------


def test_the_public_sees_bodies_with_current_members_only(client, make_membership, make_body):
    body = make_body(name="Joint Committee")
    make_membership(body=body, person=None, start_on=date(2006, 1, 1))
    past = make_membership(body=body, start_on=date(2004, 1, 1), end_on=date(2005, 1, 1))
    past_person = db.session.get(Person, past.person_id)
    page = client.get(f"/bodies/{body.id}")
    assert page.status_code == 200
    assert "Current members" in page.text
    assert past_person.name not in page.text
    assert "/people/" not in page.text  # no links to people's details
    listing = client.get("/bodies")
    assert "Joint Committee" in listing.text
