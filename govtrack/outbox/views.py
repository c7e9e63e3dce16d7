"""The outbox page: the e-mails govtrack sent, newest first, with any delivery error."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from govtrack.core import mail
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require
from govtrack.outbox import services
from govtrack.outbox.permissions import can_view_outbox

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
    )
