"""Dashboard journeys in Chromium, with axe on every page: a clerk opens the dashboard from the
menu, reads its summary and the tables beside the charts, goes by keyboard to the timeline;
records a reporting period (a bad date named, kept and fixed) and prints its highlight report."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BODY, CLERK, axe_check, sign_in

pytestmark = pytest.mark.browser


def test_a_clerk_reads_the_programme_dashboard_and_its_tables(page: Page):
    sign_in(page, CLERK)
    page.goto("/")
    page.get_by_role("link", name="See the programme at a glance on the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme dashboard")
    expect(page.locator(".app-dashboard__summary")).to_contain_text("services")
    table = page.get_by_role("table", name="RAG by area: the numbers")
    expect(table).to_be_visible()
    expect(table.get_by_role("rowheader", name="Services")).to_be_visible()
    expect(table.get_by_role("columnheader", name="No data (counted apart)")).to_be_visible()
    # plotly.js (served once from static/) drew the chart beside the table.
    expect(page.locator("#rag-by-area .main-svg").first).to_be_attached()
    axe_check(page)

    # Without a mouse: Tab to the timeline link and follow it.
    link = page.get_by_role("link", name="Milestone timeline")
    for _ in range(200):
        page.keyboard.press("Tab")
        if link.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Milestone timeline")
    axe_check(page)

    page.goto("/dashboard")
    page.get_by_role("link", name=BODY, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dashboard: {BODY}")
    axe_check(page)


def test_a_clerk_records_a_period_and_prints_its_highlight_report(page: Page):
    sign_in(page, CLERK)
    page.goto("/dashboard/periods")
    axe_check(page)
    page.get_by_role("button", name="Add a reporting period").click()
    page.get_by_label("Title").fill("Quarter 1 2007/08")
    start = page.get_by_role("group", name="Starts on")
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill("2007")
    end = page.get_by_role("group", name="Ends on")
    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("3")
    end.get_by_label("Year").fill("2007")
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The period must end on or after the day it starts")
    expect(page.get_by_label("Title")).to_have_value("Quarter 1 2007/08")
    axe_check(page)
    summary.get_by_role("link").first.click()
    end = page.get_by_role("group", name="Ends on")
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Reporting period Quarter 1 2007/08 added."
    )

    page.get_by_role("link", name="Highlight report for Quarter 1 2007/08").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Highlight report: Quarter 1 2007/08")
    for heading in ("What was achieved", "What slipped, and why", "Decisions needed"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    axe_check(page)
    page.emulate_media(media="print")
    expect(page.locator(".govuk-service-navigation")).to_be_hidden()
    expect(page.get_by_role("button", name="Show the report")).to_be_hidden()

    page.emulate_media(media="screen")
    page.goto("/dashboard/highlight?from=31/02/2007&to=30/06/2007")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The start of the period must be a real date, like 27/3/2007 or 27 March 2007"
    )
    expect(page.get_by_label("From")).to_have_value("31/02/2007")
    axe_check(page)
