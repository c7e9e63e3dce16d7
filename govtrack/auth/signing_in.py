"""The last step of every way in (password, invitation, single sign-on): open the session.

An account that has enrolled in two-factor sign-in is asked for its code before the session
opens, and one whose rights require it but has not enrolled sets up its app first. Until then
the sign-in waits in the (signed) session cookie: which account, at which session version, where
to go next and since when. Nobody is signed in while it waits, and it lapses after a few
minutes (``auth.rules.pending_expired``) or once the account's sessions are ended.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Literal

from flask import current_app, flash, redirect, session, url_for
from flask_login import login_user

from govtrack.auth import rules, two_factor
from govtrack.auth.models import User
from govtrack.db import db

Method = Literal["password", "invitation", "sso"]

_PENDING = "two_factor_pending"
TIMED_OUT = "Signing in took too long, or was started somewhere else. Sign in again."


@dataclass(frozen=True)
class Pending:
    """A sign-in waiting for its second step."""

    user_id: int
    version: int
    next_url: str
    started: float
    method: str
    enrolling: bool


def complete_sign_in(user: User, next_url: str, method: Method = "password"):
    """Open the session for ``user`` and go on to ``next_url`` (already made safe), or first
    ask for the second step: the app's code, or setting the app up where it is required.

    Single sign-on (``method="sso"``) skips the app's code unless ``TWO_FACTOR_FOR_SSO``.
    """
    session.pop(_PENDING, None)
    step = rules.two_factor_applies(
        method,
        enrolled=two_factor.enrolled(user),
        required=two_factor.required_for(user),
        for_sso=bool(current_app.config.get("TWO_FACTOR_FOR_SSO")),
    )
    if step is None:
        return open_session(user, next_url)
    pending = Pending(
        user_id=user.id,
        version=user.session_version,
        next_url=next_url,
        started=time.time(),
        method=method,
        enrolling=step == "enrol",
    )
    session[_PENDING] = asdict(pending)
    if pending.enrolling:
        flash("Your account must use two-factor sign-in. Set it up to finish signing in.", "info")
        return redirect(url_for("auth.two_factor_set_up"))
    return redirect(url_for("auth.two_factor_sign_in"))


def open_session(user: User, next_url: str):
    """Sign in (the last step, whatever came before) and go on."""
    session.pop(_PENDING, None)
    login_user(user)
    flash(f"Signed in as {user.name}.", "success")
    return redirect(next_url)


def pending_sign_in() -> tuple[Pending | None, User | None]:
    """The sign-in waiting for a second step, and its account; (None, None) when there is
    none, it has lapsed, or the account's sessions were ended (or it was disabled) since."""
    data = session.get(_PENDING)
    try:
        pending = Pending(**data) if isinstance(data, dict) else None
    except TypeError:
        pending = None
    if pending is None or rules.pending_expired(pending.started, time.time(), pending.enrolling):
        session.pop(_PENDING, None)
        return None, None
    user = db.session.get(User, pending.user_id)
    if user is None or not user.active or user.session_version != pending.version:
        session.pop(_PENDING, None)
        return None, None
    return pending, user


def abandon_sign_in() -> None:
    session.pop(_PENDING, None)
