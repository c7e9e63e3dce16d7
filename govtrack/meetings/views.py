"""Meeting pages: the calendar, a meeting's agenda, attendance and minutes, and the clerk's
forms to build the agenda, publish it, record attendance, write and confirm the minutes."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from govtrack.core.blueprints import BlueprintParts
from govtrack.core.capabilities import record_panels
from govtrack.core.dates import long_date, today
from govtrack.core.forms import ConfirmForm, record_choices
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import anyone, permitted, require
from govtrack.core.records import Invalid, Locked, unit_of_work
from govtrack.core.versioning import EditConflict
from govtrack.core.views import CONFLICT_MESSAGE, form_data, form_page, found, locked_page
from govtrack.db import db, utcnow
from govtrack.meetings import commands, forms, queries, rules
from govtrack.meetings.enums import MinutesStatus
from govtrack.meetings.models import Action, AgendaItem, Guest, Meeting
from govtrack.meetings.permissions import can_manage_meetings, can_view_actions
from govtrack.registry import services as registry
from govtrack.registry.enums import MembershipRole
from govtrack.registry.forms import partner_choices

routes = BlueprintParts()

# Helpers ----------------------------------------------------------------------------------


def _meeting_or_404(meeting_id: int) -> Meeting:
    meeting = queries.load_meeting(meeting_id)
    if meeting is None or not queries.meeting_visible(meeting, current_user):
        abort(404)
    return meeting


def _managed_meeting(meeting_id: int) -> Meeting:
    """The meeting, for a clerk of its body (403 for other clerks)."""
    return permitted(_meeting_or_404(meeting_id), can_manage_meetings)


def _meeting_url(meeting_id: int, anchor: str | None = None) -> str:
    return url_for(".meeting", meeting_id=meeting_id, _anchor=anchor)


def _proceedings_open(meeting: Meeting) -> bool:
    return rules.proceedings_open(meeting.held_on, meeting.minutes_status, today())


def _people_choices(blank: str):
    return record_choices(
        registry.all_people(), lambda p: f"{p.name}, {p.title} ({p.partner.code})", blank=blank
    )


def _exempt_choices(meeting: Meeting) -> list[SelectChoice]:
    jurisdiction = meeting.body.jurisdiction
    choices = [SelectChoice("", "Not exempt: open to the public")]
    for number, text in rules.EXEMPT_PARAGRAPHS[jurisdiction].items():
        choices.append(SelectChoice(str(number), f"Paragraph {number}: {text}"))
    return choices


@routes.app_context_processor
def meeting_helpers() -> dict:
    return {
        "can_manage_meetings": can_manage_meetings,
        "exempt_label": rules.exempt_paragraph_label,
        "exempt_reason": rules.exempt_paragraph_reason,
        "not_for_publication": rules.not_for_publication,
        "item_heading": rules.item_heading,
        "agenda_published": rules.agenda_published,
        "attendance_choices": rules.attendance_choices,
        "stands_in": rules.stands_in,
        "action_status": lambda action: rules.action_status(action.due_on, action.done_on, today()),
        "action_tag_class": rules.ACTION_STATUS_TAG_CLASSES.get,
    }


# The calendar and a meeting --------------------------------------------------------------


@routes.route("/meetings")
@require(anyone)
def calendar():
    req = ListRequest.from_args(
        request.args, queries.CALENDAR_SORTS, "date", filters=("body", "when", "year")
    )
    if "order" not in request.args and req.filters.get("when") != "upcoming":
        req = ListRequest(page=req.page, sort=req.sort, descending=True, filters=req.filters)
    page = queries.list_meetings(req, current_app.config["PAGE_SIZE"], current_user, today())
    return render_template(
        "meetings/calendar.html",
        page=page,
        req=req,
        bodies=record_choices(registry.all_bodies(), blank="Any body"),
        today=today(),
    )


@routes.route("/meetings/<int:meeting_id>")
@require(anyone)
def meeting(meeting_id: int):
    record = queries.meeting_record(_meeting_or_404(meeting_id), current_user, today())
    return render_template(
        "meetings/meeting.html",
        record=record,
        meeting=record.meeting,
        proceedings_open=_proceedings_open(record.meeting),
        editable=rules.agenda_is_editable(record.meeting.held_on, today()),
        notice=rules.notice(today(), record.meeting.held_on, record.meeting.body.jurisdiction),
        confirmable=queries.earlier_meetings_to_confirm(record.meeting)
        if can_manage_meetings(current_user, record.meeting)
        else [],
        publish_form=forms.MinutesStatusForm(obj=record.meeting),
        minutes=rules.minutes_state(record.meeting.minutes_status),
        panels=record_panels("meeting", record.meeting),
    )


@routes.route("/meetings/<int:meeting_id>/minutes")
@require(anyone)
def minutes(meeting_id: int):
    """The minutes in the familiar council layout, for reading and printing."""
    record = queries.meeting_record(_meeting_or_404(meeting_id), current_user, today())
    if not record.minutes_public:
        abort(404)
    return render_template(
        "meetings/minutes.html",
        record=record,
        meeting=record.meeting,
        minutes=rules.minutes_state(record.meeting.minutes_status),
        proceedings_open=_proceedings_open(record.meeting),
        panels=record_panels("minutes", record.meeting),
    )


@routes.route("/meetings/<int:meeting_id>/agenda")
@require(anyone)
def agenda(meeting_id: int):
    """The agenda as councils issue it, for printing: a front sheet, the items, supplementary
    items, and Part II. Those who may see the body's exempt items get the clerk's copy (Part II
    in full, marked not for publication) unless they ask for the public copy."""
    record = queries.meeting_record(_meeting_or_404(meeting_id), current_user, today())
    printed = queries.printed_agenda(record, public=request.args.get("copy") == "public")
    return render_template(
        "meetings/agenda.html", printed=printed, record=record, meeting=record.meeting
    )


# Building the agenda ----------------------------------------------------------------------


def _meeting_form(record: Meeting | None = None) -> forms.MeetingForm:
    form = forms.MeetingForm(obj=record)
    bodies = [b for b in registry.all_bodies() if can_manage_meetings(current_user, b.id)]
    form.body_id.choices = record_choices(bodies, blank="Choose a body")
    if record is not None:
        form.body_id.data = str(record.body_id)
    elif not form.is_submitted() and request.args.get("body"):
        form.body_id.data = request.args["body"]
    return form


@routes.route("/meetings/new", methods=["GET", "POST"])
@require(can_manage_meetings)
def new_meeting():
    form = _meeting_form()
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.create_meeting(current_user, form_data(form)),
        lambda m: ("Meeting added. Now build its agenda.", _meeting_url(m.id)),
        title="Add a meeting",
        cancel_url=url_for(".calendar"),
    )


@routes.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@require(can_manage_meetings)
def edit_meeting(meeting_id: int):
    record = _managed_meeting(meeting_id)
    if not rules.agenda_is_editable(record.held_on, today()):
        return locked_page(queries.agenda_locked(), _meeting_url(record.id))
    form = _meeting_form(record)
    form.body_id.render_kw = {"disabled": True}
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.update_meeting(
            current_user,
            record,
            form_data(form) | {"body_id": record.body_id},
            form.version.data,
            today(),
        ),
        lambda m: ("Meeting saved.", _meeting_url(m.id)),
        title=f"Edit the meeting of {long_date(record.held_on)}",
        cancel_url=_meeting_url(record.id),
    )


def _item_form(meeting: Meeting, item: AgendaItem | None = None) -> forms.ItemForm:
    form = forms.ItemForm(obj=item)
    form.lead_officer_id.choices = _people_choices(blank="No lead officer")
    form.exempt_paragraph.choices = _exempt_choices(meeting)
    # Only a supplementary item (added once the agenda is published) has a reason for urgency.
    late = item.late if item is not None else queries.agenda_published(meeting)
    if not late:
        del form.urgency_reason
    if item is not None and not form.is_submitted():
        form.lead_officer_id.data = str(item.lead_officer_id or "")
        form.exempt_paragraph.data = str(item.exempt_paragraph or "")
    return form


@routes.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@require(can_manage_meetings)
def new_item(meeting_id: int):
    record = _managed_meeting(meeting_id)
    if not rules.agenda_is_editable(record.held_on, today()):
        return locked_page(queries.agenda_locked(), _meeting_url(record.id))
    form = _item_form(record)
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_item(current_user, record, form_data(form), today()),
        lambda i: (
            f"Supplementary item {i.number} added." if i.late else f"Item {i.number} added.",
            _meeting_url(record.id, f"item-{i.id}"),
        ),
        title=(
            f"Add a supplementary item: {record.body.name}, {long_date(record.held_on)}"
            if queries.agenda_published(record)
            else f"Add an agenda item: {record.body.name}, {long_date(record.held_on)}"
        ),
        cancel_url=_meeting_url(record.id),
    )


@routes.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
@require(can_manage_meetings)
def edit_item(item_id: int):
    item = permitted(found(queries.load_item(item_id)), can_manage_meetings)
    if not rules.agenda_is_editable(item.meeting.held_on, today()):
        return locked_page(
            queries.agenda_locked(),
            _meeting_url(item.meeting_id),
        )
    form = _item_form(item.meeting, item)
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.update_item(
            current_user, item, form_data(form), form.version.data, today()
        ),
        lambda i: (f"Item {i.number} saved.", _meeting_url(i.meeting_id, f"item-{i.id}")),
        title=f"Edit item {item.number}",
        cancel_url=_meeting_url(item.meeting_id),
    )


@routes.route("/meetings/<int:meeting_id>/publish", methods=["GET", "POST"])
@require(can_manage_meetings)
def publish(meeting_id: int):
    record = _managed_meeting(meeting_id)
    form = forms.PublishForm(obj=record)
    notice = rules.notice(today(), record.held_on, record.body.jurisdiction)
    return form_page(
        form,
        "meetings/publish.html",
        lambda: commands.publish_agenda(
            current_user, record, form.reason.data or "", form.version.data, today(), utcnow()
        ),
        lambda m: ("Agenda published.", _meeting_url(m.id)),
        meeting=record,
        notice=notice,
        cancel_url=_meeting_url(record.id),
    )


# Attendance, guests, declarations ---------------------------------------------------------


@routes.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@require(can_manage_meetings)
def attendance(meeting_id: int):
    record = _managed_meeting(meeting_id)
    memberships = queries.body_memberships_on(record.body_id, record.held_on)
    current = {
        a.person_id: a for a in queries.meeting_record(record, current_user, today()).attendance
    }
    form = forms.AttendanceForm()
    people = [m.person_id for m in memberships]
    chosen = {pid: (a.status.value, a.substitute_for_id) for pid, a in current.items()}
    problems: dict[str, str] = {}
    status = 200
    if form.validate_on_submit():
        entries, problems = forms.read_attendance(request.form, people)
        chosen = {e.person_id: (e.status.value, e.substitute_for_id) for e in entries}
        if not problems:
            try:
                with unit_of_work():
                    commands.record_attendance(current_user, record, entries, today())
            except Invalid as exc:
                problems = exc.problems
            except Locked as exc:
                return locked_page(exc, _meeting_url(record.id))
            else:
                flash("Attendance saved.", "success")
                return redirect(_meeting_url(record.id, "attendance"))
        status = 422
    elif form.is_submitted():
        status = 422
    # The error summary links to each group's first radio, so focus lands on a control.
    form.extra_problems = {
        _first_radio(key, memberships): message for key, message in problems.items()
    }
    return render_template(
        "meetings/attendance.html",
        meeting=record,
        form=form,
        memberships=memberships,
        chosen=chosen,
        problems=problems,
        member_roles=queries.MEMBER_ROLES,
        stand_in=queries.stand_in_choices(memberships),
    ), status


def _first_radio(key: str, memberships) -> str:
    """The id of the first radio of a member's group ("person-7" -> "status-7-present")."""
    person = key.removeprefix("person-")
    if not person.isdigit():
        return key
    roles = {m.person_id: m.role for m in memberships}
    first = "absent" if roles.get(int(person)) is MembershipRole.SUBSTITUTE else "present"
    return f"status-{person}-{first}"


