"""Passwords are hashed with argon2 and checked without revealing which accounts exist."""

from govtrack.auth.passwords import hash_password, password_problem, verify_password


def test_hash_is_argon2_and_verifies():
    hashed = hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "correct horse battery")
    assert not verify_password(hashed, "wrong horse battery")


def test_no_hash_never_verifies():
    assert not verify_password(None, "not a real password")
    assert not verify_password("garbage", "anything")


def test_password_rules():
    assert password_problem("short") == "Password must be at least 12 characters"
    assert password_problem("x" * 201) == "Password must be 200 characters or fewer"
    assert password_problem("a sensible passphrase") is None
