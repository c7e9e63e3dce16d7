"""Signing in and out."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, logout_user

from govtrack.auth import services, throttle
from govtrack.auth.forms import SignInForm
from govtrack.auth.rules import wait_in_words
from govtrack.auth.signing_in import complete_sign_in
from govtrack.config import password_sign_in_on
from govtrack.core.dates import local_time
from govtrack.core.forms import ConfirmForm
from govtrack.core.permissions import anyone, require
from govtrack.core.records import unit_of_work
from govtrack.db import utcnow

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only a path on this site; anything else goes home."""
    if target:
        parts = urlsplit(target)
        local = not parts.scheme and not parts.netloc and target.startswith("/")
        if local and not target.startswith("//") and "\\" not in target:
            return target
    return url_for("home.index")


def _throttled(form: SignInForm, wait: int):
    """The sign-in page again, saying how long to wait (and in a Retry-After header)."""
    until = local_time(utcnow() + timedelta(seconds=wait))
    problem = (
        f"There have been too many failed sign-in attempts. Wait {wait_in_words(wait)} "
        f"(until {until}), then try again."
    )
    response = make_response(render_template("auth/sign_in.html", form=form, problem=problem))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


def _passwords_off(form: SignInForm):
    """With single sign-on set up and PASSWORD_SIGN_IN off, a password is never checked."""
    problem = (
        "Signing in with a password is switched off. "
        f"Sign in with {current_app.config['OIDC_PROVIDER_NAME']} instead."
    )
    page = render_template(
        "auth/sign_in.html", form=form, problem=problem, problem_href="#single-sign-on"
    )
    return page, 403


@bp.route("/sign-in", methods=["GET", "POST"])
@require(anyone)
def sign_in():
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(form.next.data))
    if request.method == "POST" and not password_sign_in_on(current_app.config):
        return _passwords_off(form)
    problem = None
    if form.validate_on_submit():
        account = services.normalise_email(form.email.data)
        address = get_remote_address() or "unknown"
        if wait := throttle.wait_before_trying(account, address):
            return _throttled(form, wait)
        with unit_of_work():
            user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            throttle.record_success(account, address)
            return complete_sign_in(user, _safe_next(form.next.data))
        throttle.record_failure(account, address)
        problem = "Email address or password is not right"
    return render_template("auth/sign_in.html", form=form, problem=problem)


@bp.route("/sign-out", methods=["POST"])
@require(anyone)
def sign_out():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        # Ends this session and every copy of its cookie, on every instance (session_version).
        with unit_of_work():
            services.end_sessions(current_user)
        logout_user()
        flash("You have signed out.", "success")
    return redirect(url_for("home.index"))