@routes.route("/meetings/<int:meeting_id>/guests", methods=["GET", "POST"])
@require(can_manage_meetings)
def add_guest(meeting_id: int):
    record = _managed_meeting(meeting_id)
    form = forms.GuestForm()
    form.person_id.choices = _people_choices(blank="Not in the registry: type the name below")
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_guest(current_user, record, form_data(form), today()),
        lambda g: ("Added to those in attendance.", _meeting_url(record.id, "attendance")),
        title="Add someone else in attendance",
        cancel_url=_meeting_url(record.id, "attendance"),
    )


@routes.route("/guests/<int:guest_id>/remove", methods=["POST"])
@require(can_manage_meetings)
def remove_guest(guest_id: int):
    guest = permitted(found(db.session.get(Guest, guest_id)), can_manage_meetings)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            commands.remove_guest(current_user, guest, today())
    except Locked as exc:
        return locked_page(exc, _meeting_url(guest.meeting_id))
    flash("Removed from those in attendance.", "success")
    return redirect(_meeting_url(guest.meeting_id, "attendance"))


@routes.route("/meetings/<int:meeting_id>/declarations", methods=["GET", "POST"])
@require(can_manage_meetings)
def add_declaration(meeting_id: int):
    record = _managed_meeting(meeting_id)
    details = queries.meeting_record(record, current_user, today())
    form = forms.DeclarationForm()
    form.person_id.choices = record_choices(
        [a.person for a in details.present], blank="Choose a member recorded as present"
    )
    form.item_id.choices = record_choices(
        record.items, lambda i: rules.item_heading(i.number, i.title), blank="Choose the item"
    )
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_declaration(current_user, record, form_data(form), today()),
        lambda d: ("Declaration recorded.", _meeting_url(record.id, f"item-{d.item_id}")),
        title="Record a declaration of interest",
        cancel_url=_meeting_url(record.id),
    )


