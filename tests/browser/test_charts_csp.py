"""A chart page in Chromium under the strict Content-Security-Policy: plotly.js's basic bundle,
loaded deferred under its fingerprinted name, draws the charts, and the browser refuses
nothing (plotly.js's styles come from its stylesheet, not from a <style> it would add)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile);
});
"""


def test_a_chart_page_draws_its_charts_and_the_browser_refuses_nothing(page: Page):
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)
    scripts = []
    page.on("request", lambda request: scripts.append(request.url))
    page.goto("/pipeline/analytics")
    expect(page.locator("#services-per-stage .main-svg").first).to_be_visible()
    assert page.evaluate("window.__cspViolations") == []
    refused = [line for line in console if "Content Security Policy" in line or "CSP" in line]
    assert refused == [], refused
    assert any(re.search(r"/assets/build/plotly-basic\.min\.[0-9a-f]{12}\.js$", u) for u in scripts)
    # No <style> element was added: plotly.js found its stylesheet.
    assert page.evaluate("document.querySelectorAll('style[id^=\"plotly.js\"]').length") == 0
