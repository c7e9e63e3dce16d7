"""The dashboards: the programme overview, per partner and per body, reporting periods and the
printable highlight report."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from govtrack.core.dates import DATE_EXAMPLE, long_date, read_day, today
from govtrack.core.figures import PROGRAMME, Scope
from govtrack.core.forms import record_choices
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require
from govtrack.core.views import form_data, form_page, found
from govtrack.dashboards import forms, rules, services
from govtrack.dashboards.permissions import can_keep_reporting_periods, can_read_dashboards

bp = Blueprint("dashboards", __name__, url_prefix="/dashboard")


def _render(board, **context):
    charts = [services.rag_chart("rag-by-area", "RAG by area", board.counts)]
    over_time = services.rag_over_time_chart(board.scope, board.today)
    if over_time is not None:
        charts.append(over_time)
    if board.scope.kind == "programme":
        observed = services.observed_chart(board.today)
        if observed is not None:
            charts.append(observed)
    return render_template(
        "dashboards/dashboard.html",
        board=board,
        charts=charts,
        can_keep_periods=can_keep_reporting_periods(current_user),
        **context,
    )


@bp.route("")
@require(can_read_dashboards)
def overview():
    board = services.dashboard(PROGRAMME, "Programme dashboard", today())
    partners, bodies = services.partners_and_bodies()
    return _render(board, partners=partners, bodies=bodies)


def _registry_dashboard(kind: str, record, back: str):
    """A partner's or a body's dashboard (``kind``), with a link back to its registry page."""
    board = services.dashboard(Scope(kind, record.id), f"Dashboard: {record.name}", today())
    return _render(board, back=back)


@bp.route("/partners/<int:partner_id>")
@require(can_read_dashboards)
def partner(partner_id: int):
    record = found(services.load_partner(partner_id))
    return _registry_dashboard("partner", record, url_for("registry.partner", partner_id=record.id))


@bp.route("/bodies/<int:body_id>")
@require(can_read_dashboards)
def body(body_id: int):
    record = found(services.load_body(body_id))
    return _registry_dashboard("body", record, url_for("registry.body", body_id=record.id))


@bp.route("/objectives/<int:objective_id>")
@require(can_read_dashboards)
def objective(objective_id: int):
    record = found(services.load_objective(objective_id))
    board = services.dashboard(
        services.objective_scope(record.id),
        f"Dashboard: objective {record.number}. {record.title}",
        today(),
    )
    return _render(
        board,
        back=url_for("programme.objective", objective_id=record.id),
        timeline_args={"objective": record.id},
    )


@bp.route("/timeline")
@require(can_read_dashboards)
def timeline():
    req = ListRequest.from_args(request.args, ("baseline",), "baseline", filters=("objective",))
    objective_id = req.filters.get("objective", "")
    scope = PROGRAMME
    heading = "Milestone timeline"
    if objective_id:
        record = found(services.load_objective(oid) if (oid := record_id(objective_id)) else None)
        scope = services.objective_scope(record.id)
        heading = f"Milestone timeline: objective {record.number}. {record.title}"
    result = services.timeline(scope, req.page, current_app.config["PAGE_SIZE"])
    return render_template(
        "dashboards/timeline.html",
        heading=heading,
        timeline=result,
        charts=[result.chart] if result and result.chart else [],
        req=req,
    )


@bp.route("/periods")
@require(can_read_dashboards)
def periods():
    return render_template(
        "dashboards/periods.html",
        periods=services.reporting_periods(),
        can_keep_periods=can_keep_reporting_periods(current_user),
    )


def _programme_choices(form) -> None:
    form.programme_id.choices = record_choices(
        services.programmes(), blank="The partnership as a whole"
    )


@bp.route("/periods/new", methods=["GET", "POST"])
@require(can_keep_reporting_periods)
def new_period():
    form = forms.ReportingPeriodForm()
    _programme_choices(form)
    return form_page(
        form,
        "form.html",
        lambda: services.create_period(current_user, form_data(form)),
        lambda p: (f"Reporting period {p.title} added.", url_for(".periods")),
        title="Add a reporting period",
        cancel_url=url_for(".periods"),
    )


@bp.route("/periods/<int:period_id>/edit", methods=["GET", "POST"])
@require(can_keep_reporting_periods)
def edit_period(period_id: int):
    record = found(services.load_period(period_id))
    form = forms.ReportingPeriodForm(obj=record if request.method == "GET" else None)
    _programme_choices(form)
    return form_page(
        form,
        "form.html",
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
        period = found(services.load_period(pid) if (pid := record_id(period_id)) else None)
        start, end, title = period.starts_on, period.ends_on, period.title
    elif "from" in request.args or "to" in request.args:
        start, problems["from"] = read_day(request.args.get("from"), "The start of the period")
        end, problems["to"] = read_day(request.args.get("to"), "The end of the period")
        if not request.args.get("from", "").strip():
            problems["from"] = f"Enter the start of the period, like {DATE_EXAMPLE}"
        if not request.args.get("to", "").strip():
            problems["to"] = f"Enter the end of the period, like {DATE_EXAMPLE}"
        problems = {name: problem for name, problem in problems.items() if problem}
        if start and end and end < start:
            problems["to"] = "The period must end on or after the day it starts"
        title = "" if problems else f"{long_date(start)} to {long_date(end)}"
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
