"""An administrator sees on the outbox page an e-mail that failed and will be retried, and one
given up, and retries it now; axe on the page with every delivery state on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import insert

from govtrack.core.models import OutboxMessage
from govtrack.db import db, utcnow
from tests.browser.conftest import ADMIN, axe_check, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def failed_mail(live_server, tmp_path_factory) -> None:
    """Two messages the live server's mail server refused, written to its database as a
    delivery run would leave them."""
    # The live server's database: conftest's mktemp("live-server") is this session's first.
    database = tmp_path_factory.getbasetemp() / "live-server0" / "govtrack-browser.db"
    engine = db.engine_for(f"sqlite:///{database}")
    now = utcnow()
    common = {"body": "Cast your vote.", "created_at": now - timedelta(minutes=5)}
    with engine.begin() as conn:
        conn.execute(
            insert(OutboxMessage),
            [
                {**common, "recipient": "later@example.org", "subject": "Retry pending",
                 "attempts": 2, "next_attempt_at": now + timedelta(minutes=2),
                 "error": "ConnectionRefusedError: [Errno 111] Connection refused"},
                {**common, "recipient": "gone@example.org", "subject": "Given up",
                 "attempts": 1, "next_attempt_at": None,
                 "error": "SMTPRecipientsRefused: 550 5.1.1 No such mailbox"},
            ],
        )  # fmt: skip


def test_administrator_sees_failed_mail_and_retries_it(page: Page, failed_mail):
    sign_in(page, ADMIN)
    page.goto("/outbox")
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    rows = page.get_by_role("main").get_by_role("row")
    pending = rows.filter(has_text="later@example.org")
    expect(pending).to_contain_text("Will retry")
    expect(pending).to_contain_text("Attempts: 2. Last error: ConnectionRefusedError")
    expect(pending).to_contain_text("Next try:")
    given_up = rows.filter(has_text="gone@example.org")
    expect(given_up).to_contain_text("Not sent")
    expect(given_up).to_contain_text("No such mailbox")
    axe_check(page)

    given_up.get_by_role("button", name="Retry now the e-mail to gone@example.org").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The e-mail to gone@example.org will be tried again now."
    )
    axe_check(page)
