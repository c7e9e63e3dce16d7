"""The accounts journey of issue 14, in Chromium with axe on every page: an administrator
invites a councillor who sits on a partnership board; she sets her password from the e-mailed
link, sets up two-factor sign-in, votes on the board's decision put to absent members, resets a
forgotten password (and is asked for her app's code again), and signs out everywhere: a second
browser signed in as her, and a copy of its cookies, are refused.

The e-mails are read where an administrator reads them, on the outbox page (no mail server is
set in the tests, so each message is kept there).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from tests.browser.conftest import (
    ACCOUNTS_BOARD,
    ACCOUNTS_BOARD_SEATS,
    ACCOUNTS_MEETING,
    ADMIN,
    CLERK,
    INVITEE,
    Account,
    axe_check,
    sign_in,
)
from tests.browser.test_two_factor_journey import app_code, set_up_two_factor
from tests.browser.test_voting_journey import open_meeting, radio, record_motion

pytestmark = pytest.mark.browser

MOTION = "That the customer access strategy be adopted by every partner."
NEW_PASSWORD = "a forgotten passphrase replaced"
RECEIPT = re.compile(r"Your receipt is ([0-9A-F]{12})\.")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def expect_success(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main menu")


def new_page(browser: Browser, base_url: str) -> tuple[BrowserContext, Page]:
    """Another browser (its own cookies), as a second person or device would have."""
    context = browser.new_context(base_url=base_url)
    return context, context.new_page()


def link_from_outbox(admin: Page, recipient: str, path: str) -> str:
    """The newest e-mailed link to ``path``/<token> for ``recipient``, from the outbox page."""
    admin.goto(f"/outbox?recipient={recipient}")
    expect(heading(admin)).to_have_text("Outbox")
    axe_check(admin)
    found = re.findall(rf"https?://[^\s<\"]+{re.escape(path)}/[A-Za-z0-9_-]+", admin.content())
    assert found, f"no {path} link e-mailed to {recipient}"
    return found[0]  # newest first


def put_the_decision_to_absent_members(page: Page) -> None:
    """The clerk records the board's motion: the chair (the only member there) votes For, and
    the decision goes to the absent members, the invitee among them."""
    sign_in(page, CLERK)
    open_meeting(page, ACCOUNTS_MEETING)
    record_motion(page, MOTION)
    radio(
        page, "How the vote was taken", "Recorded (named) vote: record each member's vote"
    ).check()
    radio(page, ACCOUNTS_BOARD_SEATS[0].name, "For").check()
    page.get_by_label("Put the decision to absent voters electronically").check()
    page.get_by_role("button", name="Record the vote").click()
    expect_success(page, "Vote recorded.")
    expect(page.locator(".govuk-tag").first).to_have_text("Awaiting votes")
    main_menu(page).get_by_role("button", name="Sign out").click()
    expect_success(page, "You have signed out.")


def invite(admin: Page, account: Account) -> None:
    """The administrator invites the person, linked to her record in the registry."""
    admin.goto("/accounts")
    expect(heading(admin)).to_have_text("Accounts")
    axe_check(admin)
    admin.get_by_role("button", name="Invite a person").click()
    expect(heading(admin)).to_have_text("Invite a person")
    admin.get_by_label("Email address").fill(account.email)
    admin.get_by_label("Name", exact=True).fill(account.name)
    admin.get_by_label("Person in the registry (optional)").select_option(
        label=f"{account.name} ({ACCOUNTS_BOARD_SEATS[1].partner})"
    )
    admin.get_by_label("First right (optional: more can be granted later)").select_option(
        label=account.role.label
    )
    axe_check(admin)
    admin.get_by_role("button", name="Send invitation").click()
    expect_success(admin, f"Invitation sent to {account.email}.")
    axe_check(admin)


def set_password_from_link(page: Page, link: str, password: str) -> None:
    page.goto(link)
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("Confirm new password").fill(password)
    axe_check(page)
    page.get_by_role("button", name="Set password and sign in").click()


def vote(page: Page) -> str:
    """From "My decisions", vote For on the board's decision; the receipt."""
    main_menu(page).get_by_role("link", name="My decisions").click()
    expect(heading(page)).to_have_text("My decisions")
    axe_check(page)
    page.get_by_role("link", name=re.compile(re.escape(MOTION))).click()
    expect(page.get_by_role("heading", name="Your vote", level=2)).to_be_visible()
    axe_check(page)
    radio(page, "Your vote", "For").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect_success(page, "Your vote For is recorded and counts towards the outcome.")
    axe_check(page)
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    return RECEIPT.search(banner).group(1)  # type: ignore[union-attr]