# Minutes ----------------------------------------------------------------------------------


def _split_resolutions(text: str) -> list[str]:
    blocks = [b.strip() for b in (text or "").replace("\r\n", "\n").split("\n\n")]
    return [b for b in blocks if b]


@routes.route("/items/<int:item_id>/minute", methods=["GET", "POST"])
@require(can_manage_meetings)
def minute(item_id: int):
    item = permitted(found(queries.load_item(item_id)), can_manage_meetings)
    if rules.minutes_confirmed(item.meeting.minutes_status):
        return locked_page(
            Locked(commands.CONFIRMED, commands.CONFIRMED_INSTEAD), _meeting_url(item.meeting_id)
        )
    form = forms.MinuteForm(obj=item)
    if not form.is_submitted():
        form.outcome.data = item.outcome.value if item.outcome else ""
        form.resolutions.data = "\n\n".join(r.text for r in item.resolutions)
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.write_minute(
            current_user,
            item,
            form.minutes.data or "",
            form.outcome.data,
            _split_resolutions(form.resolutions.data),
            form.version.data,
            today(),
        ),
        lambda i: (f"Minute of item {i.number} saved.", _meeting_url(i.meeting_id, f"item-{i.id}")),
        title=f"Minute of item {item.number}: {item.title}",
        cancel_url=_meeting_url(item.meeting_id, f"item-{item.id}"),
    )


