"""When an e-mail that failed is tried again, and what the outbox says of a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.core.rules import (
    LONGEST_WAIT,
    MAX_ATTEMPTS,
    Delivery,
    MailState,
    mail_state,
    next_attempt,
    retry_wait,
)

AT = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def test_the_waits_double_from_a_minute_to_an_hour():
    waits = [retry_wait(n) for n in range(1, 9)]
    assert waits[:7] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60)]
    assert waits[7] == LONGEST_WAIT


def test_a_permanent_refusal_is_not_retried():
    assert next_attempt(1, AT, permanent=True) is None


def test_after_the_last_attempt_it_is_given_up():
    assert next_attempt(MAX_ATTEMPTS - 1, AT, permanent=False) == AT + LONGEST_WAIT
    assert next_attempt(MAX_ATTEMPTS, AT, permanent=False) is None


def test_a_wait_needs_an_attempt():
    with pytest.raises(ValueError):
        retry_wait(0)


@settings(max_examples=50)
@given(st.integers(min_value=1, max_value=10_000))
def test_waits_never_shrink_and_never_pass_an_hour(attempts):
    assert timedelta(minutes=1) <= retry_wait(attempts) <= LONGEST_WAIT
    assert retry_wait(attempts) <= retry_wait(attempts + 1)


@settings(max_examples=50)
@given(
    st.booleans(),
    st.integers(min_value=0, max_value=MAX_ATTEMPTS),
    st.none() | st.just(AT),
)
def test_every_message_is_in_exactly_one_state(sent, attempts, next_at):
    state = mail_state(Delivery(sent, attempts, next_at))
    if sent:
        assert state is MailState.SENT
    elif next_at is None:
        assert state is MailState.FAILED
    else:
        assert state is (MailState.WAITING if attempts == 0 else MailState.RETRYING)
    assert state.tag_class.startswith("govuk-tag--")
