"""On a phone-sized screen the page is drawn with the service navigation already folded
behind its Menu button, so nothing jumps when GOV.UK Frontend's script starts (no layout
shift, which Lighthouse counted against every page); the button still opens the menu, and on a
wide screen the links show as before."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RECORD_SHIFTS = """
window.__shift = 0;
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { if (!e.hadRecentInput) { window.__shift += e.value; } });
}).observe({type: "layout-shift", buffered: true});
"""


def test_on_a_phone_the_navigation_is_folded_from_the_start_and_opens(page: Page):
    page.set_viewport_size({"width": 412, "height": 823})
    page.add_init_script(RECORD_SHIFTS)
    page.goto("/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    partners = page.locator(".govuk-service-navigation__list").get_by_role("link", name="Partners")
    expect(partners).to_be_hidden()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__shift") < 0.01
    menu.click()
    expect(partners).to_be_visible()


def test_on_a_wide_screen_the_navigation_links_show(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.locator(".govuk-service-navigation__list")
    expect(nav.get_by_role("link", name="Partners")).to_be_visible()
