"""Scrutiny pages: inquiries, the recommendations tracker, each recommendation's timeline,
responses, progress updates, reviews and sign-off, and the monitoring report with its export
and import."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from govtrack.auth.rights import rights_of
from govtrack.core import audit, spreadsheet
from govtrack.core.dates import long_date, parse_day, today
from govtrack.core.downloads import send_stored_file
from govtrack.core.forms import filter_options, record_choices
from govtrack.core.history import describe_history
from govtrack.core.import_views import ImportPage, confirm_page, upload_page
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import anyone, permitted, require
from govtrack.core.rag import RAG
from govtrack.core.views import form_data, form_page, found
from govtrack.registry import services as registry
from govtrack.registry.forms import partner_label
from govtrack.scrutiny import commands, enums, forms, permissions, progress, queries, rules, sheets
from govtrack.scrutiny import tracker as tracking
from govtrack.scrutiny.enums import EventKind
from govtrack.scrutiny.models import Inquiry
from govtrack.scrutiny.monitoring import monitoring_report
from govtrack.scrutiny.permissions import (
    can_import,
    can_manage_inquiries,
    can_review,
    may_report_progress,
    may_respond,
)

# Inquiries under /scrutiny, recommendations under /recommendations: each menu entry is
# highlighted on its own pages.
bp = Blueprint("scrutiny", __name__)
# Globals, not a context processor's values: the macros that use them are imported without context.
bp.add_app_template_global(rules.state_shown, "recommendation_state")
bp.add_app_template_global(rules.STATUS_TAG_CLASSES.get, "recommendation_status_tag_class")


@bp.app_context_processor
def scrutiny_helpers() -> dict:
    return {
        "can_manage_inquiries": can_manage_inquiries,
        "can_review": can_review,
        "can_import": can_import,
    }


def _update_label(update) -> str:
    by = f" ({update.partner.code})" if update.partner else ""
    return f"{long_date(update.on)}{by}: {update.text[:70]}"


# Inquiries ---------------------------------------------------------------------------------


@bp.route("/scrutiny")
@require(anyone)
def inquiries():
    records = queries.all_inquiries()
    ids = [i.id for i in records]
    day = today()
    return render_template(
        "scrutiny/inquiries.html",
        inquiries=records,
        rag_counts=queries.counts_by_rag(ids),
        overdue=queries.overdue_counts(ids, day),
        RAG=RAG,
    )


def _inquiry_form(form: forms.InquiryForm, body_id: int | None = None) -> None:
    bodies = [
        b for b in queries.scrutiny_bodies(also=body_id) if can_manage_inquiries(current_user, b.id)
    ]
    form.body_id.choices = record_choices(bodies, blank="Choose a scrutiny body")
    meetings = queries.meetings_of_bodies([body_id] if body_id else [])
    if body_id is None:
        meetings = []
    form.evidence_meeting_ids.choices = [
        SelectChoice(m.id, f"{long_date(m.held_on)}: {m.name}") for m in meetings
    ]
    if not meetings:
        form.evidence_meeting_ids.description = (
            "Save the inquiry first: its body's meetings can then be chosen here"
        )


@bp.route("/scrutiny/inquiries/new", methods=["GET", "POST"])
@require(can_manage_inquiries)
def new_inquiry():
    form = forms.InquiryForm()
    _inquiry_form(form)
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: commands.create_inquiry(current_user, form_data(form)),
        lambda i: ("Inquiry recorded.", url_for(".inquiry", inquiry_id=i.id)),
        title="Record an inquiry",
        cancel_url=url_for(".inquiries"),
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/edit", methods=["GET", "POST"])
@require(can_manage_inquiries)
def edit_inquiry(inquiry_id: int):
    record = permitted(found(queries.load_inquiry(inquiry_id)), can_manage_inquiries)
    form = forms.InquiryForm(obj=record)
    if request.method == "GET":
        form.evidence_meeting_ids.data = [m.id for m in record.evidence_meetings]
    _inquiry_form(form, record.body_id)
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: commands.update_inquiry(current_user, record, form_data(form), form.version.data),
        lambda i: ("Inquiry saved.", url_for(".inquiry", inquiry_id=i.id)),
        title=f"Edit inquiry: {record.title}",
        cancel_url=url_for(".inquiry", inquiry_id=record.id),
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>")
@require(anyone)
def inquiry(inquiry_id: int):
    record = found(queries.load_inquiry(inquiry_id))
    day = today()
    recs = queries.recommendations_of(record.id)
    return render_template(
        "scrutiny/inquiry.html",
        inquiry=record,
        recommendations=recs,
        responses=queries.response_lines(recs, day),
        progress=queries.addressee_states_of(recs),
        today=day,
        rules=rules,
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/report", methods=["GET", "POST"])
@require(can_manage_inquiries)
def upload_report(inquiry_id: int):
    from govtrack.meetings import paper_store

    record = permitted(found(queries.load_inquiry(inquiry_id)), can_manage_inquiries)
    form = forms.FinalReportForm()
    form.file.description = (
        f"A {commands.FINAL_REPORT_TYPES}, up to "
        f"{paper_store.format_size(paper_store.max_paper_bytes())}"
    )
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: commands.attach_final_report(current_user, record, form.file.data),
        lambda i: ("Final report uploaded.", url_for(".inquiry", inquiry_id=i.id)),
        title=f"Upload the final report: {record.title}",
        cancel_url=url_for(".inquiry", inquiry_id=record.id),
        multipart=True,
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/report/file")
@require(anyone)
def final_report(inquiry_id: int):
    """The uploaded final report, downloaded (never rendered in the site's origin)."""
    from govtrack.meetings import paper_store

    record = found(queries.load_inquiry(inquiry_id))
    if not record.final_report_sha256:
        abort(404)
    return send_stored_file(
        paper_store.stored_path(record.final_report_sha256),
        content_type=record.final_report_content_type,
        filename=record.final_report_filename,
        sha256=record.final_report_sha256,
        public=True,
        what=f"Inquiry {record.id}: final report",
    )


# Recommendations ---------------------------------------------------------------------------


def _recommendation_form(form: forms.RecommendationForm) -> None:
    form.addressee_ids.choices = [
        SelectChoice(p.id, partner_label(p)) for p in registry.all_partners("code")
    ]
    form.lead_officer_id.choices = record_choices(
        queries.all_people(), lambda p: f"{p.name} ({p.partner.code})", blank="None recorded"
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/recommendations/new", methods=["GET", "POST"])
@require(can_manage_inquiries)
def new_recommendation(inquiry_id: int):
    record = permitted(found(queries.load_inquiry(inquiry_id)), can_manage_inquiries)
    form = forms.RecommendationForm()
    _recommendation_form(form)
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: commands.add_recommendation(current_user, record, form_data(form), today()),
        lambda r: (
            f"Recommendation {r.reference} recorded.",
            url_for(".recommendation", recommendation_id=r.id),
        ),
        title=f"Add a recommendation to {record.title}",
        cancel_url=url_for(".inquiry", inquiry_id=record.id),
    )


@bp.route("/recommendations/<int:recommendation_id>/edit", methods=["GET", "POST"])
@require(can_manage_inquiries)
def edit_recommendation(recommendation_id: int):
    record = permitted(found(queries.load_recommendation(recommendation_id)), can_manage_inquiries)
    form = forms.RecommendationForm(obj=record)
    if request.method == "GET":
        form.addressee_ids.data = queries.addressee_ids(record)
    _recommendation_form(form)
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: commands.edit_recommendation(
            current_user, record, form_data(form), form.version.data, today()
        ),
        lambda r: (
            f"Recommendation {r.reference} saved.",
            url_for(".recommendation", recommendation_id=r.id),
        ),
        title=f"Edit recommendation {record.reference}",
        cancel_url=url_for(".recommendation", recommendation_id=record.id),
    )


