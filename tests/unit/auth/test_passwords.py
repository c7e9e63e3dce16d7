"""Passwords are hashed with argon2 and checked without revealing which accounts exist; a new
password follows the NCSC's guidance: long enough, not a common or guessable one, no
composition rules."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from zxcvbn.matching import RANKED_DICTIONARIES

from govtrack.auth import passwords
from govtrack.auth.passwords import hash_password, password_problem, verify_password

# The bundled list of the most common breached passwords, those long enough to get past the
# length check (so the list itself is what refuses them).
LONG_COMMON = sorted(p for p in RANKED_DICTIONARIES["passwords"] if len(p) >= 12)


def test_hash_is_argon2_and_verifies():
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong horse battery")


def test_no_hash_never_verifies():
    assert not verify_password(None, "not a real password")
    assert not verify_password("garbage", "anything")


def test_length_is_the_only_rule_about_what_a_password_is_made_of():
    assert password_problem("short") == passwords.TOO_SHORT
    assert "at least 12 characters" in passwords.TOO_SHORT
    assert password_problem("x" * 201) == passwords.TOO_LONG
    # No capitals, digits or symbols needed: a passphrase of ordinary words is welcome.
    assert password_problem("a sensible passphrase") is None
    assert password_problem("correct horse battery staple") is None
    assert password_problem("tractor violin puddle") is None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password1234", passwords.COMMON),
        ("1qaz2wsx3edc", passwords.COMMON),
        ("qwerty123456", passwords.COMMON),
        ("passwordpassword", passwords.REPEATS),
        ("aaaaaaaaaaaaaaaa", passwords.REPEATS),
        ("abcdefghijklmnop", passwords.SEQUENCE),
        ("123456789012", passwords.SEQUENCE),
        ("sunshine2023!", passwords.LIKE_COMMON),
    ],
)
def test_common_and_guessable_passwords_are_refused_saying_why(password, message):
    assert password_problem(password) == message


def test_a_password_made_of_the_persons_name_or_address_is_refused():
    personal = ["Jane Doughnut", "jane.doughnut@example.org"]
    assert password_problem("jane.doughnut@example.org", personal) == passwords.PERSONAL
    assert password_problem("jane doughnut 12", personal) == passwords.PERSONAL
    assert password_problem("janedoughnut2024", personal) == passwords.PERSONAL
    # The same words from someone else are not personal.
    assert password_problem("jane doughnut 12") is None


def test_a_long_passphrase_is_judged_by_its_opening_and_accepted():
    passphrase = "the quiet heron waits by the grey canal " * 5
    assert len(passphrase) <= 200
    assert password_problem(passphrase) is None


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=260))
def test_any_text_gets_an_answer_and_the_answer_is_one_of_the_messages(text):
    problem = password_problem(text, ["A Person", "a.person@example.org"])
    assert problem is None or problem in passwords.MESSAGES
    if len(text) < passwords.MIN_LENGTH:
        assert problem == passwords.TOO_SHORT
    elif len(text) > passwords.MAX_LENGTH:
        assert problem == passwords.TOO_LONG


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(LONG_COMMON), st.sampled_from([str.lower, str.upper, str.capitalize]))
def test_every_long_common_password_is_refused_in_any_case(common, case):
    assert password_problem(case(common)) is not None
