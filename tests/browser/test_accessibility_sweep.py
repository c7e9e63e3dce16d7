"""Every kind of page against WCAG 2.2 AA, with axe in Chromium: one page of each kind, signed in
as a clerk and anonymously, the 404 page, and a few forms sent empty (with their error summary).

Record pages are found in what the live server's world holds: a quick walk of the links each
user (clerk, scrutiny member, anyone) is offered gives addresses of each shape (``/partners/{id}``, ``/items/{id}/minute`` ...); no id
is written down here. The sweep only reads (an empty form saves nothing), so the journeys that
change the world are unaffected by it.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import ADMIN, CLERK, SCRUTINY, WCAG_22_AA, Account, sign_in

pytestmark = pytest.mark.browser

# (test id, address; "{id}" is filled with an id the walk of the world's links found)
LIST_PAGES = [
    ("home", "/"),
    ("partners", "/partners"),
    ("bodies", "/bodies"),
    ("people", "/people"),
    ("memberships", "/memberships"),
    ("meetings", "/meetings"),
    ("decisions", "/decisions"),
    ("actions", "/actions"),
    ("pipeline-board", "/pipeline"),
    ("pipeline-table", "/pipeline/table"),
    ("pipeline-analytics", "/pipeline/analytics"),
    ("pipeline-directorates", "/pipeline/directorates"),
    ("programme", "/programme"),
    ("milestones", "/programme/milestones"),
    ("scrutiny-inquiries", "/scrutiny"),
    ("scrutiny-tracker", "/recommendations"),
    ("dashboard", "/dashboard"),
    ("dashboard-timeline", "/dashboard/timeline"),
    ("dashboard-periods", "/dashboard/periods"),
    ("highlight-report", "/dashboard/highlight"),
    ("my-decisions", "/my-decisions"),
]
RECORD_PAGES = [
    ("partner", "/partners/{id}"),
    ("partner-history", "/partners/{id}/history"),
    ("body", "/bodies/{id}"),
    ("body-history", "/bodies/{id}/history"),
    ("body-rules", "/bodies/{id}/rules"),
    ("person", "/people/{id}"),
    ("person-history", "/people/{id}/history"),
    ("membership-history", "/memberships/{id}/history"),
    ("meeting", "/meetings/{id}"),
    ("minutes", "/meetings/{id}/minutes"),
    ("service", "/pipeline/services/{id}"),
    ("objective", "/programme/objectives/{id}"),
    ("milestone", "/programme/milestones/{id}"),
    ("inquiry", "/scrutiny/inquiries/{id}"),
    ("monitoring-report", "/scrutiny/inquiries/{id}/monitoring"),
    ("recommendation", "/recommendations/{id}"),
    ("dashboard-body", "/dashboard/bodies/{id}"),
    ("dashboard-partner", "/dashboard/partners/{id}"),
    ("dashboard-objective", "/dashboard/objectives/{id}"),
]
FORM_PAGES = [
    ("new-partner", "/partners/new"),
    ("edit-partner", "/partners/{id}/edit"),
    ("new-body", "/bodies/new"),
    ("edit-body", "/bodies/{id}/edit"),
    ("new-person", "/people/new"),
    ("edit-person", "/people/{id}/edit"),
    ("new-membership", "/memberships/new"),
    ("edit-membership", "/memberships/{id}/edit"),
    ("new-meeting", "/meetings/new"),
    ("edit-meeting", "/meetings/{id}/edit"),
    ("new-item", "/meetings/{id}/items/new"),
    ("edit-item", "/items/{id}/edit"),
    ("minute-item", "/items/{id}/minute"),
    ("new-paper", "/items/{id}/papers/new"),
    ("new-action", "/items/{id}/actions/new"),
    ("attendance", "/meetings/{id}/attendance"),
    ("declarations", "/meetings/{id}/declarations"),
    ("guests", "/meetings/{id}/guests"),
    ("publish-agenda", "/meetings/{id}/publish"),
    ("new-motion", "/items/{id}/motions/new"),
    ("new-rule-version", "/bodies/{id}/rules/new"),
    ("new-service", "/pipeline/services/new"),
    ("edit-service", "/pipeline/services/{id}/edit"),
    ("import-services", "/pipeline/import"),
    ("new-directorate", "/pipeline/directorates/new"),
    ("edit-directorate", "/pipeline/directorates/{id}/edit"),
    ("new-objective", "/programme/objectives/new"),
    ("edit-objective", "/programme/objectives/{id}/edit"),
    ("objective-links", "/programme/objectives/{id}/links"),
    ("new-work-plan-action", "/programme/objectives/{id}/actions/new"),
    ("new-milestone", "/programme/milestones/new"),
    ("edit-milestone", "/programme/milestones/{id}/edit"),
    ("forecast-milestone", "/programme/milestones/{id}/forecast"),
    ("rebaseline-milestone", "/programme/milestones/{id}/rebaseline"),
    ("override-milestone", "/programme/milestones/{id}/override"),
    ("complete-milestone", "/programme/milestones/{id}/complete"),
    ("programme-settings", "/programme/settings"),
    ("new-inquiry", "/scrutiny/inquiries/new"),
    ("edit-inquiry", "/scrutiny/inquiries/{id}/edit"),
    ("new-recommendation", "/scrutiny/inquiries/{id}/recommendations/new"),
    ("import-recommendations", "/scrutiny/inquiries/{id}/import"),
    ("upload-final-report", "/scrutiny/inquiries/{id}/report"),
    ("edit-recommendation", "/recommendations/{id}/edit"),
    ("new-response", "/recommendations/{id}/responses/new"),
    ("new-update", "/recommendations/{id}/updates/new"),
    ("new-period", "/dashboard/periods/new"),
]
# Forms sent empty: the page comes back with its error summary and every field's message.
EMPTY_FORMS = [
    ("new-partner", "/partners/new"),
    ("new-meeting", "/meetings/new"),
    ("new-service", "/pipeline/services/new"),
    ("new-milestone", "/programme/milestones/new"),
    ("new-inquiry", "/scrutiny/inquiries/new"),
    ("new-period", "/dashboard/periods/new"),
]
# Pages only a scrutiny member, or an administrator, is offered.
SCRUTINY_PAGES = [
    ("review", "/recommendations/{id}/review"),
    ("sign-off", "/recommendations/{id}/sign-off"),
]
ADMIN_PAGES = [("audit-log", "/audit"), ("outbox", "/outbox")]
# Pages that send anyone not signed in to sign in, or are not offered to them.
SIGNED_IN_ONLY = {
    "body-rules",
    "people",
    "memberships",
    "actions",
    "partner-history",
    "body-history",
    "my-decisions",
    "person",
    "person-history",
    "membership-history",
}
ANONYMOUS_PAGES = [("sign-in", "/sign-in")] + [
    (name, address) for name, address in LIST_PAGES + RECORD_PAGES if name not in SIGNED_IN_ONLY
]
NOT_FOUND = "/no-such-page"


def _pattern(address: str) -> re.Pattern[str]:
    return re.compile(re.escape(address).replace(r"\{id\}", r"\d+"))


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path)


class World:
    """Addresses of each shape, from a walk of the links the live server offers one user."""

    def __init__(self, context: BrowserContext, start: list[str], per_shape: int = 6) -> None:
        """Follow the links ``context``'s user is offered, opening up to 6 pages of a shape."""
        self.paths: list[str] = []
        seen: set[str] = set()
        expanded: Counter[str] = Counter()
        queue = deque(start)
        while queue:
            path = queue.popleft()
            if path in seen or expanded[_shape(path)] >= per_shape:
                continue
            seen.add(path)
            expanded[_shape(path)] += 1
            response = context.request.get(path, max_redirects=0)
            if response.status != 200 or "text/html" not in response.headers["content-type"]:
                continue
            for href in re.findall(r'href="(/[^"#?]*)', response.text()):
                if href.startswith(("/assets", "/static", "/api")) or href.endswith(".ics"):
                    continue
                self.paths.append(href)
                queue.append(href)

    def address(self, address: str) -> str:
        if "{id}" not in address:
            return address
        pattern = _pattern(address)
        found = next((path for path in self.paths if pattern.fullmatch(path)), None)
        assert found, f"The world has no page like {address} linked from its pages"
        return found


