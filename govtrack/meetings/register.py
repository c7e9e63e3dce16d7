"""The decision register page: every resolution across bodies, searchable and filterable."""

from __future__ import annotations

from flask import current_app, render_template, request
from flask_login import current_user

from govtrack.core.blueprints import BlueprintParts
from govtrack.core.dates import today
from govtrack.core.forms import record_choices
from govtrack.core.permissions import anyone, require
from govtrack.meetings import search
from govtrack.registry import services as registry
from govtrack.registry.forms import partner_choices

routes = BlueprintParts()


@routes.route("/decisions")
@require(anyone)
def decisions():
    req = search.register_request(request.args)
    page = search.decision_register(req, current_app.config["PAGE_SIZE"], current_user, today())
    return render_template(
        "meetings/decisions.html",
        page=page,
        req=req,
        problems=search.filter_problems(req),
        bodies=record_choices(registry.all_bodies(), blank="Any body"),
        partners=partner_choices(registry.all_partners(), blank="Any partner"),
    )