@bp.route("/recommendations")
@require(anyone)
def tracker():
    req = ListRequest.from_args(
        request.args,
        sorts=[k for k in tracking.TRACKER_SORTS if not k.startswith("_")],
        default_sort="reference",
        filters=tracking.TRACKER_FILTERS,
    )
    day = today()
    page = tracking.tracker(req, current_app.config["PAGE_SIZE"], day)
    return render_template(
        "scrutiny/tracker.html",
        page=page,
        req=req,
        responses=queries.response_lines(page.items, day),
        progress=queries.addressee_states_of(page.items),
        choices=_tracker_choices(),
        reviews_due={r.id for r in page.items if rules.review_due(r.next_review_on, r.status, day)},
    )


def _tracker_choices() -> dict[str, list[dict[str, str]]]:
    return {
        "body": filter_options("Any body", [(b.id, b.name) for b in queries.inquiry_bodies()]),
        "partner": filter_options(
            "Any partner", [(p.id, partner_label(p)) for p in registry.all_partners("code")]
        ),
        "status": filter_options(
            "Any status",
            [("open", "Open (not signed off)")] + [(s.value, s.label) for s in enums.Status],
        ),
        "rag": filter_options("Any RAG", [(c.value, c.label) for c in RAG]),
        "overdue": filter_options(
            "Anything",
            [
                ("responses", "Responses overdue"),
                ("review", "Review due"),
                ("target", "Past target date (red)"),
            ],
        ),
    }


