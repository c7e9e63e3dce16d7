"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238): enrolling, checking a code
or a recovery code, new recovery codes, turning it off, and the administrator's reset.

``auth.rules`` decides (which steps a code is accepted at, who must enrol); this module does the
cryptography through pyotp and writes. The shared secret is shown only on the page that enrols
(as a QR code and written out) and is never written to the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from typing import Any

import pyotp
import segno
from flask import current_app
from limits import parse
from markupsafe import Markup, escape
from sqlalchemy import delete, func, select

from govtrack.auth import rules
from govtrack.auth.models import RecoveryCode, User
from govtrack.auth.passwords import verify_password
from govtrack.auth.rights import rights_of
from govtrack.auth.services import end_sessions
from govtrack.core import audit
from govtrack.core.records import Invalid
from govtrack.core.security import limiter
from govtrack.db import db, utcnow

WRONG_CODE = "The code is not right. Check the app shows govtrack and your email, and try again"
USED_CODE = "That code has already been used. Wait for the app to show a new one"


# Who must ----------------------------------------------------------------------------------


def required_for(user: Any) -> bool:
    """Whether ``user`` must sign in with a second factor (``TWO_FACTOR_REQUIRED_FOR``)."""
    kinds = rules.required_kinds(current_app.config.get("TWO_FACTOR_REQUIRED_FOR", ""))
    return bool(kinds) and rules.two_factor_required(rights_of(user), kinds)


def enrolled(user: User) -> bool:
    return user.totp_enrolled_at is not None and bool(user.totp_secret)


# The secret and its QR code -----------------------------------------------------------------


def new_secret() -> str:
    """A random 160-bit secret in base32, as RFC 4226 recommends and authenticator apps read."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    issuer = current_app.config.get("SERVICE_NAME", "govtrack")
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code_svg(uri: str) -> Markup:
    """The QR code of ``uri`` as inline SVG (drawn here: no image is fetched from anywhere)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#0b0c0c", light="#fff")
    label = escape("QR code to scan with your authenticator app")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def secret_in_groups(secret: str) -> str:
    """The secret as a person types it: groups of four letters and digits."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _matching_steps(secret: str, code: str, now_step: int) -> list[int]:
    totp = pyotp.TOTP(secret, digits=rules.TOTP_DIGITS, interval=rules.TOTP_STEP_SECONDS)
    return [
        step
        for step in rules.steps_to_try(now_step)
        if hmac.compare_digest(totp.generate_otp(step), code)
    ]


def _accepted_step(secret: str, text: str, last_step: int | None, now: float | None) -> int | None:
    if not rules.looks_like_totp(text):
        return None
    now_step = rules.totp_step(time.time() if now is None else now)
    code = rules.totp_digits(text)
    return rules.fresh_step(_matching_steps(secret, code, now_step), now_step, last_step)


def code_problem(user: User, text: str, now: float | None = None) -> str | None:
    """Accept a code from the account's app (recording its step, so it is never accepted
    again), or say why not."""
    if not rules.looks_like_totp(text) or not user.totp_secret:
        return WRONG_CODE
    step = _accepted_step(user.totp_secret, text, user.totp_last_step, now)
    if step is None:
        replayed = _accepted_step(user.totp_secret, text, None, now)
        return USED_CODE if replayed is not None else WRONG_CODE
    user.totp_last_step = step
    db.session.flush()
    return None


# Recovery codes -----------------------------------------------------------------------------


def _digest(user_id: int, code: str) -> str:
    """A recovery code as stored. The codes carry 80 random bits, so a plain SHA-256 (bound to
    the account) cannot be worked back from a copy of the table, as with the e-mailed links."""
    return hashlib.sha256(f"{user_id}:{rules.normalise_recovery_code(code)}".encode()).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(rules.RECOVERY_ALPHABET) for _ in range(rules.RECOVERY_CODE_LENGTH))
        for _ in range(rules.RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_digest(user.id, c)) for c in codes)
    db.session.flush()
    return [rules.format_recovery_code(code) for code in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _use_recovery_code(user: User, text: str) -> bool:
    """Spend one of the account's unused recovery codes, if ``text`` is one."""
    if not text.strip() or len(text) > 64:
        return False
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(user.id, text),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    left = recovery_codes_left(user)
    audit.record(
        user,
        "two-factor-recovery-code-used",
        user,
        f"{user.email} signed in with a recovery code ({left} left)",
        after={},
    )
    return True