def _new_context(browser: Browser, live_server: str, args: dict) -> BrowserContext:
    return browser.new_context(**{**args, "base_url": live_server})


def _signed_in_page(browser: Browser, live_server: str, args: dict, account: Account):
    context = _new_context(browser, live_server, args)
    page = context.new_page()
    sign_in(page, account)
    return page


@pytest.fixture(scope="module")
def clerk_page(browser: Browser, live_server: str, browser_context_args) -> Iterator[Page]:
    page = _signed_in_page(browser, live_server, browser_context_args, CLERK)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def scrutiny_page(browser: Browser, live_server: str, browser_context_args) -> Iterator[Page]:
    page = _signed_in_page(browser, live_server, browser_context_args, SCRUTINY)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def admin_page(browser: Browser, live_server: str, browser_context_args) -> Iterator[Page]:
    page = _signed_in_page(browser, live_server, browser_context_args, ADMIN)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def anonymous_page(browser: Browser, live_server: str, browser_context_args) -> Iterator[Page]:
    context = _new_context(browser, live_server, browser_context_args)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def world(clerk_page: Page) -> World:
    return World(clerk_page.context, ["/", *(address for _, address in LIST_PAGES)])


@pytest.fixture(scope="module")
def anonymous_world(anonymous_page: Page) -> World:
    """The addresses anyone is offered, without signing in."""
    return World(anonymous_page.context, [address for _, address in ANONYMOUS_PAGES])


