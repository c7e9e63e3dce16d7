"""The account pages at 320 CSS px (WCAG 2.2 SC 1.4.10): the document never scrolls sideways;
a wide table scrolls inside its own labelled, focusable region."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import ADMIN, sign_in

PUBLIC = ["/sign-in", "/forgot-password", "/privacy"]
SIGNED_IN = [
    "/account",
    "/account/password",
    "/account/data",
    "/account/two-factor",
    "/accounts",
    "/accounts/invite",
    "/accounts/1",
    "/accounts/2",
    "/accounts/1/rights/new",
]


def _width(page: Page, url: str) -> int:
    page.goto(url)
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_account_pages_fit_a_320_px_screen(page: Page):
    page.set_viewport_size({"width": 320, "height": 800})
    wide = {url: w for url in PUBLIC if (w := _width(page, url)) > 320}
    sign_in(page, ADMIN)
    wide |= {url: w for url in SIGNED_IN if (w := _width(page, url)) > 320}
    assert wide == {}
