"""The public home page: what govtrack is and where to go."""

from __future__ import annotations

from flask import Blueprint, render_template

from govtrack.core.permissions import anyone, require
from govtrack.home import services

bp = Blueprint("home", __name__)


@bp.route("/")
@require(anyone)
def index():
    return render_template("home/index.html", figures=services.home_figures())
