"""What an erasure may do, and the placeholders it leaves: no database needed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from govtrack.auth.erasure import erasure_refusal, placeholder_email, placeholder_name

ids = st.integers(min_value=1, max_value=10**9)


def test_placeholders_name_the_account_by_number_and_reach_no_one():
    assert placeholder_email(12) == "erased-12@invalid"
    assert placeholder_name(12) == "Erased account 12"


def test_an_administrator_may_not_erase_themselves_nor_erase_twice():
    assert "your own account" in erasure_refusal(3, 3, False)
    assert "already been erased" in erasure_refusal(1, 3, True)
    assert erasure_refusal(1, 3, False) is None
    assert erasure_refusal(None, 3, False) is None  # the system actor


@settings(max_examples=50)
@given(ids, ids, st.booleans())
def test_erasure_is_refused_exactly_for_oneself_or_an_erased_account(actor, user, erased):
    refused = erasure_refusal(actor, user, erased) is not None
    assert refused == (actor == user or erased)


@settings(max_examples=50)
@given(ids, ids)
def test_placeholders_of_different_accounts_differ(a, b):
    assert (placeholder_email(a) == placeholder_email(b)) == (a == b)
