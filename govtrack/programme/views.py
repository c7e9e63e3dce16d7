"""Programme pages: the objectives with their roll-ups, each objective with what serves it,
the milestones (list, page, history) and the forms that record, slip, re-baseline, complete
and override them; objectives, work-plan actions and their links."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from govtrack.core import rag
from govtrack.core.capabilities import record_panels
from govtrack.core.dates import parse_day, today
from govtrack.core.forms import ConfirmForm, enum_choices, filter_options, record_choices
from govtrack.core.ids import record_id
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require
from govtrack.core.records import unit_of_work
from govtrack.core.versioning import EditConflict
from govtrack.core.views import CONFLICT_MESSAGE, form_page, found
from govtrack.programme import commands, forms, queries, rules
from govtrack.programme import milestones as milestone_writes
from govtrack.programme.enums import ActionStatus, MilestoneStatus
from govtrack.programme.permissions import (
    can_edit_milestone,
    can_edit_partner_milestones,
    can_manage_programme,
    can_override_rag,
    can_read_programme,
    can_record_milestones,
)
from govtrack.registry import figures as registry
from govtrack.registry.forms import partner_choices, partner_label

bp = Blueprint("programme", __name__, url_prefix="/programme")
# A global, not a context processor's value: the macros that use it are imported without context.
bp.add_app_template_global(rules.MILESTONE_STATUS_TAG_CLASSES.get, "milestone_status_tag_class")


@bp.app_context_processor
def programme_helpers() -> dict:
    return {
        "can_edit_milestone": can_edit_milestone,
        "can_manage_programme": can_manage_programme,
        "can_record_milestones": can_record_milestones,
        "can_override_rag": can_override_rag,
    }


def _programme():
    return found(queries.current_programme())


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


# Objectives ---------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@require(can_manage_programme)
def settings():
    programme = _programme()
    form = forms.ProgrammeForm(obj=programme if request.method == "GET" else None)
    form.reporting.choices = [SelectChoice(s.value, s.label) for s in rag.Scale]
    if request.method == "GET":
        form.reporting.data = programme.reporting.value
    return form_page(
        form,
        "form.html",
        lambda: commands.update_programme(
            current_user, programme, form.data, form.version.data, today()
        ),
        lambda p: (
            "Programme settings saved; every open milestone's RAG re-derived.",
            url_for(".index"),
        ),
        title="Programme settings",
        cancel_url=url_for(".index"),
    )


@bp.route("")
@require(can_read_programme)
def index():
    programme = queries.current_programme()
    day = today()
    summaries = queries.objective_summaries(programme, day) if programme else []
    return render_template(
        "programme/index.html",
        programme=programme,
        summaries=summaries,
        rule=rag.ROLL_UP_RULE,
        fold_rule=rag.FOLD_RULE,
        today=day,
    )


@bp.route("/objectives/<int:objective_id>")
@require(can_read_programme)
def objective(objective_id: int):
    record = found(queries.load_objective(objective_id))
    day = today()
    page = queries.objective_page(record, _page_number(), current_app.config["PAGE_SIZE"], day)
    return render_template(
        "programme/objective.html",
        objective=record,
        page=page,
        rule=rag.ROLL_UP_RULE,
        milestone_rule=record.programme.thresholds.rule(),
        panels=record_panels("objective", record),
        today=day,
    )


@bp.route("/objectives/new", methods=["GET", "POST"])
@require(can_manage_programme)
def new_objective():
    programme = _programme()
    form = forms.ObjectiveForm()
    return form_page(
        form,
        "form.html",
        lambda: commands.create_objective(current_user, programme, form.data),
        lambda o: (f"Objective {o.number} added.", url_for(".objective", objective_id=o.id)),
        title="Add an objective",
        cancel_url=url_for(".index"),
    )


@bp.route("/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
@require(can_manage_programme)
def edit_objective(objective_id: int):
    record = found(queries.load_objective(objective_id))
    form = forms.ObjectiveForm(obj=record if request.method == "GET" else None)
    return form_page(
        form,
        "form.html",
        lambda: commands.update_objective(current_user, record, form.data, form.version.data),
        lambda o: (f"Objective {o.number} saved.", url_for(".objective", objective_id=o.id)),
        title=f"Edit objective {record.number}",
        cancel_url=url_for(".objective", objective_id=record.id),
    )


@bp.route("/objectives/<int:objective_id>/links", methods=["GET", "POST"])
@require(can_manage_programme)
def objective_links(objective_id: int):
    record = found(queries.load_objective(objective_id))
    form = forms.LinksForm()
    form.service_ids.choices = [
        SelectChoice(str(id_), label) for id_, label in queries.linkable_services()
    ]
    form.recommendation_ids.choices = [
        SelectChoice(str(id_), label) for id_, label in queries.linkable_recommendations()
    ]
    if request.method == "GET":
        form.service_ids.data, form.recommendation_ids.data = queries.linked_ids(record.id)
        form.version.data = record.version
    return form_page(
        form,
        "form.html",
        lambda: commands.set_links(
            current_user,
            record,
            form.service_ids.data or [],
            form.recommendation_ids.data or [],
            form.version.data,
        ),
        lambda o: (
            "What serves the objective was saved.",
            url_for(".objective", objective_id=o.id),
        ),
        title=f"Services and recommendations serving objective {record.number}",
        cancel_url=url_for(".objective", objective_id=record.id),
    )


def _action_choices(form: forms.ActionForm) -> None:
    form.owner_partner_id.choices = partner_choices(registry.partners("code"), blank="Not stated")
    form.status.choices = enum_choices(ActionStatus)


@bp.route("/objectives/<int:objective_id>/actions/new", methods=["GET", "POST"])
@require(can_manage_programme)
def new_action(objective_id: int):
    record = found(queries.load_objective(objective_id))
    form = forms.ActionForm()
    _action_choices(form)
    return form_page(
        form,
        "form.html",
        lambda: commands.create_action(current_user, record, form.data, today()),
        lambda a: ("Work-plan action added.", url_for(".objective", objective_id=record.id)),
        title=f"Add a work-plan action to objective {record.number}",
        cancel_url=url_for(".objective", objective_id=record.id),
    )


@bp.route("/work-plan-actions/<int:plan_action_id>/edit", methods=["GET", "POST"])
@require(can_manage_programme)
def edit_action(plan_action_id: int):
    record = found(queries.load_action(plan_action_id))
    form = forms.ActionForm(obj=record if request.method == "GET" else None)
    _action_choices(form)
    if request.method == "GET":
        form.status.data = record.status.value
    return form_page(
        form,
        "form.html",
        lambda: commands.update_action(current_user, record, form.data, form.version.data, today()),
        lambda a: ("Work-plan action saved.", url_for(".objective", objective_id=a.objective_id)),
        title="Edit a work-plan action",
        cancel_url=url_for(".objective", objective_id=record.objective_id),
    )


# Milestones ---------------------------------------------------------------------------------


@bp.route("/milestones")
@require(can_read_programme)
def milestones():
    programme = queries.current_programme()
    req = ListRequest.from_args(
        request.args,
        sorts=[k for k in queries.MILESTONE_SORTS if not k.startswith("_")],
        default_sort="due",
        filters=queries.MILESTONE_FILTERS,
    )
    day = today()
    page = queries.milestone_list(req, current_app.config["PAGE_SIZE"], day)
    objectives = queries.all_objectives(programme.id) if programme else []
    choices = {
        "objective": filter_options(
            "Any objective",
            [(o.id, f"{o.number}. {o.title[:60]}") for o in objectives] + [("none", "None")],
        ),
        "partner": filter_options(
            "Any partner", [(p.id, partner_label(p)) for p in registry.partners("code")]
        ),
        "rag": filter_options(
            "Any RAG",
            [(c.value, c.label) for c in rag.RAG] + [(queries.RED_OR_AMBER, "Red or amber")],
        ),
        "status": filter_options("Any status", [(s.value, s.label) for s in MilestoneStatus]),
        "overdue": filter_options(
            "Anything",
            [
                ("yes", "Overdue only"),
                ("next30", "Due in the next 30 days"),
                (queries.FORECAST_PASSED, "Forecast date passed (needs updating)"),
            ],
        ),
    }
    return render_template(
        "programme/milestones.html",
        page=page,
        owner_codes=queries.owner_codes(page.items),
        req=req,
        choices=choices,
        programme=programme,
        today=day,
        since=parse_day(req.filters.get("since")),
    )


@bp.route("/milestones/<int:milestone_id>")
@require(can_read_programme)
def milestone(milestone_id: int):
    record = found(queries.load_milestone(milestone_id))
    return render_template(
        "programme/milestone.html",
        milestone=record,
        owners=queries.owners_of(record),
        predecessors=queries.predecessors_of(record.id),
        successors=queries.successors_of(record.id),
        baselines=queries.baselines_of(record.id),
        changes=queries.changes_of(record.id),
        rag_changes=queries.rag_changes_of(record.id),
        rule=record.programme.thresholds.rule(),
        end_form=ConfirmForm(),
        today=today(),
    )


def _milestone_choices(
    form: forms.MilestoneForm, programme, exclude: int | None = None, objective: int | None = None
) -> bool:
    """Fill the form's choices; says whether the user is linked to no partner whose milestones
    they may keep (an officer whose account names no person of a council), so cannot record."""
    form.objective_id.choices = record_choices(
        queries.all_objectives(programme.id),
        lambda o: f"{o.number}. {o.title[:80]}",
        blank="None (a workstream or the programme as a whole)",
    )
    partners = [
        p for p in registry.partners("code") if can_edit_partner_milestones(current_user, p.id)
    ]
    form.owner_partner_id.choices = partner_choices(
        partners,
        blank="Not one partner" if can_manage_programme(current_user) else "Choose your council",
    )
    form.owner_person_id.choices = record_choices(
        queries.people_of_partners(),
        lambda p: f"{p.name} ({p.partner_code})",
        blank="No one named",
    )
    form.status.choices = [
        SelectChoice(s.value, s.label) for s in milestone_writes.EDITABLE_STATUSES
    ]
    # Predecessors are offered from the objective chosen (on the form, else the record's).
    objective_id = form.objective_id.data if form.is_submitted() else objective
    keep = [i for i in map(record_id, form.predecessor_ids.data or []) if i]
    form.predecessor_ids.choices = [
        SelectChoice(str(m.id), m.title)
        for m in queries.milestone_choices(programme.id, objective_id, exclude, keep)
    ]
    form.predecessor_ids.description = (
        "Milestones of the same objective (or, with none, of the programme as a whole). "
        "To choose others, change the objective and save first."
    )
    return not partners and not can_manage_programme(current_user)


@bp.route("/milestones/new", methods=["GET", "POST"])
@require(can_record_milestones)
def new_milestone():
    programme = _programme()
    form = forms.MilestoneForm()
    objective = record_id(request.args.get("objective"))
    if request.method == "GET" and objective:
        form.objective_id.data = objective
    unlinked = _milestone_choices(form, programme, objective=objective)
    return form_page(
        form,
        "programme/milestone_form.html",
        lambda: milestone_writes.create_milestone(current_user, programme, form.data, today()),
        lambda m: (f"Milestone “{m.title}” recorded.", url_for(".milestone", milestone_id=m.id)),
        title="Add a milestone",
        creating=True,
        unlinked=unlinked,
        cancel_url=url_for(".milestones"),
    )


def _editable_or_403(milestone_id: int, predicate=can_edit_milestone):
    record = found(queries.load_milestone(milestone_id))
    if not predicate(current_user, record):
        abort(403)
    return record


@bp.route("/milestones/<int:milestone_id>/edit", methods=["GET", "POST"])
@require(can_record_milestones)
def edit_milestone(milestone_id: int):
    record = _editable_or_403(milestone_id)
    form = forms.MilestoneForm(obj=record if request.method == "GET" else None)
    if request.method == "GET":
        form.predecessor_ids.data = [p.id for p in queries.predecessors_of(record.id)]
    unlinked = _milestone_choices(
        form, record.programme, exclude=record.id, objective=record.objective_id
    )
    del form.baseline_date
    del form.forecast_date
    del form.status
    return form_page(
        form,
        "programme/milestone_form.html",
        lambda: milestone_writes.update_milestone(
            current_user, record, form.data, form.version.data, today()
        ),
        lambda m: (f"Milestone “{m.title}” saved.", url_for(".milestone", milestone_id=m.id)),
        title=f"Edit {record.title}",
        creating=False,
        unlinked=unlinked,
        cancel_url=url_for(".milestone", milestone_id=record.id),
    )


def _action_page(record, form, template_title: str, save, message: str, **context: Any):
    return form_page(
        form,
        "programme/milestone_action.html",
        save,
        lambda m: (message, url_for(".milestone", milestone_id=m.id)),
        title=template_title,
        milestone=record,
        cancel_url=url_for(".milestone", milestone_id=record.id),
        **context,
    )


@bp.route("/milestones/<int:milestone_id>/forecast", methods=["GET", "POST"])
@require(can_record_milestones)
def forecast(milestone_id: int):
    record = _editable_or_403(milestone_id)
    form = forms.ForecastForm()
    form.status.choices = [
        SelectChoice(s.value, s.label) for s in milestone_writes.EDITABLE_STATUSES
    ]
    if request.method == "GET":
        form.version.data = record.version
        form.forecast_date.data = record.forecast_date
        if record.status in milestone_writes.EDITABLE_STATUSES:
            form.status.data = record.status.value
    return _action_page(
        record,
        form,
        f"Slip or update the forecast: {record.title}",
        lambda: milestone_writes.update_forecast(
            current_user, record, form.data, form.version.data, today()
        ),
        "Forecast saved.",
        rule=record.programme.thresholds.rule(),
    )


@bp.route("/milestones/<int:milestone_id>/rebaseline", methods=["GET", "POST"])
@require(can_record_milestones)
def rebaseline(milestone_id: int):
    record = _editable_or_403(milestone_id)
    form = forms.RebaselineForm()
    if request.method == "GET":
        form.version.data = record.version
    return _action_page(
        record,
        form,
        f"Re-baseline: {record.title}",
        lambda: milestone_writes.rebaseline(
            current_user, record, form.data, form.version.data, today()
        ),
        "Re-baselined. The old baseline is kept in its baseline history.",
    )


@bp.route("/milestones/<int:milestone_id>/complete", methods=["GET", "POST"])
@require(can_record_milestones)
def complete(milestone_id: int):
    record = _editable_or_403(milestone_id)
    form = forms.CompletionForm()
    if request.method == "GET":
        form.version.data = record.version
    return _action_page(
        record,
        form,
        f"Record completion: {record.title}",
        lambda: milestone_writes.record_completion(
            current_user, record, form.data, form.version.data, today()
        ),
        "Completion recorded.",
    )


@bp.route("/milestones/<int:milestone_id>/override", methods=["GET", "POST"])
@require(can_record_milestones)
def override(milestone_id: int):
    record = _editable_or_403(milestone_id, can_override_rag)
    form = forms.OverrideForm()
    form.confidence.choices = [
        SelectChoice(c.value, c.label, render_kw=None)
        for c in rag.choices_for(record.programme.reporting)
    ]
    if request.method == "GET":
        form.version.data = record.version
    return _action_page(
        record,
        form,
        f"Override the RAG: {record.title}",
        lambda: milestone_writes.override_rag(
            current_user, record, form.data, form.version.data, today()
        ),
        "RAG overridden.",
        definitions=rag.DCA_DEFINITIONS,
        fold_rule=rag.FOLD_RULE,
        scale=record.programme.reporting,
    )


@bp.route("/milestones/<int:milestone_id>/override/end", methods=["POST"])
@require(can_record_milestones)
def end_override(milestone_id: int):
    record = _editable_or_403(milestone_id, can_override_rag)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            milestone_writes.end_override(
                current_user, record, request.form.get("version", type=int), today()
            )
    except EditConflict:
        flash(CONFLICT_MESSAGE, "error")
        return redirect(url_for(".milestone", milestone_id=milestone_id))
    flash("Override ended: the derived RAG shows again.", "success")
    return redirect(url_for(".milestone", milestone_id=milestone_id))
