"""E-mail through a real SMTP server on 127.0.0.1 (aiosmtpd): written with the transaction that
asks for it and delivered after its commit (``deliver_due``, which the worker and the
background thread run), never when it is rolled back; a failure is kept, not raised, and tried
again with backoff until the server is back; in development it is written to the log and the
outbox; the outbox page is for administrators."""

from __future__ import annotations

import email
import email.policy
import logging
import socket
from datetime import timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from govtrack.config import load_config
from govtrack.core.mail import deliver_due, send_mail
from govtrack.core.models import AuditEntry, OutboxMessage
from govtrack.db import db, utcnow

FROM = "govtrack <no-reply@govtrack.test>"


def free_port() -> int:
    """A port nothing listens on (the OS just handed it out and it was closed again)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    """An aiosmtpd handler that keeps every envelope and refuses one mailbox."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes
        ]


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


@pytest.fixture
def smtp(app, smtp_server) -> Collector:
    """The app sends through the test server (the app fixture restores the settings)."""
    app.config.update(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp_server.port,
        SMTP_SSL=False,
        SMTP_STARTTLS=False,
        SMTP_USERNAME="",
        SMTP_PASSWORD="",
        SMTP_TIMEOUT=5.0,
        MAIL_FROM=FROM,
    )
    return smtp_server.handler


def test_mail_goes_out_through_smtp_after_the_transaction_commits(smtp):
    message = send_mail(
        "voter@example.org",
        "Vote on motion 7",
        "Cast your vote here:\nhttps://govtrack.test/votes/7\n\nThe vote closes on Friday.",
    )
    assert message.id is not None
    assert smtp.envelopes == []
    assert message.sent_at is None

    db.session.commit()
    assert smtp.envelopes == []  # the commit only wrote the row: nobody waited for SMTP
    report = deliver_due()

    assert report.sent == [message.id]
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "no-reply@govtrack.test"
    assert envelope.rcpt_tos == ["voter@example.org"]
    [received] = smtp.messages()
    assert received["To"] == "voter@example.org"
    assert received["From"] == FROM
    assert received["Subject"] == "Vote on motion 7"
    assert received["Date"] and received["Message-ID"].endswith("@govtrack.test>")
    body = received.get_content()
    assert "https://govtrack.test/votes/7" in body
    assert "The vote closes on Friday." in body
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.error == ""
    assert utcnow() - stored.sent_at < timedelta(minutes=1)


def test_non_ascii_subject_and_body_arrive_intact(smtp):
    send_mail("aelod@example.org", "Pleidlais: Cyngor Sir Ynys Môn", "Cost: £1,200 — approved.")
    db.session.commit()
    deliver_due()
    [received] = smtp.messages()
    assert received["Subject"] == "Pleidlais: Cyngor Sir Ynys Môn"
    assert received.get_content().strip() == "Cost: £1,200 — approved."


def test_every_message_of_a_commit_is_delivered(smtp):
    for n in range(3):
        send_mail(f"member{n}@example.org", f"Reminder {n}", "The vote closes tomorrow.")
    db.session.commit()
    deliver_due()
    assert sorted(e.rcpt_tos[0] for e in smtp.envelopes) == [
        "member0@example.org",
        "member1@example.org",
        "member2@example.org",
    ]


def test_a_rolled_back_message_is_never_sent(smtp):
    send_mail("voter@example.org", "Vote on a motion that was never saved", "…")
    db.session.rollback()
    send_mail("other@example.org", "Kept", "This one stays.")
    db.session.commit()
    deliver_due()
    assert [e.rcpt_tos for e in smtp.envelopes] == [["other@example.org"]]
    subjects = db.session.scalars(select(OutboxMessage.subject)).all()
    assert subjects == ["Kept"]


def test_a_rolled_back_savepoint_drops_only_its_own_messages(smtp):
    send_mail("first@example.org", "Before the savepoint", "Kept.")
    savepoint = db.session.begin_nested()
    send_mail("second@example.org", "Inside the savepoint", "Dropped.")
    savepoint.rollback()
    savepoint = db.session.begin_nested()
    send_mail("third@example.org", "Inside a released savepoint", "Kept, sent after the commit.")
    savepoint.commit()
    db.session.commit()
    deliver_due()
    assert sorted(e.rcpt_tos[0] for e in smtp.envelopes) == [
        "first@example.org",
        "third@example.org",
    ]


def test_an_unreachable_server_leaves_the_message_with_its_error(app, caplog):
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_STARTTLS=False, SMTP_SSL=False
    )
    message = send_mail("voter@example.org", "Vote on motion 8", "…")
    db.session.commit()
    report = deliver_due()  # does not raise

    assert report.failed == [message.id]
    stored = db.session.scalar(select(OutboxMessage).where(OutboxMessage.id == message.id))
    assert stored.sent_at is None
    assert "ConnectionRefusedError" in stored.error
    assert stored.attempts == 1 and stored.next_attempt_at > utcnow()  # tried again later
    assert "voter@example.org not sent" in caplog.text


