"""Journeys through meetings, minutes and the decision register, in Chromium, with axe on
every page.

The journeys share the live server's database and run in the order written: the public
journeys (2 and 4) read what the clerk's journey before each one made (1 and 3). The earlier
meeting that journey 3 confirms is in the starting data (see ``conftest``): its agenda is
locked, so it cannot be built through the pages on the day the tests run.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from govtrack.core.dates import long_date, today
from tests.browser.conftest import (
    BODY,
    BODY_MEMBER,
    CHAIR,
    CLERK,
    EARLIER_ITEM,
    EARLIER_MEETING_TITLE,
    LEAD_OFFICER,
    MEMBER,
    SUBSTITUTE,
    axe_check,
    earlier_meeting_date,
    sign_in,
)

pytestmark = pytest.mark.browser

# Journeys 1 and 2: an agenda published at short notice.
SHORT_NOTICE_TITLE = "Special meeting"
OPEN_ITEM = "Waste collection contract: performance"
OPEN_ITEM_TEXT = "Missed collections fell to 12 in every 100,000 in the last quarter."
REPORT_TITLE = "Waste contract performance: quarter 3"
EXEMPT_ITEM = "Waste collection contract: extension terms"
EXEMPT_ITEM_TEXT = "The contractor asks £4.2 million for a three-year extension."
URGENCY = "The contract ends before the next ordinary meeting and must be extended now."

# Journeys 3 and 4: a meeting held today, its minutes, and the decision register.
HELD_TITLE = "Ordinary meeting"
CONTACT_ITEM = "Customer contact centre performance"
RESOLUTIONS = [
    "That the report be noted.",
    "That the contact centre's opening hours be extended to 8pm on weekdays from April.",
]
SEARCH_WORD = "weekdays"
LEASE_ITEM = "Office accommodation: lease negotiations"
LEASE_ITEM_TEXT = "The landlord of Kestrel House has offered a ten-year lease."
LEASE_RESOLUTION = "That the lease of Kestrel House be renewed for ten years at the rent offered."
SECRET_WORD = "Kestrel"
INTEREST = "Her husband works for the contact centre's telephony supplier."
ACTION = "Report the cost of the longer opening hours to the next meeting."
CORRECTION = "The budget was presented by the deputy treasurer, not the treasurer."


# Helpers ----------------------------------------------------------------------------------


def fill_date(page: Page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def expect_success(page: Page, message: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(message)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def main_menu(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main menu")


def main(page: Page) -> Locator:
    return page.get_by_role("main")


def item_section(page: Page, title: str) -> Locator:
    """An agenda item's section, found by its heading (number, full stop, title)."""
    return page.locator("section.app-item").filter(
        has=page.get_by_role("heading", name=re.compile(rf"^\S+\. {re.escape(title)}$"))
    )


def summary_row(page: Page, key: str) -> Locator:
    return page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=key)
    )


def add_meeting(page: Page, title: str, held_on: date) -> None:
    """From the calendar, as a signed-in clerk; ends on the new meeting's page."""
    page.goto("/meetings")
    axe_check(page)
    page.get_by_role("button", name="Add a meeting").click()
    expect(heading(page)).to_have_text("Add a meeting")
    page.get_by_label("Body").select_option(label=BODY)
    expect(page.get_by_label("Formal meeting")).to_be_checked()
    page.get_by_label("Title", exact=True).fill(title)
    fill_date(page, "Date", held_on)
    page.get_by_label("Start time").fill("6.30pm")
    page.get_by_label("Venue").fill("Committee Room 1, County Hall")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Meeting added. Now build its agenda.")
    expect(heading(page)).to_have_text(f"{title}, {long_date(held_on)}")
    expect(summary_row(page, "Date")).to_contain_text("18:30")
    axe_check(page)


