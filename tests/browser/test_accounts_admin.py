"""An administrator runs accounts in the browser: finds an account, invites a person (and is
refused a second account for the same address), grants and removes a right, resends the
invitation, disables and re-enables the account; axe on every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ADMIN, BODY, CLERK, axe_check, sign_in

pytestmark = pytest.mark.browser

INVITEE = "pat.newcomer@example.org"


def expect_success(page: Page, message: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def expect_problem(page: Page, message: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(message)


def test_administrator_invites_grants_and_disables(page: Page):
    sign_in(page, ADMIN)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accounts")
    axe_check(page)

    page.get_by_label("Name or email contains").fill("clerk@")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("main").get_by_role("table")
    expect(table.get_by_role("link", name=CLERK.name)).to_be_visible()
    expect(table.get_by_role("link", name=ADMIN.name)).to_have_count(0)
    table.get_by_role("link", name=CLERK.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CLERK.name)
    axe_check(page)

    page.goto("/accounts")
    page.get_by_role("button", name="Invite a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a person")
    axe_check(page)
    # An address that already has an account: refused, with the way to that account.
    page.get_by_label("Email address").fill(CLERK.email)
    page.get_by_label("Name", exact=True).fill("Pat Newcomer")
    page.get_by_role("button", name="Send invitation").click()
    expect(page).to_have_title(re.compile(r"^Error: Invite a person"))
    expect_problem(page, f"An account for {CLERK.email} already exists")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Pat Newcomer")
    expect(page.get_by_role("link", name=f"go to {CLERK.name}'s account")).to_be_visible()
    axe_check(page)

    page.get_by_label("Email address").fill(INVITEE)
    page.get_by_label("First right").select_option(label="Councillor (member)")
    page.get_by_role("button", name="Send invitation").click()
    expect_success(page, f"Invitation sent to {INVITEE}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pat Newcomer")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Invited")
    axe_check(page)

    page.get_by_role("button", name="Grant a right").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grant a right to Pat Newcomer")
    axe_check(page)
    page.get_by_label("Right", exact=True).select_option(label="Councillor (member)")
    page.get_by_role("button", name="Grant right").click()
    expect_problem(page, "already holds this right")
    axe_check(page)
    page.get_by_label("Right", exact=True).select_option(label="Democratic services officer")
    page.get_by_label("For which body").select_option(label=BODY)
    page.get_by_role("button", name="Grant right").click()
    expect_success(page, "Right granted to Pat Newcomer")
    granted = page.get_by_role("table", name="Granted rights")
    expect(
        granted.get_by_role("cell", name=f"Democratic services officer for {BODY}", exact=True)
    ).to_be_visible()

    page.get_by_role("button", name="Remove Councillor (member)").click()
    expect_success(page, "Right removed")
    expect(granted.get_by_role("cell", name="Councillor (member)", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Send a new invitation").click()
    expect_success(page, "A new invitation has been sent")
    page.get_by_role("button", name="Disable account").click()
    expect_success(page, "account is disabled")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Disabled")
    axe_check(page)
    page.get_by_role("button", name="Re-enable account").click()
    expect_success(page, "account is enabled")

    # An administrator cannot disable their own account: refused, nothing changed.
    page.goto("/accounts?q=admin%40example.org")
    page.get_by_role("main").get_by_role("link", name=ADMIN.name).click()
    page.get_by_role("button", name="Disable account").click()
    expect_problem(page, "You cannot disable your own account")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)

    page.goto("/accounts?state=invited")
    expect(page.get_by_role("link", name="Pat Newcomer")).to_be_visible()
    axe_check(page)
