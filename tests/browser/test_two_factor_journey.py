"""Two-factor sign-in in Chromium, with axe on each of its pages: a scrutiny member sets up an
authenticator app (the codes are worked out from the key the page writes out, as an app would),
signs in with a code and then with a recovery code, and turns it off."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import TWO_FACTOR, Account, axe_check, sign_in

pytestmark = pytest.mark.browser


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_success(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What the authenticator app shows now (or a number of 30-second steps from now)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def set_up_two_factor(page: Page) -> tuple[str, list[str]]:
    """From the set-up page: a wrong code first, then the right one. The key the page writes
    out and the recovery codes shown."""
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    secret = page.locator("#secret-key").inner_text().replace(" ", "")
    axe_check(page)
    page.get_by_label("Code from the app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("The code is not right")
    expect(page.locator("#secret-key")).to_have_text(re.compile(secret[:4]))  # the same key
    axe_check(page)
    page.get_by_label("Code from the app").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(heading(page)).to_have_text("Your recovery codes")
    codes = page.locator(".app-recovery-code").all_inner_texts()
    assert len(codes) == 10, codes
    axe_check(page)
    return secret, codes


def sign_in_with_second_step(page: Page, account: Account, code: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Enter the code from your app")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect_success(page, f"Signed in as {account.name}")


def sign_out(page: Page) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Sign out").click()
    expect_success(page, "You have signed out.")


def test_a_person_sets_up_two_factor_signs_in_with_codes_and_turns_it_off(page: Page):
    sign_in(page, TWO_FACTOR)
    page.goto("/account/two-factor")
    expect(heading(page)).to_have_text("Set up two-factor sign-in")
    secret, codes = set_up_two_factor(page)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(heading(page)).to_have_text("Two-factor sign-in")
    expect(page.locator(".govuk-summary-list")).to_contain_text("10 of 10")
    axe_check(page)
    sign_out(page)

    # The password alone opens nothing: the code page asks for the app's code.
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(TWO_FACTOR.email)
    page.get_by_label("Password", exact=True).fill(TWO_FACTOR.password)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Enter the code from your app")
    axe_check(page)
    page.get_by_label("Code").fill("999999")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    axe_check(page)
    page.get_by_label("Code").fill(app_code(secret, 1))  # the code the enrolment used is spent
    page.get_by_role("button", name="Sign in").click()
    expect_success(page, f"Signed in as {TWO_FACTOR.name}")
    sign_out(page)

    # A recovery code instead of the app (one step's code works once: no waiting for the next).
    sign_in_with_second_step(page, TWO_FACTOR, codes[0])
    page.goto("/account/two-factor")
    expect(page.locator(".govuk-summary-list")).to_contain_text("9 of 10")

    # Turning it off needs the password (or a code); then the password alone signs in.
    page.get_by_role("link", name="Turn off two-factor sign-in").click()
    expect(heading(page)).to_have_text("Turn off two-factor sign-in")
    axe_check(page)
    page.get_by_label("A code from your authenticator app, or your password").fill(
        TWO_FACTOR.password
    )
    page.get_by_role("button", name="Turn off two-factor sign-in").click()
    expect_success(page, "Two-factor sign-in is off.")
    expect(heading(page)).to_have_text("Set up two-factor sign-in")
    sign_out(page)
    sign_in(page, TWO_FACTOR)