def test_a_refused_recipient_does_not_stop_the_others(smtp):
    refused = send_mail("refused@example.org", "Vote", "…")
    accepted = send_mail("voter@example.org", "Vote", "…")
    db.session.commit()
    report = deliver_due()
    assert [e.rcpt_tos for e in smtp.envelopes] == [["voter@example.org"]]
    assert "SMTPRecipientsRefused" in refused.error and "No such mailbox" in refused.error
    assert refused.sent_at is None
    # A 5xx refusal of the mailbox will not change by waiting: given up, for an administrator.
    assert report.given_up == [refused.id] and refused.next_attempt_at is None
    assert accepted.error == "" and accepted.sent_at is not None


def test_in_development_mail_is_written_to_the_log_and_kept(app, caplog):
    app.config.update(SMTP_HOST="", MAIL_FROM=FROM)
    caplog.set_level(logging.INFO, logger=app.logger.name)
    message = send_mail("clerk@example.org", "Minutes published", "Line one.\nLine two.")
    db.session.commit()
    deliver_due()

    assert "To: clerk@example.org" in caplog.text
    assert "Subject: Minutes published" in caplog.text
    assert "Line one.\nLine two." in caplog.text
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.sent_at is not None and stored.error == ""


@pytest.mark.parametrize(
    ("recipient", "subject"),
    [("", "Empty recipient"), ("a@example.org\nBcc: b@example.org", "Injected"),
     ("a@example.org", "Two\r\nlines"), ("a@example.org", "x" * 301)],
)  # fmt: skip
def test_a_malformed_message_is_refused_at_once(app, recipient, subject):
    with pytest.raises(ValueError):
        send_mail(recipient, subject, "…")


def test_send_test_command_reports_success_and_failure(app, smtp):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send-test", "--to", "admin@example.org"])
    assert result.exit_code == 0, result.output
    assert "Sent to admin@example.org" in result.output
    [received] = smtp.messages()
    assert received["Subject"] == "govtrack: test message"

    app.config["SMTP_PORT"] = free_port()
    result = runner.invoke(args=["mail", "send-test", "--to", "admin@example.org"])
    assert result.exit_code == 1
    assert "Not sent" in result.output and "ConnectionRefusedError" in result.output

    app.config["SMTP_HOST"] = ""
    result = runner.invoke(args=["mail", "send-test", "--to", "admin@example.org"])
    assert result.exit_code == 0, result.output
    assert "Written to the console, not sent" in result.output
    assert len(smtp.envelopes) == 1


def test_outbox_is_for_administrators_only(actions):
    response = actions.client.get("/outbox")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    actions.sign_in_as("clerk")
    assert actions.client.get("/outbox").status_code == 403


def test_outbox_lists_messages_newest_first_with_errors_and_filter(app, actions):
    app.config["SMTP_HOST"] = ""
    send_mail("first@example.org", "Older message", "The first body.\nhttps://govtrack.test/a")
    failed = send_mail("second@example.org", "Newer message", "The second body.")
    db.session.commit()
    deliver_due()
    failed.error = "ConnectionRefusedError: [Errno 111] Connection refused"
    failed.sent_at = None
    failed.attempts = 40
    failed.next_attempt_at = None  # given up
    db.session.commit()

    actions.sign_in_as("admin")
    page = actions.client.get("/outbox")
    assert page.status_code == 200
    html = page.text
    assert html.index("Newer message") < html.index("Older message")
    assert "first@example.org" in html and "second@example.org" in html
    assert "The first body.<br>https://govtrack.test/a" in html
    assert "govuk-details" in html
    assert "Not sent" in html and "Connection refused" in html and "Attempts: 40" in html
    assert "Retry now" in html

    filtered = actions.client.get("/outbox?recipient=FIRST@")
    assert "Older message" in filtered.text
    assert "Newer message" not in filtered.text


def test_nothing_is_lost_while_the_server_is_down_and_delivery_resumes_when_it_returns(app):
    handler = Collector()
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SSL=False, SMTP_STARTTLS=False,
        SMTP_USERNAME="", SMTP_TIMEOUT=5.0, MAIL_FROM=FROM,
    )  # fmt: skip
    message = send_mail("voter@example.org", "Vote on motion 9", "The vote closes on Friday.")
    db.session.commit()
    server.stop()

    first = deliver_due()
    assert first.failed == [message.id] and handler.envelopes == []
    assert message.sent_at is None and message.attempts == 1
    assert "ConnectionRefusedError" in message.error
    retry_at = message.next_attempt_at
    assert retry_at > utcnow()
    # Before its next try nothing is attempted; at it, still down, the wait doubles.
    assert deliver_due().failed == []
    second = deliver_due(now=retry_at)
    assert second.failed == [message.id] and message.attempts == 2
    assert message.next_attempt_at - retry_at == timedelta(minutes=2)

    # The server comes back on the same port: the next run delivers, once.
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        third = deliver_due(now=message.next_attempt_at)
        assert third.sent == [message.id]
        assert deliver_due(now=utcnow() + timedelta(days=3)).sent == []
    finally:
        server.stop()
    [envelope] = handler.envelopes
    assert envelope.rcpt_tos == ["voter@example.org"]
    stored = db.session.get(OutboxMessage, message.id)
    assert stored.sent_at is not None and stored.error == "" and stored.attempts == 3
    assert stored.next_attempt_at is None


