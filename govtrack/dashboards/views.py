"""The dashboards: the programme overview, per partner and per body, reporting periods and the
printable highlight report."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from govtrack.core.dates import today
from govtrack.core.figures import PROGRAMME, Scope
from govtrack.core.permissions import require
from govtrack.core.views import form_data, form_page
from govtrack.dashboards import forms, rules, services
from govtrack.dashboards.permissions import can_keep_reporting_periods, can_read_dashboards

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


def _render(board, **context):
    chart = services.rag_chart("rag-by-area", "RAG by area", board.counts)
    return render_template(
        "dashboards/dashboard.html",
        board=board,
        charts=[chart],
        can_keep_periods=can_keep_reporting_periods(current_user),
        **context,
    )


@bp.route("")
@require(can_read_dashboards)
def overview():
    board = services.dashboard(PROGRAMME, "Programme dashboard", today())
    return _render(board)


@bp.route("/partners/<int:partner_id>")
@require(can_read_dashboards)
def partner(partner_id: int):
    record = services.load_partner(partner_id)
    if record is None:
        abort(404)
    board = services.dashboard(Scope("partner", record.id), f"Dashboard: {record.name}", today())
    return _render(board, back=url_for("registry.partner", partner_id=record.id))


@bp.route("/bodies/<int:body_id>")
@require(can_read_dashboards)
def body(body_id: int):
    record = services.load_body(body_id)
    if record is None:
        abort(404)
    board = services.dashboard(Scope("body", record.id), f"Dashboard: {record.name}", today())
    return _render(board, back=url_for("registry.body", body_id=record.id))


@bp.route("/periods")
@require(can_read_dashboards)
def periods():
    return render_template(
        "dashboards/periods.html",
        periods=services.reporting_periods(),
        can_keep_periods=can_keep_reporting_periods(current_user),
    )


@bp.route("/periods/new", methods=["GET", "POST"])
@require(can_keep_reporting_periods)
def new_period():
    form = forms.ReportingPeriodForm()
    return form_page(
        form,
        "meetings/form.html",
        lambda: services.create_period(current_user, form_data(form)),
        lambda p: (f"Reporting period {p.title} added.", url_for(".periods")),
        title="Add a reporting period",
        cancel_url=url_for(".periods"),
    )


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@require(can_keep_reporting_periods)
def edit_period(period_id: int):
    record = services.load_period(period_id)
    if record is None:
        abort(404)
    form = forms.ReportingPeriodForm(obj=record if request.method == "GET" else None)
    return form_page(
        form,
        "meetings/form.html",
        lambda: services.update_period(current_user, record, form_data(form), form.version.data),
        lambda p: (f"Reporting period {p.title} saved.", url_for(".periods")),
        title=f"Edit reporting period: {record.title}",
        cancel_url=url_for(".periods"),
    )


@bp.route("/highlight")
@require(can_read_dashboards)
def highlight():
    problems: dict[str, str] = {}
    period_id = request.args.get("period", "").strip()
    start = end = None
    title = ""
    if period_id:
        period = services.load_period(int(period_id)) if period_id.isdigit() else None
        if period is None:
            abort(404)
        start, end, title = period.starts_on, period.ends_on, period.title
    elif "from" in request.args or "to" in request.args:
        start = rules.parse_day(request.args.get("from"))
        end = rules.parse_day(request.args.get("to"))
        if start is None:
            problems["from"] = "Enter the start of the period like 01/04/2007"
        if end is None:
            problems["to"] = "Enter the end of the period like 30/06/2007"
        if start and end and end < start:
            problems["to"] = "The period must end on or after the day it starts"
        title = "" if problems else f"{start:%d/%m/%Y} to {end:%d/%m/%Y}"
    report = None
    if start and end and not problems:
        report = services.highlight(title, start, end, today())
    return render_template(
        "dashboards/highlight.html",
        report=report,
        problems=problems,
        periods=services.reporting_periods(),
        args=request.args,
        table_headers=rules.TABLE_HEADERS,
        objective_headers=rules.OBJECTIVE_HEADERS,
    ), (400 if problems else 200)