def second_factor_problem(user: User, text: str) -> str | None:
    """Accept a code from the app or an unused recovery code for ``user``; or say why not."""
    if rules.looks_like_totp(text):
        return code_problem(user, text)
    if _use_recovery_code(user, text):
        return None
    return "The code is not right. Enter the 6-digit code from your app, or a recovery code"


# Throttling the second step ----------------------------------------------------------------


def _limit():
    return parse(current_app.config["TWO_FACTOR_LIMIT_PER_ACCOUNT"])


def wait_before_trying(user_id: int) -> int:
    """Seconds before another code may be tried for this account; 0 if one may now. Counted in
    the rate limiter's storage, as failed passwords are (``auth.throttle``), so every process
    shares the count."""
    item = _limit()
    stats = limiter.limiter.get_window_stats(item, "two-factor", str(user_id))
    count = rules.FailureCount(
        failures=item.amount - stats.remaining,
        allowed=item.amount,
        resets_in=max(0, int(stats.reset_time - time.time()) + 1),
    )
    return max(1, count.resets_in) if count.spent else 0


def record_failure(user_id: int) -> None:
    limiter.limiter.hit(_limit(), "two-factor", str(user_id))


def record_success(user_id: int) -> None:
    limiter.limiter.clear(_limit(), "two-factor", str(user_id))


# Changes -----------------------------------------------------------------------------------


def enrol(actor: Any, user: User, secret: str, text: str) -> list[str]:
    """Turn on two-factor sign-in with ``secret`` once a code from the app proves it is set
    up; the new recovery codes (shown once). A second enrolment moves to a new device."""
    step = _accepted_step(secret, text, None, None)
    if step is None:
        raise Invalid({"code": WRONG_CODE})
    again = enrolled(user)
    user.totp_secret = secret
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = step  # the code that proved it opens nothing more
    db.session.flush()
    codes = _new_recovery_codes(user)
    summary = (
        f"Two-factor sign-in moved to a new device for {user.email}"
        if again
        else f"Two-factor sign-in turned on for {user.email}"
    )
    audit.record(
        actor,
        "two-factor-enrol",
        user,
        summary,
        before={"two_factor": "on" if again else "off"},
        after={"two_factor": "on"},
    )
    return codes


def _proof_problem(user: User, proof: str) -> str | None:
    """A current code from the app or the account's password proves the person is its owner."""
    if rules.looks_like_totp(proof):
        return code_problem(user, proof)
    if user.password_hash and verify_password(user.password_hash, proof):
        return None
    return "Enter a current code from your app, or your password"


def new_recovery_codes(actor: Any, user: User, proof: str) -> list[str]:
    """Replace every recovery code (used or not) with ten new ones."""
    if problem := _proof_problem(user, proof):
        raise Invalid({"proof": problem})
    codes = _new_recovery_codes(user)
    audit.record(
        actor, "two-factor-recovery-codes", user, f"New recovery codes for {user.email}", after={}
    )
    return codes


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enrolled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def turn_off(actor: Any, user: User, proof: str) -> None:
    """The owner turns two-factor sign-in off (refused when the account's rights need it)."""
    if problem := rules.turn_off_refusal(required_for(user)):
        raise Invalid({"proof": problem})
    if problem := _proof_problem(user, proof):
        raise Invalid({"proof": problem})
    _clear(user)
    audit.record(
        actor,
        "two-factor-off",
        user,
        f"Two-factor sign-in turned off for {user.email}",
        before={"two_factor": "on"},
        after={"two_factor": "off"},
    )


def reset(actor: Any, user: User) -> None:
    """For a person locked out (phone and recovery codes lost): clear the secret and recovery
    codes and end every session; they set it up again when they next sign in."""
    was = "on" if enrolled(user) else "off"
    _clear(user)
    end_sessions(user)
    audit.record(
        actor,
        "two-factor-reset",
        user,
        f"Two-factor sign-in reset for {user.email}; every session ended",
        before={"two_factor": was},
        after={"two_factor": "off"},
    )
