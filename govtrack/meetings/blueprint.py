"""The meetings blueprint, built from its view modules by name: views.py (agendas, attendance,
minutes), papers.py (uploaded reports), register.py (decision register) and calendar_feed.py
(iCalendar)."""

from flask import Blueprint

from govtrack.meetings import calendar_feed, papers, register, views


def build_blueprint() -> Blueprint:
    bp = Blueprint("meetings", __name__)
    for module in (views, papers, register, calendar_feed):
        module.routes.add_to(bp)
    return bp


bp = build_blueprint()
