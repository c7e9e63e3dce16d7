"""Pipeline pages: the board, the table (now or as at a date), each service with its stage
history, the forms that record services and move them, directorates, analytics, import/export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from govtrack.core import spreadsheet
from govtrack.core.dates import long_date, read_day, today
from govtrack.core.forms import filter_options
from govtrack.core.import_views import ImportPage, confirm_page, upload_page
from govtrack.core.pagination import ListRequest, paginate_rows
from govtrack.core.permissions import require
from govtrack.core.records import Invalid, unit_of_work
from govtrack.core.versioning import EditConflict
from govtrack.core.views import CONFLICT_MESSAGE, add_problems, form_page, found
from govtrack.pipeline import commands, forms, queries, rules, sheets
from govtrack.pipeline.enums import Mechanism, MechanismStatus, Stage
from govtrack.pipeline.permissions import (
    can_edit_partner_services,
    can_edit_service,
    can_manage_directorates,
    can_read_pipeline,
    can_record_services,
)
from govtrack.registry import services as registry
from govtrack.registry.forms import partner_choices

bp = Blueprint("pipeline", __name__, url_prefix="/pipeline")

FILTERS = ("partner", "directorate", "lead", "as_at")


@bp.app_context_processor
def pipeline_helpers() -> dict:
    return {
        "can_edit_service": can_edit_service,
        "can_record_services": can_record_services,
        "can_manage_directorates": can_manage_directorates,
        "Stage": Stage,
        "Mechanism": Mechanism,
        "MechanismStatus": MechanismStatus,
    }


def _as_at(text: str | None) -> tuple[date | None, str | None]:
    """The day asked for (``as_at`` typed as every date filter takes one; empty is today), or
    what is wrong with it."""
    now = today()
    day, problem = read_day(text, "The 'as at' date", two_digit_years=True)
    if problem:
        return None, problem
    if day is None:
        return now, None
    if day > now:
        return None, "The 'as at' date must be today or in the past"
    return day, None


def _filters(req: ListRequest) -> queries.Filters:
    return queries.Filters(
        partner=req.filters.get("partner", ""),
        directorate=req.filters.get("directorate", ""),
        lead=req.filters.get("lead", ""),
    )


def _position(req: ListRequest):
    """The pipeline for the board and table; a bad 'as at' shows today, saying so."""
    day, problem = _as_at(req.filters.get("as_at"))
    if problem:
        day, problem = today(), f"{problem}: showing today"
    return queries.position(day, today(), _filters(req)), problem


# The cards each stage shows on the board; "show all" shows one stage's every card.
BOARD_CARDS = 20


def _stage(value: str | None) -> Stage | None:
    """The stage a "show all" link names (``?stage=3``), or None."""
    try:
        return Stage(int(value)) if value else None
    except ValueError:
        return None


@bp.route("")
@require(can_read_pipeline)
def board():
    req = ListRequest.from_args(request.args, ["name"], "name", FILTERS)
    pos, problem = _position(req)
    every_of = _stage(request.args.get("stage"))
    args = {name: value for name, value in request.args.items() if name != "stage"}
    return render_template(
        "pipeline/board.html",
        # The board is a grid of seven columns: it takes more of a wide screen.
        containerClasses="app-width-container--wide",
        req=req,
        pos=pos,
        problem=problem,
        columns=pos.columns(BOARD_CARDS, every_of),
        every_of=every_of,
        board_cards=BOARD_CARDS,
        show_all_hrefs={s: url_for(".board", **args, stage=s.value) for s in Stage},
        every_stage_href=url_for(".board", **args),
        move_choices=forms.stage_choices(blank="Choose a stage"),
        partner_choices=filter_options("Any partner", ((v, v) for v in pos.options["partner"])),
        directorate_choices=filter_options(
            "Any directorate", ((v, v) for v in pos.options["directorate"])
        ),
        lead_choices=filter_options("Any lead", ((v, v) for v in pos.options["lead"])),
    )


@bp.route("/table")
@require(can_read_pipeline)
def table():
    req = ListRequest.from_args(request.args, list(queries.TABLE_SORTS), "stage", FILTERS)
    if "sort" not in request.args:
        req = ListRequest(page=req.page, sort="stage", descending=True, filters=req.filters)
    pos, problem = _position(req)
    rows = queries.sort_rows(pos.shown, req.sort, req.descending)
    page = paginate_rows(rows, req.page, current_app.config["PAGE_SIZE"] * 4)
    return render_template(
        "pipeline/table.html",
        req=req,
        pos=pos,
        page=page,
        problem=problem,
        shown_enquiries=pos.shown_enquiries,
        shown_share=pos.shown_share,
        partner_choices=filter_options("Any partner", ((v, v) for v in pos.options["partner"])),
        directorate_choices=filter_options(
            "Any directorate", ((v, v) for v in pos.options["directorate"])
        ),
        lead_choices=filter_options("Any lead", ((v, v) for v in pos.options["lead"])),
    )


def _move_form(service, form: forms.MoveForm | None = None) -> forms.MoveForm:
    if form is None:
        form = forms.MoveForm(formdata=None)
        form.from_stage.data = str(int(service.stage))
        form.version.data = str(service.version)
    return form


def _service_page(service, move_form=None, status: int = 200, refusal: str | None = None):
    return (
        render_template(
            "pipeline/service.html",
            service=service,
            transitions=queries.transitions_of(service.id),
            history=queries.service_history(service) if current_user.is_authenticated else [],
            form=_move_form(service, move_form)
            if can_edit_service(current_user, service)
            else None,
            refusal=refusal,
            overdue=rules.is_overdue(service.stage, service.planned_integration_date, today()),
            mechanisms=rules.mechanism_map(service.mechanisms),
        ),
        status,
    )


@bp.route("/services/<int:service_id>")
@require(can_read_pipeline)
def service(service_id: int):
    return _service_page(found(queries.load_service(service_id)))


@bp.route("/services/<int:service_id>/move", methods=["POST"])
@require(can_record_services)
def move(service_id: int):
    record = found(queries.load_service(service_id))
    if not can_edit_service(current_user, record):
        abort(403)
    form = forms.MoveForm()
    seen = Stage.parse(form.from_stage.data)
    if seen != record.stage:
        # The page the form came from showed another stage: say so before anything else,
        # keep what the user chose, and let them resubmit knowing the current stage.
        form.validate_on_submit()
        form.form_errors.append(rules.stale_problem(record.stage, seen))
        form.from_stage.data = str(int(record.stage))
        form.version.data = str(record.version)
        return _service_page(record, form, 409)
    if not form.validate_on_submit():
        return _service_page(record, form, 422)
    try:
        version = int(form.version.data)
    except (TypeError, ValueError):
        version = None
    try:
        with unit_of_work():
            commands.move_service(
                current_user,
                record,
                seen=seen,
                version=version,
                to=form.to_stage.data,
                on=form.moved_on.data or today(),
                reason=form.reason.data or "",
                date_integrated=form.date_integrated.data,
                today=today(),
            )
    except (commands.StaleMove, EditConflict, StaleDataError):
        form.form_errors.append(CONFLICT_MESSAGE)
        return _service_page(found(queries.load_service(service_id)), form, 409)
    except Invalid as exc:
        add_problems(form, exc.problems)
        return _service_page(found(queries.load_service(service_id)), form, 422)
    flash(f"{record.name} moved to {record.stage.numbered}.", "success")
    target = form.next.data or ""
    if not target.startswith("/pipeline") or target.startswith("//"):
        target = url_for(".service", service_id=record.id)
    return redirect(target)


def _service_form_choices(form: forms.ServiceForm) -> None:
    # An officer records services of their own council only.
    partners = [p for p in registry.all_partners() if can_edit_partner_services(current_user, p.id)]
    form.partner_id.choices = partner_choices(partners, blank="Choose the partner")
    form.directorate_id.choices = [SelectChoice("", "None recorded")] + [
        SelectChoice(str(d.id), f"{d.partner.code}: {d.code}{' - ' + d.name if d.name else ''}")
        for d in queries.all_directorates()
    ]


def _service_values(form: forms.ServiceForm) -> dict:
    values = {name: form[name].data for name in queries.EDITABLE if name in form}
    values["mechanisms"] = form.mechanism_values()
    return values


def _rule_values(form: forms.ServiceForm) -> dict:
    """The submitted values the service's rules read (the mechanisms are checked by their
    fields' choices), cleaned as saving cleans them."""
    values = _service_values(form)
    del values["mechanisms"]
    return commands.clean_service_values(values)


