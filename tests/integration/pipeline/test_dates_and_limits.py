"""The date integrated belongs to Operational services only, and falls between the service's
last stage and its move to Operational; every problem of the service form shows at once; dates
and long text have limits, on the forms and in imports; the wording says what the code does."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from govtrack.core.dates import today
from govtrack.db import db
from govtrack.pipeline import sheets
from govtrack.pipeline.enums import Stage
from govtrack.pipeline.models import Service
from tests.integration.pipeline.test_import_export import confirm, csv_file, lcc, row, upload
from tests.integration.pipeline.test_moves import move
from tests.integration.pipeline.test_services_and_pages import count, service_form

NOT_RECORDED = re.compile(r"Date integrated\s*</dt>\s*<dd[^>]*>\s*Not recorded")


def parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def exported_rows(actions) -> list[dict]:
    text = actions.client.get("/pipeline/export?format=csv").data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


# 1. A date integrated only on an Operational service ---------------------------------------


def test_an_import_moving_a_service_out_of_operational_clears_the_date_left_in_its_cell(
    actions, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    service = make_service(
        Stage.OPERATIONAL, name="Lancashire Highways", partner=partner, since=date(2003, 6, 1)
    )
    actions.sign_in_as("clerk")
    rows = exported_rows(actions)
    assert rows[0][sheets.INTEGRATED] == "2003-06-01"
    rows[0][sheets.STAGE] = "6 - Integration"
    rows[0][sheets.REASON] = "Phones failed"

    done = confirm(actions, upload(actions, csv_file(rows)))

    assert done.status_code == 303
    db.session.expire_all()
    saved = db.session.get(Service, service.id)
    assert (saved.stage, saved.date_integrated) == (Stage.INTEGRATION, None)
    page = actions.client.get(f"/pipeline/services/{service.id}").text
    assert "6 - Integration" in page and NOT_RECORDED.search(page)
    assert "1 June 2003" in page  # the old date, kept in the history of changes


def test_an_import_refuses_a_new_date_integrated_on_a_service_not_operational(
    actions, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    make_service(
        Stage.OPERATIONAL, name="Lancashire Highways", partner=partner, since=date(2003, 6, 1)
    )
    actions.sign_in_as("clerk")
    rows = exported_rows(actions)
    rows[0].update({sheets.STAGE: "6", sheets.REASON: "Phones failed"})
    rows[0][sheets.INTEGRATED] = "2004-01-01"  # not the stored date: the user typed it

    moved_back = upload(actions, csv_file(rows))
    new_row = upload(actions, csv_file([row(**{sheets.INTEGRATED: "2006-01-01"})]))

    for refused in (moved_back, new_row):
        assert refused.status_code == 422
        assert "Empty the Date integrated cell: only an Operational service has a date" in (
            refused.text
        )
    db.session.expire_all()
    assert db.session.scalars(select(Service)).one().stage == Stage.OPERATIONAL


def test_the_edit_form_refuses_a_date_integrated_on_a_service_not_operational(
    actions, make_service
):
    service = make_service(Stage.BUSINESS_CASE, name="Welfare Rights")
    actions.sign_in_as("clerk")
    data = service_form(
        None,
        name="Welfare Rights",
        partner_id=str(service.partner_id),
        date_integrated=["1", "1", "2006"],
        version=str(service.version),
    )

    refused = actions.submit(f"/pipeline/services/{service.id}/edit", data)

    assert refused.status_code == 422
    assert (
        "Leave the date integrated empty: only an Operational service has one, not one at "
        "2 - Business Case" in refused.text
    )
    assert 'href="#date_integrated-day"' in refused.text
    db.session.expire_all()
    assert db.session.get(Service, service.id).date_integrated is None


# 2. The date of the move's errors are at its field -----------------------------------------


def test_a_refused_date_of_the_move_is_linked_and_shown_at_its_field(actions, make_service):
    service = make_service(Stage.MANDATE, since=date(2007, 1, 1))
    actions.sign_in_as("clerk")

    future = move(
        actions, service, Stage.BUSINESS_CASE, moved_on=parts(today() + timedelta(days=1))
    )
    early = move(actions, service, Stage.BUSINESS_CASE, moved_on=["1", "12", "2006"])

    for refused, message in (
        (future, "The date of the move must be today or in the past"),
        (early, "The date of the move cannot be before the service&#39;s last move"),
    ):
        assert refused.status_code == 422
        assert f'<a href="#moved_on-day">{message}' in refused.text
        assert re.search(
            rf'id="moved_on-error"[^>]*>\s*<span[^>]*>Error:</span>\s*{message}', refused.text
        )


# 3. The date integrated falls between the last stage and the move ---------------------------


def test_a_date_integrated_before_the_service_reached_its_stage_is_refused(
    actions, make_partner, make_service
):
    service = make_service(Stage.INTEGRATION, since=date(2007, 1, 1))
    actions.sign_in_as("clerk")

    too_early = move(actions, service, Stage.OPERATIONAL, date_integrated=["1", "1", "2001"])
    after_move = move(
        actions,
        service,
        Stage.OPERATIONAL,
        moved_on=["1", "3", "2007"],
        date_integrated=["2", "3", "2007"],
    )

    assert too_early.status_code == 422
    assert (
        "The date integrated cannot be before 1 January 2007, when the service reached "
        "6 - Integration" in too_early.text
    )
    assert after_move.status_code == 422
    assert "The date integrated cannot be after the date of the move (1 March 2007)" in (
        after_move.text
    )
    db.session.expire_all()
    assert db.session.get(Service, service.id).stage == Stage.INTEGRATION

    created = actions.submit(
        "/pipeline/services/new",
        service_form(make_partner(), stage="7", date_integrated=["1", "1", "2001"]),
    )
    assert created.status_code == 422
    assert (
        "The date integrated cannot be before 22 March 2007, when the service reached its "
        "stage" in created.text
    )
    assert count(Service) == 1


# 4. Every problem of the service form at once ------------------------------------------------


def test_the_service_form_lists_every_problem_in_one_submission(
    actions, make_partner, make_service
):
    partner = make_partner()
    make_service(name="Waste Helpline", partner=partner)
    actions.sign_in_as("clerk")

    blank_name = actions.submit("/pipeline/services/new", service_form(partner, name="", stage="7"))
    clash = actions.submit(
        "/pipeline/services/new",
        service_form(
            partner, stage="7", stage_since=parts(today() + timedelta(days=1)), note="n" * 4001
        ),
    )

    assert blank_name.status_code == 422
    assert "Enter the service&#39;s name" in blank_name.text
    assert "Enter the date the service was integrated (it is Operational)" in blank_name.text
    for message in (
        "The partner already has a service with this name",
        "Enter the date the service was integrated (it is Operational)",
        "The date the service reached its stage must be today or earlier",
        "Notes must be 4,000 characters or fewer",
    ):
        assert message in clash.text
    assert 'href="#stage_since-day"' in clash.text
    assert count(Service) == 1


# 5. Limits -----------------------------------------------------------------------------------


def test_far_dates_and_long_text_are_refused_on_the_form(actions, make_partner):
    partner = make_partner()
    actions.sign_in_as("clerk")
    far = today() + timedelta(days=366 * 20 + 1)
    meeting_far = today() + timedelta(days=366 * 5 + 1)

    refused = actions.submit(
        "/pipeline/services/new",
        service_form(
            partner,
            planned_integration_date=["1", "1", "2150"],
            head_of_service_meeting=["1", "1", "1890"],
            further_integration="f" * 200_000,
        ),
    )
    later = actions.submit(
        "/pipeline/services/new",
        service_form(
            partner,
            planned_integration_date=parts(far),
            head_of_service_meeting=parts(meeting_far),
            note="n" * 200_000,
        ),
    )

    assert refused.status_code == 422
    for message in (
        "The planned integration date must be ",
        "or earlier (not more than 20 years ahead)",
        "The date of the head-of-service meeting must be 1 January 2000 or later",
        "Potential for further integration must be 2,000 characters or fewer",
    ):
        assert message in refused.text
    for message in (
        "or earlier (not more than 5 years ahead)",
        "Notes must be 4,000 characters or fewer",
    ):
        assert message in later.text
    assert count(Service) == 0

    fine = actions.submit(
        "/pipeline/services/new",
        service_form(
            partner,
            planned_integration_date=parts(today() + timedelta(days=365 * 19)),
            head_of_service_meeting=parts(today() + timedelta(days=365 * 4)),
            further_integration="f" * 2000,
            note="n" * 4000,
        ),
    )
    assert fine.status_code == 302


def test_far_dates_and_long_text_are_refused_on_the_import_with_their_row(
    actions, make_partner, make_directorate, make_service
):
    partner = lcc(make_partner, make_directorate)
    make_service(Stage.START_UP, name="Road Safety", partner=partner)
    actions.sign_in_as("clerk")

    refused = upload(
        actions,
        csv_file(
            [
                row(
                    **{
                        sheets.STAGE: "1",
                        sheets.REASON: "r" * 2001,
                        sheets.PLANNED: "2150-01-01",
                        sheets.MEETING: "1890-01-01",
                        sheets.FURTHER: "f" * 2001,
                        sheets.NOTES: "n" * 4001,
                        sheets.ENQUIRIES: "-1",
                    }
                )
            ]
        ),
    )

    assert refused.status_code == 422
    for message in (
        "Reason for a stage change must be 2,000 characters or fewer",
        "Potential for further integration must be 2,000 characters or fewer",
        "Notes must be 4,000 characters or fewer",
        "or earlier (not more than 20 years ahead)",
        "The date of the head-of-service meeting must be 1 January 2000 or later",
        "Average enquiries a month must be 0 or more",
    ):
        assert message in refused.text, message


# 6. Wording ----------------------------------------------------------------------------------


def test_the_analytics_count_one_overdue_service_in_the_singular(client, make_service):
    make_service(Stage.MANDATE, planned_integration_date=date(2007, 6, 1))

    page = client.get("/pipeline/analytics").text

    assert "1 service has a planned date; 1 is overdue." in page


def test_a_service_may_reach_its_stage_today_but_not_tomorrow(actions, make_partner):
    partner = make_partner()
    actions.sign_in_as("clerk")

    tomorrow = actions.submit(
        "/pipeline/services/new",
        service_form(partner, stage_since=parts(today() + timedelta(days=1))),
    )
    on_the_day = actions.submit(
        "/pipeline/services/new", service_form(partner, stage_since=parts(today()))
    )

    assert "The date the service reached its stage must be today or earlier" in tomorrow.text
    assert on_the_day.status_code == 302


def test_the_as_at_notice_shows_a_service_recorded_later_with_an_earlier_stage(
    client, make_service
):
    make_service(Stage.START_UP, name="Recorded Late", since=date(2007, 1, 1))

    page = client.get("/pipeline?as_at=22/03/2007").text

    assert "Recorded Late" in page
    assert "first recorded later are not shown" not in page
    assert "only if its stage history has a stage dated on or before that day" in page
