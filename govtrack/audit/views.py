"""The audit log page: every change, newest first."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from govtrack.audit import services
from govtrack.auth.permissions import can_view_audit_log
from govtrack.core.history import describe_history, subject_label
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require

bp = Blueprint("audit", __name__)


@bp.route("/audit")
@require(can_view_audit_log)
def log():
    req = ListRequest.from_args(
        request.args, services.AUDIT_SORTS, "at", filters=("subject", "actor")
    )
    if "order" not in request.args:
        req = ListRequest(page=req.page, sort=req.sort, descending=True, filters=req.filters)
    page = services.list_audit_entries(req, current_app.config["PAGE_SIZE"])
    return render_template(
        "audit/log.html",
        page=page,
        lines=describe_history(page.items),
        req=req,
        subjects=[(s, subject_label(s)) for s in services.subject_types()],
    )