def _change_label(kind: EventKind, value: str) -> str:
    """A status or RAG an event changed from or to, as the pages name it ("In progress", not
    "in_progress")."""
    names = RAG if kind is EventKind.RAG_CHANGE else enums.Status
    try:
        return names(value).label
    except ValueError:
        return value.replace("_", " ")


def _event_change(event) -> str:
    """ " (Amber to Red)" after an event that changed a status or RAG; "" after others."""
    if event.kind not in rules.STATE_CHANGING_EVENTS or not event.from_value:
        return ""
    before, after = (_change_label(event.kind, v) for v in (event.from_value, event.to_value))
    return f" ({before} to {after})"


@bp.route("/recommendations/<int:recommendation_id>")
@require(anyone)
def recommendation(recommendation_id: int):
    record = found(queries.load_recommendation(recommendation_id))
    day = today()
    ids = queries.addressee_ids(record)
    entries = queries.timeline(record)
    closed = record.status in rules.CLOSED
    responses = queries.response_lines([record], day)[record.id]
    return render_template(
        "scrutiny/recommendation.html",
        rec=record,
        inquiry=record.inquiry,
        timeline=entries,
        corrected_by=queries.corrected_by(entries),
        # Whose updates the reader may correct: None for any, else their own council's.
        may_correct_for=permissions.partners_user_may_speak_for(current_user, record, ids),
        signoff_problem=None
        if closed or not can_review(current_user, record)
        else queries.signoff_problem_of(record),
        responses=responses,
        overdue_from=queries.overdue_from(responses),
        progress=queries.addressee_states(record),
        may_update=permissions.can_add_update(current_user, record, ids)
        and record.status not in rules.CLOSED,
        may_respond=permissions.can_record_response(current_user, record, ids),
        review_due=rules.review_due(record.next_review_on, record.status, day),
        changes=describe_history(audit.history_of("recommendation", [record.id]))
        if current_user.is_authenticated
        else [],
        signoff_form=forms.SignOffForm(version=record.version),
        reopen_form=forms.ReopenForm(version=record.version),
        today=day,
        closed=closed,
        event_change=_event_change,
    )


def _officer_partner() -> int | None:
    """The council a refused officer acts for, for the refusal's words (None: they act for
    none, e.g. their account is linked to no person)."""
    return min(rights_of(current_user).officer_partners, default=None)


@bp.route("/recommendations/<int:recommendation_id>/responses/new", methods=["GET", "POST"])
@require(may_respond)
def new_response(recommendation_id: int):
    record = found(queries.load_recommendation(recommendation_id))
    ids = queries.addressee_ids(record)
    if not permissions.can_record_response(current_user, record, ids):
        abort(
            403,
            description=queries.why_not_addressed(
                record, _officer_partner(), "record responses to"
            ),
        )
    allowed = permissions.partners_user_may_speak_for(current_user, record, ids)
    partners = record.addressees or registry.all_partners("code")
    form = forms.ResponseForm()
    form.addressee_ids = tuple(ids)
    form.earliest = queries.earliest_update_of(record)
    form.partner_id.choices = [
        SelectChoice(p.id, p.name) for p in partners if allowed is None or p.id in allowed
    ]
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: progress.record_response(current_user, record, form_data(form), today()),
        lambda r: (
            "Response recorded.",
            url_for(".recommendation", recommendation_id=record.id, _anchor="timeline"),
        ),
        title=f"Record a response to recommendation {record.reference}",
        intro=record.text,
        cancel_url=url_for(".recommendation", recommendation_id=record.id),
    )


