"""The core's own rules, pure: when an e-mail that could not be delivered is tried again, and
what the outbox page says of a message."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

# The first retry waits a minute, each later one twice as long, never more than an hour: an
# SMTP server down for an afternoon gets its mail soon after it returns, without being hammered.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
# About a day and a half of trying (6 doublings, then hourly) before an administrator is left
# to retry by hand from the outbox page; nothing is ever deleted.
MAX_ATTEMPTS = 40


def retry_wait(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt (1, 2, ...)."""
    if attempts < 1:
        raise ValueError("a wait follows at least one attempt")
    # Past 2**7 minutes the cap has long applied; the exponent is bounded so it stays cheap.
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 10), LONGEST_WAIT)


def next_attempt(attempts: int, failed_at: datetime, permanent: bool) -> datetime | None:
    """When to try again after ``attempts`` failed attempts, the last at ``failed_at``; None to
    give up: a permanent refusal (an SMTP 5xx reply, such as an unknown mailbox) is not retried,
    nor is a message that has failed ``MAX_ATTEMPTS`` times."""
    if permanent or attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + retry_wait(attempts)


class MailState(enum.Enum):
    WAITING = "Waiting"
    RETRYING = "Will retry"
    SENT = "Sent"
    FAILED = "Not sent"

    @property
    def tag_class(self) -> str:
        return MAIL_STATE_TAG_CLASSES[self]


MAIL_STATE_TAG_CLASSES = {
    MailState.WAITING: "govuk-tag--grey",
    MailState.RETRYING: "govuk-tag--yellow",
    MailState.SENT: "govuk-tag--green",
    MailState.FAILED: "govuk-tag--red",
}


@dataclass(frozen=True)
class Delivery:
    """What is known of a message's delivery, as its row holds it."""

    sent: bool
    attempts: int
    next_attempt_at: datetime | None


def mail_state(delivery: Delivery) -> MailState:
    """Sent; waiting for its first attempt; failed and due another; or failed for good (given
    up: only an administrator's "retry now" sends it)."""
    if delivery.sent:
        return MailState.SENT
    if delivery.next_attempt_at is None:
        return MailState.FAILED
    return MailState.WAITING if delivery.attempts == 0 else MailState.RETRYING