@routes.route("/meetings/<int:meeting_id>/minutes/publish", methods=["POST"])
@require(can_manage_meetings)
def publish_minutes(meeting_id: int):
    record = _managed_meeting(meeting_id)
    form = forms.MinutesStatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        with unit_of_work():
            commands.set_minutes_status(
                current_user, record, MinutesStatus.PUBLISHED, form.version.data
            )
    except Locked as exc:
        return locked_page(exc, _meeting_url(record.id))
    except EditConflict:
        flash(CONFLICT_MESSAGE, "info")
        return redirect(_meeting_url(record.id))
    except Invalid as exc:
        flash(" ".join(exc.problems.values()), "info")
        return redirect(_meeting_url(record.id))
    flash("Minutes published, marked 'draft, not yet confirmed'.", "success")
    return redirect(_meeting_url(record.id))


@routes.route("/meetings/<int:meeting_id>/confirm-minutes", methods=["GET", "POST"])
@require(can_manage_meetings)
def confirm_minutes(meeting_id: int):
    record = _managed_meeting(meeting_id)
    form = forms.ConfirmMinutesForm()
    earlier = queries.earlier_meetings_to_confirm(record)
    form.earlier_id.choices = [
        SelectChoice(str(m.id), f"{m.name}, {long_date(m.held_on)}") for m in earlier
    ]
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.confirm_minutes(current_user, record, int(form.earlier_id.data), today()),
        lambda i: (
            "Minutes confirmed as a correct record.",
            _meeting_url(record.id, f"item-{i.id}"),
        ),
        title="Confirm earlier minutes as a correct record",
        cancel_url=_meeting_url(record.id),
        intro="Choose the minutes this meeting confirmed. An item recording the resolution is "
        "added to this meeting, and the confirmed minutes can no longer be altered.",
    )


