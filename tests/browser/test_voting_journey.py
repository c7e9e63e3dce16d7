"""Journeys through decision rules, motions and votes, in Chromium, with axe on every page.

Both start from yesterday's meetings in the starting data (see ``conftest``): a joint
committee's, where the clerk records the rules and a recorded vote, and an officer board's,
whose decision the clerk puts to the absent members, one of whom then votes.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from govtrack.core.dates import long_date
from tests.browser.conftest import (
    BOARD,
    BOARD_ITEM,
    BOARD_MEETING,
    BOARD_RULES,
    BOARD_SEATS,
    CLERK,
    COMMITTEE,
    COMMITTEE_MEETING,
    COMMITTEE_SEATS,
    VOTER,
    axe_check,
    sign_in,
    voting_meeting_date,
)

pytestmark = pytest.mark.browser

COMMITTEE_RULES = "Constituting agreement: a third of the members, simple majority"
COMMITTEE_MOTION = "That the partnership website be replaced by the shared platform."
BOARD_MOTION = "That the shared services work programme for the year be approved."
RECEIPT = re.compile(r"Your receipt is ([0-9A-F]{12})\.")


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def expect_success(page: Page, message: str | re.Pattern[str]) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def summary_row(page: Page, key: str) -> Locator:
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=key)
    )


def radio(page: Page, group: str, label: str) -> Locator:
    return page.get_by_role("group", name=group).get_by_label(label, exact=True)


def open_meeting(page: Page, title: str) -> None:
    """From the calendar, the meeting held yesterday."""
    held_on = voting_meeting_date()
    page.goto("/meetings")
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("link", name=long_date(held_on)).click()
    expect(heading(page)).to_have_text(f"{title}, {long_date(held_on)}")
    axe_check(page)


def record_motion(page: Page, text: str, proposer: str = "", seconder: str = "") -> None:
    """From the meeting's page; ends on the page that records the vote."""
    page.get_by_role("link", name="Record a motion or amendment on item 1").click()
    expect(heading(page)).to_contain_text("Record a motion on item 1")
    page.get_by_label("Motion", exact=True).fill(text)
    if proposer:
        page.get_by_label("Proposed by").select_option(label=proposer)
    if seconder:
        page.get_by_label("Seconded by").select_option(label=seconder)
    axe_check(page)
    page.get_by_role("button", name="Record the motion").click()
    expect_success(page, "Motion recorded. Now record the vote.")
    expect(heading(page)).to_have_text("Record the vote")
    expect(page.locator(".govuk-inset-text")).to_have_text(text)


# 1. The clerk records a joint committee's rules and a recorded vote ----------------------


def test_clerk_records_the_rules_a_motion_and_a_recorded_vote(page: Page):
    sign_in(page, CLERK)
    open_meeting(page, COMMITTEE_MEETING)
    meeting_url = page.url

    page.get_by_role("link", name=f"The decision rules of {COMMITTEE}").click()
    expect(heading(page)).to_have_text("Decision rules")
    expect(summary_row(page, "Version")).to_contain_text("Local Government Act 1972")
    axe_check(page)

    # Counting absent members' electronic votes is refused for an English joint committee.
    page.get_by_role("button", name="Add a new version").click()
    expect(heading(page)).to_have_text("Add a version of the decision rules")
    page.get_by_label("Name of this version").fill(COMMITTEE_RULES)
    dated = page.get_by_role("group", name="In force from")
    dated.get_by_label("Day").fill("1")
    dated.get_by_label("Month").fill("4")
    dated.get_by_label("Year").fill("2006")
    radio(page, "Votes", "One vote per member").check()
    radio(page, "Quorum", "A fraction, rounded up").check()
    page.get_by_label("Quorum: fraction").fill("1/3")
    radio(page, "Quorum counts", "Members present").check()
    page.get_by_label("Majority").select_option(label="Simple majority of votes cast")
    radio(page, "Comparison", "More than").check()
    radio(
        page, "On an equality of votes", "The person presiding has a second or casting vote"
    ).check()
    radio(page, "Electronic voting", "Counted votes for absent voters").check()
    axe_check(page)
    page.get_by_role("button", name="Add this version").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    problem = summary.get_by_role("link", name=re.compile("cannot count remote votes"))
    expect(problem).to_contain_text("Hertfordshire CC v SSHCLG [2021] EWHC 1093 (Admin)")
    expect(problem).to_contain_text("Choose 'consultation responses only'")
    # What was entered is kept.
    expect(page.get_by_label("Name of this version")).to_have_value(COMMITTEE_RULES)
    expect(page.get_by_label("Quorum: fraction")).to_have_value("1/3")
    axe_check(page)

    problem.click()
    radio(page, "Electronic voting", "Off").check()
    page.get_by_role("button", name="Add this version").click()
    expect_success(page, f"Rules '{COMMITTEE_RULES}' added.")
    expect(heading(page)).to_have_text("Decision rules")
    expect(summary_row(page, "Version")).to_contain_text(f"{COMMITTEE_RULES} (from 1 April 2006)")
    expect(summary_row(page, "Quorum")).to_contain_text("1/3 of the members, rounded up")
    expect(summary_row(page, "Electronic voting")).to_contain_text("Off")
    axe_check(page)

    # The motion on yesterday's item, and the recorded (named) vote of the three members.
    page.goto(meeting_url)
    chair, member, other = COMMITTEE_SEATS
    record_motion(
        page,
        COMMITTEE_MOTION,
        proposer=f"{chair.name} (presiding)",  # only those present and entitled to vote
        seconder=member.name,
    )
    expect(main(page)).to_contain_text(f"Rules applied: {COMMITTEE_RULES}")
    axe_check(page)
    radio(
        page, "How the vote was taken", "Recorded (named) vote: record each member's vote"
    ).check()
    radio(page, chair.name, "For").check()
    radio(page, member.name, "For").check()
    radio(page, other.name, "Against").check()
    page.get_by_role("button", name="Record the vote").click()

    expect_success(page, "Vote recorded.")
    expect(heading(page)).to_have_text("Motion")
    expect(page.locator(".govuk-inset-text")).to_have_text(COMMITTEE_MOTION)
    expect(page.locator(".govuk-tag").first).to_have_text("Carried")
    why = page.get_by_role("heading", name="Why").locator("xpath=following-sibling::ul[1]")
    expect(why.get_by_role("listitem").first).to_be_visible()
    expect(why).to_contain_text("2 for")
    expect(summary_row(page, "Rules applied")).to_contain_text(COMMITTEE_RULES)
    expect(summary_row(page, "Votes counted")).to_contain_text("For: 2, Against: 1")
    votes = page.get_by_role("table", name="Each voter's current vote")
    expect(votes.get_by_role("row").filter(has_text=other.name)).to_contain_text("Against")
    axe_check(page)

    # The meeting's page shows the outcome beside the motion.
    page.goto(meeting_url)
    motion = page.locator("#motions ~ .govuk-inset-text").filter(has_text=COMMITTEE_MOTION)
    expect(motion.locator(".govuk-tag")).to_have_text("Carried")
    expect(
        motion.get_by_role("link", name=re.compile(r"^See the vote and why\b.*motion 1 on item 1"))
    ).to_be_visible()
    axe_check(page)


