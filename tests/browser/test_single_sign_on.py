"""Signing in through the council's identity provider, in Chromium, with axe on govtrack's pages.

govtrack is served here with single sign-on set up against the local OpenID Connect provider
(``tests/fixtures/oidc_provider_server.py``), on its own SQLite database, the way the journeys'
live server is (``tests/browser/conftest.py``); the person signs in on the provider's own page.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from govtrack.auth.enums import Role
from govtrack.auth.models import system_actor
from govtrack.auth.services import create_user
from govtrack.db import db
from tests.browser.conftest import (
    PASSWORD,
    axe_check,
    browser_app,
    serving,
    session_on,
)
from tests.fixtures.oidc_provider import LocalProvider, oidc_provider_server  # noqa: F401

pytestmark = pytest.mark.browser

EMAIL = "nadia.noor@example.org"
NAME = "Nadia Noor"
SUBJECT = "entra-object-id-nadia"


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory, oidc_provider_server: LocalProvider) -> Iterator[str]:  # noqa: F811
    """govtrack with single sign-on, and one councillor's account, served on a free port."""
    app, engine = browser_app(
        tmp_path_factory.mktemp("sso-live-server"),
        "govtrack-sso",
        **oidc_provider_server.settings(),
    )
    with app.app_context(), session_on(engine):
        create_user(system_actor("browser tests"), EMAIL, NAME, Role.MEMBER, PASSWORD)
        db.session.commit()
    with serving(app, engine, "sso-live-server") as url:
        yield url


def sign_in_at_provider(page: Page, subject: str) -> None:
    """On the provider's own page: who signs in."""
    expect(page.get_by_role("heading", name="Authorize Client")).to_be_visible()
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()


def test_a_councillor_signs_in_with_the_council_provider(
    page: Page,
    sso_server: str,
    oidc_provider_server: LocalProvider,  # noqa: F811
):
    oidc_provider_server.person(SUBJECT, email=EMAIL, email_verified=True, name=NAME)
    page.goto(f"{sso_server}/sign-in?next=/people")
    button = page.get_by_role("button", name="Sign in with Council Login")
    expect(button).to_be_visible()
    expect(page.get_by_label("Email address")).to_be_visible()  # passwords still on
    axe_check(page)

    button.click()
    sign_in_at_provider(page, SUBJECT)

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"Signed in as {NAME}"
    )
    expect(page).to_have_url(f"{sso_server}/people")
    axe_check(page)


def test_a_person_without_an_account_is_told_why(
    page: Page,
    sso_server: str,
    oidc_provider_server: LocalProvider,  # noqa: F811
):
    oidc_provider_server.person("stranger", email="stranger@example.org", email_verified=True)
    page.goto(f"{sso_server}/sign-in")
    page.get_by_role("button", name="Sign in with Council Login").click()
    sign_in_at_provider(page, "stranger")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is no govtrack account for stranger@example.org")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()  # not signed in
    axe_check(page)
