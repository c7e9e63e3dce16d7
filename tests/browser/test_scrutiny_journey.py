"""Scrutiny journeys in Chromium, with axe on every page: an officer reports progress on a
recommendation addressed to their council (a future date refused first), and a scrutiny
member signs off a recommendation reported implemented."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from govtrack.core.dates import today
from tests.browser.conftest import (
    CLERK,
    INQUIRY,
    OFFICER,
    REC_TO_SIGN_OFF,
    REC_TO_UPDATE,
    SCRUTINY,
    axe_check,
    sign_in,
)

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def open_recommendation(page: Page, reference: str) -> None:
    page.goto("/scrutiny")
    axe_check(page)
    page.get_by_role("link", name=INQUIRY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INQUIRY)
    axe_check(page)
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Recommendation {reference}")
    axe_check(page)


def test_an_officer_adds_an_update(page: Page):
    sign_in(page, OFFICER)
    open_recommendation(page, "1")
    expect(page.get_by_role("main")).to_contain_text(REC_TO_UPDATE)
    page.get_by_role("button", name="Add an update").click()
    axe_check(page)
    fill_date(page, "Date of the update", today() + timedelta(days=2))
    page.get_by_label("Progress").fill("NCC: a three year vision statement has been agreed.")
    page.get_by_label("On track").check()
    page.get_by_role("button", name="Submit update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date of the update must be today or in the past")
    expect(page.get_by_label("Progress")).to_have_value(
        "NCC: a three year vision statement has been agreed."
    )
    axe_check(page)
    fill_date(page, "Date of the update", today())
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_role("button", name="Submit update").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Update submitted")
    timeline = page.locator(".app-timeline")
    expect(timeline).to_contain_text("update from NCC")
    expect(timeline).to_contain_text("a three year vision statement has been agreed")
    expect(page.locator(".govuk-summary-list")).to_contain_text("In progress")
    axe_check(page)


def test_a_scrutiny_member_signs_a_recommendation_off(page: Page):
    sign_in(page, SCRUTINY)
    open_recommendation(page, "2")
    expect(page.get_by_role("main")).to_contain_text(REC_TO_SIGN_OFF)
    expect(page.locator(".govuk-summary-list")).to_contain_text("Implemented")
    page.get_by_role("button", name="Sign off").click()
    axe_check(page)
    page.get_by_label("Comment").fill("Revised terms of reference seen at the panel.")
    page.get_by_role("button", name="Sign off as complete").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "signed off as complete"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Complete \N{EN DASH} signed off")
    expect(page.locator(".app-timeline")).to_contain_text("Signed off")
    expect(page.get_by_role("button", name="Reopen")).to_be_visible()
    axe_check(page)
    page.goto("/recommendations")
    axe_check(page)


def test_a_clerk_opens_the_monitoring_report_and_the_forms(page: Page):
    sign_in(page, CLERK)
    page.goto("/scrutiny")
    page.get_by_role("link", name=INQUIRY).click()
    page.get_by_role("button", name="Monitoring report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Monitoring of recommendations")
    expect(page.get_by_role("main")).to_contain_text(REC_TO_UPDATE)
    axe_check(page)
    page.get_by_label("As at").fill((today() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Show report").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The 'as at' date must be today or in the past"
    )
    expect(page.get_by_role("main")).not_to_contain_text(REC_TO_UPDATE)
    axe_check(page)
    page.get_by_label("As at").fill(today().isoformat())
    page.get_by_label("Only what changed").check()
    page.get_by_role("button", name="Show report").click()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel (.xlsx)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    page.goto("/scrutiny")
    page.get_by_role("link", name=INQUIRY).click()
    for link in ("Edit the inquiry", "Import from a spreadsheet", "Upload the final report"):
        page.get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page)
        page.go_back()
    page.get_by_role("button", name="Add a recommendation").click()
    axe_check(page)
    page.get_by_role("button", name="Save recommendation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the recommendation")
    axe_check(page)
    page.goto("/recommendations?overdue=responses")
    axe_check(page)
