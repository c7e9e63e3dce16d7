"""The outbox page: the e-mails govtrack sent or is sending, newest first, with each one's
delivery (attempts, last error, next try), and "retry now" for one not yet sent."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govtrack.core import mail
from govtrack.core.models import OutboxMessage
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require
from govtrack.core.records import unit_of_work
from govtrack.core.views import found
from govtrack.db import db
from govtrack.outbox import services
from govtrack.outbox.permissions import can_retry_mail, can_view_outbox

bp = Blueprint("outbox", __name__)
# Registering the outbox sets up mail for the app (in development: shown on the console).
bp.record_once(lambda state: mail.init_app(state.app))


@bp.route("/outbox")
@require(can_view_outbox)
def messages():
    req = ListRequest.from_args(
        request.args, services.OUTBOX_SORTS, "created", filters=("recipient",)
    )
    if "order" not in request.args:
        req = ListRequest(page=req.page, sort=req.sort, descending=True, filters=req.filters)
    page = services.list_messages(req, current_app.config["PAGE_SIZE"])
    return render_template(
        "outbox/messages.html",
        page=page,
        req=req,
        smtp_host=current_app.config["SMTP_HOST"],
        worker_delivers=mail.delivery_mode(current_app) == "worker",
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@require(can_retry_mail)
def retry(message_id: int):
    message = found(db.session.get(OutboxMessage, message_id))
    with unit_of_work():
        mail.retry_now(current_user, message)
    if message.sent_at is None:
        flash(f"The e-mail to {message.recipient} will be tried again now.", "success")
    else:
        flash(f"The e-mail to {message.recipient} was already sent.", "success")
    return redirect(url_for(".messages"))
