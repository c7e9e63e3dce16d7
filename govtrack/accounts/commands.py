"""What administrators change on accounts: invite, resend and revoke invitations, disable and
re-enable, grant and remove rights. Each checks the permission and the rules, writes, records
the change in the audit log, and only flushes (the view or command commits).

Refusals of a whole action (a button, not a form field) raise ``AccountError`` with the
reason; problems with a form's fields raise ``Invalid``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from govtrack.accounts import queries, rules, throttle
from govtrack.accounts.permissions import can_manage_accounts
from govtrack.auth import links, two_factor
from govtrack.auth.enums import LinkPurpose, Role
from govtrack.auth.models import AccountRight, User
from govtrack.auth.rights import forget_rights
from govtrack.auth.rules import Grant
from govtrack.auth.services import (
    AccountError,
    disable_user,
    normalise_email,
    sign_out_everywhere,
)
from govtrack.config import password_sign_in_on, single_sign_on_on
from govtrack.core import audit
from govtrack.core.dates import local_moment
from govtrack.core.input_rules import text_problem
from govtrack.core.mail import send_mail
from govtrack.core.permissions import ensure
from govtrack.core.records import Invalid, raise_if
from govtrack.db import db
from govtrack.registry.models import Body, Partner, Person
from govtrack.registry.services import update_person

THROTTLED = (
    "Too many invitation e-mails have been sent to this address or for this account in the "
    "last hour. Wait an hour, then try again."
)


def _authorise(actor: Any) -> None:
    """The command line acts as no one (``actor`` None) and may do everything."""
    if actor is not None:
        ensure(can_manage_accounts(actor))


def invitation_link(token: str) -> str:
    """The address of the invitation's landing page: from the request when there is one, else
    (the command line) from the PUBLIC_URL setting."""
    if has_request_context():
        return url_for("auth.accept_invitation", token=token, _external=True)
    path = current_app.url_map.bind("", script_name="/").build(
        "auth.accept_invitation", {"token": token}
    )
    return current_app.config.get("PUBLIC_URL", "").rstrip("/") + path


def _how_to_sign_in() -> str:
    """What the invitation's link lets the person do: set a password, sign in with the
    council's identity provider, or either (as the invitation's page offers)."""
    config = current_app.config
    provider = config.get("OIDC_PROVIDER_NAME") or "your council account"
    if not single_sign_on_on(config):
        return "To set your password and sign in, open this link:"
    if not password_sign_in_on(config):
        return f"To sign in with {provider}, open this link:"
    return f"To set up your account, open this link: choose a password, or sign in with {provider}."


def _invitation_mail(actor: Any, user: User, token: str) -> None:
    link = links.pending(user.id, LinkPurpose.INVITATION)
    inviter = f"{actor.name} ({actor.email})" if actor is not None else "An administrator"
    service = current_app.config["SERVICE_NAME"]
    body = (
        f"Hello {user.name},\n\n"
        f"{inviter} has invited you to use {service}.\n\n"
        f"{_how_to_sign_in()}\n{invitation_link(token)}\n\n"
        f"The link works once, and for 72 hours: it stops working on "
        f"{local_moment(link.expires_at)}. If it has expired, ask an administrator to send a "
        f"new one.\n\n"
        f"If you were not expecting this e-mail, you can ignore it: nothing happens unless the "
        f"link is opened."
    )
    send_mail(user.email, f"You have been invited to {service}", body)


def _send_invitation(actor: Any, user: User) -> None:
    if not throttle.spend(user.email, user.id, getattr(actor, "id", None)):
        raise AccountError(THROTTLED)
    token = links.issue(user, LinkPurpose.INVITATION, actor)
    _invitation_mail(actor, user, token)


# Rights -----------------------------------------------------------------------------------


def _shown(user: User) -> list[queries.GrantShown]:
    return queries.grants_shown([user.id]).get(user.id, [])


def _labels(shown: list[queries.GrantShown]) -> list[str]:
    return [grant.label for grant in shown]


def _label_of(shown: list[queries.GrantShown], record: AccountRight) -> str:
    return next((grant.label for grant in shown if grant.id == record.id), record.right.label)


def _scope_problems(right: Role | None, body_id: Any, partner_id: Any) -> tuple[dict, Body | None]:
    """The named body and partner must exist (a tampered form may name any id)."""
    problems: dict[str, str] = {}
    body = db.session.get(Body, body_id) if body_id is not None else None
    if body_id is not None and body is None:
        problems["body_id"] = "Choose a body from the list"
    if partner_id is not None and db.session.get(Partner, partner_id) is None:
        problems["partner_id"] = "Choose a partner from the list"
    if right is None:
        problems["right"] = "Choose the right to grant"
    return problems, body


def _grant_from(values: Mapping[str, Any], held: list[Grant]) -> Grant:
    right = values.get("right")
    body_id, partner_id = values.get("body_id"), values.get("partner_id")
    problems, body = _scope_problems(right, body_id, partner_id)
    raise_if(problems)
    grant = Grant(right, body_id, partner_id)
    body_is_scrutiny = queries.is_scrutiny_body(body) if body is not None else None
    raise_if(rules.grant_problems(grant, body_is_scrutiny, held))
    return grant


def _add_grant(actor: Any, user: User, grant: Grant) -> AccountRight:
    record = AccountRight(
        user_id=user.id,
        right=grant.right,
        body_id=grant.body_id,
        partner_id=grant.partner_id,
        granted_by_id=getattr(actor, "id", None),
    )
    db.session.add(record)
    db.session.flush()
    db.session.expire(user, ["grants"])
    forget_rights(user.id)
    return record


def grant_right(actor: Any, user: User, values: Mapping[str, Any]) -> AccountRight:
    """Grant ``values['right']`` (for ``body_id`` or ``partner_id`` if named) to ``user``."""
    _authorise(actor)
    # One grant at a time per account (PostgreSQL), so a double submit cannot grant twice.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    before = _shown(user)
    grant = _grant_from(values, [Grant(g.right, g.body_id, g.partner_id) for g in before])
    record = _add_grant(actor, user, grant)
    after = _shown(user)
    audit.record(
        actor,
        "grant-right",
        user,
        f"Granted {_label_of(after, record)} to {user.email}",
        before={"rights": _labels(before)},
        after={"rights": _labels(after)},
    )
    return record


def remove_right(actor: Any, user: User, record: AccountRight) -> None:
    """Remove one granted right; never the last active administrator's, nor one's own last
    administrator right."""
    _authorise(actor)
    admins = queries.active_administrators(lock=True)
    before = _shown(user)
    own_admin = sum(1 for grant in before if grant.right is Role.ADMIN)
    own_account = actor is not None and actor.id == user.id
    if problem := rules.removal_refusal(
        record.right, own_account, own_admin, user.active, len(admins)
    ):
        raise AccountError(problem)
    label = _label_of(before, record)
    db.session.delete(record)
    db.session.flush()
    db.session.expire(user, ["grants"])
    forget_rights(user.id)
    audit.record(
        actor,
        "remove-right",
        user,
        f"Removed {label} from {user.email}",
        before={"rights": _labels(before)},
        after={"rights": _labels(_shown(user))},
    )


# Invitations ------------------------------------------------------------------------------


def _invite_problems(values: Mapping[str, Any], email: str) -> dict[str, str | None]:
    problems: dict[str, str | None] = {}
    if "@" not in email or text_problem(email, "Email address", False):
        problems["email"] = "Enter an email address in the correct format, like name@example.org"
    elif queries.find_account(email) is not None:
        problems["email"] = f"An account for {email} already exists"
    if not (values.get("name") or "").strip():
        problems["name"] = "Enter the person's name"
    return problems


def _person_to_link(person_id: Any) -> Person | None:
    if person_id is None:
        return None
    person = db.session.get(Person, person_id)
    if person is None or person.user_id is not None:
        raise Invalid({"person_id": "Choose a person who has no account yet"})
    return person


def _link_person(actor: Any, person: Person, user: User) -> None:
    values = {
        "name": person.name,
        "title": person.title,
        "partner_id": person.partner_id,
        "email": person.email or user.email,
        "user_id": user.id,
    }
    update_person(actor, person, values, person.version)


def invite(actor: Any, values: Mapping[str, Any]) -> User:
    """Create an account without a password for ``values['email']`` and ``name``, optionally
    linked to a registry person and with a first right, and e-mail the person a single-use
    link to set their password (valid 72 hours)."""
    _authorise(actor)
    email = normalise_email(values.get("email") or "")
    raise_if(_invite_problems(values, email))
    person = _person_to_link(values.get("person_id"))
    grant = _grant_from(values, []) if values.get("right") is not None else None
    user = User(email=email, name=values["name"].strip(), password_hash=None, grants=[])
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # invited at the same moment by someone else
        raise Invalid({"email": f"An account for {email} already exists"}) from exc
    if grant is not None:
        _add_grant(actor, user, grant)
    rights = _labels(_shown(user))
    audit.record(
        actor,
        "invite",
        user,
        f"Invited {email} ({', '.join(rights) or 'no rights yet'})",
        after={**audit.snapshot(user), "rights": rights},
    )
    if person is not None:
        _link_person(actor, person, user)
    try:
        _send_invitation(actor, user)
    except AccountError as exc:
        raise Invalid({"email": str(exc)}) from exc
    return user


def _invitation_refusal(user: User) -> str | None:
    if not user.active:
        return "This account is disabled. Re-enable it before sending an invitation."
    return rules.may_invite_again(user.password_hash is not None, user.oidc_subject is not None)


def resend_invitation(actor: Any, user: User) -> None:
    """A new invitation link by e-mail; the earlier one stops working."""
    _authorise(actor)
    if problem := _invitation_refusal(user):
        raise AccountError(problem)
    _send_invitation(actor, user)
    audit.record(
        actor, "resend-invitation", user, f"Sent a new invitation to {user.email}", after={}
    )


def revoke_invitation(actor: Any, user: User) -> None:
    """The invitation link stops working (the account stays, without a way in)."""
    _authorise(actor)
    if problem := _invitation_refusal(user):
        raise AccountError(problem)
    if not links.revoke(user, LinkPurpose.INVITATION):
        raise AccountError("There is no invitation waiting to be accepted.")
    audit.record(
        actor, "revoke-invitation", user, f"Revoked the invitation of {user.email}", after={}
    )


# Disable and enable -----------------------------------------------------------------------


def disable(actor: Any, user: User) -> User:
    """The account can no longer sign in, and every session of it ends now."""
    _authorise(actor)
    if not user.active:
        raise AccountError("This account is already disabled.")
    admins = queries.active_administrators(lock=True)
    own_account = actor is not None and actor.id == user.id
    if problem := rules.disable_refusal(own_account, user.id in admins, len(admins)):
        raise AccountError(problem)
    return disable_user(actor, user.email)


def enable(actor: Any, user: User) -> User:
    _authorise(actor)
    if user.active:
        raise AccountError("This account is already active.")
    if user.erased_at is not None:
        raise AccountError(
            "This account's personal data was erased, so it cannot be re-enabled. "
            "Invite the person again with a new account."
        )
    before = audit.snapshot(user)
    user.active = True
    db.session.flush()
    audit.record(actor, "update", user, f"Re-enabled account {user.email}", before=before)
    return user


def end_sessions(actor: Any, user: User) -> None:
    """An administrator ends every session of someone else's account (a lost laptop, a
    shared computer); the person signs in again. Their own: "Sign out everywhere" on /account."""
    _authorise(actor)
    if actor is not None and actor.id == user.id:
        raise AccountError('To end your own sessions use "Sign out everywhere" on your account.')
    sign_out_everywhere(actor, user)


def reset_two_factor(actor: Any, user: User) -> None:
    """For a person locked out of two-factor sign-in (phone and recovery codes lost): clears
    it and ends every session; they set it up again at their next sign-in."""
    _authorise(actor)
    if not two_factor.enrolled(user):
        raise AccountError("This account has not set up two-factor sign-in: nothing to reset.")
    if actor is not None and actor.id == user.id:
        raise AccountError("Another administrator must reset your two-factor sign-in.")
    two_factor.reset(actor, user)
