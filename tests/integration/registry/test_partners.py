"""Partners: clerks and admins add and edit them; every bad input gets a clear message."""

from __future__ import annotations

from sqlalchemy import select

from govtrack.core.models import AuditEntry
from govtrack.db import db
from govtrack.registry.enums import PartnerKind
from govtrack.registry.models import Partner

BLANK_DATE = ["", "", ""]


def partner_form(**overrides):
    data = {
        "name": "Lancashire County Council",
        "code": "LCC",
        "kind": "county",
        "joined_on": ["1", "4", "2005"],
        "left_on": BLANK_DATE,
    }
    data.update(overrides)
    return data


def test_clerk_adds_a_partner_and_it_is_audited(actions):
    clerk = actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form())
    assert response.status_code == 302
    partner = db.session.scalar(select(Partner).where(Partner.code == "LCC"))
    assert partner.name == "Lancashire County Council"
    assert partner.kind is PartnerKind.COUNTY
    assert partner.joined_on.isoformat() == "2005-04-01"
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.subject_type == "partner", AuditEntry.subject_id == partner.id
        )
    )
    assert entry.action == "create"
    assert entry.actor_id == clerk.id
    assert entry.changes["code"] == [None, "LCC"]
    page = actions.client.get(response.headers["Location"])
    assert "Partner LCC added." in page.text


def test_missing_fields_are_listed_in_an_error_summary_and_input_is_kept(actions):
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(name="", kind=""))
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "Enter the partner&#39;s name" in response.text
    assert "Select the kind of partner" in response.text
    assert 'value="LCC"' in response.text  # what the user typed is still there
    assert response.text.count("<title>Error:") == 1
    assert db.session.scalar(select(Partner.id)) is None


def test_left_before_joined_is_refused(actions):
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(left_on=["31", "3", "2005"]))
    assert response.status_code == 422
    assert "Date left must be the same as or after date joined" in response.text
    assert db.session.scalar(select(Partner.id)) is None


def test_impossible_and_incomplete_dates_are_refused(actions):
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(joined_on=["31", "2", "2007"]))
    assert "Date joined must be a real date" in response.text
    response = actions.submit("/partners/new", partner_form(joined_on=["1", "", "2007"]))
    assert "Date joined must include a month" in response.text
    assert db.session.scalar(select(Partner.id)) is None


def test_a_crafted_post_without_the_date_boxes_does_not_crash(actions):
    actions.sign_in_as("clerk")
    data = partner_form()
    del data["joined_on"]
    data["left_on"] = ["1"]  # one box of three
    response = actions.submit("/partners/new", data)
    assert response.status_code in (302, 422)
    assert response.status_code != 500


def test_duplicate_short_code_is_refused_whatever_the_case(actions, make_partner):
    make_partner(code="CBC", name="Chorley Borough Council")
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(code="cbc", name="Another"))
    assert response.status_code == 422
    assert "Short code CBC is already used by another partner" in response.text


def test_short_code_must_be_letters(actions):
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(code="L-1"))
    assert "Short code must be 2 to 10 letters" in response.text


def test_overlong_name_is_refused(actions):
    actions.sign_in_as("clerk")
    response = actions.submit("/partners/new", partner_form(name="x" * 121))
    assert "Name must be 120 characters or fewer" in response.text


def test_edit_records_before_and_after_in_the_history(actions, make_partner):
    partner = make_partner(code="PBC", name="Pendle")
    actions.sign_in_as("admin")
    url = f"/partners/{partner.id}/edit"
    response = actions.submit(
        url,
        partner_form(
            code="PBC", name="Pendle Borough Council", kind="district", version=partner.version
        ),
    )
    assert response.status_code == 302
    history = actions.client.get(f"/partners/{partner.id}/history")
    assert "Pendle → Pendle Borough Council" in history.text


def test_second_of_two_concurrent_edits_is_refused_and_the_first_is_kept(actions, make_partner):
    partner = make_partner(code="HBC", name="Hyndburn")
    actions.sign_in_as("clerk")
    url = f"/partners/{partner.id}/edit"
    opened_version = partner.version
    first = actions.submit(
        url,
        partner_form(
            code="HBC", name="Hyndburn Borough Council", kind="district", version=opened_version
        ),
    )
    assert first.status_code == 302
    second = actions.submit(
        url, partner_form(code="HBC", name="Hyndburn BC", kind="district", version=opened_version)
    )
    assert second.status_code == 409
    assert "Someone else saved changes to this record" in second.text
    assert 'value="Hyndburn BC"' in second.text  # the second editor's input is not lost
    db.session.expire_all()
    assert db.session.get(Partner, partner.id).name == "Hyndburn Borough Council"


def test_partner_list_filters_sorts_and_paginates(actions, make_partner, app):
    app.config["PAGE_SIZE"] = 2
    make_partner(code="AAA", name="Alpha", kind=PartnerKind.COUNTY)
    make_partner(code="BBB", name="Bravo")
    make_partner(code="CCC", name="Charlie")
    page1 = actions.client.get("/partners?sort=name")
    assert page1.text.index("Alpha") < page1.text.index("Bravo")
    assert "Charlie" not in page1.text
    assert "Showing 1 to 2 of 3" in page1.text
    page2 = actions.client.get("/partners?sort=name&page=2")
    assert "Charlie" in page2.text
    desc = actions.client.get("/partners?sort=name&order=desc")
    assert desc.text.index("Charlie") < desc.text.index("Bravo")
    counties = actions.client.get("/partners?kind=county")
    assert "Alpha" in counties.text and "Bravo" not in counties.text
    search = actions.client.get("/partners?q=brav")
    assert "Bravo" in search.text and "Alpha" not in search.text


def test_malformed_list_arguments_are_ignored(client):
    response = client.get("/partners?page=abc&sort=drop+table&order=sideways&kind=nonsense")
    assert response.status_code == 200