def forgot_password(page: Page, account: Account) -> None:
    page.goto("/sign-in")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(heading(page)).to_have_text("Reset your password")
    axe_check(page)
    page.get_by_label("Email address").fill(account.email)
    page.get_by_role("button", name="Send the link").click()
    expect(heading(page)).to_have_text("Check your email")
    axe_check(page)


def sign_in_with_code(page: Page, account: Account, password: str, code: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(heading(page)).to_have_text("Enter the code from your app")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    expect_success(page, f"Signed in as {account.name}")


def test_invited_councillor_sets_up_votes_resets_and_signs_out_everywhere(
    page: Page, browser: Browser, base_url: str
):
    # The clerk puts the board's decision to its absent members (the invitee is one).
    clerk_context, clerk = new_page(browser, base_url)
    put_the_decision_to_absent_members(clerk)
    clerk_context.close()

    # A new administrator invites the councillor.
    sign_in(page, ADMIN)
    invite(page, INVITEE)
    invitation = link_from_outbox(page, INVITEE.email, "/invitation")

    # She sets her password from the link and is signed in.
    context, councillor = new_page(browser, base_url)
    councillor.goto(invitation)
    expect(heading(councillor)).to_have_text("Set up your account")
    axe_check(councillor)
    set_password_from_link(councillor, invitation, INVITEE.password)
    expect_success(councillor, f"Signed in as {INVITEE.name}")

    # The link works once.
    councillor.goto(invitation)
    expect(councillor.get_by_role("main")).to_contain_text("already been used")
    axe_check(councillor)

    # She sets up two-factor sign-in from her account page.
    councillor.goto("/account")
    expect(heading(councillor)).to_have_text("Your account")
    axe_check(councillor)
    councillor.get_by_role("link", name="Manage two-factor sign-in").click()
    expect(heading(councillor)).to_have_text("Set up two-factor sign-in")
    secret, recovery_codes = set_up_two_factor(councillor)
    councillor.get_by_role("link", name="I have saved my recovery codes").click()
    expect(heading(councillor)).to_have_text("Two-factor sign-in")

    # She votes on the board's decision, as a member who sits on the board.
    receipt = vote(councillor)
    councillor.goto("/my-decisions")
    row = councillor.get_by_role("row").filter(has_text=ACCOUNTS_BOARD)
    expect(row).to_contain_text(receipt)
    main_menu(councillor).get_by_role("button", name="Sign out").click()
    expect_success(councillor, "You have signed out.")

    # She forgets her password: a reset link, then her app's code before anything opens.
    forgot_password(councillor, INVITEE)
    reset = link_from_outbox(page, INVITEE.email, "/reset-password")
    councillor.goto(reset)
    expect(heading(councillor)).to_have_text(re.compile("password", re.IGNORECASE))
    axe_check(councillor)
    set_password_from_link(councillor, reset, NEW_PASSWORD)
    expect(heading(councillor)).to_have_text("Enter the code from your app")
    axe_check(councillor)
    councillor.get_by_label("Code").fill(app_code(secret, 1))
    councillor.get_by_role("button", name="Sign in").click()
    expect_success(councillor, f"Signed in as {INVITEE.name}")

    # The old password opens nothing any more (the page says so without saying which part).
    second_context, second = new_page(browser, base_url)
    second.goto("/sign-in")
    second.get_by_label("Email address").fill(INVITEE.email)
    second.get_by_label("Password", exact=True).fill(INVITEE.password)
    second.get_by_role("button", name="Sign in").click()
    expect(second.locator(".govuk-error-summary")).to_contain_text("not right")

    # A second browser signs in as her (a recovery code: this step's code is spent), and a
    # copy of its cookies works too, until she signs out everywhere.
    sign_in_with_code(second, INVITEE, NEW_PASSWORD, recovery_codes[0])
    second.goto("/account")
    expect(heading(second)).to_have_text("Your account")
    copy = browser.new_context(base_url=base_url, storage_state=second_context.storage_state())
    copied = copy.new_page()
    copied.goto("/account")
    expect(heading(copied)).to_have_text("Your account")

    councillor.goto("/account")
    councillor.get_by_role("button", name="Sign out everywhere").click()
    expect_success(councillor, "You have been signed out everywhere")
    axe_check(councillor)

    for other in (second, copied):
        other.goto("/account")
        expect(heading(other)).to_have_text("Sign in")
        expect(main_menu(other).get_by_role("link", name="Sign in")).to_be_visible()
    councillor.goto("/account")
    expect(heading(councillor)).to_have_text("Sign in")
    for opened in (copy, second_context, context):
        opened.close()