@pytest.fixture(scope="module")
def scrutiny_world(scrutiny_page: Page) -> World:
    """The recommendations' pages, with the links a scrutiny member is offered."""
    return World(scrutiny_page.context, ["/recommendations"])


def axe_violations(page: Page) -> None:
    """Fail, listing every problem, if axe finds WCAG 2.2 AA violations on the page.

    Every disclosure (``<details>``) is opened first, so what it hides is checked too, and every
    chart is drawn (plotly.js's SVG in place) before axe looks.
    """
    page.wait_for_function(
        "[...document.querySelectorAll('.app-chart__figure')]"
        ".every(figure => figure.querySelector('.main-svg'))"
    )
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_22_AA},
            "resultTypes": ["violations"],
        },
    )
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def _visit(page: Page, address: str, status: int = 200) -> None:
    response = page.goto(address)
    assert response is not None
    assert response.status == status, f"{address} answered {response.status}"
    if address != "/sign-in":
        assert "/sign-in" not in page.url, f"{address} asked to sign in"
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize(
    "address",
    [pytest.param(address, id=name) for name, address in LIST_PAGES + RECORD_PAGES + FORM_PAGES],
)
def test_signed_in_page(clerk_page: Page, world: World, address: str):
    _visit(clerk_page, world.address(address))
    axe_violations(clerk_page)


@pytest.mark.parametrize(
    "address", [pytest.param(address, id=name) for name, address in SCRUTINY_PAGES]
)
def test_scrutiny_member_page(scrutiny_page: Page, scrutiny_world: World, address: str):
    _visit(scrutiny_page, scrutiny_world.address(address))
    axe_violations(scrutiny_page)


@pytest.mark.parametrize(
    "address", [pytest.param(address, id=name) for name, address in ADMIN_PAGES]
)
def test_administrator_page(admin_page: Page, address: str):
    _visit(admin_page, address)
    axe_violations(admin_page)


@pytest.mark.parametrize(
    "address", [pytest.param(address, id=name) for name, address in ANONYMOUS_PAGES]
)
def test_anonymous_page(anonymous_page: Page, anonymous_world: World, address: str):
    _visit(anonymous_page, anonymous_world.address(address))
    axe_violations(anonymous_page)


@pytest.mark.parametrize("page_name", ["clerk_page", "anonymous_page"])
def test_not_found_page(request: pytest.FixtureRequest, page_name: str):
    page = request.getfixturevalue(page_name)
    _visit(page, NOT_FOUND, status=404)
    axe_violations(page)


@pytest.mark.parametrize(
    "address", [pytest.param(address, id=name) for name, address in EMPTY_FORMS]
)
def test_form_sent_empty(clerk_page: Page, world: World, address: str):
    _visit(clerk_page, world.address(address))
    clerk_page.locator("#main-content form[method=post] button.govuk-button").first.click()
    summary = clerk_page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link").first).to_be_visible()
    axe_violations(clerk_page)
