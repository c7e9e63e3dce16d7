"""Registry pages: partners, people, bodies and memberships; public lists of partners and
bodies with their current members."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_login import current_user

from govtrack.core import audit
from govtrack.core.capabilities import record_panels
from govtrack.core.dates import today
from govtrack.core.forms import enum_choices, record_choices
from govtrack.core.history import describe_history
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import anyone, require
from govtrack.core.views import form_data, form_page, found
from govtrack.db import db
from govtrack.registry import services
from govtrack.registry.enums import BodyKind, MembershipRole, PartnerKind
from govtrack.registry.forms import (
    BodyForm,
    MembershipForm,
    PartnerForm,
    PersonForm,
    partner_choices,
)
from govtrack.registry.models import Body, Membership, Partner, Person
from govtrack.registry.permissions import can_manage_registry, can_view_history, can_view_people

bp = Blueprint("registry", __name__)


def _per_page() -> int:
    return current_app.config["PAGE_SIZE"]


def _history_page(record, subject_type: str, title: str, back_url: str):
    entries = describe_history(audit.history_of(subject_type, [record.id]))
    return render_template(
        "registry/history.html", record=record, entries=entries, title=title, back_url=back_url
    )


# Partners ---------------------------------------------------------------------------------


@bp.route("/partners")
@require(anyone)
def partners():
    req = ListRequest.from_args(
        request.args, services.PARTNER_SORTS, "name", filters=("q", "kind", "status")
    )
    page = services.list_partners(req, _per_page(), today())
    return render_template(
        "registry/partners.html",
        page=page,
        req=req,
        kinds=enum_choices(PartnerKind, blank="Any kind"),
        today=today(),
    )


@bp.route("/partners/<int:partner_id>")
@require(anyone)
def partner(partner_id: int):
    record = found(db.session.get(Partner, partner_id))
    seats = services.partner_representation(record, today())
    return render_template(
        "registry/partner.html",
        partner=record,
        seats=seats,
        today=today(),
        panels=record_panels("partner", record),
    )


@bp.route("/partners/new", methods=["GET", "POST"])
@require(can_manage_registry)
def new_partner():
    form = PartnerForm()
    return form_page(
        form,
        "form.html",
        lambda: services.create_partner(current_user, form_data(form)),
        lambda p: (f"Partner {p.code} added.", url_for(".partner", partner_id=p.id)),
        title="Add a partner",
        cancel_url=url_for(".partners"),
    )


@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@require(can_manage_registry)
def edit_partner(partner_id: int):
    record = found(db.session.get(Partner, partner_id))
    form = PartnerForm(obj=record)
    return form_page(
        form,
        "form.html",
        lambda: services.update_partner(current_user, record, form_data(form), form.version.data),
        lambda p: (f"Partner {p.code} saved.", url_for(".partner", partner_id=p.id)),
        title=f"Edit partner {record.code}",
        cancel_url=url_for(".partner", partner_id=record.id),
    )


@bp.route("/partners/<int:partner_id>/history")
@require(can_view_history)
def partner_history(partner_id: int):
    record = found(db.session.get(Partner, partner_id))
    back = url_for(".partner", partner_id=record.id)
    return _history_page(record, "partner", f"History of {record.name}", back)


# People -----------------------------------------------------------------------------------


def _person_form(record: Person | None = None) -> PersonForm:
    form = PersonForm(obj=record)
    form.partner_id.choices = partner_choices(services.all_partners(), blank="Choose a partner")
    form.user_id.choices = record_choices(
        services.unlinked_users(record), lambda u: f"{u.name} ({u.email})", blank="No account"
    )
    if record is not None and not form.is_submitted():
        form.partner_id.data = str(record.partner_id)
    return form


@bp.route("/people")
@require(can_view_people)
def people():
    req = ListRequest.from_args(
        request.args, services.PERSON_SORTS, "name", filters=("q", "partner")
    )
    page = services.list_people(req, _per_page())
    partners = record_choices(services.all_partners(), blank="Any partner")
    return render_template("registry/people.html", page=page, req=req, partners=partners)


@bp.route("/people/<int:person_id>")
@require(can_view_people)
def person(person_id: int):
    record = found(services.load_person(person_id))
    memberships = services.person_memberships(record)
    return render_template(
        "registry/person.html",
        person=record,
        memberships=memberships,
        today=today(),
        panels=record_panels("person", record),
    )


@bp.route("/people/new", methods=["GET", "POST"])
@require(can_manage_registry)
def new_person():
    form = _person_form()
    if not form.is_submitted() and request.args.get("partner"):
        form.partner_id.data = request.args["partner"]
    return form_page(
        form,
        "form.html",
        lambda: services.create_person(current_user, form_data(form)),
        lambda p: (f"{p.name} added.", url_for(".person", person_id=p.id)),
        title="Add a person",
        cancel_url=url_for(".people"),
    )


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@require(can_manage_registry)
def edit_person(person_id: int):
    record = found(db.session.get(Person, person_id))
    form = _person_form(record)
    return form_page(
        form,
        "form.html",
        lambda: services.update_person(current_user, record, form_data(form), form.version.data),
        lambda p: (f"{p.name} saved.", url_for(".person", person_id=p.id)),
        title=f"Edit {record.name}",
        cancel_url=url_for(".person", person_id=record.id),
    )


@bp.route("/people/<int:person_id>/history")
@require(can_view_history)
def person_history(person_id: int):
    record = found(db.session.get(Person, person_id))
    back = url_for(".person", person_id=record.id)
    return _history_page(record, "person", f"History of {record.name}", back)


# Bodies -----------------------------------------------------------------------------------


def _body_form(record: Body | None = None) -> BodyForm:
    form = BodyForm(obj=record)
    partners = services.all_partners()
    form.host_partner_id.choices = partner_choices(partners, blank="No host partner")
    bodies = [b for b in services.all_bodies() if record is None or b.id != record.id]
    form.parent_id.choices = record_choices(bodies, blank="None: it reports to no other body")
    return form


@bp.route("/bodies")
@require(anyone)
def bodies():
    req = ListRequest.from_args(
        request.args, services.BODY_SORTS, "name", filters=("q", "kind", "host")
    )
    page = services.list_bodies(req, _per_page(), today())
    return render_template(
        "registry/bodies.html",
        page=page,
        req=req,
        kinds=enum_choices(BodyKind, blank="Any kind"),
        partners=record_choices(services.all_partners(), blank="Any host"),
    )


@bp.route("/bodies/<int:body_id>")
@require(anyone)
def body(body_id: int):
    record = found(services.load_body(body_id))
    current, other = services.body_memberships(record, today())
    return render_template(
        "registry/body.html",
        body=record,
        current=current,
        other=other if can_view_people(current_user) else [],
        children=services.sub_bodies(record),
        today=today(),
        panels=record_panels("body", record),
    )


@bp.route("/bodies/new", methods=["GET", "POST"])
@require(can_manage_registry)
def new_body():
    form = _body_form()
    return form_page(
        form,
        "form.html",
        lambda: services.create_body(current_user, form_data(form)),
        lambda b: (f"{b.name} added.", url_for(".body", body_id=b.id)),
        title="Add a governance body",
        cancel_url=url_for(".bodies"),
    )


@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@require(can_manage_registry)
def edit_body(body_id: int):
    record = found(db.session.get(Body, body_id))
    form = _body_form(record)
    return form_page(
        form,
        "form.html",
        lambda: services.update_body(current_user, record, form_data(form), form.version.data),
        lambda b: (f"{b.name} saved.", url_for(".body", body_id=b.id)),
        title=f"Edit {record.name}",
        cancel_url=url_for(".body", body_id=record.id),
    )


@bp.route("/bodies/<int:body_id>/history")
@require(can_view_history)
def body_history(body_id: int):
    record = found(db.session.get(Body, body_id))
    back = url_for(".body", body_id=record.id)
    return _history_page(record, "body", f"History of {record.name}", back)


# Memberships ------------------------------------------------------------------------------


def _membership_form(record: Membership | None = None) -> MembershipForm:
    form = MembershipForm(obj=record)
    partners = services.all_partners()
    form.person_id.choices = record_choices(
        services.all_people(), lambda p: f"{p.name} ({p.partner.code})", blank="Choose a person"
    )
    form.body_id.choices = record_choices(services.all_bodies(), blank="Choose a body")
    form.partner_id.choices = partner_choices(partners, blank="Choose a partner")
    if record is not None and not form.is_submitted():
        form.person_id.data = str(record.person_id)
        form.body_id.data = str(record.body_id)
        form.partner_id.data = str(record.partner_id)
    elif not form.is_submitted():
        for field in ("person", "body", "partner"):
            if value := request.args.get(field):
                getattr(form, f"{field}_id").data = value
    return form


@bp.route("/memberships")
@require(can_view_people)
def memberships():
    req = ListRequest.from_args(
        request.args,
        services.MEMBERSHIP_SORTS,
        "body",
        filters=("q", "body", "partner", "role", "when"),
    )
    page = services.list_memberships(req, _per_page(), today())
    return render_template(
        "registry/memberships.html",
        page=page,
        req=req,
        bodies=record_choices(services.all_bodies(), blank="Any body"),
        partners=record_choices(services.all_partners(), blank="Any partner"),
        roles=enum_choices(MembershipRole, blank="Any role"),
        today=today(),
    )


def _membership_added(membership: Membership) -> str:
    shown = services.load_membership(membership.id)
    return (
        f"{shown.person.name} added to {shown.body.name} as {shown.role.label}, "
        f"representing {shown.partner.name}."
    )


@bp.route("/memberships/new", methods=["GET", "POST"])
@require(can_manage_registry)
def new_membership():
    form = _membership_form()
    return form_page(
        form,
        "form.html",
        lambda: services.create_membership(current_user, form_data(form)),
        lambda m: (_membership_added(m), url_for(".body", body_id=m.body_id)),
        title="Add a membership",
        cancel_url=url_for(".memberships"),
    )


@bp.route("/memberships/<int:membership_id>/edit", methods=["GET", "POST"])
@require(can_manage_registry)
def edit_membership(membership_id: int):
    record = found(services.load_membership(membership_id))
    form = _membership_form(record)
    return form_page(
        form,
        "form.html",
        lambda: services.update_membership(
            current_user, record, form_data(form), form.version.data
        ),
        lambda m: ("Membership saved.", url_for(".body", body_id=m.body_id)),
        title=f"Edit membership of {record.person.name} on {record.body.name}",
        cancel_url=url_for(".body", body_id=record.body_id),
    )


@bp.route("/memberships/<int:membership_id>/history")
@require(can_view_history)
def membership_history(membership_id: int):
    record = found(services.load_membership(membership_id))
    back = url_for(".body", body_id=record.body_id)
    title = f"History of {record.person.name}'s membership of {record.body.name}"
    return _history_page(record, "membership", title, back)


@bp.app_context_processor
def registry_permissions() -> dict:
    """Templates hide buttons with the same predicates the routes enforce."""
    return {
        "can_manage_registry": can_manage_registry,
        "can_view_people": can_view_people,
        "can_view_history": can_view_history,
    }