@routes.route("/meetings/<int:meeting_id>/corrections/new", methods=["GET", "POST"])
@require(can_manage_meetings)
def add_correction(meeting_id: int):
    record = _managed_meeting(meeting_id)
    form = forms.CorrectionForm()
    form.item_id.choices = record_choices(
        record.items,
        lambda i: rules.item_heading(i.number, i.title),
        blank="The minutes as a whole",
    )
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_correction(
            current_user,
            record,
            int(form.item_id.data) if form.item_id.data else None,
            form.text.data or "",
        ),
        lambda c: ("Correction added.", _meeting_url(record.id, "corrections")),
        title=f"Correct the confirmed minutes of {long_date(record.held_on)}",
        cancel_url=_meeting_url(record.id),
    )


# Actions arising --------------------------------------------------------------------------


def _action_form(action: Action | None = None) -> forms.ActionForm:
    form = forms.ActionForm(obj=action)
    form.owner_id.choices = _people_choices(blank="No named owner")
    form.owner_partner_id.choices = partner_choices(
        registry.all_partners(), blank="Choose a partner"
    )
    if action is not None and not form.is_submitted():
        form.owner_id.data = str(action.owner_id or "")
        form.owner_partner_id.data = str(action.owner_partner_id)
    return form


@routes.route("/items/<int:item_id>/actions/new", methods=["GET", "POST"])
@require(can_manage_meetings)
def new_action(item_id: int):
    item = permitted(found(queries.load_item(item_id)), can_manage_meetings)
    if rules.minutes_confirmed(item.meeting.minutes_status):
        return locked_page(
            Locked(commands.CONFIRMED, commands.CONFIRMED_INSTEAD), _meeting_url(item.meeting_id)
        )
    form = _action_form()
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.add_action(current_user, item, form_data(form), today()),
        lambda a: ("Action added.", _meeting_url(item.meeting_id, f"item-{item.id}")),
        title=f"Add an action arising from item {item.number}",
        cancel_url=_meeting_url(item.meeting_id, f"item-{item.id}"),
    )


@routes.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@require(can_manage_meetings)
def edit_action(action_id: int):
    action = permitted(found(db.session.get(Action, action_id)), can_manage_meetings)
    form = _action_form(action)
    return form_page(
        form,
        "meetings/form.html",
        lambda: commands.update_action(
            current_user, action, form_data(form), form.version.data, today()
        ),
        lambda a: ("Action saved.", url_for(".actions")),
        title="Edit an action",
        cancel_url=url_for(".actions"),
    )


@routes.route("/actions")
@require(can_view_actions)
def actions():
    req = ListRequest.from_args(
        request.args, queries.ACTION_SORTS, "due", filters=("owner", "partner", "body", "status")
    )
    page = queries.list_actions(req, current_app.config["PAGE_SIZE"], current_user, today())
    owners = queries.action_owners(current_user, today())
    return render_template(
        "meetings/actions.html",
        page=page,
        req=req,
        people=[SelectChoice("", "Anyone")]
        + [SelectChoice(str(pid), name) for pid, name in owners],
        partners=record_choices(registry.all_partners(), blank="Any partner"),
        bodies=record_choices(registry.all_bodies(), blank="Any body"),
        today=today(),
    )
