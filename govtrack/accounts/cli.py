"""`flask user invite|grant|revoke-right|enable|list`: the accounts administration of the
browser, for the command line (a first administrator, scripted onboarding). They join the
`flask user` group of ``govtrack.auth.cli`` (which keeps create, set-password and disable);
they live here because they use the accounts' commands, which sit above auth."""

from __future__ import annotations

from typing import Any

import click
from sqlalchemy import func, or_, select

from govtrack.accounts import commands, queries, rules
from govtrack.auth.enums import Role
from govtrack.auth.models import AccountRight, User
from govtrack.auth.services import AccountError, find_user, normalise_email
from govtrack.core.pagination import ListRequest
from govtrack.core.records import Invalid, unit_of_work
from govtrack.db import db
from govtrack.registry.models import Body, Partner

RIGHT_HELP = (
    "A right: admin, clerk, officer, scrutiny or member; clerk and scrutiny may name a body "
    "(clerk:Joint Committee), officer a partner by name or code (officer:NSH)."
)


def _run(action):
    try:
        with unit_of_work():
            return action()
    except (AccountError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    except Invalid as exc:
        raise click.ClickException("; ".join(exc.problems.values())) from exc


def _values(text: str) -> dict[str, Any]:
    """A right as the command line names it, as the accounts' forms give it."""
    right, scope = rules.parse_right(text)
    values: dict[str, Any] = {"right": right, "body_id": None, "partner_id": None}
    if scope is None:
        return values
    if right in rules.BODY_RIGHTS:
        body = db.session.scalar(select(Body).where(func.lower(Body.name) == scope.lower()))
        if body is None:
            raise ValueError(f"No body is called '{scope}'")
        values["body_id"] = body.id
    else:
        partner = db.session.scalar(
            select(Partner).where(
                or_(func.lower(Partner.name) == scope.lower(), Partner.code == scope.upper())
            )
        )
        if partner is None:
            raise ValueError(f"No partner is called '{scope}' or has that code")
        values["partner_id"] = partner.id
    return values


def _account(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise AccountError(f"No account for {normalise_email(email)}")
    return user


@click.command("invite")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--right", "rights", multiple=True, help=RIGHT_HELP)
def invite(email: str, name: str, rights: tuple[str, ...]) -> None:
    """Invite a person: an account without a password, and an e-mail with a single-use link
    (valid 72 hours) to set one."""

    def action() -> User:
        chosen = [_values(text) for text in rights]
        first = chosen[0] if chosen else {"right": None}
        user = commands.invite(None, {"email": email, "name": name, **first})
        for values in chosen[1:]:
            commands.grant_right(None, user, values)
        return user

    user = _run(action)
    click.echo(f"Invited {user.email}; the invitation e-mail is in the outbox.")


@click.command("grant")
@click.option("--email", required=True)
@click.option("--right", required=True, help=RIGHT_HELP)
def grant(email: str, right: str) -> None:
    """Grant a right to an account."""
    _run(lambda: commands.grant_right(None, _account(email), _values(right)))
    click.echo(f"Granted {right} to {normalise_email(email)}.")


@click.command("revoke-right")
@click.option("--email", required=True)
@click.option("--right", required=True, help=RIGHT_HELP)
def revoke_right(email: str, right: str) -> None:
    """Remove a granted right from an account."""

    def action() -> None:
        user = _account(email)
        values = _values(right)
        record = db.session.scalar(
            select(AccountRight).where(
                AccountRight.user_id == user.id,
                AccountRight.right == values["right"],
                _same(AccountRight.body_id, values["body_id"]),
                _same(AccountRight.partner_id, values["partner_id"]),
            )
        )
        if record is None:
            raise AccountError(f"{user.email} does not hold the right {right}")
        commands.remove_right(None, user, record)

    _run(action)
    click.echo(f"Removed {right} from {normalise_email(email)}.")


def _same(column, value):
    return column.is_(None) if value is None else column == value


@click.command("enable")
@click.option("--email", required=True)
def enable(email: str) -> None:
    """Re-enable a disabled account."""
    user = _run(lambda: commands.enable(None, _account(email)))
    click.echo(f"Enabled {user.email}.")


@click.command("list")
@click.option("--search", default="", help="Name or e-mail contains.")
@click.option("--right", "right", type=click.Choice([r.value for r in Role]), default=None)
@click.option("--state", type=click.Choice(["active", "invited", "disabled"]), default=None)
def list_accounts(search: str, right: str | None, state: str | None) -> None:
    """List accounts: e-mail, name, state and granted rights."""
    filters = {"q": search, "right": right or "", "state": state or ""}
    req = ListRequest(sort="email", filters={k: v for k, v in filters.items() if v})
    page = queries.list_accounts(req, per_page=100_000)
    for row in page.items:
        granted = "; ".join(grant.label for grant in row.grants) or "no rights"
        click.echo(f"{row.user.email}\t{row.user.name}\t{row.state.label}\t{granted}")
    click.echo(f"{page.total} account{'s' if page.total != 1 else ''}.")


ACCOUNT_COMMANDS = [invite, grant, revoke_right, enable, list_accounts]
