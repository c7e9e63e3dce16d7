"""What people do for their own account: accept an invitation, ask for and use a password
reset link, change their password. Each writes, audits and flushes; the view commits.

A reset request does the same work and gives the same answer whether or not the address has an
account (a link is made and hashed either way; only a real, active account's is kept and
mailed), so the page cannot be used to find out who has an account. Requests are counted per
e-mail address and per client address in the rate limiter's storage (shared by every process
when ``RATELIMIT_STORAGE_URI`` names a shared store); a flood waits.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import time
from collections.abc import Iterable, Iterator

from flask import current_app, url_for
from limits import parse

from govtrack.auth import links, services
from govtrack.auth.enums import LinkPurpose
from govtrack.auth.models import User
from govtrack.auth.passwords import password_problem, verify_password
from govtrack.core import audit
from govtrack.core.mail import send_mail
from govtrack.core.records import Invalid
from govtrack.core.security import limiter
from govtrack.db import utcnow

# Reset requests allowed before a pause: for one e-mail address (from anywhere), and from one
# client address (whatever the e-mail address).
RESET_LIMITS = {
    "RESET_LIMIT_PER_ACCOUNT": "5 per hour",
    "RESET_LIMIT_PER_ADDRESS": "20 per hour",
}


def personal_words(user: User) -> list[str]:
    """What a person's password should not be made of: their name and e-mail address."""
    return [user.name, user.email]


def _new_password_problems(user: User, password: str, confirm: str) -> None:
    problems = {}
    if problem := password_problem(password, personal_words(user)):
        problems["password"] = problem
    if confirm != password:
        problems["confirm"] = "The two passwords are not the same. Enter the new one twice"
    if problems:
        raise Invalid(problems)


def _set(user: User, password: str, action: str, summary: str) -> User:
    """A new password (every session of the account ends), audited as what the person did."""
    services.set_password(user, user.email, password)
    audit.record(user, action, user, summary, after={})
    return user


def accept_invitation(token: str, password: str, confirm: str) -> User:
    """Spend the invitation and set the first password; ``LinkRefused`` or ``Invalid``."""
    _, user = links.check(token, LinkPurpose.INVITATION)
    _new_password_problems(user, password, confirm)
    links.use(token, LinkPurpose.INVITATION)
    links.revoke(user, LinkPurpose.RESET)
    user.last_sign_in_at = utcnow()  # the page signs them in
    return _set(user, password, "accept-invitation", f"{user.email} accepted the invitation")


def reset_password(token: str, password: str, confirm: str) -> User:
    """Spend the reset link and set the new password; ``LinkRefused`` or ``Invalid``."""
    _, user = links.check(token, LinkPurpose.RESET)
    _new_password_problems(user, password, confirm)
    links.use(token, LinkPurpose.RESET)
    # A person who never accepted their invitation has now set a password with this link.
    links.revoke(user, LinkPurpose.INVITATION)
    user.last_sign_in_at = utcnow()  # the page signs them in
    return _set(user, password, "reset-password", f"{user.email} reset their password by e-mail")


def change_password(user: User, current: str, password: str, confirm: str) -> User:
    """A signed-in person's new password, with the current one; ``Invalid`` says what is wrong.
    Every session of the account ends (the caller opens this one again)."""
    if not verify_password(user.password_hash, current):
        raise Invalid({"current": "Your current password is not right"})
    _new_password_problems(user, password, confirm)
    if current == password:
        raise Invalid({"password": "The new password is the same as the current one"})
    return _set(user, password, "change-password", f"{user.email} changed their password")


def reset_mail(user: User, token: str) -> tuple[str, str]:
    link = url_for("auth.reset_password", token=token, _external=True)
    subject = "Reset your govtrack password"
    body = (
        f"Dear {user.name},\n\n"
        "Someone (we hope you) asked to reset the password of your govtrack account.\n\n"
        f"To choose a new password, open this link within one hour:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, you need do nothing: your password "
        "has not changed.\n"
    )
    return subject, body


def request_reset(email: str) -> None:
    """Send a reset link to ``email`` if it is an active account's; otherwise do the same work
    and send nothing. The answer to the person is the same either way."""
    user = services.find_user(email)
    if user is None or not user.active or user.erased_at is not None:
        # The same work as issuing a link, kept nowhere.
        hashlib.sha256(secrets.token_urlsafe(links.TOKEN_BYTES).encode()).hexdigest()
        return
    token = links.issue(user, LinkPurpose.RESET)
    send_mail(user.email, *reset_mail(user, token))
    audit.record(None, "reset-link", user, f"A password reset link was sent to {user.email}")


@contextlib.contextmanager
def answer_after_a_set_time() -> Iterator[None]:
    """Take at least ``RESET_ANSWER_SECONDS`` (default 0.5) over the block: a real account's
    link and outbox message are written while an unknown address's are not (the mail itself
    goes after the commit, outside the request), and the time the answer takes should not tell
    them apart."""
    started = time.monotonic()
    yield
    floor = float(_setting("RESET_ANSWER_SECONDS", "0.5"))
    time.sleep(max(0.0, floor - (time.monotonic() - started)))


# Counting reset requests ------------------------------------------------------------------


def _limits(email: str, address: str) -> Iterable[tuple[str, tuple[str, ...]]]:
    yield "RESET_LIMIT_PER_ACCOUNT", ("reset-account", services.normalise_email(email))
    yield "RESET_LIMIT_PER_ADDRESS", ("reset-address", address)


def _setting(name: str, default: str) -> str:
    # The app's setting (govtrack/config.py lists them, from the environment), else the default
    # (an app made with a config of its own, as tests do).
    value = current_app.config.get(name)
    return str(value if value is not None else default)


def _limit(setting: str):
    return parse(_setting(setting, RESET_LIMITS[setting]))


def reset_wait(email: str, address: str) -> int:
    """Seconds before another reset may be asked for this e-mail address from this client
    address; 0 if it may be now."""
    waits = [0]
    for setting, key in _limits(email, address):
        stats = limiter.limiter.get_window_stats(_limit(setting), *key)
        if stats.remaining <= 0:
            waits.append(max(1, int(stats.reset_time - time.time()) + 1))
    return max(waits)


def count_reset_request(email: str, address: str) -> None:
    for setting, key in _limits(email, address):
        limiter.limiter.hit(_limit(setting), *key)