# 2. An officer board's decision put to absent members, who vote electronically ------------


def test_absent_member_votes_changes_the_vote_and_cannot_repeat_it(page: Page):
    held_on = voting_meeting_date()
    sign_in(page, CLERK)
    open_meeting(page, BOARD_MEETING)
    record_motion(page, BOARD_MOTION)
    expect(main(page)).to_contain_text(f"Rules applied: {BOARD_RULES}")
    radio(
        page, "How the vote was taken", "Recorded (named) vote: record each member's vote"
    ).check()
    chair, _voter, _other = BOARD_SEATS
    radio(page, chair.name, "For").check()
    page.get_by_label("Put the decision to absent voters electronically").check()
    axe_check(page)
    page.get_by_role("button", name="Record the vote").click()
    expect_success(page, "Vote recorded.")
    expect(page.locator(".govuk-tag").first).to_have_text("Awaiting votes")
    expect(main(page)).to_contain_text("This outcome is not final: it awaits electronic votes")
    expect(main(page)).to_contain_text("2 votes still awaited.")
    axe_check(page)
    decision_url = page.url
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Sign out").click()
    expect_success(page, "You have signed out.")

    # The absent member finds the decision on "My decisions" and votes For.
    sign_in(page, VOTER)
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="My decisions"
    ).click()
    expect(heading(page)).to_have_text("My decisions")
    awaiting = page.get_by_role("heading", name="Awaiting your answer").locator(
        "xpath=following-sibling::*[1]"
    )
    link = awaiting.get_by_role("link", name=f"{BOARD}, {long_date(held_on)}: {BOARD_MOTION}")
    expect(link).to_be_visible()
    axe_check(page)
    link.click()
    expect(page).to_have_url(decision_url)
    expect(page.get_by_role("heading", name="Your vote", level=2)).to_be_visible()
    expect(page.locator(".govuk-caption-l")).to_contain_text(BOARD_ITEM)
    axe_check(page)
    radio(page, "Your vote", "For").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect_success(page, RECEIPT)
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    assert "Your vote For is recorded and counts towards the outcome." in banner, banner
    first_receipt = RECEIPT.search(banner).group(1)  # type: ignore[union-attr]
    expect(main(page)).to_contain_text(f"You voted For (receipt {first_receipt}).")
    axe_check(page)

    # They change their mind: Against, with a new receipt.
    radio(page, "Your vote", "Against").check()
    page.get_by_role("button", name="Cast my vote").click()
    expect_success(page, "Your vote Against is recorded and counts towards the outcome.")
    banner = page.locator(".govuk-notification-banner--success").inner_text()
    second_receipt = RECEIPT.search(banner).group(1)  # type: ignore[union-attr]
    assert second_receipt != first_receipt
    expect(main(page)).to_contain_text(f"You voted Against (receipt {second_receipt}).")
    axe_check(page)

    page.goto("/my-decisions")
    expect(main(page)).to_contain_text("Nothing awaits your answer.")
    row = page.get_by_role("row").filter(has_text=f"{BOARD}, {long_date(held_on)}")
    expect(row).to_contain_text("Against")
    expect(row).to_contain_text(second_receipt)
    expect(row).to_contain_text("Awaiting votes")  # as the decision's page says
    axe_check(page)

    # The same vote again (a form submitted twice) is refused and changes nothing.
    page.goto(decision_url)
    radio(page, "Your vote", "Against").check()
    with page.expect_response(lambda r: r.url.endswith("/cast")) as refused:
        page.get_by_role("button", name="Cast my vote").click()
    assert refused.value.status == 409
    expect(heading(page)).to_have_text("Your vote was not recorded")
    expect(main(page)).to_contain_text(
        f"You have already voted Against: your vote is unchanged (receipt {second_receipt})."
    )
    axe_check(page)
    page.get_by_role("link", name="Back to the decision").click()
    expect(main(page)).to_contain_text(f"You voted Against (receipt {second_receipt}).")
