"""A body's page as a clerk and the public read it: members in the order councils print them,
links that stand apart, the way to its decision rules, and a banner when a member is added."""

from __future__ import annotations

import re
from datetime import date

from govtrack.registry.enums import MembershipRole
from tests.integration.registry.test_people_bodies_memberships import membership_form
from tests.integration.test_what_readers_see import read


def test_members_are_listed_chair_vice_chair_members_substitutes_then_others(
    client, make_membership, make_person, make_body
):
    body = make_body(name="Shared Services Joint Committee")
    for name, role in (
        ("Ann Adviser", MembershipRole.OFFICER_ADVISER),
        ("Bob Substitute", MembershipRole.SUBSTITUTE),
        ("Cat Member", MembershipRole.MEMBER),
        ("Dan Vice", MembershipRole.VICE_CHAIR),
        ("Eve Co-opted", MembershipRole.CO_OPTED),
        ("Fay Chair", MembershipRole.CHAIR),
        ("Abe Member", MembershipRole.MEMBER),
    ):
        make_membership(person=make_person(name=name), body=body, role=role)
    text = read(client.get(f"/bodies/{body.id}").text).text
    names = re.findall(r"\b[A-Z][a-z]+ (?:Adviser|Substitute|Member|Vice|Co-opted|Chair)\b", text)
    assert names == [
        "Fay Chair",
        "Dan Vice",
        "Abe Member",
        "Cat Member",
        "Bob Substitute",
        "Eve Co-opted",
        "Ann Adviser",
    ]


def test_the_body_page_links_to_its_decision_rules(client, make_body):
    body = make_body()
    page = client.get(f"/bodies/{body.id}").text
    assert f'href="/bodies/{body.id}/rules"' in page
    assert client.get(f"/bodies/{body.id}/rules").status_code == 200


def test_edit_and_history_links_do_not_run_together(actions, make_membership):
    membership = make_membership(start_on=date(2006, 10, 26))
    actions.sign_in_as("clerk")
    reader = read(actions.client.get(f"/bodies/{membership.body_id}").text)
    assert "Edit" in reader.text and "History" in reader.text
    assert reader.glued == []
    assert re.search(r"Edit\s+History", reader.text)


def test_adding_a_membership_says_so_in_a_success_banner(actions, make_person, make_body):
    person = make_person(name="Hasina Khan")
    body = make_body(name="Partnership Sub-Group")
    actions.sign_in_as("clerk")
    response = actions.submit("/memberships/new", membership_form(person, body, role="vice_chair"))
    assert response.status_code == 302
    page = actions.client.get(response.headers["Location"]).text
    banner = re.search(r"govuk-notification-banner--success.*?</div>\s*</div>", page, re.S)
    assert banner is not None
    assert "Hasina Khan added to Partnership Sub-Group as Vice-chair" in banner.group(0)
