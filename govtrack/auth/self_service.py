"""People look after their own account: accept an invitation, reset a forgotten password,
see their account, change their password, sign out everywhere. Routes on the auth blueprint."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from govtrack.auth import links, own_account, services
from govtrack.auth.data_held import account_fields, rights_in_words
from govtrack.auth.enums import LinkPurpose
from govtrack.auth.forms import ChangePasswordForm, ForgotPasswordForm, NewPasswordForm
from govtrack.auth.permissions import signed_in
from govtrack.auth.rules import wait_in_words
from govtrack.auth.signing_in import complete_sign_in
from govtrack.auth.views import bp
from govtrack.config import password_sign_in_on
from govtrack.core.dates import local_time
from govtrack.core.forms import ConfirmForm
from govtrack.core.permissions import anyone, require
from govtrack.core.records import Invalid, unit_of_work
from govtrack.core.views import add_problems
from govtrack.db import utcnow

# What a forged or mistyped link is refused with (404); every other refusal is 410 Gone.
_NOT_A_LINK = links.refusal(None, None, utcnow())

SENT = (
    "If there is a govtrack account for this address, we have sent a link to it. The link is "
    "valid for one hour and works once. If nothing arrives in a few minutes, check the address "
    "and your junk mail folder, then ask again."
)


def _passwords_used() -> bool:
    return password_sign_in_on(current_app.config)


def _refused(problem: str):
    """A link that cannot be used: say why; nothing has changed."""
    status = 404 if problem == _NOT_A_LINK else 410
    return render_template("auth/link_refused.html", problem=problem), status


def _link_page(purpose: LinkPurpose, token: str, form: NewPasswordForm, command):
    """The page behind an e-mailed link: check it, then set the password with ``command``
    and sign in afresh."""
    try:
        _, user = links.check(token, purpose)
    except links.LinkRefused as refused:
        return _refused(str(refused))
    template = (
        "auth/accept_invitation.html"
        if purpose is LinkPurpose.INVITATION
        else "auth/reset_password.html"
    )
    if not _passwords_used():
        # Passwords are switched off: an invitation offers single sign-on only, a reset
        # nothing; a posted password is refused and the link kept.
        if purpose is LinkPurpose.RESET:
            return render_template("auth/forgot_password.html", form=None), 403
        status = 403 if form.is_submitted() else 200
        return render_template(template, form=None, user=user, token=token), status
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = command(token, form.password.data, form.confirm.data)
        except links.LinkRefused as refused:
            return _refused(str(refused))
        except Invalid as exc:
            add_problems(form, exc.problems)
        else:
            method = "invitation" if purpose is LinkPurpose.INVITATION else "password"
            if current_user.is_authenticated:
                logout_user()
            return complete_sign_in(user, url_for("home.index"), method=method)
    if form.is_submitted():
        status = 422
    return render_template(template, form=form, user=user, token=token), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@require(anyone)
def accept_invitation(token: str):
    return _link_page(
        LinkPurpose.INVITATION, token, NewPasswordForm(), own_account.accept_invitation
    )


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@require(anyone)
def reset_password(token: str):
    return _link_page(LinkPurpose.RESET, token, NewPasswordForm(), own_account.reset_password)


def _too_many(form: ForgotPasswordForm, wait: int):
    until = local_time(utcnow() + timedelta(seconds=wait))
    form.form_errors.append(
        f"There have been too many requests for a password reset link. Wait "
        f"{wait_in_words(wait)} (until {until}), then try again."
    )
    response = make_response(render_template("auth/forgot_password.html", form=form))
    response.status_code = 429
    response.headers["Retry-After"] = str(wait)
    return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@require(anyone)
def forgot_password():
    form = ForgotPasswordForm()
    if not _passwords_used():
        return render_template("auth/forgot_password.html", form=None)
    if form.validate_on_submit():
        address = get_remote_address() or "unknown"
        if wait := own_account.reset_wait(form.email.data, address):
            return _too_many(form, wait)
        own_account.count_reset_request(form.email.data, address)
        # A real account's link and outbox row are written inside the set time; the mail
        # itself goes after the commit, outside the request.
        with own_account.answer_after_a_set_time(), unit_of_work():
            own_account.request_reset(form.email.data)
        return render_template("auth/reset_sent.html", message=SENT)
    status = 422 if form.is_submitted() else 200
    return render_template("auth/forgot_password.html", form=form), status


# Your account -----------------------------------------------------------------------------


@bp.route("/account")
@require(signed_in)
def account():
    return render_template(
        "auth/account.html",
        fields=account_fields(current_user),
        rights=rights_in_words(current_user),
        two_factor_page="auth.two_factor" in current_app.view_functions,
        form=None,
    )


@bp.route("/account/password", methods=["GET", "POST"])
@require(signed_in)
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            with unit_of_work():
                user = own_account.change_password(
                    current_user._get_current_object(),
                    form.current.data,
                    form.password.data,
                    form.confirm.data,
                )
        except Invalid as exc:
            add_problems(form, exc.problems)
        else:
            # Every other session has ended; this one goes on under the new session version.
            login_user(user)
            flash(
                "Your password has been changed. You have been signed out everywhere else.",
                "success",
            )
            return redirect(url_for("auth.account"))
    if form.is_submitted():
        status = 422
    return render_template("auth/change_password.html", form=form), status


@bp.route("/account/sign-out-everywhere", methods=["POST"])
@require(signed_in)
def sign_out_everywhere():
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.account"))
    with unit_of_work():
        services.sign_out_everywhere(current_user, current_user)
    logout_user()
    flash("You have been signed out everywhere, including here.", "success")
    return redirect(url_for("auth.sign_in"))