@bp.route("/recommendations/<int:recommendation_id>/updates/new", methods=["GET", "POST"])
@require(may_report_progress)
def new_update(recommendation_id: int):
    record = found(queries.load_recommendation(recommendation_id))
    ids = queries.addressee_ids(record)
    if not permissions.can_add_update(current_user, record, ids):
        abort(
            403,
            description=queries.why_not_addressed(record, _officer_partner(), "add updates to"),
        )
    if request.method == "GET" and record.status in rules.CLOSED:
        # A form opened before the sign-off still posts, and is refused with its input kept.
        return _cannot_now(
            record,
            f"Recommendation {record.reference} has been signed off, so it takes no more "
            "updates. A scrutiny member can reopen it, with a reason, if there is more to do.",
        )
    allowed = permissions.partners_user_may_speak_for(current_user, record, ids)
    form = forms.UpdateForm()
    form.current_status = record.status
    form.earliest = queries.earliest_update_of(record)
    partners = record.addressees or registry.all_partners("code")
    if allowed is None:
        form.partner_id.choices = [SelectChoice("", "General progress (no one partner)")] + [
            SelectChoice(p.id, partner_label(p)) for p in partners
        ]
    else:
        form.partner_id.choices = [
            SelectChoice(p.id, partner_label(p)) for p in partners if p.id in allowed
        ]
        form.partner_id.description = "Officers report for their own council"
    updates = queries.updates_of(record.id)
    form.corrects_id.choices = [SelectChoice("", "Nothing: this is a new update")] + [
        SelectChoice(u.id, _update_label(u))
        for u in updates
        if allowed is None or u.partner_id in allowed
    ]
    if request.method == "GET":
        form.on.data = form.on.data or today()
        corrects = request.args.get("corrects", "")
        if corrects.isdigit() and any(c.value == int(corrects) for c in form.corrects_id.choices):
            form.corrects_id.data = int(corrects)
    return form_page(
        form,
        "scrutiny/update_form.html",
        lambda: progress.add_update(current_user, record, form_data(form), today()),
        lambda u: (
            "Update submitted.",
            url_for(".recommendation", recommendation_id=record.id, _anchor="timeline"),
        ),
        rec=record,
        title=f"Add an update to recommendation {record.reference}",
        cancel_url=url_for(".recommendation", recommendation_id=record.id),
    )


@bp.route("/recommendations/<int:recommendation_id>/review", methods=["GET", "POST"])
@require(can_review)
def review(recommendation_id: int):
    record = permitted(found(queries.load_recommendation(recommendation_id)), can_review)
    form = forms.ReviewForm()
    form.update_id.choices = [SelectChoice("", "The recommendation as a whole")] + [
        SelectChoice(u.id, _update_label(u)) for u in reversed(queries.updates_of(record.id))
    ]
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: progress.add_review(current_user, record, form_data(form), today()),
        lambda e: (
            f"{e.kind.label} recorded.",
            url_for(".recommendation", recommendation_id=record.id, _anchor="timeline"),
        ),
        title=f"Review recommendation {record.reference}",
        intro=record.text,
        cancel_url=url_for(".recommendation", recommendation_id=record.id),
    )


def _closing_page(record, form, act, done: str, title: str):
    """Sign-off and reopening: a reason or note, the version the reviewer saw, one service."""
    if request.method == "GET":
        form.version.data = record.version
    return form_page(
        form,
        "scrutiny/form.html",
        lambda: act(current_user, record, form.text.data or "", form.version.data, today()),
        lambda e: (done, url_for(".recommendation", recommendation_id=record.id)),
        title=title,
        intro=record.text,
        cancel_url=url_for(".recommendation", recommendation_id=record.id),
    )


def _cannot_now(record, message: str):
    """409: what the reader asked for cannot be done to the recommendation now, and why."""
    return render_template("scrutiny/cannot_now.html", rec=record, message=message), 409


@bp.route("/recommendations/<int:recommendation_id>/sign-off", methods=["GET", "POST"])
@require(can_review)
def sign_off(recommendation_id: int):
    record = permitted(found(queries.load_recommendation(recommendation_id)), can_review)
    if request.method == "GET" and (problem := queries.signoff_problem_of(record)):
        return _cannot_now(record, f"{problem}.")
    return _closing_page(
        record,
        forms.SignOffForm(),
        progress.sign_off,
        f"Recommendation {record.reference} signed off as complete.",
        f"Sign off recommendation {record.reference}",
    )


