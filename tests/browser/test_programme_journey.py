"""Programme journey in Chromium, with axe on every page: an officer slips their council's
milestone (a mistyped date refused first, with the input kept), and sees its RAG and the
objective's roll-up change; the officer cannot change another council's milestone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from govtrack.core.dates import today
from tests.browser.conftest import (
    OFFICER,
    PROGRAMME_MILESTONE,
    PROGRAMME_OBJECTIVE,
    PROGRAMME_OTHERS_MILESTONE,
    axe_check,
    sign_in,
)

pytestmark = pytest.mark.browser


def fill_date(page: Page, field: str, day) -> None:
    page.locator(f"#{field}-day").fill(str(day.day))
    page.locator(f"#{field}-month").fill(str(day.month))
    page.locator(f"#{field}-year").fill(str(day.year))


def test_an_officer_slips_a_milestone_and_sees_the_rag_and_roll_up_change(page: Page):
    sign_in(page, OFFICER)
    page.goto("/programme")
    row = page.locator("tbody tr", has_text=PROGRAMME_OBJECTIVE)
    expect(row.locator(".app-objective-rag")).to_contain_text("Green")
    expect(page.locator("#roll-up-rule")).to_contain_text("The worst status")
    axe_check(page)

    row.get_by_role("link", name=PROGRAMME_OBJECTIVE).click()
    expect(page.locator("#objective-rag")).to_contain_text("Green")
    axe_check(page)
    page.get_by_role("link", name=PROGRAMME_MILESTONE).click()
    expect(page.locator("#milestone-rag")).to_contain_text("Green")
    axe_check(page)

    page.get_by_role("button", name="Slip or update the forecast").click()
    axe_check(page)
    fill_date(page, "forecast_date", today().replace(year=2001))
    page.get_by_label("In progress").check()
    page.get_by_label("Why, and what is being done").fill("The supplier's release slipped.")
    page.get_by_role("button", name="Save the forecast").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("on or after the programme start, 1 March 2002")
    expect(page.get_by_label("Why, and what is being done")).to_have_value(
        "The supplier's release slipped."
    )
    axe_check(page)

    fill_date(page, "forecast_date", today() + timedelta(days=120))
    page.get_by_role("button", name="Save the forecast").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Forecast saved")
    expect(page.locator("#milestone-rag")).to_contain_text("Red")
    expect(page.locator(".app-change").last).to_contain_text("The supplier's release slipped.")
    expect(page.locator(".app-rag-change")).to_have_count(2)
    axe_check(page)

    page.get_by_role("link", name=f"1. {PROGRAMME_OBJECTIVE}").click()
    expect(page.locator("#objective-rag")).to_contain_text("Red")
    axe_check(page)


def test_an_officer_cannot_change_another_councils_milestone(page: Page):
    sign_in(page, OFFICER)
    page.goto("/programme/milestones")
    axe_check(page)
    page.get_by_role("link", name=PROGRAMME_OTHERS_MILESTONE).click()
    expect(page.get_by_role("button", name="Slip or update the forecast")).to_have_count(0)
    axe_check(page)


def test_an_override_without_reason_or_expiry_is_refused_then_shows_as_overridden(page: Page):
    sign_in(page, OFFICER)
    page.goto("/programme/milestones")
    page.get_by_role("link", name=PROGRAMME_MILESTONE).click()
    page.get_by_role("button", name="Override the RAG").click()
    expect(page.get_by_text("What each rating means")).to_be_visible()
    axe_check(page)
    page.get_by_label("Amber").check()
    page.get_by_role("button", name="Override the RAG").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Give a reason for overriding the RAG")
    expect(summary).to_contain_text("Give the date the override expires")
    expect(page.get_by_label("Amber")).to_be_checked()
    axe_check(page)
    page.get_by_label("Reason").fill("Waiting on the telephony contract")
    fill_date(page, "expires_on", today() + timedelta(days=14))
    page.get_by_role("button", name="Override the RAG").click()
    expect(page.locator("#milestone-rag")).to_contain_text("(overridden)")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Waiting on the telephony contract")
    axe_check(page)
    page.get_by_role("button", name="End the override").click()
    expect(page.locator("#milestone-rag")).not_to_contain_text("(overridden)")