@bp.route("/services/new", methods=["GET", "POST"])
@require(can_record_services)
def new_service():
    form = forms.ServiceForm()
    _service_form_choices(form)
    if not form.is_submitted():
        form.stage.data = Stage.MANDATE
        form.stage_since.data = today()
    form.rule_problems = lambda: commands.service_problems(
        _rule_values(form), None, form.stage.data, today(), form.stage_since.data or today()
    )
    return form_page(
        form,
        "pipeline/service_form.html",
        lambda: commands.create_service(
            current_user,
            _service_values(form),
            form.stage.data,
            form.stage_since.data or today(),
            today(),
        ),
        lambda s: (f"Service {s.name} added.", url_for(".service", service_id=s.id)),
        title="Add a service to the pipeline",
        leads=queries.lead_suggestions(),
        creating=True,
        cancel_url=url_for(".board"),
    )


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@require(can_record_services)
def edit_service(service_id: int):
    record = found(queries.load_service(service_id))
    if not can_edit_service(current_user, record):
        abort(403)
    form = forms.ServiceForm(obj=record if request.method == "GET" else None)
    _service_form_choices(form)
    del form.stage
    del form.stage_since
    if request.method == "GET":
        for mechanism, status in rules.mechanism_map(record.mechanisms).items():
            form[f"mechanism_{mechanism.value}"].data = status.value
    form.rule_problems = lambda: commands.service_problems(
        _rule_values(form), record, record.stage, today()
    )
    return form_page(
        form,
        "pipeline/service_form.html",
        lambda: commands.update_service(
            current_user, record, _service_values(form), form.version.data, today()
        ),
        lambda s: (f"Service {s.name} saved.", url_for(".service", service_id=s.id)),
        title=f"Edit {record.name}",
        leads=queries.lead_suggestions(),
        creating=False,
        service=record,
        cancel_url=url_for(".service", service_id=record.id),
    )


