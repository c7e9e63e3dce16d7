"""Recording and editing services, directorates, the board, the table and analytics."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import func, select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Directorate, Service, StageTransition

BLANK_DATE = ["", "", ""]


def service_form(partner, **overrides):
    data = {
        "name": "Waste Helpline",
        "partner_id": str(partner.id) if partner else "",
        "directorate_id": "",
        "stage": "2",
        "stage_since": ["22", "3", "2007"],
        "date_integrated": BLANK_DATE,
        "planned_integration_date": BLANK_DATE,
        "integration_lead": "C/Team",
        "further_integration": "",
        "enquiries_per_month": "1,234",
        "head_of_service": "Steve Brown",
        "head_of_service_meeting": BLANK_DATE,
        "head_of_service_meeting_note": "via ENV SMT",
        "mechanism_telephone": "proposed",
        "mechanism_email": "potential",
        "note": "",
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_clerk_records_a_service_with_its_first_transition(actions, make_partner):
    partner = make_partner()
    directorate = Directorate(partner_id=partner.id, code="ENV")
    db.session.add(directorate)
    db.session.commit()
    actions.sign_in_as("clerk")

    response = actions.submit(
        "/pipeline/services/new",
        service_form(partner, directorate_id=str(directorate.id)),
    )

    assert response.status_code == 302, response.text
    service = db.session.scalars(select(Service)).one()
    assert (service.stage, service.enquiries_per_month) == (Stage.BUSINESS_CASE, 1234)
    assert service.mechanisms == {"telephone": "proposed", "email": "potential"}
    assert service.head_of_service_meeting_note == "via ENV SMT"
    first = db.session.scalars(select(StageTransition)).one()
    assert (first.from_stage, first.to_stage, first.moved_on) == (
        None,
        Stage.BUSINESS_CASE,
        date(2007, 3, 22),
    )
    page = actions.client.get(f"/pipeline/services/{service.id}")
    assert "Telephone enquiries: part of the proposed integration" in page.text
    assert "First recorded" in page.text


def test_bad_input_is_refused_with_every_message_and_the_input_kept(
    actions, make_partner, make_directorate
):
    partner = make_partner()
    elsewhere = make_directorate()  # another partner's directorate
    actions.sign_in_as("clerk")
    tomorrow = today() + timedelta(days=1)

    cases = [
        (
            {"enquiries_per_month": "-5"},
            "Average contact-centre telephone enquiries a month must be 0 or more",
        ),
        ({"enquiries_per_month": "lots"}, "must be a whole number, like 1234, or left empty"),
        (
            {"enquiries_per_month": "9" * 25},
            "Average contact-centre telephone enquiries a month must be 1,000,000 or fewer",
        ),
        (
            {
                "stage": "7",
                "date_integrated": [str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)],
            },
            "The date integrated must be today or in the past",
        ),
        ({"directorate_id": "99999"}, "Choose a directorate from the list"),
        (
            {"directorate_id": str(elsewhere.id)},
            "Choose a directorate of the partner that owns the service",
        ),
        ({"stage": "8"}, "Choose a stage from the list: stages are 1 Mandate to 7 Operational"),
        ({"stage": "7"}, "Enter the date the service was integrated (it is Operational)"),
        ({"name": "W" * 201}, "Service name must be 200 characters or fewer"),
        ({"integration_lead": "C" * 121}, "Integration lead must be 120 characters or fewer"),
        (
            {"stage_since": ["1", "1", "0001"]},
            "The date the service reached its stage must be 1 January 2000 or later",
        ),
        (
            {"stage": "7", "date_integrated": ["31", "12", "1999"]},
            "The date integrated must be 1 January 2000 or later",
        ),
    ]
    for change, message in cases:
        response = actions.submit("/pipeline/services/new", service_form(partner, **change))
        assert response.status_code == 422, change
        assert message in response.text, change
        assert f'value="{change.get("name", "Waste Helpline")}"' in response.text
        assert count(Service) == 0 and count(StageTransition) == 0


def test_editing_keeps_the_stage_and_refuses_a_stale_save(actions, make_service):
    service = make_service(Stage.START_UP, partially_integrated=False)
    actions.sign_in_as("clerk")
    form = actions.client.get(f"/pipeline/services/{service.id}/edit")
    assert form.status_code == 200
    assert 'name="stage"' not in form.text

    data = service_form(
        None,
        name=service.name,
        partner_id=str(service.partner_id),
        partially_integrated="y",
        version=str(service.version),
    )
    saved = actions.submit(f"/pipeline/services/{service.id}/edit", data)
    stale = actions.submit(f"/pipeline/services/{service.id}/edit", data)

    assert saved.status_code == 302
    assert stale.status_code == 409
    db.session.expire_all()
    edited = db.session.get(Service, service.id)
    assert edited.partially_integrated and edited.stage == Stage.START_UP


def test_directorates_are_kept_per_partner_by_its_officers(
    actions, make_partner, sign_in_officer_of
):
    ours, theirs = make_partner(), make_partner()
    sign_in_officer_of(ours)

    added = actions.submit(
        "/pipeline/directorates/new",
        {"partner_id": str(ours.id), "code": "env", "name": "Environment"},
    )
    again = actions.submit(
        "/pipeline/directorates/new", {"partner_id": str(ours.id), "code": "ENV", "name": ""}
    )
    other = actions.submit(
        "/pipeline/directorates/new", {"partner_id": str(theirs.id), "code": "ACS", "name": ""}
    )

    assert added.status_code == 302
    assert again.status_code == 422 and "already has a directorate ENV" in again.text
    assert other.status_code == 422  # not one of the officer's choices
    long = actions.submit(
        "/pipeline/directorates/new",
        {"partner_id": str(ours.id), "code": "E" * 21, "name": "N" * 161},
    )
    assert long.status_code == 422
    assert "Short code must be 20 characters or fewer" in long.text
    assert "Directorate name must be 160 characters or fewer" in long.text
    assert [d.code for d in db.session.scalars(select(Directorate))] == ["ENV"]


def test_board_and_table_show_every_service_filtered_with_overdue_flags(
    client, make_service, make_partner, make_directorate
):
    partner = make_partner(code="LCC")
    env = make_directorate(partner=partner, code="ENV")
    late = make_service(
        Stage.PRODUCT_DELIVERY,
        name="Registration Service",
        partner=partner,
        directorate_id=env.id,
        planned_integration_date=date(2007, 1, 10),
        enquiries_per_month=300,
    )
    make_service(Stage.OPERATIONAL, name="Lancashire Highways", enquiries_per_month=100)

    board = client.get("/pipeline")
    table = client.get("/pipeline/table?sort=share&order=desc")
    filtered = client.get("/pipeline?directorate=ENV")

    assert board.status_code == table.status_code == 200
    assert "Registration Service" in board.text and "Lancashire Highways" in board.text
    assert board.text.count("govuk-tag--red") == 1
    assert "75.00" in table.text and "25.00" in table.text and ">100.00<" in table.text
    assert table.text.index("Registration Service") < table.text.index("Lancashire Highways")
    assert "Lancashire Highways" not in filtered.text
    assert '<option value="LCC">LCC</option>' in board.text
    assert '<option value="ENV" selected>ENV</option>' in filtered.text
    assert client.get(f"/pipeline/services/{late.id}").text.count("Overdue") >= 1


def test_table_totals_add_up_only_the_services_shown(
    client, make_service, make_partner, make_directorate
):
    partner = make_partner(code="LCC")
    env = make_directorate(partner=partner, code="ENV")
    make_service(
        Stage.PRODUCT_DELIVERY,
        name="Registration Service",
        partner=partner,
        directorate_id=env.id,
        enquiries_per_month=1200,
    )
    make_service(Stage.OPERATIONAL, name="Lancashire Highways", enquiries_per_month=400)

    footer = client.get("/pipeline/table?directorate=ENV").text.split("<tfoot>")[1]

    assert ">1,200<" in footer and ">75.00<" in footer
    assert "1,600" not in footer and "100.00" not in footer


def test_analytics_draws_each_chart_with_its_table(client, make_service):
    make_service(Stage.MANDATE, enquiries_per_month=10)
    make_service(Stage.OPERATIONAL, enquiries_per_month=30)

    page = client.get("/pipeline/analytics")

    assert page.status_code == 200
    for title in (
        "Services at each stage",
        "Enquiries a month by stage",
        "Enquiries a month by directorate",
        "Days spent in each stage",
        "Planned and actual integration dates",
    ):
        assert title in page.text
    # plotly.js's basic bundle, fingerprinted, and the figures as data for static/charts.js.
    assert re.search(r"/assets/build/plotly-basic\.min\.[0-9a-f]{12}\.js", page.text)
    assert 'class="app-chart-data"' in page.text
    assert "cdn.plot.ly" not in page.text


def test_officers_record_services_of_their_own_council_only(
    actions, make_partner, sign_in_officer_of
):
    ours, theirs = make_partner(), make_partner()
    sign_in_officer_of(ours)

    form = actions.client.get("/pipeline/services/new")
    refused = actions.submit("/pipeline/services/new", service_form(theirs))
    added = actions.submit("/pipeline/services/new", service_form(ours))

    assert ours.name in form.text and theirs.name not in form.text
    assert refused.status_code == 422
    assert "Choose the owning partner from the list" in refused.text
    assert added.status_code == 302
    assert [s.partner_id for s in db.session.scalars(select(Service))] == [ours.id]


def test_a_services_history_names_its_directorate(actions, make_service, make_directorate):
    directorate = make_directorate(code="ENV")
    service = make_service(Stage.MANDATE, partner_id=directorate.partner_id)
    actions.sign_in_as("clerk")
    data = service_form(
        None,
        name=service.name,
        partner_id=str(service.partner_id),
        directorate_id=str(directorate.id),
        version=str(service.version),
    )
    assert actions.submit(f"/pipeline/services/{service.id}/edit", data).status_code == 302

    page = actions.client.get(f"/pipeline/services/{service.id}")

    assert "(none) → ENV" in page.text
