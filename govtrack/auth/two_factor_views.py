"""Two-factor sign-in pages, on the auth blueprint: setting up the app (from the account, or
while signing in when the account's rights require it), the code asked for at sign-in, new
recovery codes and turning it off."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, make_response, redirect, render_template, session, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from limits import parse
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from govtrack.auth import two_factor
from govtrack.auth.permissions import signed_in
from govtrack.auth.rules import required_kinds, wait_in_words
from govtrack.auth.signing_in import TIMED_OUT, abandon_sign_in, open_session, pending_sign_in
from govtrack.auth.views import bp
from govtrack.core.dates import local_time
from govtrack.core.forms import GovForm
from govtrack.core.permissions import anyone, require
from govtrack.core.records import Invalid, unit_of_work
from govtrack.core.views import add_problems, form_page
from govtrack.db import utcnow

_CANDIDATE = "two_factor_candidate"  # the secret being set up, until a code confirms it


class CodeForm(GovForm):
    code = StringField(
        "Code",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the code"), Length(max=64)],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class ProofForm(GovForm):
    proof = PasswordField(
        "A code from your authenticator app, or your password",
        widget=GovPasswordInput(),
        validators=[InputRequired("Enter a code from your app, or your password")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


def check_settings(config) -> None:
    """Refuse a mistyped ``TWO_FACTOR_REQUIRED_FOR`` or ``TWO_FACTOR_LIMIT_PER_ACCOUNT`` when
    the app is made, rather than at every sign-in."""
    required_kinds(config.get("TWO_FACTOR_REQUIRED_FOR", ""))
    limit = config.get("TWO_FACTOR_LIMIT_PER_ACCOUNT", "")
    try:
        parse(limit)
    except ValueError as exc:
        raise ValueError(
            f"TWO_FACTOR_LIMIT_PER_ACCOUNT: {limit!r} is not a limit like '5 per 5 minutes'"
        ) from exc


@bp.record_once
def _check_settings_when_registered(state) -> None:
    check_settings(state.app.config)


# Setting up the app ------------------------------------------------------------------------


def _candidate_secret(user) -> str:
    """The secret offered to ``user`` on the set-up page: the same one until it is confirmed,
    so a page reloaded (or a wrong code) does not make the person scan again. It is kept for
    that account only: a person signing in next on the same browser is offered a new one."""
    held = session.get(_CANDIDATE)
    if isinstance(held, dict) and held.get("user") == user.id:
        secret = held.get("secret")
        if isinstance(secret, str) and len(secret) == 32:
            return secret
    secret = two_factor.new_secret()
    session[_CANDIDATE] = {"user": user.id, "secret": secret}
    return secret


def _enrol_page(user, form: CodeForm, status: int = 200, *, signing_in: bool, again: bool):
    secret = _candidate_secret(user)
    uri = two_factor.provisioning_uri(secret, user.email)
    page = render_template(
        "auth/two_factor_set_up.html",
        form=form,
        qr_code=two_factor.qr_code_svg(uri),
        secret=two_factor.secret_in_groups(secret),
        signing_in=signing_in,
        again=again,
    )
    return page, status


def _confirm(user, form: CodeForm):
    """Turn it on with the candidate secret; the recovery codes, or None with the problem on
    the form."""
    try:
        with unit_of_work():
            codes = two_factor.enrol(user, user, _candidate_secret(user), form.code.data)
    except Invalid as exc:
        add_problems(form, exc.problems)
        return None
    session.pop(_CANDIDATE, None)
    return codes


def _recovery_codes_page(codes: list[str], continue_url: str, *, new: bool = False):
    return render_template(
        "auth/two_factor_recovery_codes.html", codes=codes, continue_url=continue_url, new=new
    )


@bp.route("/account/two-factor", methods=["GET", "POST"], endpoint="two_factor")
@require(signed_in)
def two_factor_settings():
    """Set up two-factor sign-in, or (once on) see it and what can be changed."""
    user = current_user
    if two_factor.enrolled(user):
        return render_template(
            "auth/two_factor.html",
            enrolled_at=user.totp_enrolled_at,
            codes_left=two_factor.recovery_codes_left(user),
            required=two_factor.required_for(user),
        )
    return _set_up(again=False)


@bp.route("/account/two-factor/new-device", methods=["GET", "POST"])
@require(signed_in)
def two_factor_new_device():
    """Move two-factor sign-in to another phone or app (the old one stops working)."""
    if not two_factor.enrolled(current_user):
        return redirect(url_for("auth.two_factor"))
    return _set_up(again=True)


def _set_up(again: bool):
    form = CodeForm()
    if form.validate_on_submit() and (codes := _confirm(current_user, form)) is not None:
        flash("Two-factor sign-in is on.", "success")
        return _recovery_codes_page(codes, url_for("auth.two_factor"))
    status = 422 if form.is_submitted() else 200
    return _enrol_page(current_user, form, status, signing_in=False, again=again)


@bp.route("/sign-in/two-factor/set-up", methods=["GET", "POST"])
@require(anyone)
def two_factor_set_up():
    """Setting up the app while signing in, for an account whose rights require it."""
    pending, user = pending_sign_in()
    if pending is None or not pending.enrolling:
        return _no_sign_in_waiting()
    form = CodeForm()
    if form.validate_on_submit() and (codes := _confirm(user, form)) is not None:
        open_session(user, pending.next_url)
        return _recovery_codes_page(codes, pending.next_url)
    status = 422 if form.is_submitted() else 200
    return _enrol_page(user, form, status, signing_in=True, again=False)


# The code at sign-in -----------------------------------------------------------------------


def _no_sign_in_waiting():
    return render_template("auth/two_factor_timed_out.html", message=TIMED_OUT)


def _throttled(form: CodeForm, wait: int):
    until = local_time(utcnow() + timedelta(seconds=wait))
    form.code.errors = [
        f"There have been too many wrong codes. Wait {wait_in_words(wait)} (until {until}), "
        "then try again"
    ]
    response = make_response(render_template("auth/two_factor_sign_in.html", form=form))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@require(anyone)
def two_factor_sign_in():
    """The second step: a code from the app, or a recovery code, opens the session."""
    pending, user = pending_sign_in()
    if pending is None:
        return _no_sign_in_waiting()
    if pending.enrolling:
        return redirect(url_for("auth.two_factor_set_up"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/two_factor_sign_in.html", form=form), (
            422 if form.is_submitted() else 200
        )
    if wait := two_factor.wait_before_trying(user.id):
        return _throttled(form, wait)
    with unit_of_work():
        problem = two_factor.second_factor_problem(user, form.code.data)
    if problem is None:
        two_factor.record_success(user.id)
        return open_session(user, pending.next_url)
    two_factor.record_failure(user.id)
    form.code.errors = [problem]
    return render_template("auth/two_factor_sign_in.html", form=form), 422


@bp.route("/sign-in/two-factor/cancel", methods=["GET", "POST"])
@require(anyone)
def two_factor_cancel():
    """Give up this sign-in (to sign in as someone else, say)."""
    abandon_sign_in()
    flash("You did not finish signing in.", "info")
    return redirect(url_for("home.index"))


# Recovery codes and turning it off ----------------------------------------------------------


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@require(signed_in)
def two_factor_recovery_codes():
    """Replace the recovery codes (all of them, used or not) with ten new ones, shown once."""
    if not two_factor.enrolled(current_user):
        return redirect(url_for("auth.two_factor"))
    form = ProofForm()
    if form.validate_on_submit():
        try:
            with unit_of_work():
                codes = two_factor.new_recovery_codes(current_user, current_user, form.proof.data)
        except Invalid as exc:
            add_problems(form, exc.problems)
        else:
            flash("You have new recovery codes. The old ones no longer work.", "success")
            return _recovery_codes_page(codes, url_for("auth.two_factor"), new=True)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/two_factor_new_codes.html", form=form), status


@bp.route("/account/two-factor/turn-off", methods=["GET", "POST"])
@require(signed_in)
def two_factor_turn_off():
    """Turn two-factor sign-in off (refused when the account's rights require it)."""
    if not two_factor.enrolled(current_user):
        return redirect(url_for("auth.two_factor"))
    form = ProofForm()
    return form_page(
        form,
        "auth/two_factor_turn_off.html",
        lambda: two_factor.turn_off(current_user, current_user, form.proof.data),
        lambda _: ("Two-factor sign-in is off.", url_for("auth.two_factor")),
        required=two_factor.required_for(current_user),
    )
