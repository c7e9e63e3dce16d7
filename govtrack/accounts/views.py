"""The accounts pages, for administrators: the list, an account's page, inviting a person,
and the actions on an account (invitation, disable and enable, rights)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from govtrack.accounts import commands, queries
from govtrack.accounts.cli import ACCOUNT_COMMANDS
from govtrack.accounts.enums import AccountState
from govtrack.accounts.forms import GrantForm, InviteForm, RightFields
from govtrack.accounts.permissions import can_manage_accounts
from govtrack.auth.cli import user_cli
from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight
from govtrack.auth.services import AccountError
from govtrack.core.forms import enum_choices, filter_options, record_choices
from govtrack.core.pagination import ListRequest
from govtrack.core.permissions import require
from govtrack.core.records import unit_of_work
from govtrack.core.views import form_data, form_page, found
from govtrack.db import db
from govtrack.registry.forms import partner_choices
from govtrack.registry.services import all_partners

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


def _add_commands(_state) -> None:
    """`flask user invite|grant|revoke-right|enable|list` join auth's `flask user` group when
    the accounts are registered with the app."""
    for command in ACCOUNT_COMMANDS:
        user_cli.add_command(command)


bp.record_once(_add_commands)


@bp.route("")
@require(can_manage_accounts)
def index():
    req = ListRequest.from_args(
        request.args, queries.ACCOUNT_SORTS, "name", filters=("q", "right", "state")
    )
    page = queries.list_accounts(req, current_app.config["PAGE_SIZE"])
    return render_template(
        "accounts/index.html",
        page=page,
        req=req,
        rights=filter_options("Any right", ((r.value, r.label) for r in Role)),
        states=filter_options("Any state", ((s.value, s.label) for s in AccountState)),
    )


def _account_view(user, problem: str | None = None, status: int = 200):
    return (
        render_template("accounts/account.html", page=queries.account_page(user), problem=problem),
        status,
    )


@bp.route("/<int:user_id>")
@require(can_manage_accounts)
def account(user_id: int):
    return _account_view(found(queries.load_account(user_id)))


def _right_choices(form: RightFields, blank: str) -> None:
    form.right.choices = enum_choices(Role, blank=blank)
    form.body_id.choices = record_choices(queries.bodies(), blank="Every body")
    form.partner_id.choices = partner_choices(all_partners(), blank="The linked person's partner")


@bp.route("/invite", methods=["GET", "POST"])
@require(can_manage_accounts)
def invite():
    form = InviteForm()
    _right_choices(form, blank="No right yet")
    form.person_id.choices = record_choices(
        queries.people_without_account(),
        lambda p: f"{p.name} ({p.partner.code})",
        blank="Not linked to a person",
    )
    existing = queries.find_account(form.email.data or "") if form.is_submitted() else None
    return form_page(
        form,
        "accounts/invite.html",
        lambda: commands.invite(current_user, form_data(form)),
        lambda user: (
            f"Invitation sent to {user.email}.",
            url_for(".account", user_id=user.id),
        ),
        existing=existing,
        cancel_url=url_for(".index"),
    )


@bp.route("/<int:user_id>/rights/new", methods=["GET", "POST"])
@require(can_manage_accounts)
def grant_right(user_id: int):
    user = found(queries.load_account(user_id))
    form = GrantForm()
    _right_choices(form, blank="Choose a right")
    return form_page(
        form,
        "accounts/grant.html",
        lambda: commands.grant_right(current_user, user, form_data(form)),
        lambda _grant: (
            f"Right granted to {user.name}.",
            url_for(".account", user_id=user.id),
        ),
        title=f"Grant a right to {user.name}",
        user=user,
        cancel_url=url_for(".account", user_id=user.id),
    )


def _act(user, action, done: str):
    """Carry out a button's action and go back to the account, or show the account's page
    again saying why it was refused (nothing changed)."""
    try:
        with unit_of_work():
            action()
    except AccountError as exc:
        return _account_view(user, problem=str(exc), status=409)
    flash(done, "success")
    return redirect(url_for(".account", user_id=user.id))


@bp.route("/<int:user_id>/rights/<int:grant_id>/remove", methods=["POST"])
@require(can_manage_accounts)
def remove_right(user_id: int, grant_id: int):
    user = found(queries.load_account(user_id))
    grant = db.session.get(AccountRight, grant_id)
    grant = found(grant if grant is not None and grant.user_id == user.id else None)
    return _act(user, lambda: commands.remove_right(current_user, user, grant), "Right removed.")


@bp.route("/<int:user_id>/invitation/resend", methods=["POST"])
@require(can_manage_accounts)
def resend_invitation(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user,
        lambda: commands.resend_invitation(current_user, user),
        f"A new invitation has been sent to {user.email}. The earlier link no longer works.",
    )


@bp.route("/<int:user_id>/invitation/revoke", methods=["POST"])
@require(can_manage_accounts)
def revoke_invitation(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user,
        lambda: commands.revoke_invitation(current_user, user),
        f"The invitation to {user.email} has been revoked.",
    )


@bp.route("/<int:user_id>/disable", methods=["POST"])
@require(can_manage_accounts)
def disable(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user,
        lambda: commands.disable(current_user, user),
        f"{user.name}'s account is disabled and every session of it has ended.",
    )


@bp.route("/<int:user_id>/end-sessions", methods=["POST"])
@require(can_manage_accounts)
def end_sessions(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user,
        lambda: commands.end_sessions(current_user, user),
        f"Every session of {user.name}'s account has ended.",
    )


@bp.route("/<int:user_id>/two-factor/reset", methods=["POST"])
@require(can_manage_accounts)
def reset_two_factor(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user,
        lambda: commands.reset_two_factor(current_user, user),
        f"{user.name}'s two-factor sign-in is reset: they set it up again when they next sign in.",
    )


@bp.route("/<int:user_id>/enable", methods=["POST"])
@require(can_manage_accounts)
def enable(user_id: int):
    user = found(queries.load_account(user_id))
    return _act(
        user, lambda: commands.enable(current_user, user), f"{user.name}'s account is enabled."
    )
