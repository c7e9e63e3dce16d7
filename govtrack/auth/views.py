"""Signing in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from govtrack.auth import services
from govtrack.auth.forms import SignInForm
from govtrack.core.forms import ConfirmForm
from govtrack.core.permissions import anyone, require
from govtrack.core.security import limiter

bp = Blueprint("auth", __name__)


def _failed_sign_in(_response) -> bool:
    return bool(g.get("sign_in_failed"))


def _account_key() -> str:
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes home."""
    if target:
        parts = urlsplit(target)
        local = not parts.scheme and not parts.netloc and target.startswith("/")
        if local and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("home.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@require(anyone)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_failed_sign_in,
    scope="sign-in-address",
)
@limiter.limit(
    lambda: current_app.config["LOGIN_LIMIT_PER_ACCOUNT"],
    key_func=_account_key,
    methods=["POST"],
    deduct_when=_failed_sign_in,
    scope="sign-in-account",
)
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(form.next.data))
    problem = None
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(f"Signed in as {user.name}.", "success")
            return redirect(_safe_next(form.next.data))
        problem = "Email address or password is not right"
    if request.method == "POST":
        g.sign_in_failed = True
    return render_template("auth/sign_in.html", form=form, problem=problem)


@bp.route("/sign-out", methods=["POST"])
@require(anyone)
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        logout_user()
        flash("You have signed out.", "success")
    return redirect(url_for("home.index"))