# Directorates -----------------------------------------------------------------------------


def _directorate_partner_choices(form: forms.DirectorateForm) -> None:
    partners = [p for p in registry.all_partners() if can_manage_directorates(current_user, p.id)]
    form.partner_id.choices = partner_choices(partners, blank="Choose the partner")


@bp.route("/directorates")
@require(can_read_pipeline)
def directorates():
    form = None
    if can_manage_directorates(current_user):
        form = forms.DirectorateForm(formdata=None)
        _directorate_partner_choices(form)
    return render_template(
        "pipeline/directorates.html", directorates=queries.all_directorates(), add_form=form
    )


@bp.route("/directorates/new", methods=["GET", "POST"])
@require(can_record_services)
def new_directorate():
    form = forms.DirectorateForm()
    _directorate_partner_choices(form)
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.create_directorate(
            current_user,
            {"partner_id": form.partner_id.data, "code": form.code.data, "name": form.name.data},
        ),
        lambda d: (f"Directorate {d.code} added.", url_for(".directorates")),
        title="Add a directorate",
        cancel_url=url_for(".directorates"),
    )


@bp.route("/directorates/<int:directorate_id>/edit", methods=["GET", "POST"])
@require(can_record_services)
def edit_directorate(directorate_id: int):
    record = found(queries.load_directorate(directorate_id))
    if not can_manage_directorates(current_user, record.partner_id):
        abort(403)
    form = forms.DirectorateForm(obj=record if request.method == "GET" else None)
    del form.partner_id
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.update_directorate(
            current_user,
            record,
            {"code": form.code.data, "name": form.name.data},
            form.version.data,
        ),
        lambda d: (f"Directorate {d.code} saved.", url_for(".directorates")),
        title=f"Edit directorate {record.partner.code}: {record.code}",
        cancel_url=url_for(".directorates"),
    )


# Analytics --------------------------------------------------------------------------------


@bp.route("/analytics")
@require(can_read_pipeline)
def analytics():
    from govtrack.pipeline.analytics import pipeline_charts

    return render_template("pipeline/analytics.html", charts=pipeline_charts(today()))


# Export and import ------------------------------------------------------------------------


@bp.route("/export")
@require(can_read_pipeline)
def export():
    format = request.args.get("format", "csv")
    if format not in ("csv", "xlsx"):
        abort(404)
    req = ListRequest.from_args(request.args, ["name"], "name", FILTERS)
    day, problem = _as_at(req.filters.get("as_at"))
    if day is None:
        # A download cannot carry a message beside it: refuse rather than export another day.
        abort(400, description=f"{problem}, or leave it empty for today. Nothing was exported.")
    pos = queries.position(day, today(), _filters(req))
    rows = queries.sort_rows(pos.shown, "stage", True)
    stem = f"service-pipeline-{pos.day.isoformat()}"
    return spreadsheet.export_rows(
        sheets.HEADERS,
        sheets.export_table(rows),
        format,
        stem,
        f"Pipeline {long_date(pos.day)}",
    )


def _import_page() -> ImportPage:
    def check(data: bytes, filename: str) -> spreadsheet.ImportPlan:
        plan, context = sheets.check(current_user, data, filename, today())
        plan.context = context
        return plan

    def write(plan: spreadsheet.ImportPlan, filename: str) -> str:
        done = sheets.write(current_user, plan, plan.context)
        return f"Imported {filename}: {done.summary()}."

    return ImportPage(
        template="pipeline/import.html",
        check=check,
        write=write,
        upload_url=url_for(".import_services"),
        confirm_url=url_for(".confirm_import"),
        done_url=url_for(".table"),
        context={
            "headers": sheets.HEADERS,
            "required": sheets.REQUIRED,
            "import_counts": sheets.counts,
        },
    )


@bp.route("/import", methods=["GET", "POST"])
@require(can_record_services)
def import_services():
    return upload_page(_import_page())


@bp.route("/import/confirm", methods=["POST"])
@require(can_record_services)
def confirm_import():
    return confirm_page(_import_page())
