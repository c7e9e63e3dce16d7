"""Journeys through signing in and the registry, in Chromium, with axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import BODY, BODY_REMIT, CLERK, OFFICER, axe_check, sign_in

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def main_menu(page: Page) -> Locator:
    """The service navigation, with the account links at its end."""
    return page.get_by_role("navigation", name="Main menu")


def expect_success(page: Page, message: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(message)


def test_visitor_browses_the_public_pages_then_signs_in(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Governance of the shared-services partnership"
    )
    axe_check(page)

    main_menu(page).get_by_role("link", name="Partners", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partners")
    expect(page.get_by_role("link", name="Northshire County Council")).to_be_visible()
    axe_check(page)

    main_menu(page).get_by_role("link", name="Bodies", exact=True).click()
    page.get_by_role("link", name=BODY).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    expect(page.get_by_text(BODY_REMIT)).to_be_visible()
    axe_check(page)

    main_menu(page).get_by_role("link", name="Sign in", exact=True).click()
    page.get_by_label("Email address").fill(CLERK.email)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Email address or password is not right")
    expect(page.get_by_label("Email address")).to_have_value(CLERK.email)
    axe_check(page)

    page.get_by_label("Password", exact=True).fill(CLERK.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect_success(page, f"Signed in as {CLERK.name}")
    axe_check(page)


def test_clerk_adds_a_partner_fixes_a_mistake_then_edits_it(page: Page):
    sign_in(page, CLERK)
    page.goto("/partners")
    page.get_by_role("button", name="Add a partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a partner")
    axe_check(page)

    page.get_by_label("Short code").fill("SMD")
    page.get_by_label("Kind").select_option(label="District council")
    fill_date(page, "Date joined", "1", "4", "2005")
    page.get_by_role("button", name="Save").click()

    expect(page).to_have_title(re.compile(r"^Error: Add a partner"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Short code")).to_have_value("SMD")
    expect(page.get_by_role("group", name="Date joined").get_by_label("Year")).to_have_value("2005")
    axe_check(page)
    summary.get_by_role("link", name="Enter the partner's name").click()
    name = page.get_by_label("Name", exact=True)
    expect(name).to_be_focused()

    name.fill("Southmoor District Council")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Southmoor District Council")
    expect_success(page, "Partner SMD added.")
    axe_check(page)

    page.get_by_role("button", name="Edit partner").click()
    expect(name).to_have_value("Southmoor District Council")
    axe_check(page)
    name.fill("Southmoor Borough Council")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Southmoor Borough Council")
    expect_success(page, "Partner SMD saved.")

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "History of Southmoor Borough Council"
    )
    edit = page.get_by_role("row").filter(has_text="Edited partner SMD")
    expect(edit).to_contain_text("Southmoor District Council → Southmoor Borough Council")
    expect(page.get_by_role("row").filter(has_text="Added partner SMD")).to_have_count(1)
    axe_check(page)


def test_clerk_adds_a_person_and_their_membership_of_a_body(page: Page):
    sign_in(page, CLERK)
    page.goto("/people")
    axe_check(page)
    page.get_by_role("button", name="Add a person").click()
    page.get_by_label("Name", exact=True).fill("Priya Patel")
    page.get_by_label("Title").fill("Councillor")
    page.get_by_label("Partner").select_option(label="Eastdale District Council (EDC)")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Priya Patel")
    expect_success(page, "Priya Patel added.")
    axe_check(page)

    page.get_by_role("button", name="Add a membership").click()
    expect(page.get_by_label("Person")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("Body").select_option(label=BODY)
    page.get_by_label("Role").select_option(label="Member")
    fill_date(page, "From", "1", "6", "2024")
    axe_check(page)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(BODY)
    expect_success(
        page, f"Priya Patel added to {BODY} as Member, representing Eastdale District Council."
    )
    members = page.get_by_role("table", name=re.compile(r"^Current members"))
    row = members.get_by_role("row").filter(has_text="Priya Patel")
    expect(row).to_contain_text("EDC")
    expect(row).to_contain_text("Member")
    expect(row).to_contain_text("1 June 2024 to now")
    axe_check(page)


def test_clerk_signs_out(page: Page):
    sign_in(page, CLERK)
    navigation = main_menu(page)
    expect(navigation).to_contain_text(CLERK.name)
    navigation.get_by_role("button", name="Sign out").click()
    expect_success(page, "You have signed out.")
    expect(navigation.get_by_role("link", name="Sign in")).to_be_visible()
    expect(navigation).not_to_contain_text(CLERK.name)
    axe_check(page)


def test_an_officer_may_not_add_a_partner(page: Page):
    sign_in(page, OFFICER)
    response = page.goto("/partners/new")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You do not have permission to see this page"
    )
    axe_check(page)
