"""Recording an inquiry and its recommendations through the forms: problems named with the
input kept, evidence meetings linked, recommendations addressed to partners."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from govtrack.auth.enums import Role
from govtrack.db import db
from govtrack.registry.enums import BodyKind, LegalForm
from govtrack.scrutiny.models import Inquiry, Recommendation
from tests.integration.scrutiny.conftest import date_parts


def _inquiry_form(body_id, **values) -> dict:
    data = {
        "body_id": str(body_id),
        "title": "Contact Centre Efficiencies",
        "terms_of_reference": "1. To review the partnership arrangements.",
        "scope": "",
        "started_on": date_parts(date(2006, 10, 26)),
        "reported_on": date_parts(date(2007, 3, 7)),
        "response_days": "56",
        "final_report_url": "",
    }
    data.update(values)
    return data


def test_a_clerk_records_an_inquiry_with_its_evidence_meetings(
    actions, make_body, make_partner, make_meeting
):
    host = make_partner(code="CBC")
    body = make_body(
        name="Partnership Sub-Group",
        kind=BodyKind.SCRUTINY_SUB_GROUP,
        legal_form=LegalForm.LGA1972_COMMITTEE,
        host_partner_id=host.id,
    )
    hearing = make_meeting(body=body, held_on=date(2007, 1, 19), title="Witness session")
    actions.sign_in_as(Role.CLERK)
    page = actions.client.get("/scrutiny/inquiries/new")
    assert "Partnership Sub-Group" in page.text
    response = actions.submit(
        "/scrutiny/inquiries/new",
        _inquiry_form(
            body.id,
            title="",
            reported_on=date_parts(date(2006, 1, 1)),
            final_report_url="ftp://x",
        ),
    )
    assert response.status_code == 422
    assert "Enter the inquiry&#39;s title" in response.text or "Enter the inquiry's title" in (
        response.text
    )
    assert "1. To review the partnership arrangements." in response.text
    response = actions.submit("/scrutiny/inquiries/new", _inquiry_form(body.id))
    assert response.status_code == 302, response.text
    inquiry = db.session.scalar(select(Inquiry))
    edit = f"/scrutiny/inquiries/{inquiry.id}/edit"
    assert "Witness session" in actions.client.get(edit).text
    response = actions.submit(
        edit,
        _inquiry_form(
            body.id, version=str(inquiry.version), evidence_meeting_ids=[str(hearing.id)]
        ),
    )
    assert response.status_code == 302, response.text
    page = actions.client.get(f"/scrutiny/inquiries/{inquiry.id}")
    assert "Witness session" in page.text
    assert "two months from receipt of the report" in page.text
    # Plain words for the reader; where the number comes from is the edit form's hint.
    assert f"Other partners: {inquiry.response_days} days from receipt of the report." in page.text
    assert "it should come from" not in page.text
    assert f'<a class="govuk-link" href="/bodies/{body.id}">' in page.text


def test_an_evidence_meeting_without_a_title_is_named_by_its_kind(actions, make_body, make_meeting):
    body = make_body(kind=BodyKind.SCRUTINY_PANEL, legal_form=LegalForm.LGA1972_COMMITTEE)
    visit = make_meeting(body=body, held_on=date(2006, 12, 8), title="")
    actions.sign_in_as(Role.CLERK)
    assert actions.submit("/scrutiny/inquiries/new", _inquiry_form(body.id)).status_code == 302
    edit = f"/scrutiny/inquiries/{db.session.scalar(select(Inquiry.id))}/edit"
    assert f"8 December 2006: {visit.kind.label}" in actions.client.get(edit).text


def test_the_report_date_must_follow_the_start(actions, make_body):
    body = make_body(kind=BodyKind.SCRUTINY_PANEL, legal_form=LegalForm.LGA1972_COMMITTEE)
    actions.sign_in_as(Role.SCRUTINY)
    response = actions.submit(
        "/scrutiny/inquiries/new",
        _inquiry_form(body.id, reported_on=date_parts(date(2006, 1, 1)), final_report_url="x"),
    )
    assert response.status_code == 422
    assert "The report date must be on or after the start date" in response.text
    # Both problems in one round: the link's own check and the dates' rule.
    assert "must be a web address starting with https://" in response.text


def test_a_recommendation_is_added_and_a_repeated_reference_refused(actions, scrutiny_world):
    world = scrutiny_world
    actions.sign_in_as(Role.SCRUTINY)
    url = f"/scrutiny/inquiries/{world.inquiry.id}/recommendations/new"
    data = {
        "reference": "4.a",
        "group": "Objective/Key Issue 2: Partnership Working",
        "text": "That the quorum is changed to a majority vote system.",
        "addressee_ids": [str(world.lcc.id)],
        "lead_officer_id": "",
        "target_date": date_parts(None),
        "next_review_on": date_parts(None),
    }
    response = actions.submit(url, data)
    assert response.status_code == 422
    assert "This inquiry already has a recommendation 4.a" in response.text
    response = actions.submit(url, data | {"reference": "4.d"})
    assert response.status_code == 302
    rec = db.session.scalar(select(Recommendation).where(Recommendation.reference == "4.d"))
    assert rec is not None and rec.next_review_on == date(2007, 9, 7)
    page = actions.client.get(f"/recommendations/{rec.id}")
    assert "Response overdue" in page.text  # LCC's 56 days from 7 March 2007 have passed
