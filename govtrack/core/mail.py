"""E-mail: every message is written to the outbox in the transaction that asks for it, and
delivered after that transaction commits, through SMTP (settings from the environment) or, in
development, to the console.

Why after the commit: a service that opens a vote e-mails each voter, and a request that then
fails is rolled back; mailing a link to a vote that was never saved would be worse than late
mail. A rolled-back request, CLI command or savepoint leaves no row, so nothing is sent. And a
request never waits for a mail server: ``send_mail`` only writes the row.

Delivery (``deliver_due``) is done by ``flask worker`` or ``flask mail deliver``, and, when
``MAIL_DELIVERY`` is ``background`` (the default, for one machine), by a thread of the process
started after each commit that wrote mail. Each run claims the messages due (a short
transaction; PostgreSQL skips rows another deliverer holds), sends them over one SMTP
connection with no transaction open, then records each outcome: sent, or the error and when
to try again (``core.rules.next_attempt``: backing off to hourly; a permanent refusal, such as an
unknown mailbox, is not retried). A claim lapses after a while, so a deliverer that dies
mid-send leaves its messages due again: a message may, rarely, go twice, but is never lost.
Delivery never raises: a failure is logged and kept on the message for the outbox page.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from govtrack.core import audit
from govtrack.core.models import OutboxMessage
from govtrack.core.rules import next_attempt
from govtrack.db import db, utcnow

# Set on a session that wrote mail, so that its commit can start background delivery.
_WROTE_MAIL = "govtrack.wrote_mail"
BATCH = 50
# Bodies as 7-bit MIME (quoted-printable or base64 when needed): no server has to accept 8-bit.
_POLICY = default_policy.clone(cte_type="7bit")
SUBJECT_MAX = 300


def send_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Record a message for ``recipient`` (flush only); it is delivered after the caller's
    transaction commits (see the module docstring). Returns the outbox row."""
    recipient, subject = recipient.strip(), subject.strip()
    if not recipient or any(c in recipient + subject for c in "\r\n"):
        raise ValueError("a recipient is needed, and neither it nor the subject may hold a newline")
    if len(subject) > SUBJECT_MAX:
        raise ValueError(f"the subject is longer than {SUBJECT_MAX} characters")
    session = db.session()
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        body=body,
        error="",
        attempts=0,
        next_attempt_at=utcnow(),
    )
    session.add(message)
    session.flush()
    session.info[_WROTE_MAIL] = True
    return message


def init_app(app: Flask) -> None:
    """In development the console is the mail server: let its INFO lines through."""
    if not app.config["SMTP_HOST"] and app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)


def build_message(message: OutboxMessage, config: Mapping[str, Any]) -> EmailMessage:
    sender = config["MAIL_FROM"]
    address = parseaddr(sender)[1]
    domain = address.rpartition("@")[2] or "localhost"
    email = EmailMessage(policy=_POLICY)
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    email.set_content(message.body)
    return email


def as_text(message: OutboxMessage, config: Mapping[str, Any]) -> str:
    """The message as a person reads it, for the console."""
    return (
        f"From: {config['MAIL_FROM']}\nTo: {message.recipient}\n"
        f"Subject: {message.subject}\n\n{message.body}"
    )


# Delivery ----------------------------------------------------------------------------------


@dataclass
class Attempt:
    """What became of one message in one delivery run."""

    message: OutboxMessage
    error: str = ""
    permanent: bool = False
    sent: bool = False


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)  # will be tried again
    given_up: list[int] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Delivered {len(self.sent)} e-mail(s); {len(self.failed)} failed and will be "
            f"retried; {len(self.given_up)} given up."
        )


