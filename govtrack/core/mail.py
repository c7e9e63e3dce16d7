"""E-mail: every message is kept in the outbox and goes out when the transaction that wrote it
commits, through SMTP (settings from the environment) or, in development, to the console.

Why at the commit: a service that opens a vote e-mails each voter, and a request that then
fails is rolled back; mailing a link to a vote that was never saved would be worse than late
mail. So ``send_mail`` only records the message and queues it on the database session; the
session's ``before_commit`` hook delivers the queue and records ``sent_at`` or ``error`` in the
same commit. A rolled-back request, CLI command or savepoint sends nothing.

The price: delivery happens while the transaction is still open (one SMTP connection for all
the messages of the commit, at most ``SMTP_TIMEOUT`` for an unreachable server), and if the
database commit itself failed after the mail had gone, the message would be sent with no row.
Delivery never raises: a failure is logged and kept in the message's ``error``.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from govtrack.core.models import OutboxMessage
from govtrack.db import db, utcnow

_QUEUE = "govtrack.mail_queue"
# Bodies as 7-bit MIME (quoted-printable or base64 when needed): no server has to accept 8-bit.
_POLICY = default_policy.clone(cte_type="7bit")
SUBJECT_MAX = 300


def send_mail(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Record a message for ``recipient`` (flush only); it is delivered when the caller's
    transaction commits (see the module docstring). Returns the outbox row."""
    recipient, subject = recipient.strip(), subject.strip()
    if not recipient or any(c in recipient + subject for c in "\r\n"):
        raise ValueError("a recipient is needed, and neither it nor the subject may hold a newline")
    if len(subject) > SUBJECT_MAX:
        raise ValueError(f"the subject is longer than {SUBJECT_MAX} characters")
    session = db.session()
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, error="")
    session.add(message)
    session.flush()
    session.info.setdefault(_QUEUE, []).append(message)
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


def deliver(messages: list[OutboxMessage]) -> None:
    """Send the messages (or, without SMTP_HOST, write them to the log); never raises."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    config = app.config
    if not config["SMTP_HOST"]:
        for message in messages:
            app.logger.info(
                "E-mail (development: SMTP_HOST is not set, so it was not sent)\n%s",
                as_text(message, config),
            )
            message.sent_at = utcnow()
        return
    try:
        with _connection(config) as smtp:
            for message in messages:
                try:
                    smtp.send_message(build_message(message, config))
                except (smtplib.SMTPException, OSError, ValueError) as exc:
                    # One refused recipient does not stop the others.
                    _failed(app, message, exc)
                else:
                    message.sent_at = utcnow()
    except (smtplib.SMTPException, OSError) as exc:
        for message in messages:
            if message.sent_at is None and not message.error:
                _failed(app, message, exc)


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


def _failed(app: Flask, message: OutboxMessage, exc: Exception) -> None:
    message.error = f"{type(exc).__name__}: {exc}"[:2000]
    app.logger.error("E-mail %s to %s not sent: %s", message.id, message.recipient, message.error)


@event.listens_for(Session, "before_commit")
def _deliver_on_commit(session: Session) -> None:
    # A savepoint's release is not the commit: its messages wait for the outermost one.
    if session.in_nested_transaction():
        return
    queued = [m for m in session.info.pop(_QUEUE, []) if inspect(m).persistent]
    if queued:
        deliver(queued)  # sent_at and error are flushed by this same commit


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous: Any) -> None:
    # A rollback turns the rows it undid back into transient objects: their mail never goes.
    queue = session.info.get(_QUEUE)
    if queue:
        session.info[_QUEUE] = [m for m in queue if inspect(m).persistent]