def add_item(page: Page, number: int, title: str, description: str = "", exempt: str = "") -> None:
    """From the meeting's page; ends back on it."""
    page.get_by_role("button", name="Add an agenda item").click()
    expect(heading(page)).to_contain_text("Add an agenda item")
    page.get_by_label("Title", exact=True).fill(title)
    if description:
        page.get_by_label("Description").fill(description)
    if exempt:
        page.get_by_label("Exempt information").select_option(exempt)
    else:
        page.get_by_label("Lead officer").select_option(
            label=f"{LEAD_OFFICER.name}, {LEAD_OFFICER.title} ({LEAD_OFFICER.partner})"
        )
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, f"Item {number} added.")
    expect(item_section(page, title)).to_be_visible()


def publish_agenda(page: Page, reason: str) -> None:
    """At short notice: the reason is asked for first, then given. Ends on the meeting."""
    page.get_by_role("button", name="Publish the agenda").click()
    expect(heading(page)).to_have_text("Publish the agenda")
    expect(page.locator(".govuk-warning-text")).to_contain_text("Give the reason")
    axe_check(page)
    page.get_by_role("button", name="Publish the agenda").click()
    expect(page).to_have_title(re.compile(r"^Error: Publish the agenda"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    problem = summary.get_by_role("link", name=re.compile("Give the reason the meeting is urgent"))
    expect(problem).to_have_attribute("href", "#reason")
    axe_check(page)
    problem.click()
    reason_box = page.get_by_label("Reason for short notice (urgency)")
    expect(reason_box).to_be_focused()
    reason_box.fill(reason)
    page.get_by_role("button", name="Publish the agenda").click()
    expect_success(page, "Agenda published.")
    expect(summary_row(page, "Agenda")).to_contain_text(f"Published on {long_date(today())}")
    expect(summary_row(page, "Reason for short notice")).to_contain_text(reason)
    axe_check(page)


def attendance_group(page: Page, person: str) -> Locator:
    return page.get_by_role("group", name=person)


# 1. The clerk builds and publishes an agenda ---------------------------------------------


def test_clerk_builds_an_agenda_and_publishes_it_at_short_notice(page: Page, tmp_path: Path):
    held_on = today() + timedelta(days=2)
    sign_in(page, CLERK)
    add_meeting(page, SHORT_NOTICE_TITLE, held_on)
    expect(summary_row(page, "Agenda")).to_contain_text("Draft")

    add_item(page, 1, "Apologies for absence")
    add_item(page, 2, OPEN_ITEM, OPEN_ITEM_TEXT)
    add_item(page, 3, EXEMPT_ITEM, EXEMPT_ITEM_TEXT, exempt="3")
    exempt = item_section(page, EXEMPT_ITEM)
    # 'Exempt' is said once, by the tag; the reason names the paragraph and what it covers.
    expect(exempt.locator(".govuk-tag")).to_have_text("Exempt")
    expect(exempt).to_contain_text(
        "Under paragraph 3 of Schedule 12A: Information relating to the financial or business "
        "affairs of any particular person"
    )
    expect(exempt).to_contain_text(EXEMPT_ITEM_TEXT)  # the clerk sees it
    axe_check(page)

    report = tmp_path / "waste-performance-q3.pdf"
    report.write_bytes(
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    item_section(page, OPEN_ITEM).get_by_role("link", name="Add a report to item 2").click()
    expect(heading(page)).to_have_text("Add a report to item 2")
    page.get_by_label("Title", exact=True).fill(REPORT_TITLE)
    page.get_by_label("Report").set_input_files(report)
    axe_check(page)
    page.get_by_role("button", name="Upload report").click()
    expect_success(page, f"Report added to item 2: {REPORT_TITLE}.")
    expect(item_section(page, OPEN_ITEM).get_by_role("link", name=REPORT_TITLE)).to_be_visible()
    expect(item_section(page, OPEN_ITEM)).to_contain_text("PDF, 1 KB")

    publish_agenda(page, URGENCY)

    # Earlier minutes are confirmed at the meeting, not before it.
    expect(page.get_by_role("button", name="Confirm earlier minutes")).to_have_count(0)
    page.goto(page.url.split("#")[0] + "/confirm-minutes")
    page.get_by_label(f"{EARLIER_MEETING_TITLE}, {long_date(earlier_meeting_date())}").check()
    page.get_by_role("button", name="Confirm as a correct record").click()
    expect(heading(page)).to_have_text("This cannot be changed")
    expect(main(page)).to_contain_text(f"Come back on {long_date(held_on)}.")
    axe_check(page)
    page.get_by_role("link", name="Go back to the meeting").click()

    main_menu(page).get_by_role("link", name="Meetings", exact=True).click()
    expect(heading(page)).to_have_text("Meetings")
    row = page.get_by_role("row").filter(has_text=SHORT_NOTICE_TITLE)
    expect(row).to_contain_text(long_date(held_on))
    expect(row).to_contain_text("Published")
    axe_check(page)


# 2. The public reads it --------------------------------------------------------------------


def test_the_public_reads_the_agenda_without_the_exempt_details(page: Page):
    held_on = today() + timedelta(days=2)
    page.goto("/meetings")
    row = page.get_by_role("row").filter(has_text=SHORT_NOTICE_TITLE)
    expect(row).to_have_count(1)
    axe_check(page)
    row.get_by_role("link", name=long_date(held_on)).click()
    expect(heading(page)).to_have_text(f"{SHORT_NOTICE_TITLE}, {long_date(held_on)}")
    expect(summary_row(page, "Reason for short notice")).to_contain_text(URGENCY)
    expect(page.get_by_role("button", name="Add an agenda item")).to_have_count(0)
    axe_check(page)

    exempt = item_section(page, EXEMPT_ITEM)
    expect(exempt.get_by_role("heading")).to_have_text(f"3. {EXEMPT_ITEM}")
    expect(exempt).to_contain_text("paragraph 3")
    expect(main(page)).not_to_contain_text(EXEMPT_ITEM_TEXT)
    expect(item_section(page, OPEN_ITEM)).to_contain_text(OPEN_ITEM_TEXT)

    feed_link = page.get_by_role("link", name=re.compile(r"to your calendar \(\.ics\)"))
    feed = page.request.get(feed_link.get_attribute("href") or "")
    assert feed.ok, feed.status
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = feed.text().replace("\r\n ", "")  # unfold the long lines
    assert f"SUMMARY:{BODY}: {SHORT_NOTICE_TITLE}" in calendar
    assert "(exempt: paragraph 3)" in calendar
    assert "4.2 million" not in calendar

    with page.expect_download() as download_info:
        item_section(page, OPEN_ITEM).get_by_role("link", name=REPORT_TITLE).click()
    download = download_info.value
    assert download.suggested_filename == "waste-performance-q3.pdf"
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")

    # A member of the body, signed in, sees the exempt item's text.
    sign_in(page, MEMBER)
    page.goto("/meetings")
    page.get_by_role("row").filter(has_text=SHORT_NOTICE_TITLE).get_by_role("link").click()
    expect(item_section(page, EXEMPT_ITEM)).to_contain_text(EXEMPT_ITEM_TEXT)
    axe_check(page)


# 3. Attendance and minutes, and confirming the earlier minutes -----------------------------


def record_attendance(page: Page, substitute_for: str, member_status: str) -> None:
    attendance_group(page, CHAIR.name).get_by_label("Present", exact=True).check()
    attendance_group(page, BODY_MEMBER.name).get_by_label(member_status, exact=True).check()
    substitute = attendance_group(page, SUBSTITUTE.name)
    substitute.get_by_label("Present as substitute").check()
    substitute.get_by_label("Standing in for").select_option(label=substitute_for)
    page.get_by_role("button", name="Save attendance").click()


def test_clerk_records_a_meeting_and_confirms_the_earlier_minutes(page: Page):
    held_on = today()
    earlier_on = earlier_meeting_date()
    sign_in(page, CLERK)
    add_meeting(page, HELD_TITLE, held_on)
    add_item(page, 1, CONTACT_ITEM, "The contact centre's performance in the quarter.")
    add_item(page, 2, LEASE_ITEM, LEASE_ITEM_TEXT, exempt="3")
    publish_agenda(page, "The meeting was called at a day's notice to agree the lease.")

    # Attendance: a substitute cannot stand in for a member who is present.
    page.get_by_role("button", name="Record attendance").click()
    expect(heading(page)).to_have_text("Record attendance")
    for seat in (CHAIR, BODY_MEMBER, SUBSTITUTE):
        expect(attendance_group(page, seat.name)).to_be_visible()
    axe_check(page)
    record_attendance(page, substitute_for=BODY_MEMBER.name, member_status="Present")
    expect(page).to_have_title(re.compile(r"^Error: Record attendance"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    problem = summary.get_by_role("link", name=f"{SUBSTITUTE.name} cannot stand in for a member")
    radio_id = problem.get_attribute("href")
    assert radio_id and radio_id.startswith("#status-")
    group_id = "#person-" + radio_id.split("-")[1]
    substitute_group = page.locator(group_id)
    expect(substitute_group).to_have_class(re.compile(r"govuk-form-group--error"))
    expect(substitute_group.get_by_role("group", name=SUBSTITUTE.name)).to_be_visible()
    expect(substitute_group.locator(".govuk-error-message")).to_contain_text(
        "cannot stand in for a member who is present"
    )
    problem.click()
    expect(page.locator(radio_id)).to_be_focused()  # GOV.UK moves focus to the first radio
    # What was chosen is kept.
    expect(attendance_group(page, SUBSTITUTE.name).get_by_label("Standing in for")).to_have_value(
        re.compile(r"\d+")
    )
    axe_check(page)

    record_attendance(page, substitute_for=BODY_MEMBER.name, member_status="Apologies")
    expect_success(page, "Attendance saved.")
    expect(summary_row(page, "Present")).to_contain_text(
        f"{CHAIR.name}, {SUBSTITUTE.name} (substitute for {BODY_MEMBER.name})"
    )
    expect(summary_row(page, "Apologies")).to_contain_text(BODY_MEMBER.name)
    axe_check(page)

    page.get_by_role("button", name="Add someone in attendance").click()
    expect(heading(page)).to_have_text("Add someone else in attendance")
    page.get_by_label("Person").select_option(
        label=f"{LEAD_OFFICER.name}, {LEAD_OFFICER.title} ({LEAD_OFFICER.partner})"
    )
    expect(page.get_by_label("Officer")).to_be_checked()
    axe_check(page)
    page.get_by_role("button", name="Add", exact=True).click()
    expect_success(page, "Added to those in attendance.")
    expect(summary_row(page, "Also in attendance")).to_contain_text(
        f"{LEAD_OFFICER.name}, {LEAD_OFFICER.title} (officer)"
    )

    page.get_by_role("button", name="Record a declaration").click()
    expect(heading(page)).to_have_text("Record a declaration of interest")
    page.get_by_label("Member").select_option(label=CHAIR.name)
    page.get_by_label("Item").select_option(label=f"1. {CONTACT_ITEM}")
    page.get_by_label("Other registrable interest").check()
    page.get_by_label("The interest declared").fill(INTEREST)
    axe_check(page)
    page.get_by_role("button", name="Record the declaration").click()
    expect_success(page, "Declaration recorded.")
    contact = item_section(page, CONTACT_ITEM)
    expect(contact).to_contain_text(f"{CHAIR.name}: Other registrable interest, {INTEREST}")

    contact.get_by_role("link", name="Write the minute of item 1").click()
    expect(heading(page)).to_have_text(f"Minute of item 1: {CONTACT_ITEM}")
    page.get_by_label("Minute", exact=True).fill(
        "The Head of Shared Services presented the report.\n\n"
        "Members asked about calls answered in the evening."
    )
    page.get_by_label("Outcome").select_option(label="RESOLVED")
    page.get_by_label("Resolutions").fill("\n\n".join(RESOLUTIONS))
    axe_check(page)
    page.get_by_role("button", name="Save the minute").click()
    expect_success(page, "Minute of item 1 saved.")
    contact = item_section(page, CONTACT_ITEM)
    expect(contact.locator("ol.app-resolutions > li")).to_have_text(RESOLUTIONS)
    expect(contact).to_contain_text("RESOLVED \N{EN DASH}")

    lease = item_section(page, LEASE_ITEM)
    lease.get_by_role("link", name="Write the minute of item 2").click()
    page.get_by_label("Outcome").select_option(label="RESOLVED")
    page.get_by_label("Resolutions").fill(LEASE_RESOLUTION)
    page.get_by_role("button", name="Save the minute").click()
    expect_success(page, "Minute of item 2 saved.")

    item_section(page, CONTACT_ITEM).get_by_role(
        "link", name="Add an action arising from item 1"
    ).click()
    expect(heading(page)).to_have_text("Add an action arising from item 1")
    page.get_by_label("Action", exact=True).fill(ACTION)
    page.get_by_label("Owner").select_option(
        label=f"{LEAD_OFFICER.name}, {LEAD_OFFICER.title} ({LEAD_OFFICER.partner})"
    )
    page.get_by_label("Partner responsible").select_option(label="Northshire County Council (NCC)")
    fill_date(page, "Due by", held_on + timedelta(days=42))
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect_success(page, "Action added.")
    expect(item_section(page, CONTACT_ITEM)).to_contain_text(
        f"{ACTION} \N{EN DASH} {LEAD_OFFICER.name}, NCC, due {long_date(held_on + timedelta(days=42))}"
    )
    axe_check(page)

    expect(page.get_by_text("The minutes are a draft that only clerks can see.")).to_be_visible()
    page.get_by_role("button", name="Publish the minutes").click()
    expect_success(page, "Minutes published, marked 'draft, not yet confirmed'.")
    expect(summary_row(page, "Minutes")).to_contain_text("Published: draft, not yet confirmed")
    axe_check(page)

    page.get_by_role("button", name="Confirm earlier minutes").click()
    expect(heading(page)).to_have_text("Confirm earlier minutes as a correct record")
    axe_check(page)
    page.get_by_label(f"{EARLIER_MEETING_TITLE}, {long_date(earlier_on)}").check()
    page.get_by_role("button", name="Confirm as a correct record").click()
    expect_success(page, "Minutes confirmed as a correct record.")
    confirmation = item_section(page, f"Minutes of the meeting held on {long_date(earlier_on)}")
    expect(confirmation).to_contain_text(
        f"That the minutes of the meeting held on {long_date(earlier_on)} be confirmed"
    )
    axe_check(page)

    # The earlier meeting: confirmed, locked, corrected.
    confirmation.get_by_role("link", name=re.compile(EARLIER_MEETING_TITLE)).click()
    expect(heading(page)).to_have_text(f"{EARLIER_MEETING_TITLE}, {long_date(earlier_on)}")
    expect(summary_row(page, "Minutes")).to_contain_text("Confirmed as a correct record")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"confirmed as a correct record at the meeting of {long_date(held_on)}"
    )
    expect(
        page.get_by_role("link", name=re.compile("Write the minute|Add an action"))
    ).to_have_count(0)
    expect(page.get_by_role("button", name="Record attendance")).to_have_count(0)
    expect(page.get_by_role("button", name="Add an agenda item")).to_have_count(0)  # held
    axe_check(page)
    earlier_url = page.url
    earlier_item = item_section(page, EARLIER_ITEM).get_attribute("id") or ""
    for form in ("minute", "actions/new"):
        response = page.goto(f"/items/{earlier_item.removeprefix('item-')}/{form}")
        assert response is not None and response.status == 409, form
        expect(heading(page)).to_have_text("This cannot be changed")
        expect(main(page)).to_contain_text("Add a correction")
        axe_check(page)

    page.goto(earlier_url)
    page.get_by_role("button", name="Add a correction").click()
    expect(heading(page)).to_have_text(f"Correct the confirmed minutes of {long_date(earlier_on)}")
    page.get_by_label("Item corrected").select_option(label=f"1. {EARLIER_ITEM}")
    page.get_by_label("Correction", exact=True).fill(CORRECTION)
    axe_check(page)
    page.get_by_role("button", name="Add the correction").click()
    expect_success(page, "Correction added.")
    corrections = page.locator("#corrections + ul")
    expect(corrections).to_contain_text(f"item 1: {CORRECTION}")
    expect(corrections).to_contain_text(CLERK.name)
    axe_check(page)


# 4. The public reads the minutes and the decision register ---------------------------------


def test_the_public_reads_the_minutes_and_searches_the_decision_register(page: Page):
    held_on = today()
    page.goto("/meetings")
    row = page.get_by_role("row").filter(has_text=HELD_TITLE)
    expect(row).to_contain_text("Published: draft, not yet confirmed")
    row.get_by_role("link", name=long_date(held_on)).click()
    expect(heading(page)).to_have_text(f"{HELD_TITLE}, {long_date(held_on)}")
    expect(page.locator(".govuk-inset-text")).to_contain_text("draft, not yet confirmed")
    expect(summary_row(page, "Apologies")).to_contain_text(BODY_MEMBER.name)
    contact = item_section(page, CONTACT_ITEM)
    expect(contact.locator("ol.app-resolutions > li")).to_have_text(RESOLUTIONS)
    expect(contact).to_contain_text(ACTION)
    lease = item_section(page, LEASE_ITEM)
    expect(lease).to_contain_text("paragraph 3")
    expect(main(page)).not_to_contain_text(SECRET_WORD)
    expect(page.get_by_role("link", name=re.compile("Write the minute"))).to_have_count(0)
    axe_check(page)
    minutes_url = page.url

    # The body's page counts attendance at formal meetings held so far: the earlier meeting
    # (no attendance recorded) and today's.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=BODY).click()
    expect(heading(page)).to_have_text(BODY)
    figures = page.get_by_role("table", name=re.compile("^Attendance at formal meetings"))
    expect(figures.get_by_role("row").filter(has_text=CHAIR.name)).to_contain_text("1 of 2 (50%)")
    expect(figures.get_by_role("row").filter(has_text=BODY_MEMBER.name)).to_contain_text(
        "0 of 2 (0%)"
    )
    axe_check(page)

    page.goto(minutes_url)

    page.get_by_role("link", name="Minutes for printing").click()
    expect(page).to_have_url(re.compile(r"/meetings/\d+/minutes$"))
    expect(heading(page)).to_have_text(BODY)
    expect(main(page)).to_contain_text("Draft, not yet confirmed")
    expect(main(page)).to_contain_text(f"Apologies: {BODY_MEMBER.name}")
    expect(main(page)).to_contain_text(RESOLUTIONS[1])
    expect(main(page)).not_to_contain_text(SECRET_WORD)
    axe_check(page)

    page.goto("/decisions")
    expect(heading(page)).to_have_text("Decision register")
    withheld = page.get_by_role("row").filter(has_text=LEASE_ITEM)
    expect(withheld).to_contain_text("paragraph 3")
    expect(main(page)).not_to_contain_text(SECRET_WORD)
    axe_check(page)

    page.get_by_label("Words").fill(SEARCH_WORD)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(rf"[?&]q={SEARCH_WORD}"))
    found = page.get_by_role("row").filter(has_text=CONTACT_ITEM)
    expect(found).to_have_count(1)
    expect(found).to_contain_text(RESOLUTIONS[1])
    expect(found).to_contain_text("RESOLVED (2)")
    axe_check(page)

    page.goto(f"/decisions?q={SECRET_WORD}")
    expect(page.get_by_role("row").filter(has_text=LEASE_ITEM)).to_have_count(0)
    expect(main(page)).to_contain_text("No decisions match.")
    expect(main(page)).not_to_contain_text(LEASE_RESOLUTION)
    axe_check(page)