@bp.route("/recommendations/<int:recommendation_id>/reopen", methods=["GET", "POST"])
@require(can_review)
def reopen(recommendation_id: int):
    record = permitted(found(queries.load_recommendation(recommendation_id)), can_review)
    if request.method == "GET" and record.status not in rules.CLOSED:
        # As sign-off: say why rather than offer a form that can only be refused.
        return _cannot_now(
            record,
            f"Only a signed-off recommendation can be reopened. Recommendation "
            f"{record.reference} is open ({record.status.label}).",
        )
    return _closing_page(
        record,
        forms.ReopenForm(),
        progress.reopen,
        f"Recommendation {record.reference} reopened.",
        f"Reopen recommendation {record.reference}",
    )


# Monitoring report, export and import -------------------------------------------------------


REPORT_DAYS = {"as_at": "as at", "since": "changed since"}
# What an empty date means, for the export's refusal.
REPORT_DAY_DEFAULTS = {"as_at": "today", "since": "the previous monitoring date"}


def _report(record):
    """The monitoring report asked for, or (None and) what is wrong with its dates, by field:
    a report is never shown for another day than the one asked."""
    now = today()
    days, problems = {}, {}
    for name, label in REPORT_DAYS.items():
        typed = request.args.get(name) or ""
        days[name] = parse_day(typed)
        if problem := rules.report_day_problem(typed, days[name], now, label):
            problems[name] = problem
    if problems:
        return None, problems
    changed_only = request.args.get("changed") == "1"
    return monitoring_report(record, days["as_at"] or now, days["since"], changed_only), {}


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/monitoring")
@require(anyone)
def monitoring(inquiry_id: int):
    record = found(queries.load_inquiry(inquiry_id))
    report, problems = _report(record)
    page = render_template(
        "scrutiny/monitoring.html",
        inquiry=record,
        report=report,
        problems=problems,
        error_list=[{"text": m, "href": f"#{name}"} for name, m in problems.items()],
        typed={name: request.args.get(name, "") for name in REPORT_DAYS},
        changed_only=request.args.get("changed") == "1",
        export_args={k: v for k, v in request.args.items() if k in ("as_at", "since", "changed")},
    )
    return page, 400 if problems else 200


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/monitoring/export")
@require(anyone)
def export(inquiry_id: int):
    record = found(queries.load_inquiry(inquiry_id))
    fmt = request.args.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        abort(404)
    report, problems = _report(record)
    if report is None:
        # A download cannot carry a message beside it: refuse rather than export another day.
        abort(
            400,
            description=" ".join(
                f"{message}, or leave it empty for {REPORT_DAY_DEFAULTS[name]}."
                for name, message in problems.items()
            )
            + " Nothing was exported.",
        )
    return spreadsheet.export_rows(
        sheets.HEADERS,
        sheets.report_rows(report),
        fmt,
        f"recommendations-{record.id}-as-at-{report.as_at.isoformat()}",
        "Recommendations",
    )


def _import_page(record: Inquiry) -> ImportPage:
    def write(plan: spreadsheet.ImportPlan, filename: str) -> str:
        written = sheets.write(current_user, record, plan, today())
        return (
            f"Imported {filename}: {written.recommendations} recommendations added or changed, "
            f"{written.updates} updates added, {written.unchanged} rows already recorded."
        )

    return ImportPage(
        template="scrutiny/import.html",
        check=lambda data, filename: sheets.plan(record, data, filename, today()),
        write=write,
        upload_url=url_for(".import_sheet", inquiry_id=record.id),
        confirm_url=url_for(".confirm_import", inquiry_id=record.id),
        done_url=url_for(".monitoring", inquiry_id=record.id),
        context={
            "inquiry": record,
            "columns": (*sheets.HEADERS[:2], "Update date", "Update by", "Assessment"),
        },
    )


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/import", methods=["GET", "POST"])
@require(can_import)
def import_sheet(inquiry_id: int):
    return upload_page(_import_page(found(queries.load_inquiry(inquiry_id))))


@bp.route("/scrutiny/inquiries/<int:inquiry_id>/import/confirm", methods=["POST"])
@require(can_import)
def confirm_import(inquiry_id: int):
    return confirm_page(_import_page(found(queries.load_inquiry(inquiry_id))))
