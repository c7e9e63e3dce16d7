"""Personal data pages: what govtrack holds about you (and its download), an administrator's
export and erasure of an account's personal data, and the privacy notice. Routes on the auth
blueprint; the accounts pages link to the administrator's two."""

from __future__ import annotations

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from govtrack.auth import services
from govtrack.auth.data_held import PAGE_ROWS, held_about
from govtrack.auth.erasure import erase_personal_data, erasure_refusal
from govtrack.auth.models import User
from govtrack.auth.permissions import is_administrator, signed_in
from govtrack.auth.views import bp
from govtrack.core.dates import today
from govtrack.core.forms import ConfirmForm
from govtrack.core.permissions import anyone, require
from govtrack.core.records import unit_of_work
from govtrack.core.views import found
from govtrack.db import db


def _download(user: User) -> Response:
    filename = f"govtrack-personal-data-{user.id}-{today().isoformat()}.json"
    return Response(
        held_about(user, full=True).as_json(),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/account/data")
@require(signed_in)
def personal_data():
    return render_template(
        "auth/personal_data.html", held=held_about(current_user), page_rows=PAGE_ROWS
    )


@bp.route("/account/data.json")
@require(signed_in)
def personal_data_download():
    return _download(current_user)


@bp.route("/accounts/<int:user_id>/personal-data.json")
@require(is_administrator)
def export_personal_data(user_id: int):
    return _download(found(db.session.get(User, user_id)))


@bp.route("/accounts/<int:user_id>/erase", methods=["GET", "POST"])
@require(is_administrator)
def erase_account(user_id: int):
    user = found(db.session.get(User, user_id))
    refusal = erasure_refusal(current_user.id, user.id, user.erased_at is not None)
    form = ConfirmForm()
    status = 200
    if refusal is None and form.validate_on_submit():
        try:
            with unit_of_work():
                erase_personal_data(current_user, user)
        except services.AccountError as exc:
            refusal = str(exc)
        else:
            flash(f"The personal data of account {user.id} has been erased.", "success")
            if "accounts.account" in current_app.view_functions:
                return redirect(url_for("accounts.account", user_id=user.id))
            return redirect(url_for("auth.erase_account", user_id=user.id))
    if refusal is not None and form.is_submitted():
        status = 409
    return render_template(
        "auth/erase_account.html", account=user, refusal=refusal, confirm=form
    ), status


@bp.route("/privacy")
@require(anyone)
def privacy():
    return render_template("privacy.html")
