"""When guessing passwords is slowed, and that the slowing never locks out an address that
has not failed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.auth.rules import FailureCount, sign_in_wait, wait_in_words

NONE = FailureCount(failures=0, allowed=5, resets_in=0)


def counts(min_failures: int = 0, max_failures: int = 50):
    return st.builds(
        FailureCount,
        failures=st.integers(min_failures, max_failures),
        allowed=st.integers(1, 30),
        resets_in=st.integers(0, 3600),
    )


def test_five_failures_at_one_account_from_one_address_make_it_wait():
    here = FailureCount(failures=5, allowed=5, resets_in=240)
    assert sign_in_wait(here, NONE, NONE) == 240


def test_an_account_guessed_at_from_everywhere_still_lets_a_new_address_try():
    everywhere = FailureCount(failures=500, allowed=20, resets_in=3000)
    assert sign_in_wait(NONE, NONE, everywhere) == 0


def test_an_address_that_failed_at_a_hot_account_waits_until_its_slip_or_the_heat_passes():
    everywhere = FailureCount(failures=25, allowed=20, resets_in=3000)
    here = FailureCount(failures=1, allowed=5, resets_in=200)
    assert sign_in_wait(here, NONE, everywhere) == 200


@settings(max_examples=50)
@given(everywhere=counts(), address=counts(max_failures=0))
def test_an_address_without_failures_is_never_kept_out_by_others(everywhere, address):
    here = FailureCount(failures=0, allowed=5, resets_in=0)
    assert sign_in_wait(here, address, everywhere) == 0


@settings(max_examples=50)
@given(here=counts(), address=counts(), everywhere=counts())
def test_a_wait_is_given_exactly_when_a_limit_that_applies_is_spent(here, address, everywhere):
    wait = sign_in_wait(here, address, everywhere)
    blocked = here.spent or address.spent or (everywhere.spent and here.failures > 0)
    assert (wait > 0) == blocked
    assert wait <= max(here.resets_in, address.resets_in, everywhere.resets_in, 1)


def test_waits_read_as_people_say_them():
    assert wait_in_words(1) == "1 second"
    assert wait_in_words(30) == "30 seconds"
    assert wait_in_words(60) == "1 minute"
    assert wait_in_words(61) == "2 minutes"
    assert wait_in_words(300) == "5 minutes"