def deliver_due(now: datetime | None = None, only: list[int] | None = None) -> DeliveryReport:
    """Deliver the messages due at ``now`` (default: now), or just those of ``only`` whatever
    their next try, and record each outcome, in batches until none is left. Commits: call it
    outside any transaction of one's own (a worker, a command, a background thread; tests after
    their commit). Never raises for a delivery problem."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    now = now or utcnow()
    report = DeliveryReport()
    while True:
        claimed = _claim(app, now, only)
        if claimed:
            _deliver_batch(app, claimed, report, now)
        if only is not None or len(claimed) < BATCH:
            return report


def _deliver_batch(
    app: Flask, claimed: list[OutboxMessage], report: DeliveryReport, now: datetime
) -> None:
    attempts = [Attempt(message) for message in claimed]
    _send(app, attempts)
    done_at = max(now, utcnow())
    for attempt in attempts:
        message = attempt.message
        message.attempts += 1
        if attempt.sent:
            message.sent_at, message.error, message.next_attempt_at = done_at, "", None
            report.sent.append(message.id)
            continue
        message.error = attempt.error[:2000]
        message.next_attempt_at = next_attempt(message.attempts, done_at, attempt.permanent)
        (report.failed if message.next_attempt_at else report.given_up).append(message.id)
        app.logger.error(
            "E-mail %s to %s not sent (attempt %s%s): %s",
            message.id,
            message.recipient,
            message.attempts,
            "; given up" if message.next_attempt_at is None else "",
            message.error,
        )
    db.session.commit()


def _claim(app: Flask, now: datetime, only: list[int] | None) -> list[OutboxMessage]:
    """Take the messages to send in one statement, committed at once: their next try moves
    past the time a delivery run can take, so no other deliverer takes them meanwhile (on
    PostgreSQL a run skips rows another is claiming), and they come back if this one dies."""
    session = db.session()
    config = app.config
    hold = timedelta(seconds=float(config["SMTP_TIMEOUT"]) * (BATCH + 2) + 60)
    due = (
        select(OutboxMessage.id)
        .where(OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.id)
        .limit(BATCH)
        .with_for_update(skip_locked=True)
    )
    due = (
        due.where(OutboxMessage.id.in_(only))
        if only is not None
        else due.where(OutboxMessage.next_attempt_at <= now)
    )
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.sent_at.is_(None))
        .values(next_attempt_at=now + hold)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    if only is None:
        # Checked again on the row itself: on PostgreSQL a row another run claimed meanwhile
        # is re-read after its lock, and is then no longer due.
        stmt = stmt.where(OutboxMessage.next_attempt_at <= now)
    ids = list(session.scalars(stmt))
    session.commit()
    if not ids:
        return []
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .order_by(OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def _send(app: Flask, attempts: list[Attempt]) -> None:
    """Send (or, without SMTP_HOST, write to the log) each message; no transaction is open."""
    db.session.commit()  # nothing is pending: end the read transaction before talking SMTP
    config = app.config
    if not config["SMTP_HOST"]:
        for attempt in attempts:
            app.logger.info(
                "E-mail (development: SMTP_HOST is not set, so it was not sent)\n%s",
                as_text(attempt.message, config),
            )
            attempt.sent = True
        return
    try:
        with _connection(config) as smtp:
            for attempt in attempts:
                try:
                    smtp.send_message(build_message(attempt.message, config))
                except (smtplib.SMTPException, OSError, ValueError) as exc:
                    # One refused recipient does not stop the others.
                    _failed(attempt, exc)
                else:
                    attempt.sent = True
    except (smtplib.SMTPException, OSError) as exc:
        for attempt in attempts:
            if not attempt.sent and not attempt.error:
                attempt.error = f"{type(exc).__name__}: {exc}"


def _failed(attempt: Attempt, exc: Exception) -> None:
    attempt.error = f"{type(exc).__name__}: {exc}"
    attempt.permanent = _permanent(exc)


def _permanent(exc: Exception) -> bool:
    """A refusal of this message that trying again will not change: every recipient refused
    with a 5xx reply, the message refused with one, or a message that cannot be built. A
    server that cannot be reached, or refuses our sign-in or sender, fails every message and
    is retried: an administrator may be fixing it."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return isinstance(exc, ValueError)


@contextlib.contextmanager
def _connection(config: Mapping[str, Any]):
    timeout = config["SMTP_TIMEOUT"]
    smtp: smtplib.SMTP
    if config["SMTP_SSL"]:
        smtp = smtplib.SMTP_SSL(timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(timeout=timeout)
    try:
        smtp.connect(config["SMTP_HOST"], config["SMTP_PORT"])
        if config["SMTP_STARTTLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        yield smtp
        # The messages are out; a server that hangs up instead of saying goodbye changes nothing.
        with contextlib.suppress(smtplib.SMTPException, OSError):
            smtp.quit()
    finally:
        smtp.close()


def retry_now(actor: Any, message: OutboxMessage) -> OutboxMessage:
    """An administrator asks for a message not yet sent to be tried again at once (also one
    given up); audited. The next delivery run sends it."""
    if message.sent_at is not None:
        return message
    before = audit.snapshot(message)
    message.next_attempt_at = utcnow()
    db.session.flush()
    audit.record(actor, "retry", message, f"Retry now: e-mail to {message.recipient}", before)
    db.session.info[_WROTE_MAIL] = True
    return message


# Delivery in a thread of this process, after a commit that wrote mail --------------------


class _Background:
    """At most one delivery thread per app at a time; a commit while it runs asks it to look
    again when it finishes, so nothing written meanwhile waits for the worker."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.running = False
        self.again = False
        self.thread: threading.Thread | None = None

    def kick(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
            # Not a daemon: a process that ends (a command, a worker being replaced) first
            # finishes the delivery under way, at most SMTP_TIMEOUT a message.
            self.thread = threading.Thread(target=self._run, name="govtrack-mail")
        self.thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the delivery under way (and any asked for meanwhile) is done (for tests)."""
        if self.thread is not None:
            self.thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    deliver_due()
                except Exception:  # the worker (or the next commit) tries again
                    self.app.logger.exception("Background e-mail delivery failed")
                finally:
                    db.session.remove()
            with self.lock:
                if not self.again:
                    self.running = False
                    return
                self.again = False


def delivery_mode(app: Flask) -> str:
    """ "background" or "worker" (see MAIL_DELIVERY in config.py)."""
    return app.config.get("MAIL_DELIVERY") or ("worker" if app.testing else "background")


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session: Session) -> None:
    # Only the outermost commit fires this; the rows are committed, the transaction over.
    if not session.info.pop(_WROTE_MAIL, False) or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if delivery_mode(app) != "background":
        return
    background = app.extensions.setdefault("govtrack.mail_background", _Background(app))
    background.kick()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    # The outermost rollback undid the rows: nothing to deliver.
    session.info.pop(_WROTE_MAIL, None)
