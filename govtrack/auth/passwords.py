"""Password hashing with argon2 (argon2-cffi's recommended parameters), and what makes a new
password acceptable, following the NCSC's guidance: long enough, not one anyone guessing would
try early, and no composition rules (no "a capital, a digit and a symbol").

"Would try early" is judged by zxcvbn, which works offline: it knows the 30,000 most common
passwords of the large breaches, common words and names, keyboard rows, repeats, sequences and
dates, and estimates how many guesses a password would take. A password it expects to fall
within about a hundred million guesses (its score below 3) is refused, with the reason in words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not reveal which e-mails exist.
_DUMMY_HASH = _hasher.hash("not a real password")

MIN_LENGTH = 12
MAX_LENGTH = 200
# zxcvbn's estimate takes time that grows quickly with length; the opening characters of a
# longer passphrase are judged (a password whose first 72 are hard to guess is too).
_JUDGED_LENGTH = 72
# zxcvbn's score 3: "safely unguessable", more than about 10^8 guesses.
ENOUGH = 3

TOO_SHORT = (
    f"Your password must be at least {MIN_LENGTH} characters. A passphrase of three or four "
    "random words is long enough and easy to remember"
)
TOO_LONG = f"Your password must be {MAX_LENGTH} characters or fewer"
COMMON = (
    "This is one of the most common passwords, so it would be among the first anyone guessing "
    "tries. Choose another: three or four random words make a strong password"
)
LIKE_COMMON = (
    "This password is made of common passwords, so it would be guessed early. Choose another: "
    "three or four random words make a strong password"
)
PERSONAL = (
    "This password contains your name or e-mail address, which anyone guessing would try first. "
    "Choose another"
)
REPEATS = "This password repeats itself, which makes it easy to guess. Choose another"
SEQUENCE = (
    "This password is a sequence (like abcd or 1234) or a row of keys, which makes it easy to "
    "guess. Choose another"
)
DATES = "Dates and years are easy to guess. Choose another password"
GUESSABLE = (
    "This password would be easy to guess: it is made of common words, names or patterns. "
    "Choose another: three or four random words make a strong password"
)
MESSAGES = (TOO_SHORT, TOO_LONG, COMMON, LIKE_COMMON, PERSONAL, REPEATS, SEQUENCE, DATES, GUESSABLE)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def _personal_words(personal: Iterable[str]) -> list[str]:
    """The person's name and e-mail address, and their parts, as zxcvbn's "user inputs"."""
    words: set[str] = set()
    for text in personal:
        text = (text or "").strip().lower()
        if not text:
            continue
        words.add(text)
        local, _, domain = text.partition("@")
        parts = text.replace("@", " ").replace(".", " ").split()
        for part in [local, domain, "".join(local.replace(".", " ").split()), *parts]:
            if len(part) >= 3:
                words.add(part)
    return sorted(words)


def _why(matches: list[dict[str, Any]]) -> str:
    """The reason a guessable password is refused, from the patterns zxcvbn found in it."""
    if any(m.get("dictionary_name") == "user_inputs" for m in matches):
        return PERSONAL
    if len(matches) == 1 and matches[0].get("dictionary_name") == "passwords":
        return COMMON
    patterns = {m["pattern"] for m in matches}
    if "repeat" in patterns:
        return REPEATS
    if patterns & {"sequence", "spatial"}:
        return SEQUENCE
    if any(m.get("dictionary_name") == "passwords" for m in matches):
        return LIKE_COMMON
    if "date" in patterns or "regex" in patterns:
        return DATES
    return GUESSABLE


def password_problem(password: str, personal: Iterable[str] = ()) -> str | None:
    """Why a new password is not acceptable, or None. ``personal`` holds the person's name and
    e-mail address, which a password should not be made of."""
    if len(password) < MIN_LENGTH:
        return TOO_SHORT
    if len(password) > MAX_LENGTH:
        return TOO_LONG
    words = _personal_words(personal)
    lowered = password.lower()
    if any("@" in word and word in lowered for word in words):
        return PERSONAL
    result = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=words, max_length=_JUDGED_LENGTH)
    if result["score"] >= ENOUGH:
        return None
    return _why(result["sequence"])
