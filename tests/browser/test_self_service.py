"""Looking after one's own account in Chromium, with axe on every page and every error: a
person invited by an administrator sets a password (a common one refused first), sees their
account and what govtrack holds about them, changes their password (a wrong current one
refused), forgets it and resets it from the e-mailed link (the page says the same for an
address with no account); the privacy notice; and an administrator erases the account's
personal data, after which its old password opens nothing.

E-mails are read where an administrator reads them, on the outbox page.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser.conftest import ADMIN, axe_check, sign_in

pytestmark = pytest.mark.browser

EMAIL = "sam.self@example.org"
NAME = "Sam Selfserve"
FIRST = "marble kettle orchard"
SECOND = "copper lantern meadow"
THIRD = "velvet compass harbour"


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_success(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def expect_problem(page: Page, message: str) -> None:
    """The GOV.UK error summary, focused, naming the problem; the title starts "Error:"."""
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(message)
    axe_check(page)


def new_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=base_url)
    return context, context.new_page()


def link_from_outbox(admin: Page, recipient: str, path: str) -> str:
    admin.goto(f"/outbox?recipient={recipient}")
    found = re.findall(rf"https?://[^\s<\"]+{re.escape(path)}/[A-Za-z0-9_-]+", admin.content())
    assert found, f"no {path} link e-mailed to {recipient}"
    return found[0]  # newest first


def fill_new_password(page: Page, password: str, confirm: str | None = None) -> None:
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(confirm if confirm is not None else password)


def invite(admin: Page) -> None:
    admin.goto("/accounts/invite")
    admin.get_by_label("Email address").fill(EMAIL)
    admin.get_by_label("Name", exact=True).fill(NAME)
    admin.get_by_label("First right (optional: more can be granted later)").select_option(
        label="Councillor (member)"
    )
    admin.get_by_role("button", name="Send invitation").click()
    expect_success(admin, f"Invitation sent to {EMAIL}.")


def accept_invitation(person: Page, link: str) -> None:
    person.goto(link)
    expect(heading(person)).to_have_text("Set up your account")
    expect(person.get_by_role("main")).to_contain_text(NAME)
    axe_check(person)
    fill_new_password(person, "password1234")
    person.get_by_role("button", name="Set password and sign in").click()
    expect_problem(person, "one of the most common passwords")
    fill_new_password(person, FIRST)
    person.get_by_role("button", name="Set password and sign in").click()
    expect_success(person, f"Signed in as {NAME}")


def look_at_the_account(person: Page) -> None:
    person.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name=re.compile(NAME)
    ).click()
    expect(heading(person)).to_have_text("Your account")
    expect(person.locator(".govuk-summary-list")).to_contain_text(EMAIL)
    expect(person.locator("#rights")).to_contain_text("Councillor (member)")
    axe_check(person)
    person.get_by_role("link", name="See what govtrack holds about you").click()
    expect(heading(person)).to_have_text("What govtrack holds about you")
    expect(person.get_by_role("main")).to_contain_text("Changes to your account")
    axe_check(person)
    with person.expect_download() as download:
        person.get_by_role("link", name="Download all of it (JSON file)").click()
    assert download.value.suggested_filename.endswith(".json")


def change_the_password(person: Page) -> None:
    person.goto("/account")
    person.get_by_role("link", name="Change your password").click()
    expect(heading(person)).to_have_text("Change your password")
    axe_check(person)
    person.get_by_label("Current password").fill("not my password at all")
    fill_new_password(person, SECOND)
    person.get_by_role("button", name="Change password").click()
    expect_problem(person, "Your current password is not right")
    person.get_by_label("Current password").fill(FIRST)
    fill_new_password(person, SECOND)
    person.get_by_role("button", name="Change password").click()
    expect_success(person, "Your password has been changed")
    expect(heading(person)).to_have_text("Your account")  # still signed in here


def ask_for_a_reset(person: Page, email: str) -> str:
    person.goto("/sign-in")
    person.get_by_role("link", name="Forgot your password?").click()
    expect(heading(person)).to_have_text("Reset your password")
    axe_check(person)
    person.get_by_label("Email address").fill(email)
    person.get_by_role("button", name="Send the link").click()
    expect(heading(person)).to_have_text("Check your email")
    axe_check(person)
    return person.get_by_role("main").inner_text()


def test_a_person_looks_after_their_own_account(page: Page, browser: Browser, base_url: str):
    sign_in(page, ADMIN)
    invite(page)
    invitation = link_from_outbox(page, EMAIL, "/invitation")

    context, person = new_page(browser, base_url)
    accept_invitation(person, invitation)
    look_at_the_account(person)
    change_the_password(person)
    person.get_by_role("navigation", name="Main menu").get_by_role(
        "button", name="Sign out"
    ).click()

    # Forgotten: the answer is the same for an address with no account.
    unknown = ask_for_a_reset(person, "nobody.here@example.org")
    known = ask_for_a_reset(person, EMAIL)
    assert unknown == known
    reset = link_from_outbox(page, EMAIL, "/reset-password")
    person.goto(reset)
    expect(heading(person)).to_have_text("Choose a new password")
    axe_check(person)
    fill_new_password(person, THIRD, THIRD + " again")
    person.get_by_role("button", name="Set password and sign in").click()
    expect_problem(person, "The two passwords are not the same")
    fill_new_password(person, THIRD)
    person.get_by_role("button", name="Set password and sign in").click()
    expect_success(person, f"Signed in as {NAME}")

    # The link works once: a clear page.
    person.goto(reset)
    expect(heading(person)).to_have_text("This link cannot be used")
    expect(person.get_by_role("main")).to_contain_text("already been used")
    axe_check(person)

    # The privacy notice, from the footer.
    person.get_by_role("contentinfo").get_by_role("link", name="Privacy").click()
    expect(heading(person)).to_have_text("Privacy notice")
    axe_check(person)

    # The administrator erases the account's personal data; the person is signed out.
    page.goto("/accounts")
    page.get_by_role("link", name=re.compile(NAME)).first.click()
    account_url = page.url
    user_id = re.search(r"/accounts/(\d+)", account_url).group(1)  # type: ignore[union-attr]
    page.goto(f"/accounts/{user_id}/erase")
    expect(heading(page)).to_have_text(f"Erase the personal data of {NAME}")
    axe_check(page)
    page.get_by_role("button", name="Erase personal data").click()
    expect_success(page, f"The personal data of account {user_id} has been erased.")
    person.goto("/account")
    expect(heading(person)).to_have_text("Sign in")
    person.get_by_label("Email address").fill(EMAIL)
    person.get_by_label("Password", exact=True).fill(THIRD)
    person.get_by_role("button", name="Sign in").click()
    expect(person.locator(".govuk-error-summary")).to_contain_text("not right")
    context.close()
