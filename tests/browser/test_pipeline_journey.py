"""Pipeline journeys in Chromium, with axe on every page: a clerk moves a service to the next
stage, then skips a stage giving the reason on the card, with the keyboard alone; anyone views the board as at 22/03/07; a clerk imports a
spreadsheet with one bad row, sees it named, fixes it and imports again."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import Page, expect

from govtrack.pipeline import sheets
from tests.browser.conftest import (
    CLERK,
    PIPELINE_MOVED_LATER,
    PIPELINE_TO_MOVE,
    axe_check,
    sign_in,
)

pytestmark = pytest.mark.browser


def column(page: Page, stage_number: int):
    return page.locator(f'section[aria-labelledby="stage-{stage_number}"]')


def tab_to(page: Page, element_id: str, limit: int = 400) -> None:
    """Press Tab until the element has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} never took the focus")


def test_a_clerk_moves_a_service_to_the_next_stage_with_the_keyboard(page: Page):
    sign_in(page, CLERK)
    page.goto("/pipeline")
    axe_check(page)
    card = column(page, 1).locator(".app-card", has_text=PIPELINE_TO_MOVE)
    select_id = card.locator("select").get_attribute("id")

    tab_to(page, select_id)
    page.keyboard.press("ArrowDown")  # the first stage offered: 2 - Business Case
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(card.locator("select")).to_have_value("2")
    page.keyboard.press("Tab")  # past the closed "Reason or date integrated"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{PIPELINE_TO_MOVE} moved to 2 - Business Case"
    )
    expect(column(page, 2)).to_contain_text(PIPELINE_TO_MOVE)
    expect(column(page, 1)).not_to_contain_text(PIPELINE_TO_MOVE)
    axe_check(page)

    # Skipping a stage needs a reason: it is typed on the card, with the keyboard alone.
    card = column(page, 2).locator(".app-card", has_text=PIPELINE_TO_MOVE)
    select_id = card.locator("select").get_attribute("id")
    tab_to(page, select_id)
    for _ in range(3):  # Choose a stage, 1, 3, 4
        page.keyboard.press("ArrowDown")
    expect(card.locator("select")).to_have_value("4")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # opens "Reason or date integrated"
    page.keyboard.press("Tab")
    expect(card.get_by_label("Reason")).to_be_focused()
    page.keyboard.type("Start up done with the business case")
    axe_check(page)
    tab_to(page, f"{select_id}-button")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"{PIPELINE_TO_MOVE} moved to 4 - Project Planning"
    )
    expect(column(page, 4)).to_contain_text(PIPELINE_TO_MOVE)

    page.get_by_role("link", name=PIPELINE_TO_MOVE).click()
    history = page.locator(".app-transition")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text("2 - Business Case")
    expect(history.last).to_contain_text("Start up done with the business case")
    axe_check(page)


def test_the_board_and_table_as_at_22_march_2007(page: Page):
    page.goto("/pipeline")
    expect(column(page, 3)).to_contain_text(PIPELINE_MOVED_LATER)

    page.get_by_label("As at").fill("22/03/2007")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("as at 22 March 2007")
    expect(column(page, 2)).to_contain_text(PIPELINE_MOVED_LATER)
    expect(column(page, 3)).not_to_contain_text(PIPELINE_MOVED_LATER)
    axe_check(page)

    page.get_by_role("navigation", name="Pipeline views").get_by_role("link", name="Table").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("as at 22 March 2007")
    row = page.locator("tbody tr", has_text=PIPELINE_MOVED_LATER)
    expect(row).to_contain_text("2 - Business Case")
    axe_check(page)


def write_sheet(path, enquiries: str) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=sheets.HEADERS)
        writer.writeheader()
        writer.writerow(
            {
                sheets.NAME: "Trading Standards",
                sheets.PARTNER: "NCC",
                sheets.DIRECTORATE: "ENV",
                sheets.STAGE: "1 - Mandate",
                sheets.ENQUIRIES: "250",
            }
        )
        writer.writerow(
            {
                sheets.NAME: "Cashiers",
                sheets.PARTNER: "NCC",
                sheets.DIRECTORATE: "ENV",
                sheets.STAGE: "1 - Mandate",
                sheets.ENQUIRIES: enquiries,
            }
        )


def test_a_clerk_imports_a_sheet_fixes_the_bad_row_and_imports_again(page: Page, tmp_path):
    sign_in(page, CLERK)
    sheet = tmp_path / "pipeline.csv"
    write_sheet(sheet, "-40")
    page.goto("/pipeline/import")
    axe_check(page)

    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()

    problems = page.locator("#import-problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first).to_contain_text("3")
    expect(problems.first).to_contain_text("must be 0 or more, not -40")
    expect(page.get_by_role("button", name="Import 2 rows")).to_have_count(0)
    axe_check(page)

    write_sheet(sheet, "40")
    page.get_by_label("Spreadsheet (CSV or Excel .xlsx)").set_input_files(str(sheet))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".app-import-ready")).to_contain_text("ready to import")
    axe_check(page)
    page.get_by_role("button", name="Import 2 rows").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 services added, 0 updated"
    )
    expect(page.locator("tbody")).to_contain_text("Trading Standards")
    expect(page.locator("tbody")).to_contain_text("Cashiers")
    axe_check(page)


def test_analytics_draws_its_charts_beside_their_tables(page: Page):
    page.goto("/pipeline/analytics")
    expect(page.locator("#services-per-stage .main-svg").first).to_be_visible()
    expect(page.get_by_role("table", name="Services at each stage: the numbers")).to_be_visible()
    axe_check(page)


def test_bad_input_on_a_new_service_is_named_and_kept(page: Page):
    sign_in(page, CLERK)
    page.goto("/pipeline/directorates")
    axe_check(page)
    page.goto("/pipeline/services/new")
    page.get_by_label("Service name").fill("Debt Recovery")
    page.get_by_label("Owning partner").select_option(label="Northshire County Council (NCC)")
    page.get_by_label("Average contact-centre telephone enquiries a month").fill("-12")
    page.get_by_role("button", name="Save").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "Average contact-centre telephone enquiries a month must be 0 or more"
    )
    expect(page.get_by_label("Service name")).to_have_value("Debt Recovery")
    expect(page.get_by_label("Average contact-centre telephone enquiries a month")).to_have_value(
        "-12"
    )
    axe_check(page)

    summary.get_by_role(
        "link", name="Average contact-centre telephone enquiries a month must be 0 or more"
    ).click()
    expect(page.get_by_label("Average contact-centre telephone enquiries a month")).to_be_focused()
    page.get_by_label("Average contact-centre telephone enquiries a month").fill("12")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Service Debt Recovery added."
    )
    expect(page.locator(".app-transition")).to_have_count(1)