def test_the_outbox_page_shows_a_retry_and_an_administrator_retries_now(
    app, actions, smtp, smtp_server
):
    message = send_mail("voter@example.org", "Vote on motion 10", "…")
    db.session.commit()
    app.config["SMTP_PORT"] = free_port()  # the server is unreachable
    deliver_due()
    assert message.attempts == 1

    actions.sign_in_as("admin")
    html = actions.client.get("/outbox").text
    assert "Will retry" in html and "Attempts: 1" in html and "Next try:" in html
    assert "ConnectionRefusedError" in html

    app.config["SMTP_PORT"] = smtp_server.port  # back
    response = actions.submit(f"/outbox/{message.id}/retry", {}, form_url="/outbox")
    assert response.status_code == 302
    assert db.session.get(OutboxMessage, message.id).next_attempt_at <= utcnow()
    [entry] = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.subject_type == "outbox_message", AuditEntry.subject_id == message.id
        )
    ).all()
    assert entry.action == "retry" and entry.actor_id is not None
    assert deliver_due().sent == [message.id]
    assert [e.rcpt_tos for e in smtp.envelopes] == [["voter@example.org"]]


def test_an_administrator_retries_a_message_given_up(app, actions, smtp):
    refused = send_mail("refused@example.org", "Vote", "…")
    db.session.commit()
    assert deliver_due().given_up == [refused.id]
    assert refused.state.value == "Not sent"
    actions.sign_in_as("admin")
    actions.submit(f"/outbox/{refused.id}/retry", {}, form_url="/outbox")
    # Tried once more at once; the mailbox is still refused, so it is given up again.
    assert deliver_due().given_up == [refused.id]
    assert db.session.get(OutboxMessage, refused.id).attempts == 2


def test_retry_is_for_administrators_only(app, actions):
    message = send_mail("voter@example.org", "Vote", "…")
    db.session.commit()
    actions.sign_in_as("clerk")
    assert actions.submit(f"/outbox/{message.id}/retry", {}, form_url="/").status_code == 403


def test_smtp_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "test")
    for name in ("SMTP_HOST", "SMTP_PORT", "SMTP_SSL", "SMTP_STARTTLS", "MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(tmp_path)
    assert (config["SMTP_HOST"], config["SMTP_PORT"], config["SMTP_STARTTLS"]) == ("", 25, False)
    assert config["MAIL_FROM"] == "govtrack <no-reply@localhost>"
    assert config["SMTP_TIMEOUT"] == 10

    monkeypatch.setenv("SMTP_HOST", "smtp.example.org")
    config = load_config(tmp_path)
    assert (config["SMTP_PORT"], config["SMTP_STARTTLS"], config["SMTP_SSL"]) == (587, True, False)

    monkeypatch.setenv("SMTP_PORT", "25")
    assert load_config(tmp_path)["SMTP_STARTTLS"] is False
    monkeypatch.setenv("SMTP_STARTTLS", "1")
    assert load_config(tmp_path)["SMTP_STARTTLS"] is True

    monkeypatch.delenv("SMTP_PORT")
    monkeypatch.delenv("SMTP_STARTTLS")
    monkeypatch.setenv("SMTP_SSL", "yes")
    config = load_config(tmp_path)
    assert (config["SMTP_PORT"], config["SMTP_STARTTLS"], config["SMTP_SSL"]) == (465, False, True)


def test_in_the_background_mode_mail_goes_out_after_the_commit_in_a_thread(tmp_path):
    """The default outside tests: the commit starts a thread of the process that delivers (on
    a database of its own, as the thread needs its own connection)."""
    from govtrack import create_app
    from tests.conftest import migrate

    handler = Collector()
    server = Controller(handler, hostname="127.0.0.1", port=free_port())
    server.start()
    url = f"sqlite:///{tmp_path / 'background.db'}"
    migrate(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "TESTING": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_DELIVERY": "background",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": server.port,
            "SMTP_STARTTLS": False,
            "MAIL_FROM": FROM,
        }
    )
    try:
        with app.app_context():
            message = send_mail("voter@example.org", "Vote on motion 11", "…")
            db.session.flush()
            assert "govtrack.mail_background" not in app.extensions  # nothing before the commit
            db.session.commit()
            app.extensions["govtrack.mail_background"].wait(timeout=60)
            stored = db.session.scalar(
                select(OutboxMessage)
                .where(OutboxMessage.id == message.id)
                .execution_options(populate_existing=True)
            )
            assert stored.sent_at is not None and stored.attempts == 1
        assert [e.rcpt_tos for e in handler.envelopes] == [["voter@example.org"]]
    finally:
        server.stop()
        db.session.remove()
        db.engine_for(url).dispose()
